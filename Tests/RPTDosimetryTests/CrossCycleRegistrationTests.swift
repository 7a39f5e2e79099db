import Foundation
import RPTCore
import RPTDosimetry
import RPTPhantom
import RPTStore
import RPTTransport
import RPTWorkflow
import RPTTestSupport
import XCTest

/// Cycle 2's reference CT registered to cycle 1's (`CrossCycleRegistration`, docs/methods/registration.md,
/// "Cross-cycle registration") on the moving synthetic patient (every scan repositioned ≤ 12 mm and 3°, deformed
/// ≤ 5 mm): the lesions matched across cycles, a swap of lesion names flagged (in the notes too), and the transform recorded in dosimetry.h5.
final class CrossCycleRegistrationTests: XCTestCase {
    func testCycleTwoRegisteredToCycleOneMatchesLesionsAndIsRecorded() throws {
        let dir = NSTemporaryDirectory() + "rpt-cross-cycle-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = MovingPatientDosimetryTests.config()
        c.spectSchedule = [SpectCycleSchedule(cycle: 1, timesHours: [4, 24]), SpectCycleSchedule(cycle: 2, timesHours: [4, 24])]
        let p = try MovingTestPatient.generate(c)
        try SyntheticPatientWriter.write(p, to: dir, ext: ".nii", registration: "rigid")
        let manifest = try StudyManifest.load(path: dir + "/manifest.yaml")
        XCTAssertNil(try CrossCycleRegistration.run(manifest: manifest, cycle: manifest.cycle(1)!), "cycle 1 is the reference")
        var none = manifest
        none.registration = .none
        XCTAssertNil(try CrossCycleRegistration.run(manifest: none, cycle: none.cycle(2)!))

        let cross = try XCTUnwrap(try CrossCycleRegistration.run(manifest: manifest, cycle: manifest.cycle(2)!))
        XCTAssertEqual(cross.referenceCycle, 1)
        XCTAssertEqual(cross.transform.stageNames, ["EulerTransform"])
        XCTAssertGreaterThan(cross.nccAfter, cross.nccBefore)
        XCTAssertEqual(cross.lesions.map(\.name), ["tumor_1", "tumor_2", "tumor_3"])
        for m in cross.lesions {
            print(String(format: "%@: centroid distance to cycle 1's %.1f mm unregistered, %.1f mm registered (nearest %@)",
                         m.name, m.distanceBeforeMM, m.distanceAfterMM, m.nearest ?? "-"))
            XCTAssertEqual(m.nearest, m.name)
            // Rigid registration cannot undo the deformation: the two scans' deformations differ by ≤ 2 × 5 mm.
            XCTAssertLessThan(m.distanceAfterMM, 2 * c.motion!.maximumDeformationMM, m.name)
        }
        XCTAssertTrue(cross.mismatchedLesions.isEmpty)
        let before = cross.lesions.map(\.distanceBeforeMM).reduce(0, +), after = cross.lesions.map(\.distanceAfterMM).reduce(0, +)
        XCTAssertLessThan(after, before)

        // tumor_1 and tumor_2 swapped in cycle 2's label table: both flagged.
        let table = try String(contentsOfFile: dir + "/labels.csv", encoding: .utf8)
        try table.replacingOccurrences(of: ",tumor_1", with: ",TMP").replacingOccurrences(of: ",tumor_2", with: ",tumor_1")
            .replacingOccurrences(of: ",TMP", with: ",tumor_2").write(toFile: dir + "/labels_c2.csv", atomically: true, encoding: .utf8)
        var text = try String(contentsOfFile: dir + "/manifest.yaml", encoding: .utf8)
        for stem in ["labels_c2_004h", "labels_c2_024h"] {
            text = text.replacingOccurrences(of: "{image: \(stem).nii, names: labels.csv}", with: "{image: \(stem).nii, names: labels_c2.csv}")
        }
        try text.write(toFile: dir + "/swapped.yaml", atomically: true, encoding: .utf8)
        let swapped = try StudyManifest.load(path: dir + "/swapped.yaml")
        let flagged = try XCTUnwrap(try CrossCycleRegistration.run(manifest: swapped, cycle: swapped.cycle(2)!))
        XCTAssertEqual(flagged.mismatchedLesions.map(\.name), ["tumor_1", "tumor_2"])
        XCTAssertEqual(flagged.mismatchedLesions.map(\.nearest), ["tumor_2", "tumor_1"])

        // Through the dosimetry of cycle 2 (swapped names): recorded in dosimetry.h5 /registration/cross_cycle, warned in the notes.
        var request = CycleDosimetryRequest(study: dir + "/swapped.yaml", cycle: 2, out: dir + "/cycle-2",
                                            control: RunControl(decays: 1, threads: 1), seed: 1)
        request.method = DoseMethodConfiguration(method: .ldm)
        let result = try XCTUnwrap(try CycleDosimetryWorkflow.run(request, environment: RunEnvironment(quiet: true)))
        for name in ["tumor_1", "tumor_2"] {
            XCTAssertTrue(result.notes.contains { $0.hasPrefix("WARNING: lesion '\(name)'") && $0.contains("check the lesion names") },
                          "\(result.notes)")
        }
        try H5File.read(dir + "/cycle-2/dosimetry.h5") { f in
            let g = "/registration/cross_cycle"
            XCTAssertEqual(try f.stringsAttribute("transform_stages", at: g), ["EulerTransform"])
            XCTAssertEqual(try f.stringsAttribute("lesions", at: g), ["tumor_1", "tumor_2", "tumor_3"])
            XCTAssertEqual(try f.stringsAttribute("lesion_nearest", at: g), ["tumor_2", "tumor_1", "tumor_3"])
            XCTAssertEqual(try f.stringsAttribute("transform_parameters", at: g).count, 1)
            XCTAssertGreaterThan(try f.doubleAttribute("ncc_after", at: g), try f.doubleAttribute("ncc_before", at: g))
        }
    }
}
