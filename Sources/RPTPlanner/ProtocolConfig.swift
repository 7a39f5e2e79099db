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
    /// A declared departure from the label activities (key `research_override`); nil for a label protocol.
    public var researchOverride: ResearchOverride?
    /// RECIST 1.1 settings of the response endpoint (key `response_assessment`; used by `rptdose cohort`).
    public var responseAssessment = ResponseAssessment()

    public init(formatVersion: Int = ProtocolConfig.currentFormatVersion, protocolID: String, protocolVersion: String,
                title: String, standardArm: StandardArmSchedule, investigationalArm: InvestigationalArmSchedule,
                limits: DoseLimits, planning: PlanningOptions, toxicity: ToxicityPolicy, researchOverride: ResearchOverride? = nil) {
        self.formatVersion = formatVersion
        self.protocolID = protocolID
        self.protocolVersion = protocolVersion
        self.title = title
        self.standardArm = standardArm
        self.investigationalArm = investigationalArm
        self.limits = limits
        self.planning = planning
        self.toxicity = toxicity
        self.researchOverride = researchOverride
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
        let ra = responseAssessment
        if !(ra.confirmationIntervalWeeks >= 4 && ra.confirmationIntervalWeeks <= 26) {
            err("response_assessment.confirmation_interval_weeks", ra.confirmationIntervalWeeks, "expected 4–26 weeks (RECIST 1.1: no less than 4)")
        }
        if !(ra.stableDiseaseMinimumWeeks >= 0 && ra.stableDiseaseMinimumWeeks <= 26) {
            err("response_assessment.stable_disease_minimum_weeks", ra.stableDiseaseMinimumWeeks, "expected 0–26 weeks (RECIST 1.1: generally 6–8)")
        }

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
        if a.roundingStepGBq > 0, a.maxActivityGBq >= a.roundingStepGBq, a.maxActivityGBq <= LabelLimits.researchCeilingGBq, a.cycles >= 1 {
            let levels = Double(Int((a.maxActivityGBq / a.roundingStepGBq + 1e-9).rounded(.down)) + 1)
            let planned = max(0, a.cycles - max(a.fixedCycles, 1))
            let prefixes = planned > 1 ? pow(levels, Double(planned - 1)) : 1
            if prefixes > Double(ProtocolConfig.maxSearchPrefixes) {
                err("arms.investigational.rounding_step_gbq", a.roundingStepGBq,
                    "with \(planned) planned cycles the exact search would visit \(String(format: "%.3g", prefixes)) combinations (limit \(ProtocolConfig.maxSearchPrefixes)); use a coarser step or fewer cycles")
            }
        }

        // Dose limits and radiobiology: plausible physical ranges, with or without an override.
        for r in LabelLimits.physicalRanges {
            let v = r.value(limits)
            if !v.isFinite || !r.range.contains(v) {
                err(r.field, v, "outside the plausible range \(fmt(r.range.lowerBound))–\(fmt(r.range.upperBound)) \(r.unit) (a typo or a unit mistake?)")
            }
        }
        e += labelErrors(source: source)

        let p = planning
        if !(p.exceedanceProbability > 0 && p.exceedanceProbability < 0.5) {
            err("planning.uncertainty.exceedance_probability", p.exceedanceProbability, "must be in (0, 0.5)")
        }
        nonNegative("planning.uncertainty.prediction_relative_uncertainty", p.predictionRelativeUncertainty)
        let lr = p.lesions
        if !(lr.percentile >= 0 && lr.percentile <= 100) { err("planning.lesions.percentile", lr.percentile, "expected a percentile from 0 (minimum lesion) to 100") }
        nonNegative("planning.lesions.uptake_threshold_gy_per_gbq", lr.uptakeThresholdGyPerGBq)
        if lr.uptakeThresholdGyPerGBq > 1000 {
            err("planning.lesions.uptake_threshold_gy_per_gbq", lr.uptakeThresholdGyPerGBq, "expected 0–1000 Gy/GBq (lesion doses per activity are of the order of 0.1–50 Gy/GBq)")
        }
        if let t = lr.targetDoseGy, !(t > 0 && t <= 10_000) {
            err("planning.lesions.target_dose_gy", t, "expected a cumulative lesion dose in (0, 10000] Gy, or `none`")
        }
        if !(lr.baseActivityGBq > 0 && lr.baseActivityGBq <= a.maxActivityGBq) {
            err("planning.lesions.base_activity_gbq", lr.baseActivityGBq,
                "expected an activity in (0, arms.investigational.max_activity_gbq = \(fmt(a.maxActivityGBq))] GBq")
        }

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

    /// Departures from the label activities: each is an error without an acknowledged research override;
    /// with one, only values above the research ceiling (29.6 GBq) and a resume activity above the cap are.
    func labelErrors(source: String) -> [InputError] {
        var e: [InputError] = []
        let deviations = LabelLimits.deviations(self)
        let override = researchOverride
        if let o = override, o.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            e.append(InputError(source: source, field: "research_override.reason", value: "",
                                reason: "must say why the protocol departs from the label (e.g. the approving ethics committee and protocol number)"))
        }
        if override == nil {
            for d in deviations {
                e.append(InputError(source: source, field: d.field, value: fmt(d.value),
                                    reason: "expected \(d.allowed) (LUTATHERA label / trial NCT06395402); a research protocol that departs from it must declare research_override and be run with --research-override"))
            }
        } else if override?.acknowledged == false {
            e.append(InputError(source: source, field: "research_override", value: override!.reason,
                                reason: "the protocol declares a research override of the label activities; pass --research-override to plan with it"
                                    + (deviations.isEmpty ? "" : " (departs: " + deviations.map(\.field).joined(separator: ", ") + ")")))
        }
        let ceiling = LabelLimits.researchCeilingGBq
        for (field, v) in [("arms.standard.activity_gbq", standardArm.activityGBq),
                           ("arms.investigational.fixed_activity_gbq", investigationalArm.fixedActivityGBq),
                           ("arms.investigational.max_activity_gbq", investigationalArm.maxActivityGBq),
                           ("toxicity.resume_activity_gbq", toxicity.resumeActivityGBq)] where v > ceiling {
            e.append(InputError(source: source, field: field, value: fmt(v),
                                reason: "expected at most \(fmt(ceiling)) GBq (800 mCi) per cycle even under a research override; \(fmt(LabelLimits.maxCycleActivityGBq)) GBq (400 mCi) without one (was the value typed in mCi or MBq?)"))
        }
        if toxicity.resumeActivityGBq > investigationalArm.maxActivityGBq {
            e.append(InputError(source: source, field: "toxicity.resume_activity_gbq", value: fmt(toxicity.resumeActivityGBq),
                                reason: "expected at most arms.investigational.max_activity_gbq (\(fmt(investigationalArm.maxActivityGBq)) GBq): a reduced cycle cannot exceed the cap"))
        }
        if toxicity.resumeActivityGBq > standardArm.activityGBq {
            e.append(InputError(source: source, field: "toxicity.resume_activity_gbq", value: fmt(toxicity.resumeActivityGBq),
                                reason: "expected at most arms.standard.activity_gbq (\(fmt(standardArm.activityGBq)) GBq): a reduced cycle cannot exceed the full activity"))
        }
        return e
    }

    /// Throws `InputErrors` listing every problem, or returns when the configuration is valid.
    public func validate(source: String = "protocol") throws {
        let e = validationErrors(source: source)
        if !e.isEmpty { throw InputErrors(e) }
    }
}
