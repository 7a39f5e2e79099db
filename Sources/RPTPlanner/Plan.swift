import Foundation
import RPTCore

/// State of a cycle in a plan.
public enum CycleStatus: String, Codable, Sendable {
    /// To be given at `activity_gbq`.
    case planned
    /// Not given now because of a toxicity rule; re-assess (re-plan) on resolution.
    case withheld
    /// Not given: treatment permanently discontinued.
    case discontinued
    /// Not given: the room left under the limits is below the minimum activity.
    case notGiven = "not_given"
    /// Cannot be planned before the first cycle's dosimetry.
    case pendingDosimetry = "pending_dosimetry"
}

/// Cumulative organ quantities at the end of a cycle.
public struct OrganTotals: Codable, Equatable, Sendable {
    public var kidneyDoseGy: Double
    public var kidneyBEDGy: Double
    public var marrowDoseGy: Double
    enum CodingKeys: String, CodingKey {
        case kidneyDoseGy = "kidney_dose_gy_cumulative", kidneyBEDGy = "kidney_bed_gy_cumulative"
        case marrowDoseGy = "marrow_dose_gy_cumulative"
    }
}

/// Distance from each limit (limit − cumulative value in the planning basis; negative = exceeded).
public struct LimitMargins: Codable, Equatable, Sendable {
    public var kidneyDoseGy: Double
    public var kidneyBEDGy: Double
    public var marrowDoseGy: Double
    enum CodingKeys: String, CodingKey {
        case kidneyDoseGy = "kidney_dose_gy", kidneyBEDGy = "kidney_bed_gy", marrowDoseGy = "marrow_dose_gy"
    }
}

/// A lesion's cumulative absorbed dose.
public struct LesionDose: Codable, Equatable, Sendable {
    public var lesion: String
    public var doseGy: Double
    enum CodingKeys: String, CodingKey { case lesion, doseGy = "dose_gy_cumulative" }
}

/// What one candidate activity of a planned cycle would give (the other cycles as planned).
public struct CandidateActivity: Codable, Equatable, Sendable {
    public var activityGBq: Double
    public var activityMCi: Double
    /// Expected absorbed dose of each lesion from this cycle alone (Gy).
    public var lesionDosesGy: [LesionDose]
    /// Expected kidney (both kidneys) and red-marrow absorbed dose from this cycle alone (Gy): the activity × the
    /// cycle's predicted point dose per activity; nil in plans made before 2026-12 (not in their JSON).
    public var kidneyDoseGy: Double?
    public var marrowDoseGy: Double?
    /// The protocol's lesion statistic (`planning.lesions.percentile`) of the cumulative lesion doses at the
    /// end of the plan (Gy); nil without lesions.
    public var lesionStatisticGyCumulative: Double?
    /// Whether the plan with this candidate keeps every organ limit (in the planning basis).
    public var withinLimits: Bool
    /// This is the planned activity.
    public var chosen: Bool
    enum CodingKeys: String, CodingKey {
        case activityGBq = "activity_gbq", activityMCi = "activity_mci", lesionDosesGy = "lesion_doses_gy"
        case lesionStatisticGyCumulative = "lesion_statistic_gy_cumulative", withinLimits = "within_limits", chosen
        case kidneyDoseGy = "kidney_dose_gy", marrowDoseGy = "marrow_dose_gy"
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(activityGBq, forKey: .activityGBq)
        try c.encode(activityMCi, forKey: .activityMCi)
        try c.encode(lesionDosesGy, forKey: .lesionDosesGy)
        try c.encode(kidneyDoseGy, forKey: .kidneyDoseGy)
        try c.encode(marrowDoseGy, forKey: .marrowDoseGy)
        try c.encode(lesionStatisticGyCumulative, forKey: .lesionStatisticGyCumulative)
        try c.encode(withinLimits, forKey: .withinLimits)
        try c.encode(chosen, forKey: .chosen)
    }
}

