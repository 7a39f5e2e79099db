/// Randomised arm of the trial.
public enum TreatmentArm: String, Codable, CaseIterable, Sendable {
    /// Fixed activity every cycle (package-insert schedule).
    case standard
    /// Fixed first cycle, then dosimetry-planned activities.
    case investigational
}
