/// When a CTCAE-graded toxicity triggers a dose modification and when it counts as resolved.
public struct GradedToxicityRule: Equatable, Sendable {
    /// Worst grade since the last administration at or above which the rule applies.
    public var triggerGrade: Int
    /// Current grade at or below which the toxicity counts as (completely or partially) resolved.
    public var resolvedAtGrade: Int
    public init(triggerGrade: Int, resolvedAtGrade: Int) {
        self.triggerGrade = triggerGrade
        self.resolvedAtGrade = resolvedAtGrade
    }
}

/// Renal toxicity criteria (label: creatinine clearance < 40 mL/min, or a 40 % decrease from
/// baseline creatinine clearance, or a 40 % increase from baseline serum creatinine).
public struct RenalToxicityCriteria: Equatable, Sendable {
    /// Creatinine clearance below this is renal toxicity (mL/min; label 40).
    public var creatinineClearanceBelowMlPerMin: Double
    /// Fractional decrease of creatinine clearance from baseline that is renal toxicity (label 0.40).
    public var creatinineClearanceDecreaseFraction: Double
    /// Fractional increase of serum creatinine from baseline that is renal toxicity (label 0.40).
    public var serumCreatinineIncreaseFraction: Double
    /// How close to baseline (%) creatinine clearance and serum creatinine must be again for renal
    /// toxicity to count as resolved ("return to baseline"; the label gives no number — RPTDose default
    /// 10 %, about the week-to-week variation of serum creatinine; set it in the protocol).
    public var returnToBaselinePercent: Double

    public init(creatinineClearanceBelowMlPerMin: Double = 40, creatinineClearanceDecreaseFraction: Double = 0.4,
                serumCreatinineIncreaseFraction: Double = 0.4, returnToBaselinePercent: Double = 10) {
        self.creatinineClearanceBelowMlPerMin = creatinineClearanceBelowMlPerMin
        self.creatinineClearanceDecreaseFraction = creatinineClearanceDecreaseFraction
        self.serumCreatinineIncreaseFraction = serumCreatinineIncreaseFraction
        self.returnToBaselinePercent = returnToBaselinePercent
    }

    /// Whether laboratory values meet the criteria (creatinine clearances in mL/min; serum
    /// creatinine in any one unit, e.g. mg/dL, used for both current and baseline).
    public func isMet(creatinineClearance: Double, baselineCreatinineClearance: Double,
                      serumCreatinine: Double, baselineSerumCreatinine: Double) -> Bool {
        creatinineClearance < creatinineClearanceBelowMlPerMin
            || creatinineClearance <= (1 - creatinineClearanceDecreaseFraction) * baselineCreatinineClearance
            || serumCreatinine >= (1 + serumCreatinineIncreaseFraction) * baselineSerumCreatinine
    }
}

/// Hepatotoxicity criteria (label: bilirubinaemia > 3 × upper limit of normal, or hypoalbuminaemia
/// < 30 g/L with a prothrombin ratio decreased below 70 %). The INR is accepted in place of the
/// prothrombin ratio only when the ratio is not given (`inrAbove`, default 1.5 — not the label's criterion).
public struct HepatotoxicityCriteria: Equatable, Sendable {
    /// Bilirubin above this multiple of the upper limit of normal is hepatotoxicity (label 3).
    public var bilirubinAboveULNMultiple: Double
    /// Albumin below this (g/L; label 30) together with a decreased prothrombin ratio is hepatotoxicity.
    public var albuminBelowGramsPerLitre: Double
    /// Prothrombin ratio threshold (%; label 70).
    public var prothrombinRatioBelowPercent: Double
    /// INR threshold used when no prothrombin ratio is given (RPTDose default 1.5; not in the label).
    public var inrAbove: Double
    /// Bilirubin at or below this multiple of the ULN counts as completely resolved (default 1: normal,
    /// CTCAE grade 0; raise it to the patient's baseline when that was above the ULN).
    public var resolvedBilirubinTimesULN: Double

    public init(bilirubinAboveULNMultiple: Double = 3, albuminBelowGramsPerLitre: Double = 30,
                prothrombinRatioBelowPercent: Double = 70, inrAbove: Double = 1.5, resolvedBilirubinTimesULN: Double = 1) {
        self.bilirubinAboveULNMultiple = bilirubinAboveULNMultiple
        self.albuminBelowGramsPerLitre = albuminBelowGramsPerLitre
        self.prothrombinRatioBelowPercent = prothrombinRatioBelowPercent
        self.inrAbove = inrAbove
        self.resolvedBilirubinTimesULN = resolvedBilirubinTimesULN
    }
}

