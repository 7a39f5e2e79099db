import RPTCore

/// The result of a weighted least-squares fit of one `ExponentialModel` to a time-activity series.
public struct TimeActivityFit: Sendable, Equatable {
    /// The fitted curve (amplitudes in Bq, rates in 1/s, λ₁ slowest).
    public let curve: ExponentialCurve
    /// Covariance of the natural parameters (`curve.parameters` order), row-major k×k, already multiplied
    /// by `covarianceScaleFactor`. Empty when JᵀWJ is singular (e.g. a rate ran to infinity).
    public let parameterCovariance: [Double]
    /// Factor applied to (JᵀWJ)⁻¹ (see `CovarianceScaling`).
    public let covarianceScaleFactor: Double
    /// Weighted residual sum of squares χ² = Σ ((yᵢ − A(tᵢ))/σᵢ)².
    public let chiSquare: Double
    /// Number of points n.
    public let pointCount: Int
    /// Whether Levenberg–Marquardt met a convergence criterion.
    public let converged: Bool
    /// True when the rate floor λ_phys is active (λ₁ within 1e-6 relative of λ_phys).
    public let slowestRateAtPhysicalBound: Bool
    /// Ã = ∫₀^∞ A(t) dt with its propagated standard uncertainty.
    public let timeIntegratedActivity: TimeIntegratedActivity
    /// For a maximum a-posteriori fit (`fitWithPrior`): the prior and how much of Ã's information it gave;
    /// nil for a plain least-squares fit. `chiSquare` is then the data part only, and the covariance the
    /// posterior one.
    public var priorInfluence: PriorInfluence? = nil

    public var model: ExponentialModel { curve.model }
    /// Number of parameters k.
    public var parameterCount: Int { curve.model.parameterCount }
    /// Degrees of freedom n − k.
    public var degreesOfFreedom: Int { pointCount - parameterCount }
    /// χ²/(n − k); NaN when n = k.
    public var reducedChiSquare: Double { degreesOfFreedom > 0 ? chiSquare / Double(degreesOfFreedom) : .nan }
    /// Whether a covariance could be computed.
    public var hasCovariance: Bool { !parameterCovariance.isEmpty }

    /// Standard uncertainties of the natural parameters (NaN without covariance).
    public var parameterStandardUncertainties: [Double] {
        let k = parameterCount
        guard hasCovariance else { return [Double](repeating: .nan, count: k) }
        return (0..<k).map { parameterCovariance[$0 * k + $0].squareRoot() }
    }

    /// Corrected Akaike information criterion (Burnham & Anderson 2002, Eq. 2.14, least-squares form)
    /// with the weighted RSS: AICc = n ln(χ²/n) + 2k + 2k(k+1)/(n−k−1). NaN when n − k − 1 ≤ 0.
    public var aicc: Double {
        let n = Double(pointCount), k = Double(parameterCount)
        guard pointCount - parameterCount - 1 > 0 else { return .nan }
        return n * _log(chiSquare / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)
    }

    /// The AICc ranking of model selection: lower AICc first, ties to fewer parameters.
    public func ranksBefore(_ other: TimeActivityFit) -> Bool {
        aicc != other.aicc ? aicc < other.aicc : parameterCount < other.parameterCount
    }

    /// The slowest (terminal) phase λ₁ with its standard uncertainty — e.g. the kidney λ_eff for BED.
    public var slowestPhase: EffectiveDecay {
        let k = parameterCount
        let index = curve.model.amplitudeCount + curve.slowestRateIndex
        let sigma = hasCovariance ? parameterCovariance[index * k + index].squareRoot() : .nan
        return EffectiveDecay(decayConstantPerSecond: curve.slowestRatePerSecond, standardUncertaintyPerSecond: sigma)
    }
}

/// Fits time-activity curves of one region (weighted nonlinear least squares) and integrates them.
///
/// All inputs are activities at the scan time, not decay corrected. `physicalDecayConstantPerSecond` is
/// λ_phys of the nuclide (pass `Nuclide.decayConstant`; Lu-177: ln 2/(6.647 d), ICRP 107).
public struct TimeActivityFitter: Sendable {
    public var physicalDecayConstantPerSecond: Double
    public var options: KineticsFitOptions
    /// Name of the region or file, used in error messages.
    public var source: String

    public init(physicalDecayConstantPerSecond: Double, options: KineticsFitOptions = KineticsFitOptions(),
                source: String = "time-activity curve") {
        self.physicalDecayConstantPerSecond = physicalDecayConstantPerSecond
        self.options = options
        self.source = source
    }

    var rateFloorPerSecond: Double { options.ratesAtLeastPhysicalDecay ? physicalDecayConstantPerSecond : 0 }

