import Foundation
import RPTCore

/// A treatment protocol: arms, organ limits, planning choices and dose-modification rules.
///
/// Read from a versioned YAML file (docs/formats/protocol.md; `ProtocolConfig.load(path:)`) or
/// taken from `trialDefault`. `validate()` lists every problem at once, naming the YAML key path.
public struct ProtocolConfig: Equatable, Sendable {
    /// Version of the YAML format this release reads and writes.
    public static let currentFormatVersion = 1

    /// Format version of the file (must equal `currentFormatVersion`).
    public var formatVersion: Int
    /// Trial or protocol identifier (e.g. "NCT06395402").
    public var protocolID: String
    /// Version of this protocol configuration (reported in every plan).
    public var protocolVersion: String
    /// Free-text title.
    public var title: String
    public var standardArm: StandardArmSchedule
    public var investigationalArm: InvestigationalArmSchedule
    public var limits: DoseLimits
    public var planning: PlanningOptions
    public var toxicity: ToxicityPolicy

    public init(formatVersion: Int = ProtocolConfig.currentFormatVersion, protocolID: String, protocolVersion: String,
                title: String, standardArm: StandardArmSchedule, investigationalArm: InvestigationalArmSchedule,
                limits: DoseLimits, planning: PlanningOptions, toxicity: ToxicityPolicy) {
        self.formatVersion = formatVersion
        self.protocolID = protocolID
        self.protocolVersion = protocolVersion
        self.title = title
        self.standardArm = standardArm
        self.investigationalArm = investigationalArm
        self.limits = limits
        self.planning = planning
        self.toxicity = toxicity
    }

    /// Built-in defaults for trial NCT06395402 (Lu-177 DOTATATE in GEP-NETs, randomised 2:1):
    /// standard arm 4 × 7.4 GBq every 8 weeks; investigational arm 7.4 GBq in cycle 1, then planned
    /// activities up to 14.8 GBq in cycles 2–4; limits and radiobiology as documented on `DoseLimits`;
    /// LUTATHERA package-insert dose modifications. The minimum planned activity (1.85 GBq) and the
    /// rounding step (0.1 GBq, down) are RPTDose planning defaults, not trial values.
    public static let trialDefault = ProtocolConfig(
        protocolID: "NCT06395402", protocolVersion: "rptdose-default-1",
        title: "Lu-177 DOTATATE for GEP-NETs: standard 7.4 GBq vs dosimetry-planned activity",
        standardArm: StandardArmSchedule(), investigationalArm: InvestigationalArmSchedule(),
        limits: DoseLimits(), planning: PlanningOptions(), toxicity: .packageInsert)

    /// Largest number of candidate activity combinations the exact planner may enumerate
    /// (the search visits (number of activity levels)^(remaining planned cycles − 1) prefixes).
    public static let maxSearchPrefixes = 4_000_000

