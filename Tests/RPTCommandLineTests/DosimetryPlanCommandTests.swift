import Foundation
@testable import RPTCommandLine
import RPTWorkflow
import RPTCore
import XCTest

/// `rptdose dosimetry` and `rptdose plan` on a tiny synthetic study (48 × 36 × 36 CT voxels of 8 mm,
/// a few thousand decays: the numbers are not meant to be precise, the files and the plan rules are checked).
final class DosimetryPlanCommandTests: XCTestCase {
    func testDosimetryThenPlanOnTinyStudy() throws {
        let dir = NSTemporaryDirectory() + "rpt-plan-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try runCommand(["phantom", "--out", dir + "/study", "--size", "48x36x36", "--voxel-mm", "8", "--format", ".nii"])
        let manifest = dir + "/study/manifest.yaml"
        try runCommand(["dosimetry", manifest, "--cycle", "1", "--out", dir + "/c1", "--decays", "20000",
                        "--threads", "2", "--quiet"])
        for f in ["dosimetry.h5", "regions.csv", "regions.json", "summary.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/c1/" + f), f)
        }

        // Before cycle 2's dosimetry exists, planning after cycle 2 is refused, naming what is missing.
        XCTAssertThrowsError(try runCommand(["plan", manifest, "--dosimetry", dir + "/c1", "--after-cycle", "2"])) { e in
            XCTAssertTrue("\(e)".contains("cycle 2") && "\(e)".contains("dosimetry"), "\(e)")
        }
        XCTAssertThrowsError(try runCommand(["plan", manifest, "--dosimetry", dir + "/nowhere"])) { e in
            XCTAssertTrue("\(e)".contains("summary.json"), "\(e)")
        }

        try runCommand(["plan", manifest, "--dosimetry", dir + "/c1", "--out", dir + "/plan.json", "--json"])
        let data = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/plan.json"))
        let plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertNotNil(plan["limits"])
        XCTAssertEqual(plan["arm"] as? String, "investigational")
        let cycles = try XCTUnwrap(plan["cycles"] as? [[String: Any]])
        XCTAssertEqual(cycles.compactMap { $0["cycle"] as? Int }, [2, 3, 4])
        for c in cycles {
            for key in ["activity_gbq", "activity_mci", "binding_constraint", "kidney_dose_gy_cumulative",
                        "kidney_bed_gy_cumulative", "marrow_dose_gy_cumulative"] {
                XCTAssertNotNil(c[key], key)
            }
            let a = try XCTUnwrap(c["activity_gbq"] as? Double)
            XCTAssertTrue(a == 0 || (1.85...14.8).contains(a), "\(a) GBq")
            XCTAssertLessThanOrEqual(try XCTUnwrap(c["kidney_dose_gy_cumulative"] as? Double), 23 + 1e-6)
            XCTAssertLessThanOrEqual(try XCTUnwrap(c["marrow_dose_gy_cumulative"] as? Double), 2 + 1e-6)
        }

        // Cycle 2 (4 and 96 h only) with the cycle-1 shape, then re-plan after cycle 2.
        try runCommand(["dosimetry", manifest, "--cycle", "2", "--out", dir + "/c2", "--decays", "5000",
                        "--threads", "2", "--quiet"])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: XCTUnwrap(FileManager.default.contents(atPath: dir + "/c2/regions.json"))) as? [[String: Any]])
        let kidney = try XCTUnwrap(rows.first { $0["region"] as? String == "kidney_left" })
        XCTAssertEqual(kidney["kinetics"] as? String, "cycle-1 shape, clearance refitted")
        try runCommand(["plan", manifest, "--dosimetry", dir + "/c1", dir + "/c2", "--out", dir + "/plan2.json"])
        let plan2 = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: XCTUnwrap(FileManager.default.contents(atPath: dir + "/plan2.json"))) as? [String: Any])
        XCTAssertEqual((plan2["cycles"] as? [[String: Any]])?.compactMap { $0["cycle"] as? Int }, [3, 4])
        XCTAssertEqual((plan2["given"] as? [[String: Any]])?.count, 2)
    }
}
