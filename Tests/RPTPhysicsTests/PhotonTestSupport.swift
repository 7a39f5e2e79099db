import Foundation
import XCTest

/// Locates the reference tables the project carries (`validation/reference`) for reference-data tests.
enum SharedReference {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Rows (split by comma) of a CSV in validation/reference, skipping `#` comments and the header.
    /// Throws (the test fails) if the file cannot be read.
    static func csvRows(_ name: String) throws -> [[String]] {
        let url = packageRoot.appendingPathComponent("validation/reference/" + name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        return lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
    }

    /// Electron radiation yield Y(T) of liquid water from NIST ESTAR (reference CSV), linear interpolation in
    /// T; below the first tabulated energy (10 keV) Y is taken proportional to T (Y(10 keV) ≈ 1e-4 anyway).
    static func waterRadiationYield() throws -> (Double) -> Double {
        let rows = try csvRows("nist_estar_water.csv")
        let t = rows.map { Double($0[0])! }, y = rows.map { Double($0[5])! }
        return { e in
            if e <= t[0] { return y[0] * e / t[0] }
            if e >= t[t.count - 1] { return y[y.count - 1] }
            var i = 0
            while t[i + 1] < e { i += 1 }
            return y[i] + (e - t[i]) / (t[i + 1] - t[i]) * (y[i + 1] - y[i])
        }
    }
}
