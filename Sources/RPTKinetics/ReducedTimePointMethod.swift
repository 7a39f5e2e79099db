import RPTCore

/// How Ã is estimated for a cycle imaged at few time points (NCT06395402 cycles 2–4: ~4 h and ~96 h).
public enum ReducedTimePointMethod: Sendable, Equatable {
    /// (a) Mono-exponential through the points: with two points the exact line through (t₁, ln A₁),
    /// (t₂, ln A₂); with more, the weighted log-linear fit (weights 1/rᵢ²). Ã = A₀/λ.
    case twoPointMonoExponential
    /// (b) Single time point, Hänscheid et al. 2018 (J Nucl Med 59:75): Ã ≈ A(t)·2t/ln 2, from the latest
    /// point. Equals a mono-exponential with T_eff = t; accurate when the latest scan is near T_eff.
    case hanscheidSinglePoint
    /// (c) Single time point, Madsen et al. 2018 (Med Phys 45:2318): Ã = A(t)·e^{λt}/λ with λ_eff from the
    /// cycle-1 fit (`TimeActivityFit.slowestPhase`) or a population value, from the latest point.
    case madsenSinglePoint(effectiveDecay: EffectiveDecay)
    /// (d) The cycle-1 fitted shape (all rates fixed), with only a common amplitude scale s fitted to the new
    /// points by weighted least squares: A(t) = s·A₁(t), Ã = s·Ã₁.
    case cycleOneShapeRescaled(cycleOneFit: TimeActivityFit)
    /// (e) The cycle-1 fitted shape with its terminal rate changed, λ₁ → λ₁·e^Δ, and an amplitude scale s: both
    /// fitted to the new points (exact for two). Estimates the change of the effective half-life against
    /// cycle 1 and carries its uncertainty and the cycle-1 shape's into Ã (`CycleClearanceChange.swift`).
    case cycleOneShapeWithClearanceChange(cycleOneFit: TimeActivityFit)

    /// The documented default: (d) when a cycle-1 fit exists, else (a).
    public static func recommended(cycleOneFit: TimeActivityFit?) -> ReducedTimePointMethod {
        if let cycleOneFit { return .cycleOneShapeRescaled(cycleOneFit: cycleOneFit) }
        return .twoPointMonoExponential
    }

    /// Short name for reports.
    public var name: String {
        switch self {
        case .twoPointMonoExponential: return "two-point mono-exponential"
        case .hanscheidSinglePoint: return "single-time-point (Hänscheid 2018)"
        case .madsenSinglePoint: return "single-time-point (Madsen 2018)"
        case .cycleOneShapeRescaled: return "cycle-1 shape rescaled"
        case .cycleOneShapeWithClearanceChange: return "cycle-1 shape, clearance refitted"
        }
    }
}

/// Ã of a reduced-time-point cycle.
public struct ReducedTimePointEstimate: Sendable, Equatable {
    public let method: ReducedTimePointMethod
    /// Ã with its standard uncertainty (Bq·s).
    public let timeIntegratedActivity: TimeIntegratedActivity
    /// The implied curve (mono-exponential for (a)–(c), the rescaled cycle-1 curve for (d)).
    public let curve: ExponentialCurve
    /// (d) only: the amplitude scale s and its standard uncertainty; NaN otherwise.
    public let amplitudeScale: Double
    public let amplitudeScaleStandardUncertainty: Double
    /// (a) only: the fitted rate was slower than λ_phys and was set to λ_phys (rate constraint on).
    public let rateSetToPhysicalDecay: Bool
    /// (e) only: Δ = ln(λ₁,N/λ₁,1), the log change of the terminal rate against cycle 1, and its standard
    /// uncertainty (data and cycle-1 shape); NaN otherwise. The half-life changes by e^{−Δ} − 1.
    public var clearanceLogChange: Double = .nan
    public var clearanceLogChangeUncertainty: Double = .nan
}

