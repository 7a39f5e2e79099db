// RPTReport: see Package.swift.