/// One cycle of the plan with its explanation. Dose fields are nil (JSON null) when there is no
/// dosimetry yet. Cumulative values include all earlier cycles (given and planned).
public struct PlannedCycle: Codable, Equatable, Sendable {
    public var cycle: Int
    public var status: CycleStatus
    public var activityGBq: Double
    public var activityMCi: Double
    public var bindingConstraint: BindingConstraint
    /// Predicted kidney dose per activity for this cycle (Gy/GBq, point prediction).
    public var kidneyDoseGyPerGBq: Double?
    /// Predicted marrow dose per activity (Gy/GBq).
    public var marrowDoseGyPerGBq: Double?
    /// Predicted kidney effective decay constant (1/h).
    public var kidneyEffectiveDecayPerHour: Double?
    /// Point-predicted cumulative values.
    public var kidneyDoseGyCumulative: Double?
    public var kidneyBEDGyCumulative: Double?
    public var marrowDoseGyCumulative: Double?
    public var tumourDosesGyCumulative: [LesionDose]?
    /// Margins to the limits in the planning basis (upper bound in quantile mode).
    public var margins: LimitMargins?
    /// Quantile mode: cumulative values at the (1 − p) quantile (what the limits were checked against).
    public var upperBound: OrganTotals?
    public var note: String?
    /// Why this activity, in words (organ limit, lesion target, uptake threshold, label rule, …).
    public var explanation: String?
    /// Planned cycles: the expected lesion doses of candidate activities (3.7, 7.4, 11.1, 14.8 GBq and the
    /// planned one, within the cycle's cap).
    public var candidates: [CandidateActivity]?

    enum CodingKeys: String, CodingKey {
        case cycle, status, activityGBq = "activity_gbq", activityMCi = "activity_mci"
        case bindingConstraint = "binding_constraint", kidneyDoseGyPerGBq = "kidney_dose_gy_per_gbq"
        case marrowDoseGyPerGBq = "marrow_dose_gy_per_gbq", kidneyEffectiveDecayPerHour = "kidney_lambda_eff_per_h"
        case kidneyDoseGyCumulative = "kidney_dose_gy_cumulative", kidneyBEDGyCumulative = "kidney_bed_gy_cumulative"
        case marrowDoseGyCumulative = "marrow_dose_gy_cumulative", tumourDosesGyCumulative = "tumour_doses_gy_cumulative"
        case margins, upperBound = "upper_bound", note, explanation, candidates
    }

    /// Writes every key, with null for absent values, so the JSON shape never changes.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cycle, forKey: .cycle)
        try c.encode(status, forKey: .status)
        try c.encode(activityGBq, forKey: .activityGBq)
        try c.encode(activityMCi, forKey: .activityMCi)
        try c.encode(bindingConstraint, forKey: .bindingConstraint)
        try c.encode(kidneyDoseGyPerGBq, forKey: .kidneyDoseGyPerGBq)
        try c.encode(marrowDoseGyPerGBq, forKey: .marrowDoseGyPerGBq)
        try c.encode(kidneyEffectiveDecayPerHour, forKey: .kidneyEffectiveDecayPerHour)
        try c.encode(kidneyDoseGyCumulative, forKey: .kidneyDoseGyCumulative)
        try c.encode(kidneyBEDGyCumulative, forKey: .kidneyBEDGyCumulative)
        try c.encode(marrowDoseGyCumulative, forKey: .marrowDoseGyCumulative)
        try c.encode(tumourDosesGyCumulative, forKey: .tumourDosesGyCumulative)
        try c.encode(margins, forKey: .margins)
        try c.encode(upperBound, forKey: .upperBound)
        try c.encode(note, forKey: .note)
        try c.encode(explanation, forKey: .explanation)
        try c.encode(candidates, forKey: .candidates)
    }
}

/// A cycle already given, with its measured (point) cumulative doses.
public struct GivenCycle: Codable, Equatable, Sendable {
    public var cycle: Int
    public var activityGBq: Double
    public var activityMCi: Double
    public var kidneyDoseGyCumulative: Double
    public var kidneyBEDGyCumulative: Double
    public var marrowDoseGyCumulative: Double
    public var tumourDosesGyCumulative: [LesionDose]
    enum CodingKeys: String, CodingKey {
        case cycle, activityGBq = "activity_gbq", activityMCi = "activity_mci"
        case kidneyDoseGyCumulative = "kidney_dose_gy_cumulative", kidneyBEDGyCumulative = "kidney_bed_gy_cumulative"
        case marrowDoseGyCumulative = "marrow_dose_gy_cumulative", tumourDosesGyCumulative = "tumour_doses_gy_cumulative"
    }
}

