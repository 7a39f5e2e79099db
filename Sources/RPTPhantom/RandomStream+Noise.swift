import RPTCore

extension RandomStream {
    /// Two independent standard normal numbers (Box–Muller transform; Box & Muller, Ann Math Stat 29:610, 1958).
    @inlinable
    public mutating func standardNormalPair() -> (Double, Double) {
        let r = (-2 * _log(uniform())).squareRoot()
        let phi = 2 * Double.pi * uniform()
        return (r * _cos(phi), r * _sin(phi))
    }

    /// A Poisson-distributed count with the given mean (≥ 0).
    ///
    /// Mean < 30: Knuth's multiplication method (exact; Knuth, TAOCP vol. 2, 3.4.1). Mean ≥ 30: the normal
    /// approximation N(μ, μ) rounded to the nearest integer and clamped at 0 (relative error of the
    /// variance < 1/μ; skewness 1/√μ < 0.19 is neglected).
    @inlinable
    public mutating func poisson(mean: Double) -> Double {
        if mean <= 0 { return 0 }
        if mean < 30 {
            let limit = _exp(-mean)
            var product = uniform()
            var k = 0.0
            while product > limit { product *= uniform(); k += 1 }
            return k
        }
        let z = standardNormalPair().0
        return max(0, (mean + mean.squareRoot() * z).rounded())
    }
}