extension TimeActivityFitter {
    /// Ã of a cycle with few time points by `method`. Point uncertainties (or the default relative
    /// uncertainty) are propagated to first order; see docs/methods/kinetics.md.
    public func reducedTimePointEstimate(_ points: [TimeActivityPoint],
                                         method: ReducedTimePointMethod) throws -> ReducedTimePointEstimate {
        try validatePhysicalDecayConstant(physicalDecayConstantPerSecond, source: source)
        switch method {
        case .twoPointMonoExponential:
            let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: 2,
                                            minimumReason: "the two-point mono-exponential method needs ≥ 2 points")
            return try twoPoint(series)
        case .hanscheidSinglePoint:
            let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: 1,
                                            minimumReason: "a single-time-point method needs ≥ 1 point")
            let last = series.count - 1, t = series.timesSeconds[last]
            let lambda = 0.693_147_180_559_945_3 / t
            return singlePoint(series, index: last, decay: EffectiveDecay(decayConstantPerSecond: lambda,
                                                                          standardUncertaintyPerSecond: 0),
                               method: method)
        case .madsenSinglePoint(let decay):
            let lambda = decay.decayConstantPerSecond, sigma = decay.standardUncertaintyPerSecond
            guard lambda.isFinite, lambda > 0 else {
                throw InputError(source: source, field: "effectiveDecay.decayConstantPerSecond", value: "\(lambda)",
                                 reason: "must be a finite number > 0")
            }
            guard sigma.isFinite, sigma >= 0 else {
                throw InputError(source: source, field: "effectiveDecay.standardUncertaintyPerSecond",
                                 value: "\(sigma)", reason: "must be a finite number ≥ 0")
            }
            let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: 1,
                                            minimumReason: "a single-time-point method needs ≥ 1 point")
            return singlePoint(series, index: series.count - 1, decay: decay, method: method)
        case .cycleOneShapeRescaled(let cycleOne):
            let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: 1,
                                            minimumReason: "rescaling the cycle-1 shape needs ≥ 1 point")
            guard cycleOne.curve.parameters.allSatisfy({ $0.isFinite }) else {
                throw InputError(source: source, field: "cycleOneFit", value: cycleOne.model.rawValue,
                                 reason: "the cycle-1 fit has no finite parameters")
            }
            return rescaled(series, cycleOne: cycleOne)
        case .cycleOneShapeWithClearanceChange(let cycleOne):
            let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: 2,
                                            minimumReason: "refitting the cycle-1 clearance needs ≥ 2 points")
            guard cycleOne.curve.parameters.allSatisfy({ $0.isFinite }) else {
                throw InputError(source: source, field: "cycleOneFit", value: cycleOne.model.rawValue,
                                 reason: "the cycle-1 fit has no finite parameters")
            }
            return clearanceChanged(series, cycleOne: cycleOne)
        }
    }

    private func twoPoint(_ series: PreparedSeries) throws -> ReducedTimePointEstimate {
        let n = series.count
        var sw = 0.0, st = 0.0, stt = 0.0, sy = 0.0, sty = 0.0
        var w = [Double](), y = [Double]()
        for i in 0..<n {
            let wi = 1 / (series.relativeUncertainties[i] * series.relativeUncertainties[i])
            let yi = _log(series.activitiesBq[i]), ti = series.timesSeconds[i]
            w.append(wi); y.append(yi)
            sw += wi; st += wi * ti; stt += wi * ti * ti; sy += wi * yi; sty += wi * ti * yi
        }
        let det = sw * stt - st * st
        var slope = (sw * sty - st * sy) / det
        var intercept = (stt * sy - st * sty) / det
        var varA = stt / det, varB = sw / det, covAB = -st / det
        var lambda = -slope
        var atFloor = false
        if options.ratesAtLeastPhysicalDecay && lambda < physicalDecayConstantPerSecond {
            lambda = physicalDecayConstantPerSecond
            slope = -lambda
            var s = 0.0
            for i in 0..<n { s += w[i] * (y[i] + lambda * series.timesSeconds[i]) }
            intercept = s / sw
            varA = 1 / sw; varB = 0; covAB = 0
            atFloor = true
        } else if !(lambda > 0) {
            throw InputError(source: source, field: "timePoints", value: "\(n) point(s)",
                             reason: "activity does not decrease with time; a mono-exponential has no finite integral "
                                + "(enable ratesAtLeastPhysicalDecay or use another method)")
        }
        var chi2 = 0.0
        for i in 0..<n { let r = y[i] - intercept - slope * series.timesSeconds[i]; chi2 += w[i] * r * r }
        let dof = n - (atFloor ? 1 : 2)
        let c = options.covarianceScaleFactor(chiSquare: chi2, degreesOfFreedom: dof)
        // ln Ã = a − ln λ, λ = −b:  ∂/∂a = 1, ∂/∂b = 1/λ.
        let relativeVariance = c * (varA + varB / (lambda * lambda) + 2 * covAB / lambda)
        let a0 = _exp(intercept)
        let tia = a0 / lambda
        let curve = ExponentialCurve(model: .monoExponential, amplitudesBq: [a0], ratesPerSecond: [lambda])
        return ReducedTimePointEstimate(method: .twoPointMonoExponential,
                                        timeIntegratedActivity: TimeIntegratedActivity(valueBqS: tia,
                                            standardUncertaintyBqS: tia * max(0, relativeVariance).squareRoot()),
                                        curve: curve, amplitudeScale: .nan, amplitudeScaleStandardUncertainty: .nan,
                                        rateSetToPhysicalDecay: atFloor)
    }

    /// Ã = A(t)·e^{λt}/λ; σ²_rel = r² + ((t − 1/λ)σ_λ)².
    private func singlePoint(_ series: PreparedSeries, index: Int, decay: EffectiveDecay,
                             method: ReducedTimePointMethod) -> ReducedTimePointEstimate {
        let t = series.timesSeconds[index], a = series.activitiesBq[index], r = series.relativeUncertainties[index]
        let lambda = decay.decayConstantPerSecond
        let a0 = a * _exp(lambda * t)
        let tia = a0 / lambda
        let dLogTia = t - 1 / lambda
        let rel = (r * r + dLogTia * dLogTia * decay.standardUncertaintyPerSecond * decay.standardUncertaintyPerSecond)
            .squareRoot()
        return ReducedTimePointEstimate(method: method,
                                        timeIntegratedActivity: TimeIntegratedActivity(valueBqS: tia,
                                                                                       standardUncertaintyBqS: tia * rel),
                                        curve: ExponentialCurve(model: .monoExponential, amplitudesBq: [a0],
                                                                ratesPerSecond: [lambda]),
                                        amplitudeScale: .nan, amplitudeScaleStandardUncertainty: .nan,
                                        rateSetToPhysicalDecay: false)
    }

    /// s = Σwfy/Σwf², Var(s) = c/Σwf²; Ã = s·Ã₁. Var(Ã) = Ã₁²Var(s) + gᵀC₁g with
    /// g = s·∂Ã₁/∂p + Ã₁·∂s/∂p and ∂s/∂p = Σᵢ wᵢ(yᵢ − 2s fᵢ)/Σwf² · ∂fᵢ/∂p (cycle-1 parameters p, covariance C₁).
    private func rescaled(_ series: PreparedSeries, cycleOne: TimeActivityFit) -> ReducedTimePointEstimate {
        let shape = cycleOne.curve, n = series.count, k = shape.model.parameterCount
        var f = [Double](), w = [Double]()
        var d = 0.0, num = 0.0
        for i in 0..<n {
            let fi = shape.activityBq(atSeconds: series.timesSeconds[i])
            let wi = 1 / (series.sigmasBq[i] * series.sigmasBq[i])
            f.append(fi); w.append(wi)
            d += wi * fi * fi
            num += wi * fi * series.activitiesBq[i]
        }
        let s = num / d
        var chi2 = 0.0
        for i in 0..<n { let r = series.activitiesBq[i] - s * f[i]; chi2 += w[i] * r * r }
        let c = options.covarianceScaleFactor(chiSquare: chi2, degreesOfFreedom: n - 1)
        let varS = c / d
        let shapeTia = shape.timeIntegratedActivityBqS
        let tia = s * shapeTia
        var variance = shapeTia * shapeTia * varS
        if cycleOne.hasCovariance {
            var g = shape.timeIntegratedActivityGradient.map { $0 * s }
            var df = [Double](repeating: 0, count: k)
            for i in 0..<n {
                shape.activityGradient(atSeconds: series.timesSeconds[i], into: &df)
                let ds = w[i] * (series.activitiesBq[i] - 2 * s * f[i]) / d
                for p in 0..<k { g[p] += shapeTia * ds * df[p] }
            }
            variance += SmallLinearAlgebra.quadraticForm(cycleOne.parameterCovariance, n: k, g)
        } else {
            variance = .nan
        }
        return ReducedTimePointEstimate(method: .cycleOneShapeRescaled(cycleOneFit: cycleOne),
                                        timeIntegratedActivity: TimeIntegratedActivity(valueBqS: tia,
                                                                                       standardUncertaintyBqS: variance.squareRoot()),
                                        curve: shape.scaled(by: s), amplitudeScale: s,
                                        amplitudeScaleStandardUncertainty: varS.squareRoot(),
                                        rateSetToPhysicalDecay: false)
    }
}
