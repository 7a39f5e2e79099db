import Foundation
import RPTCore
import RPTPlanner
import RPTStore

/// Plans a study's remaining cycles from its dosimetry folders and stamps the plan with where it came
/// from (`PlanProvenance`) and the planner's error model (`PlanUncertainty`), so that a report can
/// check it belongs to the study, is not older than the dosimetry, and state its uncertainty.
public enum StudyPlanning {
    /// The plan after cycles 1…`afterCycle` (every one needs a dosimetry folder in `outputs`).
    public static func plan(manifest: StudyManifest, outputs: [Int: String], afterCycle: Int, arm: TreatmentArm?,
                            config: ProtocolConfig, now: Date = Date()) throws -> Plan {
        let request = try PlanRequestBuilder.request(manifest: manifest, outputs: outputs, afterCycle: afterCycle, arm: arm,
                                                     toxicityPolicy: config.toxicity)
        var plan = try TreatmentPlanner.plan(request, config: config)
        let iso = PlanProvenance.timeFormatter
        let sources = request.history.map { c -> PlanDosimetrySource in
            let path = standardPath((outputs[c.cycle]! as NSString).appendingPathComponent(DosimetryOutputWriter.summaryName))
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
            return PlanDosimetrySource(cycle: c.cycle, path: path, modifiedAt: modified.map(iso.string) ?? "unknown")
        }
        plan.provenance = PlanProvenance(createdAt: iso.string(from: now), softwareVersion: RPTDoseVersion.string + " (commit \(HDF5Store.gitCommit()))",
                                         manifestPath: standardPath(manifest.path), dosimetry: sources)
        plan.uncertainty = PlanUncertainty.make(request: request, plan: plan, config: config)
        return plan
    }

    /// Absolute path with `.`/`..` and symbolic links resolved (for comparing paths).
    public static func standardPath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
