/// How the trial assesses tumour response (RECIST 1.1; protocol key `response_assessment`).
///
/// Eisenhauer et al., "New response evaluation criteria in solid tumours: revised RECIST guideline (version 1.1)",
/// Eur J Cancer 45:228–247, 2009, section 4.6: confirmation of CR/PR is required in non-randomised trials where
/// response is the primary endpoint, and "in randomised trials (phase II or III) … confirmation of response is not
/// required since it will not add value to the interpretation of trial results". NCT06395402 is randomised (2:1),
/// so the default is `not_required`, although ORR at 6 months is its primary endpoint; a protocol that wants
/// confirmed responses sets `confirmation: required`.
public struct ResponseAssessment: Equatable, Sendable {
    public enum Confirmation: String, CaseIterable, Sendable {
        case notRequired = "not_required", required
    }
    /// Whether a CR or PR must be confirmed by a repeat assessment (RPTDose default `.notRequired`, see above).
    public var confirmation: Confirmation
    /// The confirming assessment is at least this many weeks after the response was first seen (RECIST 1.1 §4.6:
    /// "no less than 4 weeks").
    public var confirmationIntervalWeeks: Double
    /// Stable disease counts as the best response only when seen at least this many weeks after the start of
    /// treatment (RECIST 1.1 §4.4.1 leaves it to the protocol, "generally 6–8 weeks"; RPTDose default 6).
    public var stableDiseaseMinimumWeeks: Double

    public init(confirmation: Confirmation = .notRequired, confirmationIntervalWeeks: Double = 4, stableDiseaseMinimumWeeks: Double = 6) {
        self.confirmation = confirmation
        self.confirmationIntervalWeeks = confirmationIntervalWeeks
        self.stableDiseaseMinimumWeeks = stableDiseaseMinimumWeeks
    }
}
