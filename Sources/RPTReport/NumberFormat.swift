import Foundation

/// How a number is printed in tables and on axes.
public enum NumberFormat: Equatable, Sendable {
    /// A fixed number of decimals, e.g. `.fixed(2)` → "3.14".
    case fixed(Int)
    /// A number of significant digits, without exponent for 1e-4 ≤ |x| < 1e6, e.g. `.significant(3)` → "0.00123".
    case significant(Int)
    /// Scientific notation with this many decimals, e.g. `.scientific(2)` → "1.23e+04".
    case scientific(Int)

    /// The printed number; "—" for NaN, "∞"/"−∞" for infinities, never "-0".
    public func string(_ x: Double) -> String {
        if x.isNaN { return "—" }
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        let text: String
        switch self {
        case .fixed(let d):
            text = String(format: "%.\(max(0, d))f", x)
        case .significant(let digits):
            let p = max(1, digits)
            if x == 0 {
                text = "0"
            } else if abs(x) >= 1e-4 && abs(x) < 1e6 {
                // The exponent after rounding to p digits (9.99 → 1.0e+01 at p = 2) fixes the decimals.
                let mantissaForm = String(format: "%.\(p - 1)e", x)
                let exponent = Int(mantissaForm.split(separator: "e").last ?? "0") ?? 0
                text = String(format: "%.\(max(0, p - 1 - exponent))f", x)
            } else {
                text = String(format: "%.\(p - 1)e", x)
            }
        case .scientific(let d):
            text = String(format: "%.\(max(0, d))e", x)
        }
        return Self.withoutNegativeZero(text)
    }

    /// "-0", "-0.00" etc. become "0", "0.00".
    static func withoutNegativeZero(_ s: String) -> String {
        guard s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) else { return s }
        return String(s.dropFirst())
    }
}
