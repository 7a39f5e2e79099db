import Foundation
import RPTCore
import RPTPlanner

/// Turns the dosimetry outputs of the cycles given so far into the planner's request
/// (`summary.json` of each cycle folder, written by `DosimetryOutputWriter`).
public enum PlanRequestBuilder {
    /// The planner input for one cycle from its `summary.json`: kidney and marrow dose per GBq with their
    /// combined relative uncertainties, the kidneys' λ_eff, each lesion's dose per GBq. The activity is
    /// the one actually administered (the manifest's).
    public static func administeredCycle(folder: String, cycle: StudyCycle) throws -> AdministeredCycle {
        let path = (folder as NSString).appendingPathComponent(DosimetryOutputWriter.summaryName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(source: path, reason: "no dosimetry summary: run `rptdose dosimetry STUDY --cycle \(cycle.number) --out \(folder)` first")
        }
        guard let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw InputError(source: path, reason: "not a JSON object")
        }
        func number(_ object: [String: Any]?, _ key: String, _ field: String) throws -> Double {
            guard let v = object?[key] as? Double ?? (object?[key] as? Int).map(Double.init), v.isFinite else {
                throw InputError(source: path, field: field, value: "\(object?[key] ?? "missing")", reason: "expected a finite number")
            }
            return v
        }
        try DosimetrySummaryCheck.check(o, path: path, cycle: cycle, folder: folder)
        let c = Int(try number(o, "cycle", "cycle"))
        guard c == cycle.number else {
            throw InputError(source: path, field: "cycle", value: "\(c)", reason: "expected the dosimetry of cycle \(cycle.number)")
        }
        guard let kidneys = o["kidneys"] as? [String: Any] else {
            throw InputError(source: path, field: "kidneys", reason: "no kidney dose in this dosimetry (kidney_regions not in the label map)")
        }
        guard let marrow = o["red_marrow"] as? [String: Any] else {
            throw InputError(source: path, field: "red_marrow", reason: "no red-marrow dose in this dosimetry (no blood samples or marrow region)")
        }
        var lesions: [LesionDosePerActivity] = []
        for (i, l) in ((o["lesions"] as? [[String: Any]]) ?? []).enumerated() {
            guard let name = l["region"] as? String else {
                throw InputError(source: path, field: "lesions[\(i)].region", reason: "expected a region name")
            }
            lesions.append(LesionDosePerActivity(lesion: name, dose: DosePerActivity(
                gyPerGBq: try number(l, "dose_per_gbq_gy", "lesions[\(i)].dose_per_gbq_gy"),
                relativeUncertainty: try number(l, "combined_rel_uncertainty", "lesions[\(i)].combined_rel_uncertainty"))))
        }
        return AdministeredCycle(
            cycle: cycle.number, activityGBq: cycle.administeredActivityGBq,
            kidney: DosePerActivity(gyPerGBq: try number(kidneys, "dose_per_gbq_gy", "kidneys.dose_per_gbq_gy"),
                                    relativeUncertainty: try number(kidneys, "combined_rel_uncertainty", "kidneys.combined_rel_uncertainty")),
            // null when this cycle's kinetics did not measure the clearance (NaN here; `request` fills it in);
            // a missing key or another value is an error.
            kidneyEffectiveDecayPerHour: kidneys["effective_decay_per_h"] is NSNull
                ? .nan : try number(kidneys, "effective_decay_per_h", "kidneys.effective_decay_per_h"),
            marrow: DosePerActivity(gyPerGBq: try number(marrow, "dose_per_gbq_gy", "red_marrow.dose_per_gbq_gy"),
                                    relativeUncertainty: try number(marrow, "combined_rel_uncertainty", "red_marrow.combined_rel_uncertainty")),
            lesions: lesions)
    }

    /// The request after cycles 1…`afterCycle` (every one needs a dosimetry folder in `outputs`). The
    /// toxicity inputs are cycle `afterCycle`'s `toxicity` report judged with `toxicityPolicy`
    /// (`toxicityInputs(manifest:afterCycle:policy:)`).
    public static func request(manifest: StudyManifest, outputs: [Int: String], afterCycle: Int,
                               arm: TreatmentArm? = nil, toxicityPolicy: ToxicityPolicy = .packageInsert) throws -> PlanRequest {
        let numbers = manifest.cycles.map(\.number)
        guard afterCycle == 0 || numbers.contains(afterCycle) else {
            throw InputError(source: "--after-cycle", value: "\(afterCycle)",
                             reason: "the manifest has cycle(s) " + numbers.map(String.init).joined(separator: ", ")
                                + ": plan after one of them, or after 0 (before any dosimetry)")
        }
        var history: [AdministeredCycle] = []
        for c in manifest.cycles where c.number <= afterCycle {
            guard let folder = outputs[c.number] else {
                throw InputError(source: manifest.path, field: "dosimetry_outputs", value: "cycle \(c.number)",
                                 reason: "no dosimetry folder for this cycle (give --dosimetry DIR per cycle or the manifest key)")
            }
            history.append(try administeredCycle(folder: folder, cycle: c))
        }
        guard history.map(\.cycle) == Array(stride(from: 1, through: afterCycle, by: 1)) else {
            throw InputError(source: manifest.path, field: "cycles", value: history.map { "\($0.cycle)" }.joined(separator: ","),
                             reason: "planning after cycle \(afterCycle) needs cycles 1…\(afterCycle) in the manifest")
        }
        try fillUnmeasuredKidneyClearance(&history, source: manifest.path)
        return PlanRequest(arm: arm ?? manifest.arm, history: history, kidneyRiskFactors: manifest.patient.kidneyRiskFactors,
                           toxicity: toxicityInputs(manifest: manifest, afterCycle: afterCycle, policy: toxicityPolicy),
                           source: manifest.path)
    }

    /// A cycle whose kinetics did not measure the kidneys' clearance (λ_eff NaN: trapezoid, single-point
    /// Hänscheid) takes the mean λ_eff (1/h) of the cycles that did; the kidney BED needs a measured one somewhere.
    static func fillUnmeasuredKidneyClearance(_ history: inout [AdministeredCycle], source: String) throws {
        let measured = history.map(\.kidneyEffectiveDecayPerHour).filter { $0.isFinite }
        guard measured.count < history.count else { return }
        guard !measured.isEmpty else {
            throw InputError(source: source, field: "kidneys.effective_decay_per_h", value: "not measured in any cycle",
                             reason: "the kidney BED needs the kidneys' effective clearance: image at least one cycle at "
                                + "≥ 2 time points (later cycles then use the cycle-1 curve shape)")
        }
        let mean = measured.reduce(0, +) / Double(measured.count)
        for i in history.indices where !history[i].kidneyEffectiveDecayPerHour.isFinite {
            history[i].kidneyEffectiveDecayPerHour = mean
        }
    }

    /// The toxicity inputs for planning after cycle `afterCycle`: that cycle's `toxicity` report (none
    /// → no toxicity). A toxicity is marked recurred (besides an explicit `recurred: true`) when it
    /// triggers a rule after cycle K, it had triggered a rule after cycle K − 1, and cycle K was given at
    /// no more than the policy's resume activity — the label's "recurrent toxicity at the reduced dose".
    public static func toxicityInputs(manifest: StudyManifest, afterCycle: Int, policy: ToxicityPolicy) -> ToxicityInputs {
        guard let cycle = manifest.cycle(afterCycle), let report = cycle.toxicity else { return .none }
        var inputs = report.inputs(policy: policy)
        guard let previous = manifest.cycle(afterCycle - 1)?.toxicity,
              cycle.administeredActivityGBq <= policy.resumeActivityGBq * (1 + 1e-9) else { return inputs }
        let earlier = Set(previous.inputs(policy: policy).observations.filter { triggers($0, policy) }.map(\.kind))
        for i in inputs.observations.indices where earlier.contains(inputs.observations[i].kind) && triggers(inputs.observations[i], policy) {
            inputs.observations[i].recurredAfterReducedActivity = true
        }
        return inputs
    }

    /// Whether one observation on its own triggers a dose-modification rule of `policy`.
    private static func triggers(_ observation: ToxicityObservation, _ policy: ToxicityPolicy) -> Bool {
        var o = observation
        o.recurredAfterReducedActivity = false
        let d = try? ToxicityDecision.evaluate(ToxicityInputs(observations: [o], weeksSinceLastAdministration: 0), policy: policy)
        return (d?.action ?? ToxicityDecision.Action.none) != ToxicityDecision.Action.none
    }
}
