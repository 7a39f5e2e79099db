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
        var given = AdministeredCycle(
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
        // A cycle given without imaging: its doses were predicted (`PredictedCycleDosimetry`), and the plan says so.
        if o["predicted"] as? Bool == true {
            let from = (o["predicted_from_cycles"] as? [Int] ?? []).map(String.init).joined(separator: ", ")
            given.doseNote = "not imaged — predicted from cycle(s) \(from), with a larger uncertainty (docs/methods/kinetics.md)"
        }
        return given
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
        alignLesions(&history)
        return PlanRequest(arm: arm ?? manifest.arm, history: history, kidneyRiskFactors: manifest.patient.kidneyRiskFactors,
                           toxicity: toxicityInputs(manifest: manifest, afterCycle: afterCycle, policy: toxicityPolicy),
                           source: manifest.path)
    }

    /// Lesions that appear or disappear between cycles (matched by region name, the stable identifier): every cycle
    /// lists the union of the lesions in order of first appearance; a lesion absent from a cycle's dosimetry (not yet
    /// present, or gone) counts 0 Gy/GBq there, so a disappeared lesion keeps its accumulated dose and a new one
    /// starts from its own cycle. The cycle's `doseNote` names them (and the plan's notes repeat it).
    static func alignLesions(_ history: inout [AdministeredCycle]) {
        var order: [String] = []
        for c in history { for l in c.lesions where !order.contains(l.lesion) { order.append(l.lesion) } }
        for i in history.indices {
            let present = Dictionary(history[i].lesions.map { ($0.lesion, $0) }, uniquingKeysWith: { a, _ in a })
            let missing = order.filter { present[$0] == nil }
            guard !missing.isEmpty || history[i].lesions.map(\.lesion) != order else { continue }
            history[i].lesions = order.map {
                present[$0] ?? LesionDosePerActivity(lesion: $0, dose: DosePerActivity(gyPerGBq: 0, relativeUncertainty: 0))
            }
            if !missing.isEmpty {
                let text = "lesion(s) " + missing.joined(separator: ", ") + " not in this cycle's dosimetry (counted 0 Gy)"
                history[i].doseNote = history[i].doseNote.map { $0 + "; " + text } ?? text
            }
        }
    }

    /// Refuses a planning point outside 0…min(cycles in the manifest, cycles of the arm), naming the
    /// manifest, the option, the value and the valid range.
    public static func checkAfterCycle(_ k: Int, manifest: StudyManifest, arm: TreatmentArm, config: ProtocolConfig) throws {
        let armCycles = arm == .standard ? config.standardArm.cycles : config.investigationalArm.cycles
        let listed = manifest.cycles.map(\.number).max() ?? 0
        let upper = min(listed, armCycles)
        guard !(0...upper).contains(k) else { return }
        throw InputError(source: manifest.path, field: "--after-cycle", value: "\(k)",
                         reason: "expected a cycle number from 0 to \(upper): the manifest lists \(listed) administered cycle(s) "
                            + "and the \(arm.rawValue) arm of protocol \(config.protocolID) (\(config.protocolVersion)) has \(armCycles)")
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
    ///
    /// `earlierReductions` lists every toxicity that triggered a rule after some cycle K′ < K when cycle K′ + 1
    /// was then given at no more than the resume activity (a label dose reduction happened because of it); the
    /// planner uses it for the recurrence rule and to cap later cycles (`ToxicityPolicy.activityAfterReduction`).
    public static func toxicityInputs(manifest: StudyManifest, afterCycle: Int, policy: ToxicityPolicy) -> ToxicityInputs {
        var reducedBefore = Set<ToxicityKind>()
        if afterCycle >= 2 {
            for k in 1..<afterCycle {
                guard let report = manifest.cycle(k)?.toxicity, let nextCycle = manifest.cycle(k + 1),
                      nextCycle.administeredActivityGBq <= policy.resumeActivityGBq * (1 + 1e-9) else { continue }
                reducedBefore.formUnion(report.inputs(policy: policy).observations.filter { triggers($0, policy) }.map(\.kind))
            }
        }
        let earlierReductions = ToxicityKind.allCases.filter { reducedBefore.contains($0) }
        guard let cycle = manifest.cycle(afterCycle), let report = cycle.toxicity else {
            return ToxicityInputs(earlierReductions: earlierReductions)
        }
        var inputs = report.inputs(policy: policy)
        inputs.earlierReductions = earlierReductions
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