    /// Fits `model` to `points` (n ≥ k required; n = k gives an exact fit with no χ² information).
    public func fit(_ model: ExponentialModel, to points: [TimeActivityPoint]) throws -> TimeActivityFit {
        try validatePhysicalDecayConstant(physicalDecayConstantPerSecond, source: source)
        let k = model.parameterCount
        let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: k,
                                        minimumReason: "model \(model.rawValue) has \(k) parameters and needs "
                                            + "at least \(k) time points")
        return fit(model, series: series)
    }

    func fit(_ model: ExponentialModel, series: PreparedSeries, priorTerms: [RatePriorTerm] = []) -> TimeActivityFit {
        let parametrisation = ModelParametrisation(model: model, rateFloorPerSecond: rateFloorPerSecond)
        let n = series.count, k = model.parameterCount, m = model.amplitudeCount
        let evaluate: LevenbergMarquardt.Evaluate = { theta, residuals, jacobian in
            guard let curve = parametrisation.curve(theta: theta) else { return false }
            var gradient = [Double](repeating: 0, count: k)
            let t = jacobian != nil || !priorTerms.isEmpty ? parametrisation.naturalJacobian(theta: theta) : []
            // Prior residuals (μ − ln λ_b)/σ_b and their Jacobian rows (∂ln λ_b/∂θ)/σ_b = T[m+b, ·]/(λ_b σ_b).
            for (j, term) in priorTerms.enumerated() {
                let lambda = curve.ratesPerSecond[term.rateIndex]
                residuals[n + j] = (term.meanLogRate - _log(lambda)) / term.logStandardDeviation
                if jacobian != nil {
                    for q in 0..<k {
                        jacobian![(n + j) * k + q] = t[(m + term.rateIndex) * k + q] / (lambda * term.logStandardDeviation)
                    }
                }
            }
            for i in 0..<n {
                let ti = series.timesSeconds[i], si = series.sigmasBq[i]
                residuals[i] = (series.activitiesBq[i] - curve.activityBq(atSeconds: ti)) / si
                if jacobian != nil {
                    curve.activityGradient(atSeconds: ti, into: &gradient)
                    for j in 0..<k {
                        var s = 0.0
                        for p in 0..<k { s += gradient[p] * t[p * k + j] }
                        jacobian![i * k + j] = s / si
                    }
                }
            }
            return true
        }
        var solver = LevenbergMarquardt()
        solver.maximumIterations = options.maximumIterations
        var best: LevenbergMarquardt.Result?
        var starts = startingPoints(model, series: series, parametrisation: parametrisation)
        if let priorStart = priorStartingPoint(model, series: series, parametrisation: parametrisation, priorTerms: priorTerms) {
            starts.append(priorStart)
        }
        for start in starts {
            guard let result = solver.minimise(start: start, pointCount: n + priorTerms.count, evaluate: evaluate) else { continue }
            if best == nil || result.chiSquare < best!.chiSquare { best = result }
        }
        guard let result = best, let curve = parametrisation.curve(theta: result.theta) else {
            let nanCurve = ExponentialCurve(model: model, amplitudesBq: .init(repeating: .nan, count: model.amplitudeCount),
                                            ratesPerSecond: .init(repeating: .nan, count: model.rateCount))
            return TimeActivityFit(curve: nanCurve, parameterCovariance: [], covarianceScaleFactor: .nan,
                                   chiSquare: .infinity, pointCount: n, converged: false,
                                   slowestRateAtPhysicalBound: false,
                                   timeIntegratedActivity: TimeIntegratedActivity(valueBqS: .nan, standardUncertaintyBqS: .nan))
        }
        // Covariance of the natural parameters from the natural-parameter Jacobian (equal to
        // T (J_θᵀJ_θ)⁻¹ Tᵀ, but stays finite when a rate sits on its floor).
        var normal = [Double](repeating: 0, count: k * k)
        var gradient = [Double](repeating: 0, count: k)
        for i in 0..<n {
            curve.activityGradient(atSeconds: series.timesSeconds[i], into: &gradient)
            let w = 1 / (series.sigmasBq[i] * series.sigmasBq[i])
            for p in 0..<k { for q in 0..<k { normal[p * k + q] += w * gradient[p] * gradient[q] } }
        }
        let atBound = options.ratesAtLeastPhysicalDecay
            && curve.slowestRatePerSecond - physicalDecayConstantPerSecond <= 1e-6 * physicalDecayConstantPerSecond
        let tia = curve.timeIntegratedActivityBqS
        if !priorTerms.isEmpty {
            return posteriorFit(curve: curve, dataNormal: normal, series: series, priorTerms: priorTerms,
                                converged: result.converged, atBound: atBound)
        }
        let scale = options.covarianceScaleFactor(chiSquare: result.chiSquare, degreesOfFreedom: n - k)
        var covariance = SmallLinearAlgebra.inverseSPD(normal, n: k)?.map { $0 * scale } ?? []
        if covariance.contains(where: { !$0.isFinite }) { covariance = [] }
        let tiaSigma = covariance.isEmpty ? Double.nan
            : SmallLinearAlgebra.quadraticForm(covariance, n: k, curve.timeIntegratedActivityGradient).squareRoot()
        return TimeActivityFit(curve: curve, parameterCovariance: covariance, covarianceScaleFactor: scale,
                               chiSquare: result.chiSquare, pointCount: n, converged: result.converged,
                               slowestRateAtPhysicalBound: atBound,
                               timeIntegratedActivity: TimeIntegratedActivity(valueBqS: tia, standardUncertaintyBqS: tiaSigma))
    }

    /// Starting points: λ₁ from a log-linear weighted fit of the tail (last ⌈n/2⌉ ≥ 2 points), faster rates
    /// on a grid of multiples of λ₁; for each rate set the amplitudes are the linear weighted LS solution.
    /// The three best by χ² are refined by Levenberg–Marquardt.
    func startingPoints(_ model: ExponentialModel, series: PreparedSeries,
                        parametrisation: ModelParametrisation) -> [[Double]] {
        let n = series.count
        let tailCount = max(2, (n + 1) / 2)
        let tail = (n - min(tailCount, n))..<n
        var sw = 0.0, st = 0.0, sy = 0.0, stt = 0.0, sty = 0.0
        for i in tail {
            let w = 1 / (series.relativeUncertainties[i] * series.relativeUncertainties[i])
            let t = series.timesSeconds[i], y = _log(series.activitiesBq[i])
            sw += w; st += w * t; sy += w * y; stt += w * t * t; sty += w * t * y
        }
        let slope = (sw * sty - st * sy) / (sw * stt - st * st)
        let floor = parametrisation.rateFloorPerSecond
        let tLast = series.timesSeconds[n - 1]
        var lambda1 = -slope
        if !(lambda1.isFinite) || lambda1 <= floor * 1.02 { lambda1 = max(floor * 1.1, 0.1 / tLast) }
        let factors = [1.5, 3.0, 10.0, 30.0, 100.0, 300.0]
        var rateSets = [[Double]]()
        for l1 in [lambda1 * 0.8, lambda1, lambda1 * 1.25] where l1 > floor {
            switch model.rateCount {
            case 1: rateSets.append([l1])
            case 2: for f in factors { rateSets.append([l1, l1 * f]) }
            default:
                for (i, f2) in factors.enumerated() { for f3 in factors[(i + 1)...] { rateSets.append([l1, l1 * f2, l1 * f3]) } }
            }
        }
        var candidates = [(chi2: Double, theta: [Double])]()
        for rates in rateSets {
            guard let amplitudes = linearAmplitudes(model, rates: rates, series: series),
                  let theta = parametrisation.theta(amplitudesBq: amplitudes, ratesPerSecond: rates) else { continue }
            let curve = ExponentialCurve(model: model, amplitudesBq: amplitudes, ratesPerSecond: rates)
            var chi2 = 0.0
            for i in 0..<n {
                let r = (series.activitiesBq[i] - curve.activityBq(atSeconds: series.timesSeconds[i])) / series.sigmasBq[i]
                chi2 += r * r
            }
            if chi2.isFinite { candidates.append((chi2, theta)) }
        }
        candidates.sort { $0.chi2 < $1.chi2 }
        return candidates.prefix(model.rateCount == 1 ? 1 : 3).map(\.theta)
    }

    /// Weighted linear least-squares amplitudes for fixed rates; non-positive ones are replaced by a small
    /// positive value (1e-3 of the largest) so that the start lies in the parameter domain.
    func linearAmplitudes(_ model: ExponentialModel, rates: [Double], series: PreparedSeries) -> [Double]? {
        let m = model.amplitudeCount
        var a = [Double](repeating: 0, count: m * m), b = [Double](repeating: 0, count: m)
        var basis = [Double](repeating: 0, count: m)
        for i in 0..<series.count {
            let w = 1 / (series.sigmasBq[i] * series.sigmasBq[i])
            for p in 0..<m {
                var s = 0.0
                for q in 0..<model.rateCount {
                    s += model.coefficient(amplitude: p, rate: q) * _exp(-rates[q] * series.timesSeconds[i])
                }
                basis[p] = s
            }
            for p in 0..<m {
                b[p] += w * basis[p] * series.activitiesBq[i]
                for q in 0..<m { a[p * m + q] += w * basis[p] * basis[q] }
            }
        }
        guard SmallLinearAlgebra.cholesky(&a, n: m) else { return nil }
        var amplitudes = SmallLinearAlgebra.choleskySolve(a, n: m, b)
        let largest = amplitudes.max() ?? 0
        guard largest > 0, largest.isFinite else { return nil }
        amplitudes = amplitudes.map { $0 > 0 ? $0 : 1e-3 * largest }
        return amplitudes
    }
}
