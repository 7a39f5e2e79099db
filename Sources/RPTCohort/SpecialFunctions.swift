import Foundation

/// Special functions for the cohort statistics (no maintained Swift statistics library is available; each is
/// checked against scipy in `StatisticsCrossCheckTests`).
public enum SpecialFunctions {
    /// Regularized incomplete beta function I_x(a, b), by the continued fraction of Numerical Recipes
    /// (Press et al., 3rd ed., section 6.4, modified Lentz's method), with the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) for x > (a + 1)/(a + b + 2). Accurate to ~1e-14 relative.
    public static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "shape parameters must be positive")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(lnFront) * continuedFraction(x, a, b) / a
        }
        return 1 - exp(lnFront) * continuedFraction(1 - x, b, a) / b
    }

    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300, eps = 1e-16
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < eps { break }
        }
        return h
    }

    /// The p-quantile of the Beta(a, b) distribution: the x with I_x(a, b) = p, by bisection to 1e-15.
    public static func betaQuantile(_ p: Double, a: Double, b: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        var lo = 0.0, hi = 1.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if regularizedIncompleteBeta(mid, a: a, b: b) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-15 { break }
        }
        return 0.5 * (lo + hi)
    }

    /// Standard normal upper-tail quantile z with P(Z > z) = p (Acklam's rational approximation refined by
    /// two Halley steps on erfc; checked against scipy to 1e-12).
    public static func normalUpperQuantile(_ p: Double) -> Double {
        let q = 1 - p  // lower-tail probability
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        let low = min(q, 1 - q)
        if low < 0.02425 {
            let r = (-2 * log(low)).squareRoot()
            x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1)
            if q > 0.5 { x = -x }
        } else {
            let r = q - 0.5, s = r * r
            x = (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r
                / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1)
        }
        // Two Halley refinements on the CDF Φ(x) = erfc(−x/√2)/2 (in the upper tail on erfc(x/√2)/2 = p).
        for _ in 0..<2 {
            let e = x > 0 ? p - 0.5 * erfc(x / 2.0.squareRoot()) : 0.5 * erfc(-x / 2.0.squareRoot()) - q
            let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
            x -= u / (1 + x * u / 2)
        }
        return x
    }

    /// P(χ²₁ > x): the survival function of the chi-square distribution with one degree of freedom.
    public static func chiSquare1Survival(_ x: Double) -> Double { x <= 0 ? 1 : erfc((x / 2).squareRoot()) }
}

extension SpecialFunctions {
    /// P(T ≤ t) of Student's t distribution with ν degrees of freedom: 1 − I_{ν/(ν+t²)}(ν/2, 1/2)/2 for t ≥ 0.
    public static func studentTCDF(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let tail = 0.5 * regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The upper-tail quantile t with P(T > t) = p (bisection on the CDF to 1e-12).
    public static func studentTUpperQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        var lo = -1e3, hi = 1e3
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if 1 - studentTCDF(mid, degreesOfFreedom: nu) > p { lo = mid } else { hi = mid }
            if hi - lo < 1e-13 { break }
        }
        return 0.5 * (lo + hi)
    }
}
