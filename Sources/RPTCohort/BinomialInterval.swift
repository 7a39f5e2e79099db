import Foundation

/// A proportion x/n with its confidence interval.
public struct ProportionEstimate: Equatable, Sendable {
    public var count: Int
    public var total: Int
    public var estimate: Double
    public var lower: Double
    public var upper: Double
}

/// Confidence intervals for proportions.
public enum BinomialInterval {
    /// Exact (Clopper–Pearson) two-sided interval for x successes in n trials at level 1 − α
    /// (Clopper & Pearson, Biometrika 26:404, 1934): lower = B⁻¹(α/2; x, n − x + 1) (0 when x = 0),
    /// upper = B⁻¹(1 − α/2; x + 1, n − x) (1 when x = n). Same as statsmodels `proportion_confint(method="beta")`.
    public static func clopperPearson(_ x: Int, _ n: Int, alpha: Double = 0.05) -> ProportionEstimate {
        precondition(n > 0 && x >= 0 && x <= n)
        let lower = x == 0 ? 0 : SpecialFunctions.betaQuantile(alpha / 2, a: Double(x), b: Double(n - x + 1))
        let upper = x == n ? 1 : SpecialFunctions.betaQuantile(1 - alpha / 2, a: Double(x + 1), b: Double(n - x))
        return ProportionEstimate(count: x, total: n, estimate: Double(x) / Double(n), lower: lower, upper: upper)
    }

    /// Wilson score interval without continuity correction (Wilson, JASA 22:209, 1927).
    public static func wilson(_ x: Int, _ n: Int, alpha: Double = 0.05) -> (lower: Double, upper: Double) {
        let z = SpecialFunctions.normalUpperQuantile(alpha / 2), nn = Double(n), p = Double(x) / nn
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
        return (max(0, centre - half), min(1, centre + half))
    }

    /// Difference p₁ − p₂ of two independent proportions with Newcombe's hybrid score interval (method 10,
    /// Newcombe, Stat Med 17:873, 1998), built from the two Wilson intervals; as statsmodels
    /// `confint_proportions_2indep(method="newcomb", compare="diff")`.
    public static func differenceNewcombe(_ x1: Int, _ n1: Int, _ x2: Int, _ n2: Int, alpha: Double = 0.05)
        -> (difference: Double, lower: Double, upper: Double) {
        let p1 = Double(x1) / Double(n1), p2 = Double(x2) / Double(n2)
        let (l1, u1) = wilson(x1, n1, alpha: alpha), (l2, u2) = wilson(x2, n2, alpha: alpha)
        let d = p1 - p2
        let lower = d - ((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)).squareRoot()
        let upper = d + ((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)).squareRoot()
        return (d, lower, upper)
    }
}
