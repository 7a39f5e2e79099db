import Foundation
import RPTCore
import RPTYAML
import Yams

extension ProtocolConfig {
    /// Reads and validates a protocol YAML file (format: docs/formats/protocol.md).
    /// Throws `InputErrors` listing every problem with its key path. `researchOverride`: the user passed
    /// `--research-override`, acknowledging the file's `research_override` section (ignored without one).
    public static func load(path: String, researchOverride: Bool = false) throws -> ProtocolConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([InputError(source: path, reason: "cannot read file (missing or not readable)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputErrors([InputError(source: path, reason: "file is not UTF-8 text")])
        }
        return try parse(yaml: text, source: path, researchOverride: researchOverride)
    }

    /// Parses and validates protocol YAML text. Keys that are absent take the `trialDefault`
    /// value, except `format_version`, `protocol.id` and `protocol.version`, which are required.
    /// Unknown keys, wrong types, unknown toxicity names and invalid values are all reported together.
    public static func parse(yaml text: String, source: String = "protocol", researchOverride: Bool = false) throws -> ProtocolConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw InputErrors([InputError(source: source, reason: "not valid YAML: \(error)")])
        }
        let r = YAMLFieldReader(source: source)
        let d = ProtocolConfig.trialDefault
        var c = d
        guard let top = r.mapping(root, path: "") else { throw InputErrors(r.errors) }
        r.allowOnly(top, ["format_version", "protocol", "arms", "limits", "planning", "toxicity", "research_override",
                            "response_assessment"], path: "")

        if let v = r.int(top, "format_version", path: "", required: true) { c.formatVersion = v }
        if let p = r.section(top, "protocol", path: "", required: true) {
            r.allowOnly(p, ["id", "version", "title"], path: "protocol")
            c.protocolID = r.string(p, "id", path: "protocol", required: true) ?? ""
            c.protocolVersion = r.string(p, "version", path: "protocol", required: true) ?? ""
            c.title = r.string(p, "title", path: "protocol") ?? ""
        } else {
            c.protocolID = ""; c.protocolVersion = ""
        }

        if let o = r.section(top, "research_override", path: "") {
            r.allowOnly(o, ["reason"], path: "research_override")
            c.researchOverride = ResearchOverride(reason: r.string(o, "reason", path: "research_override", required: true) ?? "",
                                                  acknowledged: researchOverride)
        }

        if let arms = r.section(top, "arms", path: "") {
            r.allowOnly(arms, ["standard", "investigational"], path: "arms")
            if let s = r.section(arms, "standard", path: "arms") {
                let path = "arms.standard"
                r.allowOnly(s, ["cycles", "interval_weeks", "activity_gbq"], path: path)
                c.standardArm.cycles = r.int(s, "cycles", path: path) ?? d.standardArm.cycles
                c.standardArm.intervalWeeks = r.double(s, "interval_weeks", path: path) ?? d.standardArm.intervalWeeks
                c.standardArm.activityGBq = r.double(s, "activity_gbq", path: path) ?? d.standardArm.activityGBq
            }
            if let s = r.section(arms, "investigational", path: "arms") {
                let path = "arms.investigational", a = d.investigationalArm
                r.allowOnly(s, ["cycles", "interval_weeks", "fixed_cycles", "fixed_activity_gbq", "max_activity_gbq",
                                "min_activity_gbq", "rounding_step_gbq"], path: path)
                c.investigationalArm.cycles = r.int(s, "cycles", path: path) ?? a.cycles
                c.investigationalArm.intervalWeeks = r.double(s, "interval_weeks", path: path) ?? a.intervalWeeks
                c.investigationalArm.fixedCycles = r.int(s, "fixed_cycles", path: path) ?? a.fixedCycles
                c.investigationalArm.fixedActivityGBq = r.double(s, "fixed_activity_gbq", path: path) ?? a.fixedActivityGBq
                c.investigationalArm.maxActivityGBq = r.double(s, "max_activity_gbq", path: path) ?? a.maxActivityGBq
                c.investigationalArm.minActivityGBq = r.double(s, "min_activity_gbq", path: path) ?? a.minActivityGBq
                c.investigationalArm.roundingStepGBq = r.double(s, "rounding_step_gbq", path: path) ?? a.roundingStepGBq
            }
        }

