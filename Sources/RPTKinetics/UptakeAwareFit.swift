import RPTCore

/// The fit chosen for a short series (3 or 4 points, where AICc cannot weigh the uptake model) and why.
public struct UptakeAwareFit: Sendable, Equatable {
    public let fit: TimeActivityFit
    /// Whether the first point lies below the mono-exponential through the later points, extrapolated back.
    public let uptakeVisible: Bool
    /// The method in words, e.g. `MAP biExponentialUptake (prior: kidney (Lu-177 DOTATATE))`.
    public let method: String
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
            let fit = try fitWithPrior(.biExponentialUptake, to: points, prior: p)
            return UptakeAwareFit(fit: fit, uptakeVisible: visible,
                                  method: "MAP biExponentialUptake (prior: \(p.name))")
        }
        if let prior {
            let fit = try fitWithPrior(.monoExponential, to: points, prior: prior)
            return UptakeAwareFit(fit: fit, uptakeVisible: false, method: "MAP monoExponential (prior: \(prior.name); no uptake visible)")
        }
        return UptakeAwareFit(fit: fit(.monoExponential, series: series), uptakeVisible: false,
                              method: "monoExponential (no uptake visible)")
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
