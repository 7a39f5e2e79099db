import Foundation
import RPTCore
import RPTDosimetry
import RPTPlanner

/// Planning entry point: the activities of a study's remaining cycles from the dosimetry of the cycles given
/// (method: docs/methods/planner.md).
public enum PlanningWorkflow {
    /// The plan for `manifest` after `afterCycle` (default: the last cycle with dosimetry). `dosimetry` lists the
    /// dosimetry folders of cycles 1, 2, … in order and overrides the manifest's `dosimetry_outputs` when not empty.
    public static func plan(manifest: StudyManifest, dosimetry: [String], afterCycle: Int?, arm: TreatmentArm?,
                            config: ProtocolConfig) throws -> Plan {
        var outputs = manifest.dosimetryOutputs
        if !dosimetry.isEmpty {
            outputs = Dictionary(uniqueKeysWithValues: dosimetry.enumerated().map { ($0 + 1, $1) })
        }
        var k = afterCycle ?? 0
        if afterCycle == nil { while outputs[k + 1] != nil { k += 1 } }
        try PlanRequestBuilder.checkAfterCycle(k, manifest: manifest, arm: arm ?? manifest.arm, config: config)
        // Stamped with its provenance (manifest, dosimetry files, time) and the planner's error model.
        return try StudyPlanning.plan(manifest: manifest, outputs: outputs, afterCycle: k, arm: arm, config: config)
    }

    /// Writes `plan` as JSON to `jsonPath` and into the HDF5 plan store `h5Path` (group /plans/after_cycle_K).
    public static func write(_ plan: Plan, config: ProtocolConfig, jsonPath: String, h5Path: String) throws {
        try plan.writeJSON(to: jsonPath)
        try PlanStore.write(plan, config: config, to: h5Path)
    }
}
