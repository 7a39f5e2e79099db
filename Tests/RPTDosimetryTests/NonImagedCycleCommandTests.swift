import Foundation
import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTDosimetry
import RPTPhantom
import XCTest

/// Issue 15: a study with imaged cycles 1–3 and a cycle 4 given without imaging (`imaged: false`) runs through
/// `dosimetry` (cycle 4 predicted from cycles 1–3), `plan` (which says cycle 4's doses were predicted) and `report`
/// (which shows the prediction). Tiny phantom (8 mm voxels), local-deposition dose (no Monte Carlo): the files and the wording
/// are checked, the numbers only for consistency (prediction = mean of the imaged cycles, larger uncertainty).
final class NonImagedCycleCommandTests: XCTestCase {
    func runCommand(_ args: [String]) throws {
        var command = try RPTDoseCommand.parseAsRoot(args)
        try command.run()
    }

    func testNonImagedCycleFourThroughDosimetryPlanAndReport() throws {
        let dir = NSTemporaryDirectory() + "rpt-noimg-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The smallest synthetic study (8 mm CT and SPECT voxels), imaged in cycles 1–3; cycle 4 appended without imaging.
        let config = SyntheticPatientConfig.smallTestPatient(seed: 21, schedule: SyntheticPatientConfig.fullThenTwoPointSchedule)
        try SyntheticPatientWriter.write(try SyntheticPatient.generate(config: config), to: dir + "/study", ext: ".nii")
        let manifest = dir + "/study/manifest.yaml"
        var text = try String(contentsOfFile: manifest, encoding: .utf8)
        let cycle3 = try XCTUnwrap(text.range(of: "  - cycle: 3\n"))
        let line = try XCTUnwrap(text[cycle3.upperBound...].split(separator: "\n").first { $0.contains("administration_time") })
        let admin3 = try XCTUnwrap(ISO8601DateFormatter().date(from: String(line.split(separator: " ").last!)))
        let admin4 = ISO8601DateFormatter().string(from: admin3.addingTimeInterval(8 * 7 * 86400))
        text += "  - cycle: 4\n    administered_activity_gbq: 7.4\n    administration_time: \(admin4)\n    imaged: false\n"
        try text.write(toFile: manifest, atomically: true, encoding: .utf8)

        for c in 1...3 {
            try runCommand(["dosimetry", manifest, "--cycle", "\(c)", "--out", dir + "/cycle-\(c)", "--method", "ldm", "--quiet"])
        }
        try runCommand(["dosimetry", manifest, "--cycle", "4", "--out", dir + "/cycle-4"])
        func json(_ path: String) throws -> [String: Any] {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(FileManager.default.contents(atPath: path))) as? [String: Any])
        }
        let s4 = try json(dir + "/cycle-4/summary.json")
        XCTAssertEqual(s4["predicted"] as? Bool, true)
        XCTAssertEqual(s4["predicted_from_cycles"] as? [Int], [1, 2, 3])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/cycle-4/dosimetry.h5"))
        // Written as a whole folder (staged, then moved into place): nothing left beside it.
        XCTAssertFalse(FileManager.default.fileExists(atPath: StagedFolder.stagingPath(for: dir + "/cycle-4")))
        // There is no Monte Carlo run to resume in a predicted cycle; the folder is left as it was.
        XCTAssertThrowsError(try runCommand(["dosimetry", manifest, "--cycle", "4", "--out", dir + "/cycle-4", "--resume"])) {
            XCTAssertTrue("\($0)".contains("not imaged"), "\($0)")
        }
        XCTAssertEqual(try json(dir + "/cycle-4/summary.json") as NSDictionary, s4 as NSDictionary)
        let k4 = try XCTUnwrap(s4["kidneys"] as? [String: Any])
        let earlier = try (1...3).map { try XCTUnwrap(try json(dir + "/cycle-\($0)/summary.json")["kidneys"] as? [String: Any]) }
        let mean = earlier.compactMap { $0["dose_per_gbq_gy"] as? Double }.reduce(0, +) / 3
        XCTAssertEqual(try XCTUnwrap(k4["dose_per_gbq_gy"] as? Double), mean, accuracy: 1e-12 * mean)
        let u4 = try XCTUnwrap(k4["combined_rel_uncertainty"] as? Double)
        for e in earlier { XCTAssertGreaterThanOrEqual(u4, try XCTUnwrap(e["combined_rel_uncertainty"] as? Double) * 0.999) }

        try runCommand(["plan", manifest, "--dosimetry", dir + "/cycle-1", dir + "/cycle-2", dir + "/cycle-3", dir + "/cycle-4",
                        "--out", dir + "/plan.json", "--json"])
        let plan = try json(dir + "/plan.json")
        let notes = try XCTUnwrap(plan["notes"] as? [String])
        XCTAssertTrue(notes.contains { $0.contains("cycle 4 doses: not imaged") }, "\(notes)")

        try runCommand(["report", dir, "--manifest", manifest, "--out", dir + "/report.html"])
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("Cycles without imaging (predicted doses)"))
        XCTAssertTrue(html.contains("not imaged — doses predicted from cycle(s) 1, 2, 3"))
    }
}

/// `imaged: false` in the manifest: such a cycle must have no time points; an imaged cycle must have some.
final class NonImagedCycleManifestTests: XCTestCase {
    func errors(_ cycle: String) -> String {
        let yaml = """
        format_version: 1
        patient: {id: p, sex: female, mass_kg: 60, height_cm: 165}
        arm: standard
        cycles:
        \(cycle)
        """
        do { _ = try StudyManifest.parse(yaml: yaml, path: "/nonexistent/study.yaml", checkImages: false); return "" } catch {
            return "\(error)"
        }
    }

    func testImagedFlag() {
        let notImaged = "  - {cycle: 1, administered_activity_gbq: 7.4, administration_time: 2026-01-05T09:00:00Z, imaged: false}"
        XCTAssertEqual(errors(notImaged), "", "a non-imaged cycle needs no time points")
        let withPoints = "  - {cycle: 1, administered_activity_gbq: 7.4, administration_time: 2026-01-05T09:00:00Z, imaged: false, "
            + "time_points: [{time: 2026-01-05T13:00:00Z, ct: ct.nii, spect: {image: s.nii, unit: bq_per_ml}}]}"
        XCTAssertTrue(errors(withPoints).contains("cycles[0].time_points"), errors(withPoints))
        let missing = "  - {cycle: 1, administered_activity_gbq: 7.4, administration_time: 2026-01-05T09:00:00Z}"
        XCTAssertTrue(errors(missing).contains("time_points"), errors(missing))
    }
}
