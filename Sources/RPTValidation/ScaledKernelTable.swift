import Foundation
import RPTCore

/// A published scaled dose point kernel of monoenergetic electrons, j(x) = d(E/E₀)/dx with x = r/r₀ (r₀ the CSDA
/// range), read from a reference CSV with columns `x,j` (see `ReferenceCSV`).
///
/// Two layouts occur in the literature: a histogram of shells of equal width in x (EGSnrc/EDKnrc, Mainegra-Hing et
/// al. 2005: row i covers [iΔ, (i+1)Δ), x is the abscissa printed in the source) and point values on a grid
/// starting at x = 0 (ETRAN, Berger/Seltzer), integrated piecewise-linearly.
public struct ScaledKernelTable: Sendable, Equatable {
    public enum Layout: Sendable, Equatable {
        /// Row i is the mean of j over the shell [i·width, (i+1)·width).
        case histogram(width: Double)
        /// j at the tabulated x (first x = 0, increasing), linear in between, 0 beyond the last point.
        case points
    }

    public let layout: Layout
    public let x: [Double]
    public let j: [Double]

    public init(layout: Layout, x: [Double], j: [Double]) {
        self.layout = layout; self.x = x; self.j = j
    }

    /// Reads `path`.
    /// - Throws: `InputError` naming the file, the field and the value for a missing file, a non-numeric field, a
    ///   negative or non-finite j, an x outside its histogram shell, or point abscissae that do not start at 0
    ///   and increase.
    public init(path: String, layout: Layout) throws {
        var xs: [Double] = [], js: [Double] = []
        for (n, row) in try ReferenceCSV.rows(path).enumerated() {
            let x = try ReferenceCSV.number(row, "x", source: path)
            let j = try ReferenceCSV.number(row, "j", source: path)
            guard j.isFinite, j >= 0 else {
                throw InputError(source: path, field: "j", value: row["j"] ?? "", reason: "must be finite and ≥ 0 (row \(n + 1))")
            }
            switch layout {
            case .histogram(let w):
                guard x >= Double(n) * w, x <= Double(n + 1) * w else {
                    throw InputError(source: path, field: "x", value: row["x"] ?? "",
                                     reason: "row \(n + 1) must lie in its shell [\(Double(n) * w), \(Double(n + 1) * w)]")
                }
            case .points:
                guard x.isFinite, n == 0 ? x == 0 : x > xs[n - 1] else {
                    throw InputError(source: path, field: "x", value: row["x"] ?? "",
                                     reason: n == 0 ? "first point must be x = 0" : "x must increase (row \(n + 1))")
                }
            }
            xs.append(x); js.append(j)
        }
        guard xs.count >= 2 else { throw InputError(source: path, field: "x", value: "\(xs.count) rows", reason: "need ≥ 2 rows") }
        self.init(layout: layout, x: xs, j: js)
    }

    /// F(x) = ∫₀ˣ j dx′: the fraction of E₀ deposited inside the sphere of radius x·r₀.
    public func cumulative(at upper: Double) -> Double {
        var sum = 0.0
        switch layout {
        case .histogram(let w):
            for (n, v) in j.enumerated() {
                let lo = Double(n) * w, hi = lo + w
                sum += v * max(0, min(upper, hi) - lo)
            }
        case .points:
            for n in 1..<x.count where x[n - 1] < upper {
                let hi = min(upper, x[n])
                let jHi = j[n - 1] + (j[n] - j[n - 1]) * (hi - x[n - 1]) / (x[n] - x[n - 1])
                sum += 0.5 * (j[n - 1] + jHi) * (hi - x[n - 1])
            }
        }
        return sum
    }

    /// ∫ j dx over the whole table (1 − the fraction of E₀ that escapes as bremsstrahlung, up to rounding).
    public var total: Double { cumulative(at: .infinity) }

    /// The tabulated x of the largest j (the first one on ties).
    public var peakX: Double {
        var best = 0
        for n in j.indices where j[n] > j[best] { best = n }
        return x[best]
    }
}
