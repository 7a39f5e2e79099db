/// What set the activity of a cycle.
public enum BindingConstraint: String, Codable, CaseIterable, Sendable {
    /// One more rounding step would exceed the cumulative kidney absorbed-dose limit.
    case kidneyDose = "kidney_dose"
    /// One more rounding step would exceed the cumulative kidney BED limit.
    case kidneyBED = "kidney_bed"
    /// One more rounding step would exceed the cumulative red-marrow limit.
    case marrowDose = "marrow_dose"
    /// The per-cycle cap of the protocol.
    case activityCap = "activity_cap"
    /// A package-insert dose modification (reduced, withheld or discontinued).
    case toxicityRule = "toxicity_rule"
    /// The room left under the limits is below the minimum activity: cycle not given.
    case minimumActivity = "minimum_activity"
    /// Fixed activity by protocol (cycle 1, standard arm).
    case fixedProtocol = "fixed_protocol"
    /// Tailored planning: the predicted lesion dose per activity is below the protocol's uptake threshold, so
    /// the cycle is not escalated above the base activity.
    case uptakeThreshold = "uptake_threshold"
    /// Tailored planning: the target cumulative lesion dose is reached; no more escalation than it needs.
    case lesionTarget = "lesion_target"
}
