import ArgumentParser
import Foundation
import RPTCore
import RPTDosimetry
import RPTPlanner

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

    @Argument(help: "Study manifest (YAML).") var study: String
    @Option(help: "Plan after this cycle (default: the last cycle with dosimetry).") var afterCycle: Int?
    @Option(help: "Protocol configuration YAML (default: the built-in trial protocol).") var config: String?
    @Option(parsing: .upToNextOption, help: "Dosimetry output folders of cycles 1, 2, … in order (overrides the manifest's dosimetry_outputs).")
    var dosimetry: [String] = []
    @Option(help: "Treatment arm (default: the manifest's): standard or investigational.") var arm: String?
    @Option(help: "Where to write the plan JSON (default: plan.json beside the manifest).") var out: String?
    @Option(help: "Where to write the plan HDF5 (default: plan.h5 beside the plan JSON); the group /plans/after_cycle_K is replaced, other plans in the file are kept.")
    var h5: String?
    @Flag(help: "Print the plan as JSON instead of a table.") var json = false

    func run() throws {
        let manifest = try StudyManifest.load(path: study, checkImages: false)
        var chosenArm: TreatmentArm?
        if let arm {
            guard let a = TreatmentArm(rawValue: arm) else {
                throw InputError(source: "--arm", value: arm, reason: "valid: " + TreatmentArm.allCases.map(\.rawValue).joined(separator: ", "))
            }
            chosenArm = a
        }
        let protocolConfig = try config.map { try ProtocolConfig.load(path: $0) } ?? .trialDefault
        let plan = try Self.plan(manifest: manifest, dosimetry: dosimetry, afterCycle: afterCycle, arm: chosenArm,
                                 config: protocolConfig)
        let path = out ?? (manifest.directory as NSString).appendingPathComponent("plan.json")
        try plan.writeJSON(to: path)
        let h5Path = h5 ?? ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(PlanStore.fileName)
        try PlanStore.write(plan, config: protocolConfig, to: h5Path)
        if json {
            print(String(decoding: try plan.jsonData(), as: UTF8.self))
        } else {
            print(PlanTextRenderer.render(plan), terminator: "")
            print("wrote \(path) and \(h5Path) (\(PlanStore.groupPath(afterCycle: plan.given.count)))")
        }
    }

    /// The plan for `manifest` after `afterCycle` (default: the last cycle with dosimetry).
    static func plan(manifest: StudyManifest, dosimetry: [String], afterCycle: Int?, arm: TreatmentArm?,
                     config: ProtocolConfig) throws -> Plan {
        var outputs = manifest.dosimetryOutputs
        if !dosimetry.isEmpty {
            outputs = Dictionary(uniqueKeysWithValues: dosimetry.enumerated().map { ($0 + 1, $1) })
        }
        var k = afterCycle ?? 0
        if afterCycle == nil { while outputs[k + 1] != nil { k += 1 } }
        guard k >= 0 else { throw InputError(source: "--after-cycle", value: "\(k)", reason: "must be ≥ 0") }
        return try StudyPlanning.plan(manifest: manifest, outputs: outputs, afterCycle: k, arm: arm, config: config)
    }
}