/// The limits that applied to this patient.
public struct PlanLimits: Codable, Equatable, Sendable {
    public var kidneyDoseGy: Double
    public var kidneyBEDGy: Double
    public var kidneyRiskFactors: Bool
    public var marrowDoseGy: Double
    public var kidneyAlphaBetaGy: Double
    public var kidneyRepairHalfTimeHours: Double
    enum CodingKeys: String, CodingKey {
        case kidneyDoseGy = "kidney_dose_gy", kidneyBEDGy = "kidney_bed_gy", kidneyRiskFactors = "kidney_risk_factors"
        case marrowDoseGy = "marrow_dose_gy", kidneyAlphaBetaGy = "kidney_alpha_beta_gy"
        case kidneyRepairHalfTimeHours = "kidney_repair_half_time_h"
    }
}

/// The toxicity decision that shaped the plan.
public struct PlanToxicity: Codable, Equatable, Sendable {
    public var action: ToxicityDecision.Action
    public var toxicities: [ToxicityKind]
    public var reason: String
}

/// A research override of the label activities under which a plan was made (provenance).
public struct PlanResearchOverride: Codable, Equatable, Sendable {
    /// The protocol's stated reason (`research_override.reason`).
    public var reason: String
    /// Each setting that departs from the label, in words (empty when none does).
    public var deviations: [String]
}

/// A treatment plan: the remaining cycles of one patient with their explanation.
public struct Plan: Codable, Equatable, Sendable {
    public var protocolID: String
    public var protocolVersion: String
    public var arm: TreatmentArm
    public var mode: UncertaintyMode
    /// Quantile mode: allowed exceedance probability per limit, and its normal quantile z.
    public var exceedanceProbability: Double?
    public var quantileZ: Double?
    public var predictionMethod: PredictionMethod
    public var objective: TumourObjective
    public var limits: PlanLimits
    public var toxicity: PlanToxicity
    public var given: [GivenCycle]
    public var cycles: [PlannedCycle]
    public var notes: [String]
    /// The research override of the label activities in force, or nil (JSON null) for a label protocol.
    public var researchOverride: PlanResearchOverride? = nil
    /// When, by what and from which manifest and dosimetry the plan was made (set by the caller that
    /// read the study; nil in plans written before it existed).
    public var provenance: PlanProvenance? = nil
    /// The per-cycle error model behind the plan (nil in plans written before it existed).
    public var uncertainty: PlanUncertainty? = nil

    enum CodingKeys: String, CodingKey {
        case protocolID = "protocol_id", protocolVersion = "protocol_version", arm, mode
        case exceedanceProbability = "exceedance_probability", quantileZ = "quantile_z"
        case predictionMethod = "prediction_method", objective, limits, toxicity, given, cycles, notes
        case researchOverride = "research_override", provenance, uncertainty
    }

    /// Writes every key, with null for absent values, so the JSON shape never changes.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(protocolID, forKey: .protocolID)
        try c.encode(protocolVersion, forKey: .protocolVersion)
        try c.encode(arm, forKey: .arm)
        try c.encode(mode, forKey: .mode)
        try c.encode(exceedanceProbability, forKey: .exceedanceProbability)
        try c.encode(quantileZ, forKey: .quantileZ)
        try c.encode(predictionMethod, forKey: .predictionMethod)
        try c.encode(objective, forKey: .objective)
        try c.encode(limits, forKey: .limits)
        try c.encode(toxicity, forKey: .toxicity)
        try c.encode(given, forKey: .given)
        try c.encode(cycles, forKey: .cycles)
        try c.encode(notes, forKey: .notes)
        try c.encode(researchOverride, forKey: .researchOverride)
        try c.encode(provenance, forKey: .provenance)
        try c.encode(uncertainty, forKey: .uncertainty)
    }

    /// Pretty-printed JSON with sorted keys (stable output for diffs and tests).
    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(self)
    }

    /// Writes the JSON atomically to `path`.
    public func writeJSON(to path: String) throws {
        try AtomicFile.write(try jsonData(), to: path)
    }

    /// Total activity of the planned cycles (GBq).
    public var plannedActivityGBq: Double {
        cycles.filter { $0.status == .planned }.map(\.activityGBq).reduce(0, +)
    }
}
