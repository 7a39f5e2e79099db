import Foundation

/// Standard normal distribution helpers.
public enum StandardNormal {
    /// Φ(x) = ½·erfc(−x/√2), via the C library's erfc.
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Upper tail 1 − Φ(x) = ½·erfc(x/√2), accurate also far in the tail.
    public static func upperTail(_ x: Double) -> Double { 0.5 * erfc(x / 2.0.squareRoot()) }

    /// Upper quantile z with Φ(z) = 1 − p (p in (0, 1)), e.g. z(0.05) = 1.6449.
    /// Found by bisection on Φ to full double precision: slower than a rational approximation but
    /// simple, deterministic and exact to ~1e-15, and it is called once per plan.
    public static func upperQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "probability must be in (0, 1)")
        var lo = -40.0, hi = 40.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if upperTail(mid) > p { lo = mid } else { hi = mid }
            if hi - lo < 1e-15 { break }
        }
        return 0.5 * (lo + hi)
    }
}
