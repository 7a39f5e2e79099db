import RPTCore

/// One Gaussian prior on ln λ_b (rate index b of the model, λ in 1/s).
struct RatePriorTerm {
    var rateIndex: Int
    var meanLogRate: Double
    var logStandardDeviation: Double
}

extension TimeActivityFitter {
    /// Maximum a-posteriori fit of `model` (`.monoExponential` or `.biExponentialUptake`) with a population prior:
    /// minimises χ² + Σ_b ((ln λ_b − μ_b)/σ_b)² over the prior's rates (clearance on λ₁; uptake on λ₂ of the uptake
    /// model). The posterior covariance is (H_d/c + H_p)⁻¹ in the natural parameters, H_d = J_pᵀWJ_p the data
    /// information, c the covariance scale of `options` computed with n + (number of prior terms) − k degrees of
    /// freedom, H_p = diag(1/(σ_b λ_b)²) at the rates. `priorInfluence` gives the fraction of the information on Ã
    /// (and on each rate) that the prior supplied. Needs n ≥ 2 and n + (prior terms) ≥ k.
    public func fitWithPrior(_ model: ExponentialModel, to points: [TimeActivityPoint],
                             prior: KineticPrior) throws -> TimeActivityFit {
        try validatePhysicalDecayConstant(physicalDecayConstantPerSecond, source: source)
        guard model == .monoExponential || model == .biExponentialUptake else {
            throw InputError(source: source, field: "model", value: model.rawValue,
                             reason: "a prior fit is defined for monoExponential and biExponentialUptake only")
        }
        let terms = Self.priorTerms(model, prior: prior)
        let k = model.parameterCount
        let needed = max(2, k - terms.count)
        let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: needed,
                                        minimumReason: "a prior fit of \(model.rawValue) with \(terms.count) prior term(s) "
                                            + "needs at least \(needed) time points")
        var fit = fit(model, series: series, priorTerms: terms)
        if fit.priorInfluence != nil { fit.priorInfluence!.prior = prior }
        return fit
    }

    static func priorTerms(_ model: ExponentialModel, prior: KineticPrior) -> [RatePriorTerm] {
        var terms: [RatePriorTerm] = []
        if let c = prior.clearance {
            terms.append(RatePriorTerm(rateIndex: 0, meanLogRate: c.meanLogRatePerSecond, logStandardDeviation: c.logStandardDeviation))
        }
        if model == .biExponentialUptake, let u = prior.uptake {
            terms.append(RatePriorTerm(rateIndex: 1, meanLogRate: u.meanLogRatePerSecond, logStandardDeviation: u.logStandardDeviation))
        }
        return terms
    }

    /// A start at the prior medians (rates without a prior from the usual tail estimate), amplitudes by linear LS.
    func priorStartingPoint(_ model: ExponentialModel, series: PreparedSeries, parametrisation: ModelParametrisation,
                            priorTerms: [RatePriorTerm]) -> [Double]? {
        guard !priorTerms.isEmpty else { return nil }
        var rates = [Double](repeating: .nan, count: model.rateCount)
        for t in priorTerms { rates[t.rateIndex] = _exp(t.meanLogRate) }
        let floor = parametrisation.rateFloorPerSecond
        if rates[0].isNaN || rates[0] <= floor { rates[0] = max(floor * 1.1, rates[0].isNaN ? floor * 2 : rates[0]) }
        if model.rateCount > 1 && (rates[1].isNaN || rates[1] <= rates[0]) { rates[1] = rates[0] * 30 }
        guard let amplitudes = linearAmplitudes(model, rates: rates, series: series) else { return nil }
        return parametrisation.theta(amplitudesBq: amplitudes, ratesPerSecond: rates)
    }

    /// Posterior covariance, Ã uncertainty and prior influence at the MAP curve.
    func posteriorFit(curve: ExponentialCurve, dataNormal: [Double], series: PreparedSeries, priorTerms: [RatePriorTerm],
                      converged: Bool, atBound: Bool) -> TimeActivityFit {
        let model = curve.model, k = model.parameterCount, m = model.amplitudeCount, n = series.count
        var chi2 = 0.0
        for i in 0..<n {
            let r = (series.activitiesBq[i] - curve.activityBq(atSeconds: series.timesSeconds[i])) / series.sigmasBq[i]
            chi2 += r * r
        }
        let scale = options.covarianceScaleFactor(chiSquare: chi2, degreesOfFreedom: n + priorTerms.count - k)
        let data = dataNormal.map { $0 / scale }
        var posterior = data
        var priorOnly = [Double](repeating: 0, count: k * k)
        for t in priorTerms {
            let lambda = curve.ratesPerSecond[t.rateIndex]
            let h = 1 / (t.logStandardDeviation * lambda * t.logStandardDeviation * lambda)
            let index = (m + t.rateIndex) * k + (m + t.rateIndex)
            posterior[index] += h
            priorOnly[index] += h
        }
        var covariance = SmallLinearAlgebra.inverseSPD(posterior, n: k) ?? []
        if covariance.contains(where: { !$0.isFinite }) { covariance = [] }
        let dataCovariance = SmallLinearAlgebra.inverseSPD(data, n: k)
        let g = curve.timeIntegratedActivityGradient
        func fraction(_ gradient: [Double]) -> Double {
            guard !covariance.isEmpty else { return .nan }
            let post = SmallLinearAlgebra.quadraticForm(covariance, n: k, gradient)
            guard let dc = dataCovariance else { return 1 }
            let dataOnly = SmallLinearAlgebra.quadraticForm(dc, n: k, gradient)
            guard dataOnly.isFinite, dataOnly > 0 else { return 1 }
            return min(1, max(0, 1 - post / dataOnly))
        }
        func unit(_ index: Int) -> [Double] { (0..<k).map { $0 == index ? 1 : 0 } }
        let tiaSigma = covariance.isEmpty ? Double.nan : SmallLinearAlgebra.quadraticForm(covariance, n: k, g).squareRoot()
        var fit = TimeActivityFit(curve: curve, parameterCovariance: covariance, covarianceScaleFactor: scale,
                                  chiSquare: chi2, pointCount: n, converged: converged, slowestRateAtPhysicalBound: atBound,
                                  timeIntegratedActivity: TimeIntegratedActivity(valueBqS: curve.timeIntegratedActivityBqS,
                                                                                 standardUncertaintyBqS: tiaSigma))
        fit.priorInfluence = PriorInfluence(prior: KineticPrior(name: "", clearance: nil, uptake: nil),
                                            timeIntegratedActivityPriorFraction: fraction(g),
                                            clearancePriorFraction: fraction(unit(m)),
                                            uptakePriorFraction: model.rateCount > 1 ? fraction(unit(m + 1)) : .nan)
        return fit
    }
}
