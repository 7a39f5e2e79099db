import RPTCore

/// Non-parametric time-activity curve: linear interpolation between the measured points, a start segment
/// (see `TrapezoidStart`) and a physical-decay tail A(t) = A_last·e^{−λ_phys (t − t_last)} after the last
/// point (no biological clearance assumed after the last scan — a conservative, i.e. high, tail).
///
/// Ã = start area + Σ (tᵢ₊₁ − tᵢ)(Aᵢ + Aᵢ₊₁)/2 + A_last/λ_phys. Ã is linear in the Aᵢ, Ã = Σ wᵢAᵢ,
/// so its variance Σ wᵢ²σᵢ² (independent points) is exact.
public struct TrapezoidTimeActivity: Sendable, Equatable {
    public let timesSeconds: [Double]
    public let activitiesBq: [Double]
    public let physicalDecayConstantPerSecond: Double
    public let start: TrapezoidStart
    /// Ã with its standard uncertainty from the point uncertainties.
    public let timeIntegratedActivity: TimeIntegratedActivity
    /// Part of Ã after the last point, A_last/λ_phys (Bq·s).
    public let tailBqS: Double

    /// Activity (Bq) of the interpolated curve at `timeSeconds`.
    public func activityBq(atSeconds t: Double) -> Double {
        let n = timesSeconds.count
        if t <= timesSeconds[0] {
            guard t >= 0 else { return 0 }
            return start == .zeroAtAdministration ? activitiesBq[0] * t / timesSeconds[0] : activitiesBq[0]
        }
        if t >= timesSeconds[n - 1] {
            return activitiesBq[n - 1] * _exp(-physicalDecayConstantPerSecond * (t - timesSeconds[n - 1]))
        }
        var i = 0
        while timesSeconds[i + 1] < t { i += 1 }
        let f = (t - timesSeconds[i]) / (timesSeconds[i + 1] - timesSeconds[i])
        return activitiesBq[i] + f * (activitiesBq[i + 1] - activitiesBq[i])
    }

    /// Activity (Bq) at `timeHours`.
    public func activityBq(atHours timeHours: Double) -> Double { activityBq(atSeconds: timeHours * Units.secondsPerHour) }
}

extension TimeActivityFitter {
    /// Trapezoid rule with `options.trapezoidStart` and a physical-decay tail. Needs ≥ 1 point; activities
    /// may be 0.
    public func trapezoid(_ points: [TimeActivityPoint]) throws -> TrapezoidTimeActivity {
        try validatePhysicalDecayConstant(physicalDecayConstantPerSecond, source: source)
        let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: 1,
                                        minimumReason: "the trapezoid rule needs at least 1 time point",
                                        allowZeroActivity: true)
        let t = series.timesSeconds, n = series.count
        var weights = [Double](repeating: 0, count: n)
        weights[0] += options.trapezoidStart == .zeroAtAdministration ? t[0] / 2 : t[0]
        for i in 0..<(n - 1) {
            let h = t[i + 1] - t[i]
            weights[i] += h / 2
            weights[i + 1] += h / 2
        }
        let tailWeight = 1 / physicalDecayConstantPerSecond
        weights[n - 1] += tailWeight
        var value = 0.0, variance = 0.0
        for i in 0..<n {
            value += weights[i] * series.activitiesBq[i]
            variance += weights[i] * weights[i] * series.sigmasBq[i] * series.sigmasBq[i]
        }
        return TrapezoidTimeActivity(timesSeconds: t, activitiesBq: series.activitiesBq,
                                     physicalDecayConstantPerSecond: physicalDecayConstantPerSecond,
                                     start: options.trapezoidStart,
                                     timeIntegratedActivity: TimeIntegratedActivity(valueBqS: value,
                                                                                    standardUncertaintyBqS: variance.squareRoot()),
                                     tailBqS: series.activitiesBq[n - 1] * tailWeight)
    }
}
