import RPTCore

/// Predicted dose per activity of one quantity for a future cycle, with its uncertainty.
public struct PredictedValue: Equatable, Sendable {
    /// Point prediction (Gy/GBq, or 1/h for λ_eff).
    public var value: Double
    /// Relative standard uncertainty used in quantile mode.
    public var relativeUncertainty: Double
}

/// Predicts future cycles' dose per activity from the measured cycles (see PredictionMethod).
public enum DosePrediction {
    /// Predicts the value at `cycle` from (cycle number, value) pairs by `method`, clipped to ≥ `floor`.
    public static func predict(_ points: [(cycle: Int, value: Double)], at cycle: Int, method: PredictionMethod,
                               floor: Double = 0) -> Double {
        precondition(!points.isEmpty)
        let v: Double
        switch method {
        case .last:
            v = points.last!.value
        case .mean:
            v = points.map(\.value).reduce(0, +) / Double(points.count)
        case .linearTrend:
            let n = Double(points.count)
            let xm = points.map { Double($0.cycle) }.reduce(0, +) / n
            let ym = points.map(\.value).reduce(0, +) / n
            let sxx = points.map { (Double($0.cycle) - xm) * (Double($0.cycle) - xm) }.reduce(0, +)
            if sxx == 0 {
                v = ym
            } else {
                let sxy = points.map { (Double($0.cycle) - xm) * ($0.value - ym) }.reduce(0, +)
                v = ym + sxy / sxx * (Double(cycle) - xm)
            }
        }
        return max(floor, v)
    }

    /// Relative uncertainty of a prediction: the measurement uncertainty of the basis (last cycle
    /// for `.last`, mean of the cycles' relative uncertainties otherwise — errors are modelled as
    /// fully correlated between cycles, see docs/methods/planner.md) combined in quadrature with
    /// the protocol's extra prediction uncertainty.
    public static func relativeUncertainty(_ uncertainties: [Double], method: PredictionMethod, extra: Double) -> Double {
        precondition(!uncertainties.isEmpty)
        let base = method == .last ? uncertainties.last! : uncertainties.reduce(0, +) / Double(uncertainties.count)
        return (base * base + extra * extra).squareRoot()
    }

    /// Log-normal width σ = √ln(1 + u²) for relative standard uncertainty u.
    public static func logSigma(relativeUncertainty u: Double) -> Double { _log(1 + u * u).squareRoot() }
}