        if let l = r.section(top, "limits", path: "") {
            let path = "limits", dl = d.limits
            r.allowOnly(l, ["kidney_dose_gy", "kidney_bed_gy_with_risk_factors", "kidney_bed_gy_without_risk_factors",
                            "marrow_dose_gy", "kidney_alpha_beta_gy", "kidney_repair_half_time_h"], path: path)
            c.limits.kidneyDoseGy = r.double(l, "kidney_dose_gy", path: path) ?? dl.kidneyDoseGy
            c.limits.kidneyBEDWithRiskFactorsGy = r.double(l, "kidney_bed_gy_with_risk_factors", path: path) ?? dl.kidneyBEDWithRiskFactorsGy
            c.limits.kidneyBEDWithoutRiskFactorsGy = r.double(l, "kidney_bed_gy_without_risk_factors", path: path) ?? dl.kidneyBEDWithoutRiskFactorsGy
            c.limits.marrowDoseGy = r.double(l, "marrow_dose_gy", path: path) ?? dl.marrowDoseGy
            c.limits.kidneyAlphaBetaGy = r.double(l, "kidney_alpha_beta_gy", path: path) ?? dl.kidneyAlphaBetaGy
            c.limits.kidneyRepairHalfTimeHours = r.double(l, "kidney_repair_half_time_h", path: path) ?? dl.kidneyRepairHalfTimeHours
        }

        if let p = r.section(top, "planning", path: "") {
            r.allowOnly(p, ["prediction", "objective", "uncertainty", "lesions"], path: "planning")
            if let l = r.section(p, "lesions", path: "planning") {
                let path = "planning.lesions", dl = d.planning.lesions
                r.allowOnly(l, ["mode", "percentile", "uptake_threshold_gy_per_gbq", "target_dose_gy", "base_activity_gbq"], path: path)
                c.planning.lesions.mode = r.enumeration(l, "mode", path: path) ?? dl.mode
                c.planning.lesions.percentile = r.double(l, "percentile", path: path) ?? dl.percentile
                c.planning.lesions.uptakeThresholdGyPerGBq = r.double(l, "uptake_threshold_gy_per_gbq", path: path) ?? dl.uptakeThresholdGyPerGBq
                if let t = r.node(l, "target_dose_gy", path: path, required: false), t.string == "none" {
                    c.planning.lesions.targetDoseGy = nil
                } else {
                    c.planning.lesions.targetDoseGy = r.double(l, "target_dose_gy", path: path) ?? dl.targetDoseGy
                }
                c.planning.lesions.baseActivityGBq = r.double(l, "base_activity_gbq", path: path) ?? dl.baseActivityGBq
            }
            c.planning.prediction = r.enumeration(p, "prediction", path: "planning") ?? d.planning.prediction
            c.planning.objective = r.enumeration(p, "objective", path: "planning") ?? d.planning.objective
            if let u = r.section(p, "uncertainty", path: "planning") {
                let path = "planning.uncertainty"
                r.allowOnly(u, ["mode", "exceedance_probability", "prediction_relative_uncertainty"], path: path)
                c.planning.uncertainty = r.enumeration(u, "mode", path: path) ?? d.planning.uncertainty
                c.planning.exceedanceProbability = r.double(u, "exceedance_probability", path: path) ?? d.planning.exceedanceProbability
                c.planning.predictionRelativeUncertainty = r.double(u, "prediction_relative_uncertainty", path: path)
                    ?? d.planning.predictionRelativeUncertainty
            }
        }