/// The largest activity of the cycles after a label dose reduction (protocol key `toxicity.after_reduction`).
public enum ActivityAfterReduction: String, CaseIterable, Sendable {
    /// No cycle after a reduction exceeds the reduced (resume) activity — RPTDose default: no re-escalation
    /// unless the protocol says so.
    case reduced
    /// The label's rule: if the reduced activity is tolerated, return to the full label activity (the standard
    /// arm's 7.4 GBq) — never above it, also in the investigational arm.
    case labelFull = "label_full"
    /// Later cycles are planned with the protocol's normal cap again (investigational re-escalation up to 14.8 GBq).
    case protocolCap = "protocol_cap"
}

/// When a toxicity that triggers again counts as recurrent (label: permanently discontinue) — protocol key
/// `toxicity.recurrence`.
public enum RecurrenceRule: String, CaseIterable, Sendable {
    /// Label (LUTATHERA PI Table 2, rows "Recurrent …"): the same toxicity triggering again at any time after
    /// it caused a dose reduction.
    case afterAnyReduction = "after_any_reduction"
    /// Only when it triggers again right after the reduced cycle (the rule before 2026-12; narrower than the label).
    case afterReducedCycleOnly = "after_reduced_cycle_only"
}

/// The package-insert dose-modification policy as data.
///
/// Every rule has the same action scheme (label Table 2): withhold until resolution (complete or partial
/// for the graded toxicities, complete resolution or return to baseline for renal toxicity and
/// hepatotoxicity); resume at `resumeActivityGBq`; if the reduced activity is tolerated (no recurrence)
/// return to full activity in later cycles; permanently discontinue for recurrence at the reduced
/// activity, or for a toxicity that requires a treatment delay of `maxWithholdWeeks` or longer (delay:
/// time since the last administration minus the arm's scheduled interval). A kind absent from the
/// tables is not acted upon.
public struct ToxicityPolicy: Equatable, Sendable {
    /// Activity of the cycle given after resolution (GBq; label 3.7 GBq = 100 mCi).
    public var resumeActivityGBq: Double
    /// A toxicity that delays treatment this many weeks beyond the scheduled interval → discontinue
    /// (label 16 weeks).
    public var maxWithholdWeeks: Double
    /// Graded rules by kind.
    public var graded: [ToxicityKind: GradedToxicityRule]
    /// Renal criteria, or nil when renal toxicity is not acted upon.
    public var renal: RenalToxicityCriteria?
    /// Hepatic criteria, or nil when hepatotoxicity is not acted upon.
    public var hepatic: HepatotoxicityCriteria?
    /// Largest activity of the cycles after a dose reduction (default `.reduced`: no re-escalation).
    public var activityAfterReduction: ActivityAfterReduction
    /// When a toxicity counts as recurrent (default `.afterAnyReduction`, the label's).
    public var recurrence: RecurrenceRule

    public init(resumeActivityGBq: Double, maxWithholdWeeks: Double, graded: [ToxicityKind: GradedToxicityRule],
                renal: RenalToxicityCriteria?, hepatic: HepatotoxicityCriteria?,
                activityAfterReduction: ActivityAfterReduction = .reduced, recurrence: RecurrenceRule = .afterAnyReduction) {
        self.resumeActivityGBq = resumeActivityGBq
        self.maxWithholdWeeks = maxWithholdWeeks
        self.graded = graded
        self.renal = renal
        self.hepatic = hepatic
        self.activityAfterReduction = activityAfterReduction
        self.recurrence = recurrence
    }

    /// LUTATHERA US Prescribing Information (revised 4/2024), section 2.4, Table 2:
    /// thrombocytopenia grade 2–4 (resolved at grade 0–1); anaemia and neutropenia grade 3–4
    /// (resolved at grade 0–2); other possibly related non-haematological grade 3–4 (resolved at
    /// grade 0–2); renal toxicity and hepatotoxicity by their criteria (resolved only on complete
    /// resolution or return to baseline: `RenalToxicityCriteria.hasReturnedToBaseline`,
    /// `HepatotoxicityCriteria.hasResolvedCompletely`); resume at 3.7 GBq; discontinue for a
    /// treatment delay of 16 weeks or more.
    public static let packageInsert = ToxicityPolicy(
        resumeActivityGBq: 3.7, maxWithholdWeeks: 16,
        graded: [.thrombocytopenia: GradedToxicityRule(triggerGrade: 2, resolvedAtGrade: 1),
                 .anemia: GradedToxicityRule(triggerGrade: 3, resolvedAtGrade: 2),
                 .neutropenia: GradedToxicityRule(triggerGrade: 3, resolvedAtGrade: 2),
                 .otherNonHematologic: GradedToxicityRule(triggerGrade: 3, resolvedAtGrade: 2)],
        renal: RenalToxicityCriteria(), hepatic: HepatotoxicityCriteria())  // label thresholds (defaults)

    /// Whether the policy has a rule for `kind`.
    public func hasRule(for kind: ToxicityKind) -> Bool {
        switch kind {
        case .renalToxicity: return renal != nil
        case .hepatotoxicity: return hepatic != nil
        default: return graded[kind] != nil
        }
    }
}
