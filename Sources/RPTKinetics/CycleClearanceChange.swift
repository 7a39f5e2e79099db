import RPTCore

/// Method (e), `ReducedTimePointMethod.cycleOneShapeWithClearanceChange`: a later cycle imaged at few points
/// keeps the cycle-1 curve's uptake phase and fast phases, and refits its amplitude (scale s) and its terminal rate
/// (λ₁ → λ₁·e^Δ). docs/methods/kinetics.md, "Reduced time points", (e).
extension TimeActivityFitter {
    /// The cycle-1 shape with its slowest rate multiplied by e^Δ; nil when that rate would no longer be the slowest.
    static func shape(_ curve: ExponentialCurve, logChange delta: Double) -> ExponentialCurve? {
        var rates = curve.ratesPerSecond
        let i = curve.slowestRateIndex
        rates[i] *= _exp(delta)
        for (j, r) in rates.enumerated() where j != i && rates[i] >= r { return nil }
        return ExponentialCurve(model: curve.model, amplitudesBq: curve.amplitudesBq, ratesPerSecond: rates)
    }

    struct ClearanceChangeSolution {
        var scale: Double
        var logChange: Double
        var chiSquare: Double
        /// Δ ended on a bound (λ₁ at λ_phys, or at the next rate).
        var atBound: Bool
        var curve: ExponentialCurve
    }

    /// Minimises χ²(s, Δ) = Σ wᵢ(yᵢ − s·fᵢ(Δ))²; s is linear (s(Δ) = Σwfy/Σwf²), Δ by a grid scan of the profile
    /// χ²(Δ) on its admissible range (within ±5) followed by golden-section refinement.
    func solveClearanceChange(_ series: PreparedSeries, shape: ExponentialCurve) -> ClearanceChangeSolution? {
        let lambda1 = shape.slowestRatePerSecond
        let floor = rateFloorPerSecond
        var low = -5.0, high = 5.0
        if floor > 0 { low = max(low, floor >= lambda1 ? 0 : _log(floor / lambda1)) }
        if let next = shape.ratesPerSecond.filter({ $0 > lambda1 }).min() { high = min(high, _log(next / lambda1) - 1e-9) }
        guard high > low else { return nil }
        func profile(_ d: Double) -> (chi2: Double, s: Double, curve: ExponentialCurve)? {
            guard let c = Self.shape(shape, logChange: d) else { return nil }
            var num = 0.0, den = 0.0
            var f = [Double](repeating: 0, count: series.count)
            for i in 0..<series.count {
                f[i] = c.activityBq(atSeconds: series.timesSeconds[i])
                let w = 1 / (series.sigmasBq[i] * series.sigmasBq[i])
                num += w * f[i] * series.activitiesBq[i]; den += w * f[i] * f[i]
            }
            guard den > 0 else { return nil }
            let s = num / den
            var chi2 = 0.0
            for i in 0..<series.count { let r = (series.activitiesBq[i] - s * f[i]) / series.sigmasBq[i]; chi2 += r * r }
            return chi2.isFinite && s > 0 ? (chi2, s, c) : nil
        }
        let steps = 100
        var best: (d: Double, chi2: Double)?
        for j in 0...steps {
            let d = low + (high - low) * Double(j) / Double(steps)
            if let p = profile(d), best == nil || p.chi2 < best!.chi2 { best = (d, p.chi2) }
        }
        guard let start = best else { return nil }
        let cell = (high - low) / Double(steps)
        var a = max(low, start.d - cell), b = min(high, start.d + cell)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<100 {
            let x1 = b - ratio * (b - a), x2 = a + ratio * (b - a)
            let f1 = profile(x1)?.chi2 ?? .infinity, f2 = profile(x2)?.chi2 ?? .infinity
            if f1 < f2 { b = x2 } else { a = x1 }
        }
        var d = (a + b) / 2
        if (profile(d)?.chi2 ?? .infinity) > start.chi2 { d = start.d }
        guard let p = profile(d) else { return nil }
        let atBound = d - low < 1e-6 || high - d < 1e-6
        return ClearanceChangeSolution(scale: p.s, logChange: d, chiSquare: p.chi2, atBound: atBound, curve: p.curve.scaled(by: p.s))
    }