        if let ra = r.section(top, "response_assessment", path: "") {
            let path = "response_assessment", dr = d.responseAssessment
            r.allowOnly(ra, ["confirmation", "confirmation_interval_weeks", "stable_disease_minimum_weeks"], path: path)
            c.responseAssessment.confirmation = r.enumeration(ra, "confirmation", path: path) ?? dr.confirmation
            c.responseAssessment.confirmationIntervalWeeks = r.double(ra, "confirmation_interval_weeks", path: path) ?? dr.confirmationIntervalWeeks
            c.responseAssessment.stableDiseaseMinimumWeeks = r.double(ra, "stable_disease_minimum_weeks", path: path) ?? dr.stableDiseaseMinimumWeeks
        }
        if let t = r.section(top, "toxicity", path: "") {
            r.allowOnly(t, ["resume_activity_gbq", "max_withhold_weeks", "after_reduction", "recurrence", "rules"], path: "toxicity")
            c.toxicity.activityAfterReduction = r.enumeration(t, "after_reduction", path: "toxicity") ?? d.toxicity.activityAfterReduction
            c.toxicity.recurrence = r.enumeration(t, "recurrence", path: "toxicity") ?? d.toxicity.recurrence
            c.toxicity.resumeActivityGBq = r.double(t, "resume_activity_gbq", path: "toxicity") ?? d.toxicity.resumeActivityGBq
            c.toxicity.maxWithholdWeeks = r.double(t, "max_withhold_weeks", path: "toxicity") ?? d.toxicity.maxWithholdWeeks
            if let rules = r.section(t, "rules", path: "toxicity") {
                for (name, node) in rules {
                    let path = "toxicity.rules.\(name)"
                    guard let kind = ToxicityKind(rawValue: name) else {
                        r.fail(path, name, "unknown toxicity; known: " + ToxicityKind.allCases.map(\.rawValue).joined(separator: ", "))
                        continue
                    }
                    guard let m = r.mapping(node, path: path) else { continue }
                    let enabled = r.bool(m, "enabled", path: path) ?? true
                    switch kind {
                    case .renalToxicity:
                        let dr = RenalToxicityCriteria()
                        r.allowOnly(m, ["enabled", "creatinine_clearance_below_ml_min", "creatinine_clearance_decrease_fraction",
                                        "serum_creatinine_increase_fraction", "return_to_baseline_percent"], path: path)
                        let rule = RenalToxicityCriteria(
                            creatinineClearanceBelowMlPerMin: r.double(m, "creatinine_clearance_below_ml_min", path: path) ?? dr.creatinineClearanceBelowMlPerMin,
                            creatinineClearanceDecreaseFraction: r.double(m, "creatinine_clearance_decrease_fraction", path: path) ?? dr.creatinineClearanceDecreaseFraction,
                            serumCreatinineIncreaseFraction: r.double(m, "serum_creatinine_increase_fraction", path: path) ?? dr.serumCreatinineIncreaseFraction,
                            returnToBaselinePercent: r.double(m, "return_to_baseline_percent", path: path) ?? dr.returnToBaselinePercent)
                        c.toxicity.renal = enabled ? rule : nil
                    case .hepatotoxicity:
                        let dh = HepatotoxicityCriteria()
                        r.allowOnly(m, ["enabled", "bilirubin_above_uln_multiple", "albumin_below_g_l",
                                        "prothrombin_ratio_below_percent", "inr_above", "resolved_bilirubin_x_uln"], path: path)
                        let rule = HepatotoxicityCriteria(
                            bilirubinAboveULNMultiple: r.double(m, "bilirubin_above_uln_multiple", path: path) ?? dh.bilirubinAboveULNMultiple,
                            albuminBelowGramsPerLitre: r.double(m, "albumin_below_g_l", path: path) ?? dh.albuminBelowGramsPerLitre,
                            prothrombinRatioBelowPercent: r.double(m, "prothrombin_ratio_below_percent", path: path) ?? dh.prothrombinRatioBelowPercent,
                            inrAbove: r.double(m, "inr_above", path: path) ?? dh.inrAbove,
                            resolvedBilirubinTimesULN: r.double(m, "resolved_bilirubin_x_uln", path: path) ?? dh.resolvedBilirubinTimesULN)
                        c.toxicity.hepatic = enabled ? rule : nil
                    default:
                        let dg = ToxicityPolicy.packageInsert.graded[kind]!
                        r.allowOnly(m, ["enabled", "trigger_grade", "resolved_at_grade"], path: path)
                        let rule = GradedToxicityRule(triggerGrade: r.int(m, "trigger_grade", path: path) ?? dg.triggerGrade,
                                                      resolvedAtGrade: r.int(m, "resolved_at_grade", path: path) ?? dg.resolvedAtGrade)
                        c.toxicity.graded[kind] = enabled ? rule : nil
                    }
                }
            }
        }

