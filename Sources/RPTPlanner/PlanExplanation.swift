import Foundation

/// The words and the candidate table that explain each cycle of a plan.
enum PlanExplanation {
    /// "minimum lesion", "median lesion", "25th-percentile lesion", …
    static func statisticName(_ percentile: Double) -> String {
        switch percentile {
        case 0: return "minimum lesion"
        case 50: return "median lesion"
        case 100: return "maximum lesion"
        default: return "\(fmt(percentile))th-percentile lesion"
        }
    }

    /// Candidate activities of a planned cycle: 3.7, 7.4, 11.1 and 14.8 GBq (100–400 mCi) and the chosen one, kept when within [minimum, cycleCap]; `evaluate(a)` gives the cumulative
    /// lesion statistic and whether the limits hold with this cycle at `a` and the others as planned.
    static func candidates(chosen: Double, cycleCap: Double, minimum: Double, lesionNames: [String], lesionGyPerGBq: [Double],
                           kidneyGyPerGBq: Double, marrowGyPerGBq: Double, percentile: Double, evaluate: (Double) -> (statistic: Double?, withinLimits: Bool)) -> [CandidateActivity] {
        var activities = [3.7, 7.4, 11.1, 14.8].filter { $0 >= minimum - 1e-9 && $0 <= cycleCap + 1e-9 }
        if chosen > 0 { activities.append(chosen) }
        var seen = Set<Int>()
        activities = activities.sorted().filter { seen.insert(Int(($0 * 1e6).rounded())).inserted }
        return activities.map { a in
            let e = evaluate(a)
            return CandidateActivity(activityGBq: a, activityMCi: ActivityUnits.mCi(fromGBq: a),
                                     lesionDosesGy: zip(lesionNames, lesionGyPerGBq).map { LesionDose(lesion: $0, doseGy: a * $1) },
                                     kidneyDoseGy: a * kidneyGyPerGBq, marrowDoseGy: a * marrowGyPerGBq,
                                     lesionStatisticGyCumulative: e.statistic, withinLimits: e.withinLimits,
                                     chosen: abs(a - chosen) < 1e-9)
        }
    }

    /// Why a cycle has its activity, in one or two sentences.
    static func text(_ c: PlannedCycle, config: ProtocolConfig, limits: PlanLimits, arm: TreatmentArm,
                     lesionStatisticGy: Double?) -> String {
        let a = "\(fmt(c.activityGBq)) GBq (\(fmt(ActivityUnits.mCi(fromGBq: c.activityGBq))) mCi)"
        let rule = config.planning.lesions
        let stat = statisticName(rule.percentile)
        func margin(_ m: Double?) -> String { m.map { ", margin \(fmt2($0)) Gy" } ?? "" }
        switch c.status {
        case .withheld: return "Withheld: " + (c.note ?? "toxicity rule")
        case .discontinued: return "Discontinued: " + (c.note ?? "toxicity rule")
        case .pendingDosimetry: return "Planned after the dosimetry of the fixed cycle(s)."
        case .notGiven: return "Not given: " + (c.note ?? "the room under the organ limits is below the minimum activity")
        case .planned: break
        }
        var s: String
        switch c.bindingConstraint {
        case .fixedProtocol:
            s = arm == .standard ? "\(a): the standard arm's fixed activity (label)." : "\(a): fixed by protocol for this cycle (label activity)."
        case .toxicityRule:
            s = "\(a): label dose-modification rule — " + (c.note ?? "toxicity") + "."
        case .activityCap:
            s = "\(a): the per-cycle cap of \(fmt(config.investigationalArm.maxActivityGBq)) GBq"
                + (config.researchOverride == nil ? " (trial maximum)" : " (research override)") + "; the organ limits would allow more."
        case .kidneyDose:
            s = "\(a): one more \(fmt(config.investigationalArm.roundingStepGBq)) GBq step would exceed the cumulative kidney absorbed-dose limit of \(fmt(limits.kidneyDoseGy)) Gy\(margin(c.margins?.kidneyDoseGy))."
        case .kidneyBED:
            s = "\(a): one more \(fmt(config.investigationalArm.roundingStepGBq)) GBq step would exceed the cumulative kidney BED limit of \(fmt(limits.kidneyBEDGy)) Gy\(margin(c.margins?.kidneyBEDGy))."
        case .marrowDose:
            s = "\(a): one more \(fmt(config.investigationalArm.roundingStepGBq)) GBq step would exceed the cumulative red-marrow limit of \(fmt(limits.marrowDoseGy)) Gy\(margin(c.margins?.marrowDoseGy))."
        case .uptakeThreshold:
            s = "\(a): uptake threshold — " + (c.note ?? "lesion uptake too low to justify escalation") + "."
        case .lesionTarget:
            s = "\(a): lesion target — the \(stat) cumulative dose reaches the target of \(fmt(rule.targetDoseGy ?? .nan)) Gy"
                + (lesionStatisticGy.map { " (predicted \(fmt2($0)) Gy at the end of the plan)" } ?? "")
                + " without further escalation above \(fmt(rule.baseActivityGBq)) GBq."
        case .minimumActivity:
            s = "Not given: " + (c.note ?? "below the minimum activity")
        }
        if c.bindingConstraint != .lesionTarget, let v = lesionStatisticGy, arm == .investigational, rule.mode == .tailored,
           let t = rule.targetDoseGy {
            s += " Predicted \(stat) cumulative dose \(fmt2(v)) Gy (target \(fmt(t)) Gy)."
        }
        return s
    }
}

/// Two decimals for doses in explanations.
func fmt2(_ x: Double) -> String { String(format: "%.2f", x) }
