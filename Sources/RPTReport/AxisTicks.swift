import Foundation

/// Scale of a chart axis.
public enum AxisScale: String, Sendable {
    case linear, logarithmic
}

/// An axis range with "nice" tick values (1, 2 or 5 × 10ⁿ steps) and their labels.
///
/// Linear ticks follow P. S. Heckbert, "Nice numbers for graph labels", Graphics Gems (1990),
/// pp. 61–63 (loose labelling: the range is widened to whole steps, so it covers the data).
/// Logarithmic ticks are the powers of ten that enclose the data, with 2× and 5× ticks when the
/// data span less than a factor of 100.
public struct AxisTicks: Equatable, Sendable {
    public var scale: AxisScale
    /// Lower end of the axis (data units).
    public var lower: Double
    /// Upper end of the axis (data units).
    public var upper: Double
    /// Tick positions (data units), ascending, from `lower` to `upper`.
    public var values: [Double]
    /// The printed label of each tick.
    public var labels: [String]

    /// Nice linear ticks for data spanning `minimum…maximum`, aiming at about `targetCount` ticks.
    public static func linear(minimum: Double, maximum: Double, targetCount: Int = 6) -> AxisTicks {
        precondition(minimum.isFinite && maximum.isFinite && minimum <= maximum, "axis range must be finite")
        var lo = minimum, hi = maximum
        if hi - lo <= abs(hi) * 1e-12 {  // degenerate range: open it up around the value
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        let range = niceNumber(hi - lo, round: false)
        let step = niceNumber(range / Double(max(2, targetCount) - 1), round: true)
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let count = Int(last - first) + 1
        let values = (0..<count).map { n in roundTo((first + Double(n)) * step, decimals: decimals) }
        let format = NumberFormat.fixed(decimals)
        return AxisTicks(scale: .linear, lower: values[0], upper: values[count - 1], values: values,
                         labels: values.map { format.string($0) })
    }

    /// Logarithmic ticks covering `minimum…maximum` (both > 0).
    public static func logarithmic(minimum: Double, maximum: Double) -> AxisTicks {
        precondition(minimum > 0 && maximum >= minimum && maximum.isFinite, "log axis needs 0 < minimum ≤ maximum")
        let e0 = Int(floor(log10(minimum) + 1e-12))
        var e1 = Int(ceil(log10(maximum) - 1e-12))
        if e1 == e0 { e1 += 1 }
        var values = [Double]()
        let fine = maximum / minimum < 100
        for e in e0...e1 {
            let decade = pow(10, Double(e))
            values.append(decade)
            if fine && e < e1 { values += [2 * decade, 5 * decade] }
        }
        let labels = values.map { v -> String in
            let e = Int(floor(log10(v) + 1e-9))
            return NumberFormat.fixed(max(0, -e)).string(v)
        }
        return AxisTicks(scale: .logarithmic, lower: values.first!, upper: values.last!, values: values, labels: labels)
    }

    /// Position of `x` along the axis as a fraction (0 at `lower`, 1 at `upper`); may fall outside 0…1.
    public func fraction(_ x: Double) -> Double {
        switch scale {
        case .linear: (x - lower) / (upper - lower)
        case .logarithmic: (log10(x) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// Heckbert's nice number: 1, 2, 5 or 10 × 10ⁿ near `x` (rounded, or the next one up).
    static func niceNumber(_ x: Double, round: Bool) -> Double {
        let exponent = floor(log10(x))
        let f = x / pow(10, exponent)
        let nice: Double
        if round {
            nice = f < 1.5 ? 1 : (f < 3 ? 2 : (f < 7 ? 5 : 10))
        } else {
            nice = f <= 1 ? 1 : (f <= 2 ? 2 : (f <= 5 ? 5 : 10))
        }
        return nice * pow(10, exponent)
    }

    private static func roundTo(_ x: Double, decimals: Int) -> Double {
        let s = String(format: "%.\(decimals)f", x)
        return Double(s) ?? x
    }
}
