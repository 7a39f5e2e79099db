import RPTCore

/// Whether a short series' own points bound its terminal clearance from the slow side — the profile-likelihood check
/// of practical identifiability (Raue A, Kreutz C, Maiwald T, Bachmann J, Schilling M, Klingmüller U, Timmer J,
/// "Structural and practical identifiability analysis of partially observed dynamical models by exploiting the
/// profile likelihood", Bioinformatics 25(15):1923–1929, 2009) at the physical-decay bound: the uptake model
/// A₀(e^{−λ₁t} − e^{−λ₂t}) is fitted without priors, then again with λ₁ held at λ_phys (no biological clearance,
/// A₀ and λ₂ re-optimised). When χ² rises by no more than 3.84 (χ²₁, 95 %) the 95 % profile interval of T_eff reaches
/// the bound: the points cannot tell this clearance from none, and T_eff rests on the population prior
/// (docs/methods/kinetics.md, "Why the tumours are −8 %").
public struct ClearanceIdentifiability: Sendable, Equatable {
    /// χ²(λ₁ = λ_phys) − χ²_min of the uptake model without priors (≥ 0).
    public var deltaChiSquareAtPhysicalDecay: Double
    /// The 95 % quantile of χ² with one degree of freedom.
    public static let threshold = 3.841_458_820_694_124
    /// The points alone exclude "no biological clearance" at 95 %.
    public var determinedByData: Bool { deltaChiSquareAtPhysicalDecay > Self.threshold }
}

extension TimeActivityFitter {
    /// The profile check of `ClearanceIdentifiability` for `points` (≥ 3), with each point's stated uncertainty.
    /// nil when the physical-decay constraint is off (there is no bound to test) or the fit without priors fails.
    public func clearanceIdentifiability(_ points: [TimeActivityPoint]) throws -> ClearanceIdentifiability? {
        try validatePhysicalDecayConstant(physicalDecayConstantPerSecond, source: source)
        guard options.ratesAtLeastPhysicalDecay else { return nil }
        let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: 3,
                                        minimumReason: "the clearance identifiability check needs at least 3 time points")
        let free = fit(.biExponentialUptake, series: series)
        let atBound = Self.chiSquareWithClearanceHeld(physicalDecayConstantPerSecond, series: series)
        let minimum = min(free.chiSquare.isFinite ? free.chiSquare : .infinity, atBound)
        guard minimum.isFinite else { return nil }
        return ClearanceIdentifiability(deltaChiSquareAtPhysicalDecay: max(0, atBound - minimum))
    }

    /// min over A₀ ≥ 0 and λ₂ of χ² for A₀(e^{−λ₁t} − e^{−λ₂t}) with λ₁ fixed (1/s): A₀ in closed form (weighted LS),
    /// λ₂ by a scan of 400 log-spaced values from 1.001 λ₁ to 10⁴ λ₁, refined by golden section around the best, and
    /// the λ₂ → ∞ limit (A₀e^{−λ₁t}).
    static func chiSquareWithClearanceHeld(_ lambda1: Double, series: PreparedSeries) -> Double {
        let n = series.count
        func chiSquare(_ shape: (Double) -> Double) -> Double {
            var sff = 0.0, sfy = 0.0, syy = 0.0
            for i in 0..<n {
                let w = 1 / (series.sigmasBq[i] * series.sigmasBq[i]), f = shape(series.timesSeconds[i]), y = series.activitiesBq[i]
                sff += w * f * f; sfy += w * f * y; syy += w * y * y
            }
            guard sff > 0 else { return .infinity }
            return sfy > 0 ? max(0, syy - sfy * sfy / sff) : syy  // A₀ ≥ 0: at best 0 when the shape anti-correlates
        }
        func uptake(_ logLambda2: Double) -> Double {
            let l2 = _exp(logLambda2)
            return chiSquare { t in _exp(-lambda1 * t) - _exp(-l2 * t) }
        }
        let lo = _log(lambda1 * 1.001), hi = _log(lambda1 * 1e4), steps = 400
        var best = chiSquare { t in _exp(-lambda1 * t) }, bestIndex = -1
        for i in 0...steps {
            let c = uptake(lo + (hi - lo) * Double(i) / Double(steps))
            if c < best { best = c; bestIndex = i }
        }
        guard bestIndex >= 0 else { return best }
        // Golden-section refinement on the bracketing interval.
        let h = (hi - lo) / Double(steps)
        var a = lo + h * Double(max(0, bestIndex - 1)), b = lo + h * Double(min(steps, bestIndex + 1))
        let g = 0.618_033_988_749_894_8
        var c = b - g * (b - a), d = a + g * (b - a)
        var fc = uptake(c), fd = uptake(d)
        for _ in 0..<60 {
            if fc < fd { b = d; d = c; fd = fc; c = b - g * (b - a); fc = uptake(c) } else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = uptake(d) }
        }
        return min(best, fc, fd)
    }
}
