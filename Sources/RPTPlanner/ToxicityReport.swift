/// CTCAE grades (0–5) of one graded toxicity observed after an administration.
public struct ToxicityGrades: Equatable, Sendable {
    /// Worst grade since the administration.
    public var worst: Int
    /// Grade at the time of planning.
    public var current: Int
    /// The toxicity recurred after a cycle given at the reduced (resume) activity because of it.
    public var recurred: Bool
    public init(worst: Int, current: Int, recurred: Bool = false) {
        self.worst = worst
        self.current = current
        self.recurred = recurred
    }
}

/// Renal laboratory values at one time (each optional; a missing value tests no criterion).
public struct RenalLaboratoryValues: Equatable, Sendable {
    /// Creatinine clearance (mL/min).
    public var creatinineClearanceMlPerMin: Double?
    /// Change of creatinine clearance from the patient's baseline (%; −45 = a 45 % decrease).
    public var creatinineClearanceChangePercent: Double?
    /// Change of serum creatinine from the patient's baseline (%; +45 = a 45 % increase).
    public var serumCreatinineChangePercent: Double?
    public init(creatinineClearanceMlPerMin: Double? = nil, creatinineClearanceChangePercent: Double? = nil,
                serumCreatinineChangePercent: Double? = nil) {
        self.creatinineClearanceMlPerMin = creatinineClearanceMlPerMin
        self.creatinineClearanceChangePercent = creatinineClearanceChangePercent
        self.serumCreatinineChangePercent = serumCreatinineChangePercent
    }
}

/// Hepatic laboratory values at one time (each optional; albumin and the prothrombin ratio — or the INR —
/// form one criterion together).
public struct HepaticLaboratoryValues: Equatable, Sendable {
    /// Total bilirubin as a multiple of the upper limit of normal.
    public var bilirubinTimesULN: Double?
    /// Serum albumin (g/L).
    public var albuminGramsPerLitre: Double?
    /// Prothrombin ratio (% of normal; the label's coagulation criterion).
    public var prothrombinRatioPercent: Double?
    /// International normalised ratio (used only when no prothrombin ratio is given).
    public var inr: Double?
    public init(bilirubinTimesULN: Double? = nil, albuminGramsPerLitre: Double? = nil,
                prothrombinRatioPercent: Double? = nil, inr: Double? = nil) {
        self.bilirubinTimesULN = bilirubinTimesULN
        self.albuminGramsPerLitre = albuminGramsPerLitre
        self.prothrombinRatioPercent = prothrombinRatioPercent
        self.inr = inr
    }
}

/// Laboratory values judged by criteria: the worst values since the administration and the current ones.
public struct LaboratoryFinding<Values: Equatable & Sendable>: Equatable, Sendable {
    public var worst: Values
    public var current: Values
    /// The toxicity recurred after a cycle given at the reduced (resume) activity because of it.
    public var recurred: Bool
    public init(worst: Values, current: Values, recurred: Bool = false) {
        self.worst = worst
        self.current = current
        self.recurred = recurred
    }
}

extension RenalToxicityCriteria {
    /// Whether values expressed as changes from baseline meet the criteria: clearance below the
    /// threshold, a clearance decrease of at least `creatinineClearanceDecreaseFraction`, or a serum
    /// creatinine increase of at least `serumCreatinineIncreaseFraction` (same rule as
    /// `isMet(creatinineClearance:…)`, with the baseline folded into the percentages).
    public func isMet(_ v: RenalLaboratoryValues) -> Bool {
        if let c = v.creatinineClearanceMlPerMin, c < creatinineClearanceBelowMlPerMin { return true }
        if let d = v.creatinineClearanceChangePercent, d <= -100 * creatinineClearanceDecreaseFraction { return true }
        if let s = v.serumCreatinineChangePercent, s >= 100 * serumCreatinineIncreaseFraction { return true }
        return false
    }

    /// Whether renal toxicity has resolved the way the label asks ("complete resolution or return to
    /// baseline"): the criteria are not met, at least one change from baseline is given, and every given
    /// change is within `returnToBaselinePercent` of baseline (clearance not lower, serum creatinine not
    /// higher). Without a change from baseline the return to baseline cannot be judged: not resolved.
    public func hasReturnedToBaseline(_ v: RenalLaboratoryValues) -> Bool {
        guard !isMet(v), v.creatinineClearanceChangePercent != nil || v.serumCreatinineChangePercent != nil else { return false }
        if let d = v.creatinineClearanceChangePercent, d < -returnToBaselinePercent { return false }
        if let s = v.serumCreatinineChangePercent, s > returnToBaselinePercent { return false }
        return true
    }
}

