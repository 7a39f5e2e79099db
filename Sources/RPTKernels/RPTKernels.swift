// RPTKernels: see Package.swift.
