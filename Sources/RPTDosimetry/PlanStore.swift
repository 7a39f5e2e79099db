import Foundation
import RPTCore
import RPTPlanner
import RPTStore

/// The study's plans in HDF5 (`plan.h5`, layout: docs/formats/hdf5.md, "Treatment plans"): one group
/// `/plans/after_cycle_K` per planning time, holding the per-cycle table, the given cycles, the lesion
/// doses, and the limits, protocol settings and toxicity decision as attributes. Writing a plan keeps
/// the other `after_cycle_*` groups already in the file (the file is rewritten atomically).
public enum PlanStore {
    /// File name beside the plan JSON.
    public static let fileName = "plan.h5"

    /// Group of the plan made after `afterCycle` cycles had been given.
    public static func groupPath(afterCycle: Int) -> String { "/plans/after_cycle_\(afterCycle)" }

    /// Writes `plan` (made after `plan.given.count` cycles with `config`) into `path`, replacing a
    /// group of the same planning time and keeping every other plan group of an existing file.
    public static func write(_ plan: Plan, config: ProtocolConfig, to path: String) throws {
        let kept = try existingPlans(at: path).filter { $0.path != groupPath(afterCycle: plan.given.count) }
        try H5File.write(to: path) { f in
            try f.createGroup("/plans")
            for g in kept {
                try f.createGroup(g.path)
                for (name, value) in g.attributes { try f.setAttribute(name, value, at: g.path) }
                for (name, table) in g.tables { try f.writeTable(table, at: g.path + "/" + name) }
            }
            try writeGroup(plan, config: config, into: f)
        }
    }

    /// One stored plan group, as read back for rewriting.
    struct StoredGroup {
        var path: String
        var attributes: [(String, H5AttributeValue)]
        var tables: [(String, Table)]
    }