    /// Ã = s·Ã₁(Δ). Data covariance of (s, Δ): c·(JᵀWJ)⁻¹ (c per `CovarianceScaling`, n − 2 degrees of freedom;
    /// Δ held fixed when it sits on a bound); the cycle-1 shape covariance C₁ is propagated by central differences
    /// of the whole refit with respect to the cycle-1 parameters: σ² = gᵀC_data g + hᵀC₁h.
    func clearanceChanged(_ series: PreparedSeries, cycleOne: TimeActivityFit) -> ReducedTimePointEstimate {
        let method = ReducedTimePointMethod.cycleOneShapeWithClearanceChange(cycleOneFit: cycleOne)
        let shape = cycleOne.curve
        guard let sol = solveClearanceChange(series, shape: shape) else {
            let nan = ExponentialCurve(model: shape.model, amplitudesBq: shape.amplitudesBq.map { _ in .nan },
                                       ratesPerSecond: shape.ratesPerSecond.map { _ in .nan })
            return ReducedTimePointEstimate(method: method, timeIntegratedActivity: TimeIntegratedActivity(valueBqS: .nan, standardUncertaintyBqS: .nan),
                                            curve: nan, amplitudeScale: .nan, amplitudeScaleStandardUncertainty: .nan,
                                            rateSetToPhysicalDecay: false)
        }
        let n = series.count, m = shape.model.amplitudeCount, k = shape.model.parameterCount
        let unscaled = sol.curve.scaled(by: 1 / sol.scale)
        let slow = m + unscaled.slowestRateIndex
        let lambda = unscaled.slowestRatePerSecond
        // Data part.
        var normal = [Double](repeating: 0, count: 4)
        var gradient = [Double](repeating: 0, count: k)
        for i in 0..<n {
            let t = series.timesSeconds[i]
            unscaled.activityGradient(atSeconds: t, into: &gradient)
            let js = unscaled.activityBq(atSeconds: t), jd = sol.atBound ? 0 : sol.scale * gradient[slow] * lambda
            let w = 1 / (series.sigmasBq[i] * series.sigmasBq[i])
            normal[0] += w * js * js; normal[1] += w * js * jd; normal[3] += w * jd * jd
        }
        normal[2] = normal[1]
        let c = options.covarianceScaleFactor(chiSquare: sol.chiSquare, degreesOfFreedom: n - (sol.atBound ? 1 : 2))
        var dataCov: [Double]
        if sol.atBound {
            dataCov = [c / normal[0], 0, 0, 0]
        } else {
            dataCov = SmallLinearAlgebra.inverseSPD(normal, n: 2)?.map { $0 * c } ?? [Double](repeating: .nan, count: 4)
        }
        let shapeTia = unscaled.timeIntegratedActivityBqS
        let tiaGradient = [shapeTia, sol.scale * unscaled.timeIntegratedActivityGradient[slow] * lambda]
        var variance = SmallLinearAlgebra.quadraticForm(dataCov, n: 2, tiaGradient)
        var deltaVariance = dataCov[3]
        // Cycle-1 shape part, by central differences of the refit.
        if cycleOne.hasCovariance {
            var h = [Double](repeating: 0, count: k), hDelta = [Double](repeating: 0, count: k)
            let p = shape.parameters
            for j in 0..<k {
                let step = 1e-5 * abs(p[j])
                var plus = p, minus = p
                plus[j] += step; minus[j] -= step
                func refit(_ q: [Double]) -> ClearanceChangeSolution? {
                    let curve = ExponentialCurve(model: shape.model, amplitudesBq: Array(q[0..<m]), ratesPerSecond: Array(q[m...]))
                    return solveClearanceChange(series, shape: curve)
                }
                guard let a = refit(plus), let b = refit(minus) else { variance = .nan; break }
                h[j] = (a.curve.timeIntegratedActivityBqS - b.curve.timeIntegratedActivityBqS) / (2 * step)
                hDelta[j] = (a.logChange - b.logChange) / (2 * step)
            }
            variance += SmallLinearAlgebra.quadraticForm(cycleOne.parameterCovariance, n: k, h)
            deltaVariance += SmallLinearAlgebra.quadraticForm(cycleOne.parameterCovariance, n: k, hDelta)
        } else {
            variance = .nan
        }
        var estimate = ReducedTimePointEstimate(method: method,
                                                timeIntegratedActivity: TimeIntegratedActivity(valueBqS: sol.curve.timeIntegratedActivityBqS,
                                                                                               standardUncertaintyBqS: variance.squareRoot()),
                                                curve: sol.curve, amplitudeScale: sol.scale,
                                                amplitudeScaleStandardUncertainty: dataCov[0].squareRoot(),
                                                rateSetToPhysicalDecay: sol.atBound && sol.logChange <= 0 && rateFloorPerSecond > 0)
        estimate.clearanceLogChange = sol.logChange
        estimate.clearanceLogChangeUncertainty = deltaVariance.squareRoot()
        return estimate
    }
}
