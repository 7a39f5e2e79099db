import Foundation
import XCTest

/// Locates files in ../shared (beside the package root) for reference-data tests.
enum SharedReference {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Rows (split by comma) of a CSV in ../shared/reference, skipping `#` comments and the header.
    /// Skips the test (or fails when CI=true) if the file is absent.
    static func csvRows(_ name: String) throws -> [[String]] {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/" + name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("reference file missing: \(url.path)")
                return []
            }
            throw XCTSkip("reference file missing: \(url.path)")
        }
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