    /// The plan groups of an existing file (none when the file does not exist).
    static func existingPlans(at path: String) throws -> [StoredGroup] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try H5File.read(path) { f in
            guard f.kind(of: "/plans") == .group else { return [] }
            return try f.members(of: "/plans").map { name in
                let g = "/plans/" + name
                let attrs = try f.attributeNames(at: g).map { ($0, try f.attribute($0, at: g)) }
                let tables = try f.members(of: g).map { ($0, try f.readTable(at: g + "/" + $0)) }
                return StoredGroup(path: g, attributes: attrs, tables: tables)
            }
        }
    }

    static func writeGroup(_ plan: Plan, config: ProtocolConfig, into f: H5File) throws {
        let g = groupPath(afterCycle: plan.given.count)
        try f.createGroup(g)
        func set(_ name: String, _ v: H5AttributeValue) throws { try f.setAttribute(name, v, at: g) }
        try set("after_cycle", .int(Int64(plan.given.count)))
        try set("protocol_id", .string(plan.protocolID))
        try set("protocol_version", .string(plan.protocolVersion))
        try set("arm", .string(plan.arm.rawValue))
        try set("mode", .string(plan.mode.rawValue))
        try set("exceedance_probability", .double(plan.exceedanceProbability ?? .nan))
        try set("quantile_z", .double(plan.quantileZ ?? .nan))
        try set("prediction_method", .string(plan.predictionMethod.rawValue))
        try set("objective", .string(plan.objective.rawValue))
        // Limits that applied (as in plan.json's `limits`).
        let l = plan.limits
        try set("limit_kidney_dose_gy", .double(l.kidneyDoseGy))
        try set("limit_kidney_bed_gy", .double(l.kidneyBEDGy))
        try set("limit_marrow_dose_gy", .double(l.marrowDoseGy))
        try set("kidney_risk_factors", .int(l.kidneyRiskFactors ? 1 : 0))
        try set("kidney_alpha_beta_gy", .double(l.kidneyAlphaBetaGy))
        try set("kidney_repair_half_time_h", .double(l.kidneyRepairHalfTimeHours))
        // Protocol configuration.
        let s = config.standardArm, inv = config.investigationalArm
        try set("standard_cycles", .int(Int64(s.cycles)))
        try set("standard_activity_gbq", .double(s.activityGBq))
        try set("investigational_cycles", .int(Int64(inv.cycles)))
        try set("investigational_fixed_cycles", .int(Int64(inv.fixedCycles)))
        try set("investigational_fixed_activity_gbq", .double(inv.fixedActivityGBq))
        try set("max_activity_gbq", .double(inv.maxActivityGBq))
        try set("min_activity_gbq", .double(inv.minActivityGBq))
        try set("rounding_step_gbq", .double(inv.roundingStepGBq))
        try set("prediction_relative_uncertainty", .double(config.planning.predictionRelativeUncertainty))
        try set("toxicity_resume_activity_gbq", .double(config.toxicity.resumeActivityGBq))
        try set("toxicity_max_withhold_weeks", .double(config.toxicity.maxWithholdWeeks))
        // Toxicity decision and notes.
        try set("toxicity_action", .string(plan.toxicity.action.rawValue))
        try set("toxicity_kinds", .strings(plan.toxicity.toxicities.map(\.rawValue)))
        try set("toxicity_reason", .string(plan.toxicity.reason))
        try set("notes", .strings(plan.notes))
        // Research override of the label activities ("" when none).
        try set("research_override_reason", .string(plan.researchOverride?.reason ?? ""))
        try set("research_override_deviations", .strings(plan.researchOverride?.deviations ?? []))

        let c = plan.cycles
        func num(_ name: String, _ unit: String, _ v: (PlannedCycle) -> Double?) -> Table.Column {
            .init(name, .double(c.map { v($0) ?? .nan }), unit: unit)
        }
        try f.writeTable(Table(columns: [
            .init("cycle", .int(c.map { Int64($0.cycle) })), .init("status", .string(c.map(\.status.rawValue))),
            num("activity_gbq", "GBq", \.activityGBq), num("activity_mci", "mCi", \.activityMCi),
            .init("binding_constraint", .string(c.map(\.bindingConstraint.rawValue))),
            num("kidney_dose_gy_per_gbq", "Gy/GBq", \.kidneyDoseGyPerGBq), num("marrow_dose_gy_per_gbq", "Gy/GBq", \.marrowDoseGyPerGBq),
            num("kidney_lambda_eff_per_h", "1/h", \.kidneyEffectiveDecayPerHour),
            num("kidney_dose_gy_cumulative", "Gy", \.kidneyDoseGyCumulative), num("kidney_bed_gy_cumulative", "Gy", \.kidneyBEDGyCumulative),
            num("marrow_dose_gy_cumulative", "Gy", \.marrowDoseGyCumulative),
            num("margin_kidney_dose_gy", "Gy", { $0.margins?.kidneyDoseGy }), num("margin_kidney_bed_gy", "Gy", { $0.margins?.kidneyBEDGy }),
            num("margin_marrow_dose_gy", "Gy", { $0.margins?.marrowDoseGy }),
            num("upper_kidney_dose_gy_cumulative", "Gy", { $0.upperBound?.kidneyDoseGy }),
            num("upper_kidney_bed_gy_cumulative", "Gy", { $0.upperBound?.kidneyBEDGy }),
            num("upper_marrow_dose_gy_cumulative", "Gy", { $0.upperBound?.marrowDoseGy }),
            .init("note", .string(c.map { $0.note ?? "" })),
            .init("explanation", .string(c.map { $0.explanation ?? "" })),
        ]), at: g + "/cycles")

        let given = plan.given
        try f.writeTable(Table(columns: [
            .init("cycle", .int(given.map { Int64($0.cycle) })),
            .init("activity_gbq", .double(given.map(\.activityGBq)), unit: "GBq"),
            .init("activity_mci", .double(given.map(\.activityMCi)), unit: "mCi"),
            .init("kidney_dose_gy_cumulative", .double(given.map(\.kidneyDoseGyCumulative)), unit: "Gy"),
            .init("kidney_bed_gy_cumulative", .double(given.map(\.kidneyBEDGyCumulative)), unit: "Gy"),
            .init("marrow_dose_gy_cumulative", .double(given.map(\.marrowDoseGyCumulative)), unit: "Gy"),
        ]), at: g + "/given")

        var tCycle: [Int64] = [], tKind: [String] = [], tLesion: [String] = [], tDose: [Double] = []
        for gc in given { for d in gc.tumourDosesGyCumulative {
            tCycle.append(Int64(gc.cycle)); tKind.append("given"); tLesion.append(d.lesion); tDose.append(d.doseGy)
        } }
        for pc in c { for d in pc.tumourDosesGyCumulative ?? [] {
            tCycle.append(Int64(pc.cycle)); tKind.append("predicted"); tLesion.append(d.lesion); tDose.append(d.doseGy)
        } }
        try f.writeTable(Table(columns: [
            .init("cycle", .int(tCycle)), .init("kind", .string(tKind)), .init("lesion", .string(tLesion)),
            .init("dose_gy_cumulative", .double(tDose), unit: "Gy"),
        ]), at: g + "/tumour_doses")
    }
}
