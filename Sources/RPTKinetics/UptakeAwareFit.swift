import RPTCore

/// The fit chosen for a short series (3 or 4 points, where AICc cannot weigh the uptake model) and why.
public struct UptakeAwareFit: Sendable, Equatable {
    public let fit: TimeActivityFit
    /// Whether the first point lies below the mono-exponential through the later points, extrapolated back.
    public let uptakeVisible: Bool
    /// The method in words, e.g. `MAP biExponentialUptake (prior: kidney (Lu-177 DOTATATE))`.
    public let method: String
    /// z of the prior–data conflict test on ln λ₁ (NaN when not tested); |z| > `priorConflictZ` → the clearance prior
    /// was not used.
    public var conflictZ: Double = .nan
    /// Whether the points alone bound the clearance (profile likelihood at physical decay); computed when the region
    /// has a clearance prior and the uptake model was fitted, nil otherwise.
    public var clearanceIdentifiability: ClearanceIdentifiability? = nil
}

extension TimeActivityFitter {
    /// Fits a short series (n = 3 or 4, e.g. a cycle 1 imaged at 4, 24, 48, 72 h) without forcing a
    /// mono-exponential through an uptake point (docs/methods/kinetics.md, "Few time points"):
    ///
    /// * a region with a clearance prior (a somatostatin-receptor organ or lesion, `Lu177DotatatePriors`),
    ///   or any region whose first point lies below the back-extrapolated mono-exponential of the later points
    ///   (uptake visible): the uptake model `biExponentialUptake`, maximum a-posteriori with the prior
    ///   (`fitWithPrior`; the uptake rate always carries at least the uptake regulariser);
    /// * otherwise (no uptake visible, no clearance prior): the mono-exponential over all points (with the
    ///   clearance prior when there is one).
    public func uptakeAwareFit(_ points: [TimeActivityPoint], prior: KineticPrior?) throws -> UptakeAwareFit {
        let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: 3,
                                        minimumReason: "the uptake-aware fit needs at least 3 time points")
        let visible = Self.uptakeVisible(series)
        if prior?.clearance != nil || visible {
            var p = prior ?? Lu177DotatatePriors.uptakeOnly
            if p.uptake == nil { p.uptake = Lu177DotatatePriors.uptakeRegulariser }
            var r = try uptakeFitCheckingConflict(points, prior: p, uptakeVisible: visible)
            if p.clearance != nil { r.clearanceIdentifiability = try? clearanceIdentifiability(points) }
            return r
        }
        if let prior {
            let fit = try fitWithPrior(.monoExponential, to: points, prior: prior)
            return UptakeAwareFit(fit: fit, uptakeVisible: false, method: "MAP monoExponential (prior: \(prior.name); no uptake visible)")
        }
        return UptakeAwareFit(fit: fit(.monoExponential, series: series), uptakeVisible: false,
                              method: "monoExponential (no uptake visible)")
    }

    /// |z| above which the data's terminal rate is called in conflict with the clearance prior: 2 (two-sided ≈ 95 %).
    public static let priorConflictZ = 2.0

    /// The MAP uptake fit with `prior`, unless the data conflict with its clearance prior: the data's own estimate of
    /// ln λ₁ (the same fit with the uptake regulariser only) is compared with the prior,
    /// z = (ln λ₁,data − μ)/√(σ²_data + σ²_prior); for |z| > `priorConflictZ` the clearance prior is dropped (this
    /// patient is not like the population it describes — a narrow prior would hide a slow or fast clearance) and the
    /// method says so. Needs a data-only covariance; without one the prior is kept.
    public func uptakeFitCheckingConflict(_ points: [TimeActivityPoint], prior: KineticPrior,
                                          uptakeVisible: Bool = true) throws -> UptakeAwareFit {
        let full = try fitWithPrior(.biExponentialUptake, to: points, prior: prior)
        guard let clearance = prior.clearance else {
            return UptakeAwareFit(fit: full, uptakeVisible: uptakeVisible, method: "MAP biExponentialUptake (prior: \(prior.name))")
        }
        var dataPrior = prior
        dataPrior.clearance = nil
        dataPrior.name = prior.name + ", uptake regulariser only"
        guard let data = try? fitWithPrior(.biExponentialUptake, to: points, prior: dataPrior), data.hasCovariance,
              data.timeIntegratedActivity.valueBqS.isFinite else {
            return UptakeAwareFit(fit: full, uptakeVisible: uptakeVisible, method: "MAP biExponentialUptake (prior: \(prior.name))")
        }
        let m = data.model.amplitudeCount, k = data.parameterCount
        let lambda = data.curve.ratesPerSecond[0]
        let sigmaData = data.parameterCovariance[m * k + m].squareRoot() / lambda
        let z = (_log(lambda) - clearance.meanLogRatePerSecond)
            / (sigmaData * sigmaData + clearance.logStandardDeviation * clearance.logStandardDeviation).squareRoot()
        if abs(z) > Self.priorConflictZ {
            var r = UptakeAwareFit(fit: data, uptakeVisible: uptakeVisible,
                                   method: String(format: "MAP biExponentialUptake (uptake regulariser only: the data conflict with "
                                                  + "the %@ clearance prior, z = %+.1f)", prior.name, z))
            r.conflictZ = z
            return r
        }
        var r = UptakeAwareFit(fit: full, uptakeVisible: uptakeVisible, method: "MAP biExponentialUptake (prior: \(prior.name))")
        r.conflictZ = z
        return r
    }

    /// ln A₁ below the weighted log-linear fit of points 2…n at t₁.
    static func uptakeVisible(_ series: PreparedSeries) -> Bool {
        guard series.count >= 3 else { return false }
        var sw = 0.0, st = 0.0, sy = 0.0, stt = 0.0, sty = 0.0
        for i in 1..<series.count {
            let w = 1 / (series.relativeUncertainties[i] * series.relativeUncertainties[i])
            let t = series.timesSeconds[i], y = _log(series.activitiesBq[i])
            sw += w; st += w * t; sy += w * y; stt += w * t * t; sty += w * t * y
        }
        let det = sw * stt - st * st
        let slope = (sw * sty - st * sy) / det, intercept = (stt * sy - st * sty) / det
        return _log(series.activitiesBq[0]) < intercept + slope * series.timesSeconds[0]
    }
}
