import Foundation
import RPTCore

/// The doses of a cycle given without imaging (`imaged: false`), predicted from the dosimetry of the earlier imaged
/// cycles (docs/methods/kinetics.md, "Cycles without imaging").
///
/// For every quantity Q (dose per administered activity, Gy/GBq, of each region, of the kidneys and of the red
/// marrow) over the n earlier imaged cycles that report it:
///
///     Q̂ = mean of Qᵢ,    u²(Q̂)/Q̂² = max uᵢ² + s²(1 + 1/n)/Q̂²        (n ≥ 2)
///
/// with uᵢ each cycle's combined relative uncertainty (the largest kept, not averaged down: the calibration and the
/// method are shared by the cycles, so the prediction is never more certain than any cycle it comes from) and s the sample standard deviation of the Qᵢ — the patient's own
/// cycle-to-cycle variability, with the predictive factor (1 + 1/n) for a new cycle. With one earlier cycle s is
/// unknown and `singleCycleVariability` (25 %, an assumption, not a literature value) takes its place. The kidneys'
/// λ_eff is the mean of the finite ones. The prediction is therefore always more uncertain than the cycles it
/// comes from.
public struct PredictedCycleDosimetry: Sendable {
    public struct Quantity: Sendable, Equatable {
        public var name: String
        public var kind: String
        public var dosePerGBqGy: Double
        public var relativeUncertainty: Double
        /// Cycles it was predicted from.
        public var cycles: [Int]
    }

    /// Relative cycle-to-cycle variability assumed when only one earlier imaged cycle exists (assumption, stated in
    /// docs/methods/kinetics.md; no literature value was found for it).
    public static let singleCycleVariability = 0.25
    /// `dose_method` in `summary.json`.
    public static let doseMethod = "predicted"

    public var cycle: Int
    public var administeredActivityGBq: Double
    public var administrationTime: Date
    public var basedOnCycles: [Int]
    public var kidney: Quantity?
    public var kidneyEffectiveDecayPerHour: Double
    public var marrow: Quantity?
    public var regions: [Quantity]
    public var notes: [String]

