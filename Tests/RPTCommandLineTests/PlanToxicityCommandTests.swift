import Foundation
@testable import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTStore
import XCTest

/// `rptdose plan` with the manifest's per-cycle toxicity inputs, and the plan stored in `plan.h5`.
///
/// The dosimetry of cycles 1 and 2 is given as hand-written `summary.json` files (kidneys 0.5 Gy/GBq,
/// λ_eff 0.0139 /h, marrow 0.03 Gy/GBq, one lesion 4 Gy/GBq), so the expected doses are hand-computable;
/// the manifest's image files only need to exist (`plan` does not read images).
final class PlanToxicityCommandTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "rpt-plantox-\(UUID().uuidString)"
        let fm = FileManager.default
        for c in [1, 2] {
            try fm.createDirectory(atPath: dir + "/c\(c)", withIntermediateDirectories: true)
            let summary: [String: Any] = [
                "format_version": 1, "cycle": c, "partial": false,
                "kidneys": ["dose_per_gbq_gy": 0.5, "combined_rel_uncertainty": 0.1, "effective_decay_per_h": 0.0139],
                "red_marrow": ["dose_per_gbq_gy": 0.03, "combined_rel_uncertainty": 0.2],
                "lesions": [["region": "tumor_1", "dose_per_gbq_gy": 4.0, "combined_rel_uncertainty": 0.1]],
            ]
            try JSONSerialization.data(withJSONObject: summary).write(to: URL(fileURLWithPath: dir + "/c\(c)/summary.json"))
        }
        for f in ["ct.nii", "s.nii", "labels.nii"] { _ = fm.createFile(atPath: dir + "/" + f, contents: Data()) }
        try "label,name\n1,kidney_left\n2,kidney_right\n3,tumor_1\n".write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes the manifest (cycles 1 and 2 at 7.4 GBq; thrombocytopenia grade 3 after cycle 2, now at `currentGrade`).
    func writeManifest(arm: String, currentGrade: Int) throws -> String {
        let path = dir + "/study.yaml"
        try """
        format_version: 1
        patient: {sex: male, mass_kg: 80, height_cm: 180}
        arm: \(arm)
        labels: {image: labels.nii, names: labels.csv}
        dosimetry_outputs: {1: c1, 2: c2}
        cycles:
          - cycle: 1
            administered_activity_gbq: 7.4
            administration_time: 2025-01-06T09:00:00Z
            time_points: [{time: 2025-01-07T09:00:00Z, ct: ct.nii, spect: {image: s.nii, unit: bq_per_ml}}]
          - cycle: 2
            administered_activity_gbq: 7.4
            administration_time: 2025-03-03T09:00:00Z
            time_points: [{time: 2025-03-04T09:00:00Z, ct: ct.nii, spect: {image: s.nii, unit: bq_per_ml}}]
            toxicity:
              weeks_since_administration: 8
              thrombocytopenia: {worst_grade: 3, current_grade: \(currentGrade)}
              anemia: {worst_grade: 1, current_grade: 1}

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func readJSON(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(FileManager.default.contents(atPath: path))) as? [String: Any])
    }

    func testGrade3ThrombocytopeniaWithholdsThenResumesAt3Point7GBq() throws {
        // Unresolved (grade 3 now, no delay yet beyond the 8-week interval): cycle 3 is withheld.
        let m = try writeManifest(arm: "standard", currentGrade: 3)
        try runCommand(["plan", m, "--out", dir + "/withheld.json", "--h5", dir + "/withheld.h5", "--json"])
        let w = try readJSON(dir + "/withheld.json")
        XCTAssertEqual((w["toxicity"] as? [String: Any])?["action"] as? String, "withhold")
        let wc = try XCTUnwrap(w["cycles"] as? [[String: Any]])
        XCTAssertEqual(wc.count, 1)
        XCTAssertEqual(wc[0]["cycle"] as? Int, 3)
        XCTAssertEqual(wc[0]["status"] as? String, "withheld")
        XCTAssertEqual(wc[0]["activity_gbq"] as? Double, 0)
        XCTAssertEqual(wc[0]["binding_constraint"] as? String, "toxicity_rule")

        // Resolved to grade ≤ 1: cycle 3 at 3.7 GBq (100 mCi), and cycle 4 stays at 3.7 GBq (default
        // toxicity.after_reduction: reduced — no re-escalation unless the protocol allows it).
        // Hand-computed cumulative doses (mean prediction = 0.5 Gy/GBq kidney, 0.03 Gy/GBq marrow):
        // kidney 7.4 (given) + 1.85 = 9.25 Gy, then + 1.85 = 11.1 Gy; marrow 0.03 × 22.2 = 0.666 Gy.
        _ = try writeManifest(arm: "standard", currentGrade: 1)
        try runCommand(["plan", m, "--out", dir + "/plan.json", "--json"])
        let p = try readJSON(dir + "/plan.json")
        XCTAssertEqual((p["toxicity"] as? [String: Any])?["action"] as? String, "reduce")
        let c = try XCTUnwrap(p["cycles"] as? [[String: Any]])
        XCTAssertEqual(c.compactMap { $0["cycle"] as? Int }, [3, 4])
        XCTAssertEqual(c.compactMap { $0["activity_gbq"] as? Double }, [3.7, 3.7])
        XCTAssertEqual(try XCTUnwrap(c[0]["activity_mci"] as? Double), 100, accuracy: 1e-9)
        XCTAssertEqual(c.compactMap { $0["binding_constraint"] as? String }, ["toxicity_rule", "toxicity_rule"])
        XCTAssertEqual(try XCTUnwrap(c[0]["kidney_dose_gy_cumulative"] as? Double), 9.25, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(c[1]["kidney_dose_gy_cumulative"] as? Double), 11.1, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(c[1]["marrow_dose_gy_cumulative"] as? Double), 0.666, accuracy: 1e-9)

        // The HDF5 copy (plan.h5 beside plan.json) holds the same numbers.
        try assertHDF5MatchesJSON(h5: dir + "/plan.h5", json: p, afterCycle: 2)

        // Investigational arm: the planned cycle 3 is capped at the resume activity by the rule.
        _ = try writeManifest(arm: "investigational", currentGrade: 1)
        try runCommand(["plan", m, "--out", dir + "/inv.json", "--h5", dir + "/inv.h5", "--json"])
        let inv = try XCTUnwrap(try readJSON(dir + "/inv.json")["cycles"] as? [[String: Any]])
        XCTAssertEqual(inv.first?["activity_gbq"] as? Double, 3.7)
        XCTAssertEqual(inv.first?["binding_constraint"] as? String, "toxicity_rule")
        try assertHDF5MatchesJSON(h5: dir + "/inv.h5", json: try readJSON(dir + "/inv.json"), afterCycle: 2)
    }

    /// `--after-cycle 9` names the manifest, the option, the value and the valid range.
    func testAfterCycleOutOfRangeIsRefusedClearly() throws {
        let m = try writeManifest(arm: "investigational", currentGrade: 1)
        XCTAssertThrowsError(try runCommand(["plan", m, "--after-cycle", "9", "--out", dir + "/p.json"])) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.source, m)
            XCTAssertEqual(e?.field, "--after-cycle")
            XCTAssertEqual(e?.value, "9")
            XCTAssertTrue(e?.reason.hasPrefix("expected a cycle number from 0 to 2") == true, "\(error)")
        }
        XCTAssertThrowsError(try runCommand(["plan", m, "--after-cycle", "-1", "--out", dir + "/p.json"]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/p.json"))
    }

    /// A protocol above the label cap needs both its research_override section and --research-override; the
    /// plan then records the override in plan.json and plan.h5.
    func testResearchOverrideNeedsFlagAndIsRecorded() throws {
        let m = try writeManifest(arm: "investigational", currentGrade: 1)
        let protocolPath = dir + "/research.yaml"
        try """
        format_version: 1
        protocol: {id: NCT06395402, version: research-1}
        arms:
          investigational: {max_activity_gbq: 18.5}
        research_override: {reason: "EC 2026-17 escalation cohort"}

        """.write(toFile: protocolPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try runCommand(["plan", m, "--config", protocolPath, "--out", dir + "/p.json"])) { error in
            XCTAssertTrue("\(error)".contains("field 'research_override'") && "\(error)".contains("--research-override"), "\(error)")
        }
        try runCommand(["plan", m, "--config", protocolPath, "--research-override", "--out", dir + "/p.json", "--json"])
        let p = try readJSON(dir + "/p.json")
        let o = try XCTUnwrap(p["research_override"] as? [String: Any])
        XCTAssertEqual(o["reason"] as? String, "EC 2026-17 escalation cohort")
        XCTAssertEqual((o["deviations"] as? [String])?.count, 1)
        let reason = try H5File.read(dir + "/plan.h5") { try $0.stringAttribute("research_override_reason", at: "/plans/after_cycle_2") }
        XCTAssertEqual(reason, "EC 2026-17 escalation cohort")
    }

    func testReplanningKeepsEarlierPlanGroups() throws {
        let m = try writeManifest(arm: "standard", currentGrade: 1)
        try runCommand(["plan", m, "--after-cycle", "1", "--out", dir + "/plan1.json", "--h5", dir + "/study-plans.h5", "--json"])
        try runCommand(["plan", m, "--after-cycle", "2", "--out", dir + "/plan2.json", "--h5", dir + "/study-plans.h5", "--json"])
        let groups = try H5File.read(dir + "/study-plans.h5") { try $0.members(of: "/plans") }
        XCTAssertEqual(groups, ["after_cycle_1", "after_cycle_2"])
        try assertHDF5MatchesJSON(h5: dir + "/study-plans.h5", json: try readJSON(dir + "/plan1.json"), afterCycle: 1)
        try assertHDF5MatchesJSON(h5: dir + "/study-plans.h5", json: try readJSON(dir + "/plan2.json"), afterCycle: 2)
    }

    /// Every per-cycle number, the given cycles and the limits in `/plans/after_cycle_K` equal plan.json's.
    func assertHDF5MatchesJSON(h5: String, json: [String: Any], afterCycle: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let g = "/plans/after_cycle_\(afterCycle)"
        try H5File.read(h5) { f in
            XCTAssertEqual(try f.intAttribute("after_cycle", at: g), Int64(afterCycle), file: file, line: line)
            let limits = try XCTUnwrap(json["limits"] as? [String: Any])
            for (attr, key) in [("limit_kidney_dose_gy", "kidney_dose_gy"), ("limit_kidney_bed_gy", "kidney_bed_gy"),
                                ("limit_marrow_dose_gy", "marrow_dose_gy"), ("kidney_alpha_beta_gy", "kidney_alpha_beta_gy"),
                                ("kidney_repair_half_time_h", "kidney_repair_half_time_h")] {
                XCTAssertEqual(try f.doubleAttribute(attr, at: g), limits[key] as? Double, attr, file: file, line: line)
            }
            XCTAssertEqual(try f.stringAttribute("arm", at: g), json["arm"] as? String, file: file, line: line)
            XCTAssertEqual(try f.stringAttribute("toxicity_action", at: g), (json["toxicity"] as? [String: Any])?["action"] as? String,
                           file: file, line: line)

            let rows = try XCTUnwrap(json["cycles"] as? [[String: Any]])
            let t = try f.readTable(at: g + "/cycles")
            XCTAssertEqual(t.rowCount, rows.count, file: file, line: line)
            guard case let .int(cycles)? = t["cycle"]?.data, case let .string(status)? = t["status"]?.data,
                  case let .string(binding)? = t["binding_constraint"]?.data else { return XCTFail("column types", file: file, line: line) }
            XCTAssertEqual(cycles.map(Int.init), rows.compactMap { $0["cycle"] as? Int }, file: file, line: line)
            XCTAssertEqual(status, rows.compactMap { $0["status"] as? String }, file: file, line: line)
            XCTAssertEqual(binding, rows.compactMap { $0["binding_constraint"] as? String }, file: file, line: line)
            for key in ["activity_gbq", "activity_mci", "kidney_dose_gy_cumulative", "kidney_bed_gy_cumulative",
                        "marrow_dose_gy_cumulative", "kidney_dose_gy_per_gbq", "marrow_dose_gy_per_gbq"] {
                guard case let .double(v)? = t[key]?.data else { XCTFail("no column \(key)", file: file, line: line); continue }
                let expected = rows.map { ($0[key] as? Double) ?? .nan }   // JSON null ↔ NaN
                XCTAssertEqual(v.count, expected.count, key, file: file, line: line)
                for (a, b) in zip(v, expected) {
                    XCTAssertTrue(Self.same(a, b), "\(key): HDF5 \(a) vs JSON \(b)", file: file, line: line)
                }
            }
            let given = try XCTUnwrap(json["given"] as? [[String: Any]])
            let gt = try f.readTable(at: g + "/given")
            guard case let .double(gk)? = gt["kidney_dose_gy_cumulative"]?.data else { return XCTFail("given table", file: file, line: line) }
            let gj = given.compactMap { $0["kidney_dose_gy_cumulative"] as? Double }
            XCTAssertEqual(gk.count, gj.count, file: file, line: line)
            XCTAssertTrue(zip(gk, gj).allSatisfy { Self.same($0, $1) }, "given: HDF5 \(gk) vs JSON \(gj)", file: file, line: line)
        }
    }

    /// Equal to 1e-13 relative, or both NaN. The HDF5 holds the plan's binary doubles; the JSON text read back
    /// through Foundation can differ from them by a few units in the last place (e.g. 200.00000000000003 is
    /// read as 200.00000000000006), so exact equality would test Foundation's number parsing, not the plan.
    static func same(_ a: Double, _ b: Double) -> Bool {
        (a.isNaN && b.isNaN) || abs(a - b) <= 1e-13 * max(abs(a), abs(b))
    }
}