extension HepatotoxicityCriteria {
    /// Whether the values meet the criteria (missing values test nothing; albumin is judged together with
    /// the prothrombin ratio, or with the INR when no ratio is given).
    public func isMet(_ v: HepaticLaboratoryValues) -> Bool {
        if let b = v.bilirubinTimesULN, b > bilirubinAboveULNMultiple { return true }
        return coagulationCriterionMet(v) ?? false
    }

    /// Albumin below its threshold with a decreased prothrombin ratio (or raised INR); nil when albumin or
    /// both coagulation values are missing.
    func coagulationCriterionMet(_ v: HepaticLaboratoryValues) -> Bool? {
        guard let a = v.albuminGramsPerLitre else { return nil }
        if let pt = v.prothrombinRatioPercent { return a < albuminBelowGramsPerLitre && pt < prothrombinRatioBelowPercent }
        if let i = v.inr { return a < albuminBelowGramsPerLitre && i > inrAbove }
        return nil
    }

    /// Whether hepatotoxicity has resolved completely: bilirubin given and at most
    /// `resolvedBilirubinTimesULN` × ULN, albumin given and back at or above its threshold, and the
    /// coagulation value back on the normal side (prothrombin ratio ≥ its threshold, or without a ratio the
    /// INR ≤ its threshold) — each part on its own, not merely the albumin-and-coagulation conjunction no
    /// longer met. Missing values cannot show resolution: not resolved.
    public func hasResolvedCompletely(_ v: HepaticLaboratoryValues) -> Bool {
        guard let b = v.bilirubinTimesULN, b <= resolvedBilirubinTimesULN,
              let a = v.albuminGramsPerLitre, a >= albuminBelowGramsPerLitre else { return false }
        if let pt = v.prothrombinRatioPercent { return pt >= prothrombinRatioBelowPercent }
        if let i = v.inr { return i <= inrAbove }
        return false
    }
}

/// What was observed after one administration, as recorded per cycle in a study manifest: CTCAE
/// grades, renal and hepatic laboratory values, the time since the administration and recurrences.
/// `inputs(policy:)` turns it into the planner's `ToxicityInputs` with the protocol's criteria.
public struct ToxicityReport: Equatable, Sendable {
    /// Weeks from this administration to the time of planning.
    public var weeksSinceAdministration: Double
    /// Graded toxicities (thrombocytopenia, anemia, neutropenia, other_non_hematologic).
    public var graded: [ToxicityKind: ToxicityGrades]
    public var renal: LaboratoryFinding<RenalLaboratoryValues>?
    public var hepatic: LaboratoryFinding<HepaticLaboratoryValues>?

    public init(weeksSinceAdministration: Double, graded: [ToxicityKind: ToxicityGrades] = [:],
                renal: LaboratoryFinding<RenalLaboratoryValues>? = nil, hepatic: LaboratoryFinding<HepaticLaboratoryValues>? = nil) {
        self.weeksSinceAdministration = weeksSinceAdministration
        self.graded = graded
        self.renal = renal
        self.hepatic = hepatic
    }

    /// The planner's inputs: graded kinds as given (in `ToxicityKind.allCases` order), renal and
    /// hepatic findings turned into "criteria met since the administration / now" with the policy's
    /// thresholds (a finding is ignored when the policy has no rule for it). The worst values count
    /// as met-since when either the worst or the current values meet the criteria.
    public func inputs(policy: ToxicityPolicy) -> ToxicityInputs {
        var observations: [ToxicityObservation] = []
        for kind in ToxicityKind.allCases {
            if let g = graded[kind] {
                observations.append(.graded(kind, worst: g.worst, current: g.current, recurred: g.recurred))
            }
        }
        if let r = renal, let c = policy.renal {
            let now = c.isMet(r.current)
            observations.append(.criteria(.renalToxicity, metSinceLastAdministration: now || c.isMet(r.worst), metNow: now,
                                          completelyResolved: c.hasReturnedToBaseline(r.current), recurred: r.recurred))
        }
        if let h = hepatic, let c = policy.hepatic {
            let now = c.isMet(h.current)
            observations.append(.criteria(.hepatotoxicity, metSinceLastAdministration: now || c.isMet(h.worst), metNow: now,
                                          completelyResolved: c.hasResolvedCompletely(h.current), recurred: h.recurred))
        }
        return ToxicityInputs(observations: observations, weeksSinceLastAdministration: weeksSinceAdministration)
    }
}
