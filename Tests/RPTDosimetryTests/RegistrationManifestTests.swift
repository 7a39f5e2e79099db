import Foundation
import RPTCore
import RPTDosimetry
import RPTImageIO
import RPTPhantom
import RPTRegistration
import RPTVolume
import RPTTestSupport
import XCTest

/// The manifest switch `registration:` and a cycle's images registered to the reference time point
/// (docs/methods/registration.md).
final class RegistrationManifestTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "rpt-registration-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A moving synthetic patient scanned at 4 h and 24 h (the reference); made once per test process.
    nonisolated(unsafe) static var cachedPatient: SyntheticPatient?
    static func patient() throws -> SyntheticPatient {
        if let p = cachedPatient { return p }
        let c = MovingTestPatient.config(axialSlices: 42, scanHours: [4, 24])
        cachedPatient = try MovingTestPatient.generate(c)
        return cachedPatient!
    }

    /// The patient written as a study (CT and SPECT per scan, the reference scan's labels only).
    func writeStudy(registration: String?) throws -> (StudyManifest, SyntheticPatient) {
        let p = try Self.patient()
        for s in p.spectTimePoints {
            let h = Int(s.timeHours)
            try ImageIO.write(s.ct!, to: dir + "/ct_\(h).mha")
            try ImageIO.write(s.image, to: dir + "/spect_\(h).mha")
        }
        try ImageIO.write(p.spectTimePoints[1].labels!, to: dir + "/labels_24.mha")
        let csv = "label,name\n" + p.labelNames.keys.sorted().map { "\($0),\(p.labelNames[$0]!)" }.joined(separator: "\n") + "\n"
        try csv.write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
        let yaml = """
        format_version: 1
        patient: {sex: male, mass_kg: 80, height_cm: 180}
        arm: investigational
        \(registration.map { "registration: \($0)" } ?? "")
        cycles:
          - cycle: 1
            administered_activity_gbq: 7.4
            administration_time: 2025-01-06T09:00:00Z
            time_points:
              - time: 2025-01-06T13:00:00Z
                ct: ct_4.mha
                spect: {image: spect_4.mha, unit: bq_per_ml}
              - time: 2025-01-07T09:00:00Z
                ct: ct_24.mha
                spect: {image: spect_24.mha, unit: bq_per_ml}
                labels: {image: labels_24.mha, names: labels.csv}

        """
        try yaml.write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
        return (try StudyManifest.load(path: dir + "/study.yaml"), p)
    }

    /// Default none (then every time point needs a label map: the 4 h one has none here); rigid and deformable
    /// need only the reference time point's; unknown modes are refused.
    func testSwitchDefaultsToNoneAndRefusesUnknownModes() throws {
        XCTAssertThrowsError(try writeStudy(registration: nil)) { e in
            XCTAssertTrue("\(e)".contains("time_points[0].labels"), "\(e)")
        }
        let text = try String(contentsOfFile: dir + "/study.yaml", encoding: .utf8)
        try text.replacingOccurrences(of: "labels: {image: labels_24.mha, names: labels.csv}", with: "")
            .replacingOccurrences(of: "arm: investigational", with: "arm: investigational\nregistration: rigid")
            .write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StudyManifest.load(path: dir + "/study.yaml")) { e in
            XCTAssertTrue("\(e)".contains("time_points[1].labels"), "the reference time point needs labels: \(e)")
        }
        for (value, expected) in [("rigid", RegistrationMode.rigid), ("deformable", .deformable)] {
            try text.replacingOccurrences(of: "arm: investigational", with: "arm: investigational\nregistration: \(value)")
                .write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
            XCTAssertEqual(try StudyManifest.load(path: dir + "/study.yaml").registration, expected)
        }
        try text.replacingOccurrences(of: "arm: investigational", with: "arm: investigational\nregistration: affine")
            .write(toFile: dir + "/study.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StudyManifest.load(path: dir + "/study.yaml")) { e in
            XCTAssertTrue("\(e)".contains("registration"), "\(e)")
        }
    }

    /// Rigid registration of the 4 h scan to the 24 h reference: one record with improved similarity, the activity
    /// conserved, the reference labels used, and the kidney activity at 4 h closer to the truth than without.
    func testRigidRegistrationOfACycle() throws {
        let (manifest, p) = try writeStudy(registration: "rigid")
        let cycle = manifest.cycles[0]
        XCTAssertEqual(cycle.referenceIndex, 1)
        let registered = try CycleImages.load(manifest: manifest, cycle: cycle)
        var unregisteredManifest = manifest
        unregisteredManifest.registration = .none
        // Without registration the 4 h point needs a label map of its own: give it the reference one (the error).
        var c0 = cycle
        c0.timePoints[0].labels = cycle.timePoints[1].labels
        let unregistered = try CycleImages.load(manifest: unregisteredManifest, cycle: c0)

        XCTAssertEqual(registered.registrations.count, 1)
        let q = try XCTUnwrap(registered.registrations.first).result
        XCTAssertEqual(q.transform.stageNames, ["EulerTransform"])
        XCTAssertGreaterThan(q.nccAfter, q.nccBefore)
        XCTAssertEqual(registered.labelMapOfTimePoint, [0, 0])
        let total = p.spectTimePoints[0].image.voxels.reduce(0) { $0 + Double($1) } * p.config.spectGrid.voxelVolumeML
        XCTAssertEqual(registered.activityBq[0].reduce(0, +), total * (1 - q.activityOutsideFraction), accuracy: 1e-6 * total)

        // Kidney activity at 4 h (reference kidney labels) vs the truth.
        let kidneyLabels = Set(try PhantomRegion.regions(named: "kidneys").map(\.label))
        let truth = p.truth.timePoints[0].activityBqByLabel.filter { kidneyLabels.contains($0.key) }.values.reduce(0, +)
        func kidneys(_ images: CycleImages) -> Double {
            let map = images.labelMaps[images.labelMapOfTimePoint[0]]
            return map.labelsOnDoseGrid.indices.reduce(0) { kidneyLabels.contains(UInt16(map.labelsOnDoseGrid[$1])) ? $0 + images.activityBq[0][$1] : $0 }
        }
        let errReg = abs(kidneys(registered) / truth - 1), errNone = abs(kidneys(unregistered) / truth - 1)
        print("kidney activity at 4 h: error \(errReg * 100) % registered (rigid), \(errNone * 100) % unregistered")
        XCTAssertLessThan(errReg, errNone)
    }
}