    /// Every problem with this configuration, each naming the YAML key path (empty when valid).
    public func validationErrors(source: String = "protocol") -> [InputError] {
        var e: [InputError] = []
        func err(_ field: String, _ value: Any, _ reason: String) {
            e.append(InputError(source: source, field: field, value: "\(value)", reason: reason))
        }
        func positive(_ field: String, _ v: Double) { if !(v > 0) || !v.isFinite { err(field, v, "must be a positive number") } }
        func nonNegative(_ field: String, _ v: Double) { if !(v >= 0) || !v.isFinite { err(field, v, "must be a number ≥ 0") } }

        if formatVersion != ProtocolConfig.currentFormatVersion {
            err("format_version", formatVersion, "this release reads format version \(ProtocolConfig.currentFormatVersion)")
        }
        if protocolID.isEmpty { err("protocol.id", "", "must not be empty") }
        if protocolVersion.isEmpty { err("protocol.version", "", "must not be empty") }

        let s = standardArm
        if s.cycles < 1 { err("arms.standard.cycles", s.cycles, "must be ≥ 1") }
        positive("arms.standard.interval_weeks", s.intervalWeeks)
        positive("arms.standard.activity_gbq", s.activityGBq)

        let a = investigationalArm
        if a.cycles < 1 { err("arms.investigational.cycles", a.cycles, "must be ≥ 1") }
        positive("arms.investigational.interval_weeks", a.intervalWeeks)
        if a.fixedCycles < 0 || a.fixedCycles > a.cycles {
            err("arms.investigational.fixed_cycles", a.fixedCycles, "must be between 0 and arms.investigational.cycles (\(a.cycles))")
        }
        positive("arms.investigational.fixed_activity_gbq", a.fixedActivityGBq)
        positive("arms.investigational.max_activity_gbq", a.maxActivityGBq)
        nonNegative("arms.investigational.min_activity_gbq", a.minActivityGBq)
        positive("arms.investigational.rounding_step_gbq", a.roundingStepGBq)
        if a.maxActivityGBq < a.minActivityGBq {
            err("arms.investigational.max_activity_gbq", a.maxActivityGBq,
                "cap is below arms.investigational.min_activity_gbq (\(fmt(a.minActivityGBq)) GBq)")
        }
        if a.roundingStepGBq > 0, a.maxActivityGBq > 0, a.maxActivityGBq < a.roundingStepGBq {
            err("arms.investigational.rounding_step_gbq", a.roundingStepGBq, "is larger than the cap")
        }
        if a.roundingStepGBq > 0, a.maxActivityGBq >= a.roundingStepGBq, a.cycles >= 1 {
            let levels = Double(Int((a.maxActivityGBq / a.roundingStepGBq + 1e-9).rounded(.down)) + 1)
            let planned = max(0, a.cycles - max(a.fixedCycles, 1))
            let prefixes = planned > 1 ? pow(levels, Double(planned - 1)) : 1
            if prefixes > Double(ProtocolConfig.maxSearchPrefixes) {
                err("arms.investigational.rounding_step_gbq", a.roundingStepGBq,
                    "with \(planned) planned cycles the exact search would visit \(String(format: "%.3g", prefixes)) combinations (limit \(ProtocolConfig.maxSearchPrefixes)); use a coarser step or fewer cycles")
            }
        }

        let l = limits
        positive("limits.kidney_dose_gy", l.kidneyDoseGy)
        positive("limits.kidney_bed_gy_with_risk_factors", l.kidneyBEDWithRiskFactorsGy)
        positive("limits.kidney_bed_gy_without_risk_factors", l.kidneyBEDWithoutRiskFactorsGy)
        positive("limits.marrow_dose_gy", l.marrowDoseGy)
        positive("limits.kidney_alpha_beta_gy", l.kidneyAlphaBetaGy)
        positive("limits.kidney_repair_half_time_h", l.kidneyRepairHalfTimeHours)

        let p = planning
        if !(p.exceedanceProbability > 0 && p.exceedanceProbability < 0.5) {
            err("planning.uncertainty.exceedance_probability", p.exceedanceProbability, "must be in (0, 0.5)")
        }
        nonNegative("planning.uncertainty.prediction_relative_uncertainty", p.predictionRelativeUncertainty)

        let t = toxicity
        positive("toxicity.resume_activity_gbq", t.resumeActivityGBq)
        positive("toxicity.max_withhold_weeks", t.maxWithholdWeeks)
        if t.resumeActivityGBq > 0, a.minActivityGBq > t.resumeActivityGBq {
            err("toxicity.resume_activity_gbq", t.resumeActivityGBq,
                "is below arms.investigational.min_activity_gbq (\(fmt(a.minActivityGBq)) GBq), so a resumed cycle could never be given")
        }
        for kind in ToxicityKind.allCases {
            guard let r = t.graded[kind] else { continue }
            let base = "toxicity.rules.\(kind.rawValue)"
            if !kind.isGraded { err(base, kind.rawValue, "is judged by laboratory criteria, not CTCAE grades") }
            if !(1...5).contains(r.triggerGrade) { err(base + ".trigger_grade", r.triggerGrade, "must be a CTCAE grade 1–5") }
            if !(0...4).contains(r.resolvedAtGrade) || r.resolvedAtGrade >= r.triggerGrade {
                err(base + ".resolved_at_grade", r.resolvedAtGrade, "must be a CTCAE grade 0–4 below trigger_grade (\(r.triggerGrade))")
            }
        }
        if let r = t.renal {
            positive("toxicity.rules.renal_toxicity.creatinine_clearance_below_ml_min", r.creatinineClearanceBelowMlPerMin)
            if !(r.creatinineClearanceDecreaseFraction > 0 && r.creatinineClearanceDecreaseFraction < 1) {
                err("toxicity.rules.renal_toxicity.creatinine_clearance_decrease_fraction", r.creatinineClearanceDecreaseFraction, "must be in (0, 1)")
            }
            positive("toxicity.rules.renal_toxicity.serum_creatinine_increase_fraction", r.serumCreatinineIncreaseFraction)
            let tolerance = r.returnToBaselinePercent
            if !(tolerance >= 0 && tolerance < 100 * min(r.creatinineClearanceDecreaseFraction, r.serumCreatinineIncreaseFraction)) {
                err("toxicity.rules.renal_toxicity.return_to_baseline_percent", tolerance,
                    "must be ≥ 0 and below the toxicity thresholds (a value that still meets the criteria cannot be baseline)")
            }
        }
        if let h = t.hepatic {
            positive("toxicity.rules.hepatotoxicity.bilirubin_above_uln_multiple", h.bilirubinAboveULNMultiple)
            positive("toxicity.rules.hepatotoxicity.albumin_below_g_l", h.albuminBelowGramsPerLitre)
            positive("toxicity.rules.hepatotoxicity.inr_above", h.inrAbove)
            if !(h.prothrombinRatioBelowPercent > 0 && h.prothrombinRatioBelowPercent <= 100) {
                err("toxicity.rules.hepatotoxicity.prothrombin_ratio_below_percent", h.prothrombinRatioBelowPercent, "must be in (0, 100]")
            }
            if !(h.resolvedBilirubinTimesULN > 0 && h.resolvedBilirubinTimesULN <= h.bilirubinAboveULNMultiple) {
                err("toxicity.rules.hepatotoxicity.resolved_bilirubin_x_uln", h.resolvedBilirubinTimesULN,
                    "must be > 0 and at most bilirubin_above_uln_multiple (\(fmt(h.bilirubinAboveULNMultiple)))")
            }
        }
        return e
    }

    /// Throws `InputErrors` listing every problem, or returns when the configuration is valid.
    public func validate(source: String = "protocol") throws {
        let e = validationErrors(source: source)
        if !e.isEmpty { throw InputErrors(e) }
    }
}