        // Semantic checks for everything that parsed; a field with a parse error is reported once.
        let reported = Set(r.errors.map(\.field))
        let semantic = c.validationErrors(source: source).filter { e in
            !reported.contains(e.field) && !reported.contains(where: { !$0.isEmpty && e.field.hasPrefix($0 + ".") })
        }
        let all = r.errors + semantic
        if !all.isEmpty { throw InputErrors(all) }
        return c
    }

    /// The configuration as YAML in the documented format (every key written; parses back equal).
    public func yamlString() -> String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var y = """
        # RPTDose treatment protocol (format: docs/formats/protocol.md)
        format_version: \(formatVersion)
        protocol:
          id: \(q(protocolID))
          version: \(q(protocolVersion))
          title: \(q(title))
        arms:
          standard:
            cycles: \(standardArm.cycles)
            interval_weeks: \(standardArm.intervalWeeks)
            activity_gbq: \(standardArm.activityGBq)
          investigational:
            cycles: \(investigationalArm.cycles)
            interval_weeks: \(investigationalArm.intervalWeeks)
            fixed_cycles: \(investigationalArm.fixedCycles)
            fixed_activity_gbq: \(investigationalArm.fixedActivityGBq)
            max_activity_gbq: \(investigationalArm.maxActivityGBq)
            min_activity_gbq: \(investigationalArm.minActivityGBq)
            rounding_step_gbq: \(investigationalArm.roundingStepGBq)
        limits:
          kidney_dose_gy: \(limits.kidneyDoseGy)
          kidney_bed_gy_with_risk_factors: \(limits.kidneyBEDWithRiskFactorsGy)
          kidney_bed_gy_without_risk_factors: \(limits.kidneyBEDWithoutRiskFactorsGy)
          marrow_dose_gy: \(limits.marrowDoseGy)
          kidney_alpha_beta_gy: \(limits.kidneyAlphaBetaGy)
          kidney_repair_half_time_h: \(limits.kidneyRepairHalfTimeHours)
        planning:
          prediction: \(planning.prediction.rawValue)
          objective: \(planning.objective.rawValue)
          uncertainty:
            mode: \(planning.uncertainty.rawValue)
            exceedance_probability: \(planning.exceedanceProbability)
            prediction_relative_uncertainty: \(planning.predictionRelativeUncertainty)
          lesions:
            mode: \(planning.lesions.mode.rawValue)
            percentile: \(planning.lesions.percentile)
            uptake_threshold_gy_per_gbq: \(planning.lesions.uptakeThresholdGyPerGBq)
            target_dose_gy: \(planning.lesions.targetDoseGy.map { "\($0)" } ?? "none")
            base_activity_gbq: \(planning.lesions.baseActivityGBq)
        toxicity:
          resume_activity_gbq: \(toxicity.resumeActivityGBq)
          max_withhold_weeks: \(toxicity.maxWithholdWeeks)
          after_reduction: \(toxicity.activityAfterReduction.rawValue)
          recurrence: \(toxicity.recurrence.rawValue)
          rules:

        """
        for kind in ToxicityKind.allCases {
            switch kind {
            case .renalToxicity:
                if let r = toxicity.renal {
                    y += "    renal_toxicity:\n      creatinine_clearance_below_ml_min: \(r.creatinineClearanceBelowMlPerMin)\n"
                    y += "      creatinine_clearance_decrease_fraction: \(r.creatinineClearanceDecreaseFraction)\n"
                    y += "      serum_creatinine_increase_fraction: \(r.serumCreatinineIncreaseFraction)\n"
                    y += "      return_to_baseline_percent: \(r.returnToBaselinePercent)\n"
                } else { y += "    renal_toxicity:\n      enabled: false\n" }
            case .hepatotoxicity:
                if let h = toxicity.hepatic {
                    y += "    hepatotoxicity:\n      bilirubin_above_uln_multiple: \(h.bilirubinAboveULNMultiple)\n"
                    y += "      albumin_below_g_l: \(h.albuminBelowGramsPerLitre)\n"
                    y += "      prothrombin_ratio_below_percent: \(h.prothrombinRatioBelowPercent)\n      inr_above: \(h.inrAbove)\n"
                    y += "      resolved_bilirubin_x_uln: \(h.resolvedBilirubinTimesULN)\n"
                } else { y += "    hepatotoxicity:\n      enabled: false\n" }
            default:
                if let g = toxicity.graded[kind] {
                    y += "    \(kind.rawValue):\n      trigger_grade: \(g.triggerGrade)\n      resolved_at_grade: \(g.resolvedAtGrade)\n"
                } else { y += "    \(kind.rawValue):\n      enabled: false\n" }
            }
        }
        y += "response_assessment:\n  confirmation: \(responseAssessment.confirmation.rawValue)\n"
        y += "  confirmation_interval_weeks: \(responseAssessment.confirmationIntervalWeeks)\n"
        y += "  stable_disease_minimum_weeks: \(responseAssessment.stableDiseaseMinimumWeeks)\n"
        if let o = researchOverride { y += "research_override:\n  reason: \(q(o.reason))\n" }
        return y
    }
}