    /// Predicts cycle `cycleNumber` (which must have `imaged: false`) from the earlier cycles' `summary.json` and
    /// `regions.json` in `outputs` (cycle → folder). Cycles without a folder are skipped and named in the notes.
    public static func predict(manifest: StudyManifest, cycleNumber: Int, outputs: [Int: String]) throws -> PredictedCycleDosimetry {
        guard let cycle = manifest.cycle(cycleNumber) else {
            throw InputError(source: "--cycle", value: "\(cycleNumber)", reason: "no such cycle in \(manifest.path)")
        }
        guard !cycle.imaged else {
            throw InputError(source: manifest.path, field: "cycles[cycle \(cycleNumber)].imaged", value: "true",
                             reason: "an imaged cycle is not predicted; run its dosimetry")
        }
        var notes: [String] = []
        var summaries: [(cycle: Int, summary: [String: Any], regions: [[String: Any]])] = []
        for c in manifest.cycles where c.number < cycleNumber && c.imaged {
            guard let folder = outputs[c.number] else {
                notes.append("cycle \(c.number): no dosimetry folder, not used"); continue
            }
            let summaryPath = (folder as NSString).appendingPathComponent(DosimetryOutputWriter.summaryName)
            let regionsPath = (folder as NSString).appendingPathComponent(DosimetryOutputWriter.jsonName)
            guard let sd = FileManager.default.contents(atPath: summaryPath),
                  let s = (try? JSONSerialization.jsonObject(with: sd)) as? [String: Any] else {
                notes.append("cycle \(c.number): no readable \(summaryPath), not used"); continue
            }
            let regions = FileManager.default.contents(atPath: regionsPath)
                .flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [[String: Any]] } ?? []
            summaries.append((c.number, s, regions))
        }
        guard !summaries.isEmpty else {
            throw InputError(source: manifest.path, field: "dosimetry_outputs", value: "cycle \(cycleNumber)",
                             reason: "cycle \(cycleNumber) was not imaged and no earlier imaged cycle has a dosimetry folder "
                                + "(dosimetry_outputs in the manifest, or cycle-K beside --out): its doses cannot be predicted")
        }
        func number(_ o: Any?, _ key: String) -> Double? {
            guard let d = o as? [String: Any] else { return nil }
            let v = d[key] as? Double ?? (d[key] as? Int).map(Double.init)
            return v.flatMap { $0.isFinite ? $0 : nil }
        }
        func combine(_ name: String, kind: String, _ values: [(cycle: Int, q: Double, u: Double)]) -> Quantity? {
            guard !values.isEmpty else { return nil }
            let n = Double(values.count)
            let mean = values.reduce(0) { $0 + $1.q } / n
            let largestU2 = values.map { $0.u * $0.u }.max() ?? 0
            var between2: Double
            if values.count >= 2 {
                let s2 = values.reduce(0) { $0 + ($1.q - mean) * ($1.q - mean) } / (n - 1)
                between2 = mean > 0 ? s2 * (1 + 1 / n) / (mean * mean) : 0
            } else {
                between2 = singleCycleVariability * singleCycleVariability
            }
            return Quantity(name: name, kind: kind, dosePerGBqGy: mean, relativeUncertainty: (largestU2 + between2).squareRoot(),
                            cycles: values.map(\.cycle))
        }
        let kidney = combine("kidneys", kind: "organ", summaries.compactMap { e in
            guard let q = number(e.summary["kidneys"], "dose_per_gbq_gy"), let u = number(e.summary["kidneys"], "combined_rel_uncertainty")
            else { return nil }
            return (e.cycle, q, u)
        })
        let lambdas = summaries.compactMap { number($0.summary["kidneys"], "effective_decay_per_h") }
        let marrow = combine("red_marrow", kind: "red_marrow", summaries.compactMap { e in
            guard let q = number(e.summary["red_marrow"], "dose_per_gbq_gy"), let u = number(e.summary["red_marrow"], "combined_rel_uncertainty")
            else { return nil }
            return (e.cycle, q, u)
        })
        // Regions in the order first seen; a region missing in some cycles is predicted from those that have it.
        var order: [String] = [], kinds: [String: String] = [:]
        for e in summaries { for r in e.regions { if let n = r["region"] as? String, kinds[n] == nil { order.append(n); kinds[n] = r["kind"] as? String ?? "organ" } } }
        let regions = order.compactMap { name in
            combine(name, kind: kinds[name]!, summaries.compactMap { e in
                guard let r = e.regions.first(where: { $0["region"] as? String == name }),
                      let q = number(r, "dose_per_gbq_gy"), let u = number(r, "combined_rel_uncertainty") else { return nil }
                return (e.cycle, q, u)
            })
        }
        let used = summaries.map(\.cycle)
        notes.insert("cycle \(cycleNumber) was not imaged: doses per GBq predicted from cycle(s) "
                     + used.map(String.init).joined(separator: ", ") + " (mean; uncertainty includes the cycle-to-cycle "
                     + (used.count >= 2 ? "spread of those cycles" : String(format: "variability assumed %.0f %%", 100 * singleCycleVariability))
                     + ")", at: 0)
        return PredictedCycleDosimetry(cycle: cycleNumber, administeredActivityGBq: cycle.administeredActivityGBq,
                                       administrationTime: cycle.administrationTime, basedOnCycles: used, kidney: kidney,
                                       kidneyEffectiveDecayPerHour: lambdas.isEmpty ? .nan : lambdas.reduce(0, +) / Double(lambdas.count),
                                       marrow: marrow, regions: regions, notes: notes)
    }

    /// `summary.json` in the layout `PlanRequestBuilder` reads, with `predicted: true` and the cycles used.
    public func summaryObject(manifest: StudyManifest) -> [String: Any] {
        func clean(_ v: Double) -> Any { v.isFinite ? v : NSNull() }
        var o: [String: Any] = [
            "format_version": 1, "cycle": cycle, "administered_activity_gbq": administeredActivityGBq,
            "administration_time": ManifestFieldReader.format(administrationTime), "manifest": manifest.path,
            "arm": manifest.arm.rawValue, "decays": 0, "partial": false, "dose_method": Self.doseMethod,
            "predicted": true, "predicted_from_cycles": basedOnCycles, "notes": notes,
            "lesions": regions.filter { $0.kind == "lesion" }.map {
                ["region": $0.name, "dose_per_gbq_gy": clean($0.dosePerGBqGy), "combined_rel_uncertainty": clean($0.relativeUncertainty)]
            },
        ]
        if let k = kidney {
            o["kidneys"] = ["dose_per_gbq_gy": clean(k.dosePerGBqGy), "combined_rel_uncertainty": clean(k.relativeUncertainty),
                            "effective_decay_per_h": clean(kidneyEffectiveDecayPerHour), "predicted_from_cycles": k.cycles]
        }
        if let m = marrow {
            o["red_marrow"] = ["dose_per_gbq_gy": clean(m.dosePerGBqGy), "combined_rel_uncertainty": clean(m.relativeUncertainty),
                               "predicted_from_cycles": m.cycles]
        }
        return o
    }

    /// `regions.json` rows: region, kind, dose per GBq, mean dose at this cycle's activity, combined uncertainty.
    public var regionObjects: [[String: Any]] {
        regions.map {
            ["region": $0.name, "kind": $0.kind, "dose_per_gbq_gy": $0.dosePerGBqGy,
             "mean_dose_gy": $0.dosePerGBqGy * administeredActivityGBq, "combined_rel_uncertainty": $0.relativeUncertainty,
             "kinetics": "predicted from cycle(s) " + $0.cycles.map(String.init).joined(separator: ", "), "predicted": true]
        }
    }

    /// Writes `summary.json` and `regions.json` into `dir`; returns the paths.
    @discardableResult
    public func write(to dir: String, manifest: StudyManifest) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let summary = (dir as NSString).appendingPathComponent(DosimetryOutputWriter.summaryName)
        let regions = (dir as NSString).appendingPathComponent(DosimetryOutputWriter.jsonName)
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: summaryObject(manifest: manifest), options: options), to: summary)
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: regionObjects, options: options), to: regions)
        return [summary, regions]
    }

    /// The prediction as text.
    public func renderTable() -> String {
        var s = String(format: "Cycle %d, %.2f GBq administered — NOT IMAGED: doses predicted from cycle(s) %@\n", cycle,
                       administeredActivityGBq, basedOnCycles.map(String.init).joined(separator: ", "))
        s += "  region               Gy/GBq    dose (Gy)   total %\n"
        for q in [kidney, marrow].compactMap({ $0 }) + regions {
            s += "  " + q.name.padding(toLength: 19, withPad: " ", startingAt: 0)
            s += String(format: "%8.3f %11.3f %9.1f\n", q.dosePerGBqGy, q.dosePerGBqGy * administeredActivityGBq, 100 * q.relativeUncertainty)
        }
        for n in notes { s += "  note: \(n)\n" }
        return s
    }

    /// The prediction for a cycle with `imaged: false` (nil when the cycle is imaged: the normal dosimetry then
    /// runs), with the manifest it was made from. The earlier cycles' folders are the manifest's
    /// `dosimetry_outputs`, else `cycle-K` beside `out`.
    public static func predictionIfNotImaged(study: String, cycle: Int, out: String) throws
        -> (prediction: PredictedCycleDosimetry, manifest: StudyManifest)? {
        // Images are not read here (an imaged cycle's dosimetry loads and checks the manifest fully).
        let manifest = try StudyManifest.load(path: study, checkImages: false)
        guard let c = manifest.cycle(cycle), !c.imaged else { return nil }
        let parent = ((out as NSString).standardizingPath as NSString).deletingLastPathComponent
        var outputs: [Int: String] = [:]
        for earlier in manifest.cycles where earlier.number < cycle {
            let candidates = [manifest.dosimetryOutputs[earlier.number], (parent as NSString).appendingPathComponent("cycle-\(earlier.number)")]
            outputs[earlier.number] = candidates.compactMap { $0 }.first {
                FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent(DosimetryOutputWriter.summaryName))
            }
        }
        return (try predict(manifest: manifest, cycleNumber: cycle, outputs: outputs), manifest)
    }
}
