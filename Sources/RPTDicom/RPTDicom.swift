// RPTDicom: see Package.swift.
