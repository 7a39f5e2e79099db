/// How the dose per unit activity of a future cycle is predicted from the measured cycles.
public enum PredictionMethod: String, Codable, CaseIterable, Sendable {
    /// The most recent measured cycle.
    case last
    /// Arithmetic mean of all measured cycles.
    case mean
    /// Least-squares straight line against cycle number, extrapolated (one cycle: its value);
    /// clipped to ≥ 0 (kidney λ_eff: to ≥ the Lu-177 physical decay constant).
    case linearTrend = "linear_trend"
}

/// What the planner maximises.
public enum TumourObjective: String, Codable, CaseIterable, Sendable {
    /// The sum over lesions of the predicted cumulative absorbed dose.
    case sumOfLesions = "sum_of_lesions"
    /// The smallest predicted cumulative lesion dose (protects the least-dosed lesion).
    case minimumLesion = "minimum_lesion"
}

/// How dose-per-activity uncertainty enters the limit checks.
public enum UncertaintyMode: String, Codable, CaseIterable, Sendable {
    /// Limits are checked against the point predictions.
    case deterministic
    /// Limits are checked against the (1 − p) quantile of the log-normal dose-per-activity model
    /// with errors fully correlated across cycles of one organ, so P(limit exceeded) ≤ p per limit.
    case quantile
}

/// Planning choices of a protocol.
public struct PlanningOptions: Equatable, Sendable {
    public var prediction: PredictionMethod
    public var objective: TumourObjective
    public var uncertainty: UncertaintyMode
    /// Allowed probability p that a cumulative limit is exceeded (quantile mode; default 0.05).
    public var exceedanceProbability: Double
    /// Extra relative standard uncertainty of a predicted future cycle's dose per activity
    /// (cycle-to-cycle change), added in quadrature to the measurement uncertainty (default 0).
    public var predictionRelativeUncertainty: Double
    /// How lesion dosimetry sets the investigational activities (default: `LesionRule()`, tailored).
    public var lesions: LesionRule

    public init(prediction: PredictionMethod = .mean, objective: TumourObjective = .sumOfLesions,
                uncertainty: UncertaintyMode = .deterministic, exceedanceProbability: Double = 0.05,
                predictionRelativeUncertainty: Double = 0, lesions: LesionRule = LesionRule()) {
        self.lesions = lesions
        self.prediction = prediction
        self.objective = objective
        self.uncertainty = uncertainty
        self.exceedanceProbability = exceedanceProbability
        self.predictionRelativeUncertainty = predictionRelativeUncertainty
    }
}
