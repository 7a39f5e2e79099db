import ArgumentParser
import Foundation
import RPTCore
import RPTDosimetry
import RPTPlanner
import RPTWorkflow

/// `rptdose plan`: the activities of the remaining cycles from the dosimetry of the cycles given.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan the remaining cycles from the study's dosimetry (method: docs/methods/planner.md).",
        discussion: """
        The dosimetry of cycle K is read from DIR/summary.json, DIR being the K-th --dosimetry folder, or the
        manifest's dosimetry_outputs entry for cycle K. Activities actually given are the manifest's; the
        toxicity inputs are cycle K's `toxicity` section (docs/formats/study-manifest.md). The plan is written
        as JSON and into plan.h5 (group /plans/after_cycle_K, docs/formats/hdf5.md).
        """)

    @Argument(help: "Study manifest (YAML).", completion: .file()) var study: String
    @Option(help: "Plan after this cycle (default: the last cycle with dosimetry).") var afterCycle: Int?
    @Option(help: "Protocol configuration YAML (default: the built-in trial protocol).", completion: .file()) var config: String?
    @Option(parsing: .upToNextOption, help: "Dosimetry output folders of cycles 1, 2, … in order (overrides the manifest's dosimetry_outputs).", completion: .directory)
    var dosimetry: [String] = []
    @Option(help: "Treatment arm (default: the manifest's): standard or investigational.") var arm: String?
    @Option(help: "Where to write the plan JSON (default: plan.json beside the manifest).", completion: .file()) var out: String?
    @Option(help: "Where to write the plan HDF5 (default: plan.h5 beside the plan JSON); the group /plans/after_cycle_K is replaced, other plans in the file are kept.", completion: .file())
    var h5: String?
    @Flag(help: "Print the plan as JSON instead of a table.") var json = false
    @Flag(help: "Acknowledge the protocol file's research_override of the label activities (recorded in the plan, printed as a warning).")
    var researchOverride = false

    func run() throws {
        let manifest = try StudyManifest.load(path: study, checkImages: false)
        var chosenArm: TreatmentArm?
        if let arm {
            guard let a = TreatmentArm(rawValue: arm) else {
                throw InputError(source: "--arm", value: arm, reason: "valid: " + TreatmentArm.allCases.map(\.rawValue).joined(separator: ", "))
            }
            chosenArm = a
        }
        let protocolConfig = try config.map { try ProtocolConfig.load(path: $0, researchOverride: researchOverride) } ?? .trialDefault
        let plan = try PlanningWorkflow.plan(manifest: manifest, dosimetry: dosimetry, afterCycle: afterCycle, arm: chosenArm,
                                 config: protocolConfig)
        if let o = plan.researchOverride {
            FileHandle.standardError.write(Data(("WARNING: research override of the label activities (\(o.reason)): "
                + (o.deviations.isEmpty ? "no setting departs from the label" : o.deviations.joined(separator: "; ")) + "\n").utf8))
        }
        let path = out ?? (manifest.directory as NSString).appendingPathComponent("plan.json")
        let h5Path = h5 ?? ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(PlanStore.fileName)
        try PlanningWorkflow.write(plan, config: protocolConfig, jsonPath: path, h5Path: h5Path)
        if json {
            print(String(decoding: try plan.jsonData(), as: UTF8.self))
        } else {
            print(PlanTextRenderer.render(plan), terminator: "")
            print("wrote \(path) and \(h5Path) (\(PlanStore.groupPath(afterCycle: plan.given.count)))")
        }
    }
}
