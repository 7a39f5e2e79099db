import Foundation
import RPTKinetics
import RPTPlanner

/// The words the report prints for the code's identifiers — models, constraints, objectives, statuses,
/// region kinds and region names — in one place (docs/report.md, "Wording"). No enum raw value or
/// label-table name reaches the report's visible text except through here.
public enum ClinicalNames {
    /// The radiopharmaceutical of the trial (NCT06395402).
    public static let radiopharmaceutical = "Lu-177 DOTATATE (lutetium-177 oxodotreotide)"

    public static func model(_ m: ExponentialModel) -> String {
        switch m {
        case .monoExponential: "mono-exponential washout"
        case .biExponentialUptake: "uptake and mono-exponential washout"
        case .biExponential: "bi-exponential washout"
        case .triExponentialUptake: "uptake and bi-exponential washout"
        }
    }

    /// A fit-method string of `dosimetry.h5` with its model identifiers replaced by their names.
    public static func method(_ text: String) -> String {
        var s = text
        // Longest raw values first so that no name is a prefix of another's replacement.
        for m in ExponentialModel.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }) {
            s = s.replacingOccurrences(of: m.rawValue, with: model(m))
        }
        s = s.replacingOccurrences(of: "AICc → ", with: "model chosen by AICc: ")
        return s
    }

    public static func constraint(_ c: BindingConstraint) -> String {
        switch c {
        case .kidneyDose: "kidney absorbed-dose limit"
        case .kidneyBED: "kidney BED limit"
        case .marrowDose: "red-marrow dose limit"
        case .activityCap: "per-cycle activity cap"
        case .toxicityRule: "toxicity dose modification"
        case .minimumActivity: "below the minimum activity"
        case .fixedProtocol: "fixed by protocol"
        case .uptakeThreshold: "lesion uptake below the escalation threshold"
        case .lesionTarget: "lesion target dose reached"
        }
    }

    /// Why a cycle has its activity, in a sentence.
    public static func reason(_ c: BindingConstraint) -> String {
        switch c {
        case .kidneyDose: "highest activity (in protocol steps) that keeps the cumulative kidney dose under its limit"
        case .kidneyBED: "highest activity (in protocol steps) that keeps the cumulative kidney BED under its limit"
        case .marrowDose: "highest activity (in protocol steps) that keeps the cumulative red-marrow dose under its limit"
        case .activityCap: "the protocol's maximum activity per cycle; the limits would allow more"
        case .toxicityRule: "set by the toxicity dose-modification rule"
        case .minimumActivity: "not given: the room left under the limits is below the protocol's minimum activity"
        case .fixedProtocol: "the protocol's fixed activity for this cycle"
        case .uptakeThreshold: "the lesions' dose per GBq is below the protocol's threshold for escalation, so the base activity is given"
        case .lesionTarget: "the lowest activity that brings the lesions to the protocol's target cumulative dose"
        }
    }

    public static func objective(_ o: TumourObjective) -> String {
        switch o {
        case .sumOfLesions: "maximise the sum of the lesions' cumulative doses"
        case .minimumLesion: "maximise the lowest lesion's cumulative dose"
        }
    }

    public static func prediction(_ p: PredictionMethod) -> String {
        switch p {
        case .last: "last measured cycle"
        case .mean: "mean of the measured cycles"
        case .linearTrend: "linear trend over the measured cycles"
        }
    }

    public static func mode(_ m: UncertaintyMode) -> String {
        switch m {
        case .deterministic: "limits checked against the point predictions"
        case .quantile: "limits checked against an upper quantile of the predictions"
        }
    }

    public static func status(_ s: CycleStatus) -> String {
        switch s {
        case .planned: "planned"
        case .withheld: "withheld"
        case .discontinued: "discontinued"
        case .notGiven: "not given"
        case .pendingDosimetry: "awaiting dosimetry"
        }
    }

    public static func arm(_ a: TreatmentArm) -> String {
        switch a {
        case .standard: "standard arm (fixed 7.4 GBq)"
        case .investigational: "investigational arm (dosimetry-guided)"
        }
    }

    public static func action(_ a: ToxicityDecision.Action) -> String {
        switch a {
        case .none: "none"
        case .reduce: "reduce the next activity"
        case .withhold: "withhold the next cycle"
        case .discontinue: "discontinue treatment"
        }
    }

    /// Region kind of the region table (`organ`, `lesion`, `red_marrow`).
    public static func kind(_ k: String) -> String {
        switch k {
        case "red_marrow": "red marrow"
        default: k.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// A setting or method keyword of a result file (`tia_map_method`, `hybrid`, `gtm` …) in words:
    /// underscores as spaces, with the few keywords that need it spelled out.
    public static func setting(_ key: String) -> String {
        let known = ["tia_map_method": "time-integrated activity map", "partial_volume_correction": "partial-volume correction",
                     "gtm": "geometric transfer matrix", "rc": "recovery coefficients", "none": "none"]
        if let k = known[key] { return k }
        return key.replacingOccurrences(of: "_", with: " ")
    }

    /// Free text of a result file or a check (notes, warnings) with region names that are code-like
    /// (`kidney_left`, `tumor_1` …, those of `regions`) and model identifiers replaced by their names.
    public static func prose(_ text: String, regions: [String]) -> String {
        var s = method(text)
        for name in Set(regions).sorted(by: { $0.count > $1.count }) where name.contains("_") {
            let pattern = "\\b" + NSRegularExpression.escapedPattern(for: name) + "\\b"
            s = s.replacingOccurrences(of: pattern, with: NSRegularExpression.escapedTemplate(for: region(name)),
                                       options: .regularExpression)
        }
        return s
    }

    /// A region's name: kidney_left → "Left kidney", tumor_2 → "Lesion 2", red_marrow → "Red marrow";
    /// other names with underscores as spaces and a capital first letter.
    public static func region(_ name: String) -> String {
        let known = ["kidney_left": "Left kidney", "kidney_right": "Right kidney", "kidneys": "Kidneys",
                     "red_marrow": "Red marrow", "(unlabelled)": "Unlabelled voxels"]
        if let k = known[name] { return k }
        for prefix in ["tumor_", "tumour_", "lesion_"] where name.hasPrefix(prefix) {
            return "Lesion " + name.dropFirst(prefix.count)
        }
        let spaced = name.replacingOccurrences(of: "_", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }
}
