import Foundation
import RPTCommandLine
import RPTWorkflow
import RPTCore
@testable import RPTDosimetry
import RPTKinetics
import RPTPhantom
import RPTPhysics
import XCTest

/// A lesion that appears in cycle 2 and one that disappears in cycle 3 (issue 15), on the synthetic patient's
/// images with per-cycle label maps: cycle 1's label table leaves tumor_3 unlabelled (not yet segmented), cycle 3's
/// leaves tumor_2 unlabelled (gone). Smallest phantom (8 mm voxels), seed 13.
final class LesionAcrossCyclesStudyTests: XCTestCase {
    func testAppearingAndDisappearingLesion() throws {
        let dir = NSTemporaryDirectory() + "rpt-lesions-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = SyntheticPatientConfig.smallTestPatient(seed: 13, schedule: SyntheticPatientConfig.fullThenTwoPointSchedule)
        let patient = try SyntheticPatient.generate(config: c)
        try SyntheticPatientWriter.write(patient, to: dir, ext: ".nii")
        let table = try String(contentsOfFile: dir + "/labels.csv", encoding: .utf8)
        func without(_ name: String) -> String { table.split(separator: "\n").filter { !$0.hasSuffix("," + name) }.joined(separator: "\n") + "\n" }
        try without("tumor_3").write(toFile: dir + "/labels_c1.csv", atomically: true, encoding: .utf8)
        try without("tumor_2").write(toFile: dir + "/labels_c3.csv", atomically: true, encoding: .utf8)
        // Per-time-point label maps for cycles 1 and 3.
        var lines: [String] = []
        var cycle = 0
        for line in try String(contentsOfFile: dir + "/manifest.yaml", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  - cycle: ") { cycle = Int(line.dropFirst("  - cycle: ".count)) ?? 0 }
            lines.append(String(line))
            if line.hasPrefix("        spect: ") && (cycle == 1 || cycle == 3) {
                lines.append("        labels: {image: labels.nii, names: labels_c\(cycle).csv}")
            }
        }
        try lines.joined(separator: "\n").write(toFile: dir + "/manifest.yaml", atomically: true, encoding: .utf8)
        let study = try SyntheticStudyKinetics(manifestPath: dir + "/manifest.yaml")
        let one = study.cycleOne, two = try study.regions(cycle: 2), three = try study.regions(cycle: 3)
        XCTAssertNil(one.first { $0.region == "tumor_3" })
        let new = try XCTUnwrap(two.first { $0.region == "tumor_3" }, "tumor_3 appears in cycle 2")
        XCTAssertTrue(new.method.hasPrefix("MAP biExponentialUptake"), new.method)
        XCTAssertTrue(new.note.contains("no cycle-1 fit"), new.note)
        XCTAssertGreaterThan(new.tiaBqS, 0)
        XCTAssertNil(three.first { $0.region == "tumor_2" }, "tumor_2 gone in cycle 3")
        XCTAssertNotNil(three.first { $0.region == "tumor_3" })
        // tumor_1 is present throughout and keeps its cycle-1 shape.
        XCTAssertEqual(three.first { $0.region == "tumor_1" }?.method, "cycle-1 shape, clearance refitted")
        let truth3 = try patient.truth.timeIntegratedActivityBqS(region: "tumor_3", cycle: 2)
        print(String(format: "tumor_3 new in cycle 2: Ã %+.1f %% vs truth, σ %.1f %% (%@; %@)", 100 * (new.tiaBqS / truth3 - 1),
                     100 * new.tiaRelativeUncertainty, new.method, new.note))
        // Measured −5.2 % (a two-point mono-exponential through the 4-h point gave −12.6 %); asserted within 2σ.
        XCTAssertLessThan(abs(new.tiaBqS / truth3 - 1), 2 * new.tiaRelativeUncertainty)
    }
}
