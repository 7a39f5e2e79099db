/// What was observed about one toxicity since the last administration, at the time of planning.
public struct ToxicityObservation: Equatable, Sendable {
    /// Severity in the form the rule uses.
    public enum Severity: Equatable, Sendable {
        /// CTCAE grades (0–5): worst since the last administration, and now.
        case graded(worst: Int, current: Int)
        /// Laboratory criteria (renal, hepatic): met at any time since the last administration, met now,
        /// and whether the values are now completely resolved or back at baseline (the label's resolution
        /// for these two toxicities; no longer meeting the criteria is not enough).
        case criteria(metSinceLastAdministration: Bool, metNow: Bool, completelyResolved: Bool)
    }

    public var kind: ToxicityKind
    public var severity: Severity
    /// True when this toxicity occurred again after a cycle given at the reduced activity because
    /// of it (label: permanently discontinue for recurrent toxicity).
    public var recurredAfterReducedActivity: Bool

    public init(kind: ToxicityKind, severity: Severity, recurredAfterReducedActivity: Bool = false) {
        self.kind = kind
        self.severity = severity
        self.recurredAfterReducedActivity = recurredAfterReducedActivity
    }

    /// A CTCAE-graded observation.
    public static func graded(_ kind: ToxicityKind, worst: Int, current: Int, recurred: Bool = false) -> ToxicityObservation {
        ToxicityObservation(kind: kind, severity: .graded(worst: worst, current: current), recurredAfterReducedActivity: recurred)
    }

    /// A criteria-based (renal, hepatic) observation.
    public static func criteria(_ kind: ToxicityKind, metSinceLastAdministration: Bool, metNow: Bool,
                                completelyResolved: Bool, recurred: Bool = false) -> ToxicityObservation {
        ToxicityObservation(kind: kind, severity: .criteria(metSinceLastAdministration: metSinceLastAdministration, metNow: metNow,
                                                            completelyResolved: completelyResolved),
                            recurredAfterReducedActivity: recurred)
    }
}

/// Toxicity inputs for planning the next cycle.
public struct ToxicityInputs: Equatable, Sendable {
    public var observations: [ToxicityObservation]
    /// Weeks since the last administration at the time of planning.
    public var weeksSinceLastAdministration: Double
    /// Scheduled weeks between administrations (the arm's interval; `TreatmentPlanner` sets it from the
    /// protocol). The treatment delay is `weeksSinceLastAdministration` minus this.
    public var scheduledIntervalWeeks: Double
    /// Toxicities that caused a label dose reduction earlier in this treatment (a reduced cycle was given
    /// because of them). Under `RecurrenceRule.afterAnyReduction` such a toxicity triggering again is
    /// recurrent (discontinue); any entry caps later cycles per `ToxicityPolicy.activityAfterReduction`.
    public var earlierReductions: [ToxicityKind]

    public init(observations: [ToxicityObservation] = [], weeksSinceLastAdministration: Double = 8,
                scheduledIntervalWeeks: Double = 8, earlierReductions: [ToxicityKind] = []) {
        self.observations = observations
        self.weeksSinceLastAdministration = weeksSinceLastAdministration
        self.scheduledIntervalWeeks = scheduledIntervalWeeks
        self.earlierReductions = earlierReductions
    }

    /// Weeks by which the next administration is already late (≥ 0).
    public var treatmentDelayWeeks: Double { max(0, weeksSinceLastAdministration - scheduledIntervalWeeks) }

    /// No toxicity observed.
    public static let none = ToxicityInputs()
}
