import Foundation
import RPTCore
import RPTDosimetry
import RPTImageIO
import RPTVolume
import XCTest

/// Every class of manifest error is reported with the key path of the field at fault, and all problems
/// of a manifest are reported together.
final class ManifestValidationTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "rpt-manifest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Tiny images: CT, SPECT and labels on the same 4×4×4 grid; a far-away SPECT for the overlap check.
        let g = Grid3D(shape: SIMD3(4, 4, 4), spacing: SIMD3(repeating: 10))
        try ImageIO.write(AnyVolume(Volume<Float>(grid: g, voxels: .init(repeating: 0, count: 64), unit: "HU")), to: dir + "/ct.nii")
        try ImageIO.write(AnyVolume(Volume<Float>(grid: g, voxels: .init(repeating: 100, count: 64), unit: "Bq/mL")), to: dir + "/s1.nii")
        try ImageIO.write(AnyVolume(Volume<Float>(grid: g, voxels: .init(repeating: 50, count: 64), unit: "Bq/mL")), to: dir + "/s2.nii")
        let far = Grid3D(shape: SIMD3(4, 4, 4), spacing: SIMD3(repeating: 10), origin: SIMD3(5000, 0, 0))
        try ImageIO.write(AnyVolume(Volume<Float>(grid: far, voxels: .init(repeating: 50, count: 64), unit: "Bq/mL")), to: dir + "/far.nii")
        try ImageIO.write(AnyVolume(Volume<UInt16>(grid: g, voxels: (0..<64).map { UInt16($0 % 3) }, unit: "label")), to: dir + "/labels.nii")
        try "label,name\n1,kidney_left\n2,tumor_1\n".write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A valid manifest; `edit` replaces lines to introduce errors.
    func manifest(_ edits: [(String, String)] = []) -> String {
        var y = """
        format_version: 1
        patient: {sex: male, mass_kg: 80, height_cm: 180}
        arm: investigational
        labels: {image: labels.nii, names: labels.csv}
        lesions: [tumor_1]
        cycles:
          - cycle: 1
            administered_activity_gbq: 7.4
            administration_time: 2025-01-06T09:00:00Z
            time_points:
              - time: 2025-01-06T13:00:00Z
                ct: ct.nii
                spect: {image: s1.nii, unit: bq_per_ml}
              - time: 2025-01-07T09:00:00Z
                ct: ct.nii
                spect: {image: s2.nii, unit: bq_per_ml}
            blood_samples:
              - {time: 2025-01-06T10:00:00Z, bq_per_ml: 1000}

        """
        for (old, new) in edits {
            XCTAssertTrue(y.contains(old), "test edit does not apply: \(old)")
            y = y.replacingOccurrences(of: old, with: new)
        }
        return y
    }

    func load(_ text: String) throws -> StudyManifest {
        let path = dir + "/study.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try StudyManifest.load(path: path)
    }

    /// Loads, expects InputErrors, and checks that one error names `field` (and, if given, its reason contains `reason`).
    func expectError(_ edits: [(String, String)], field: String, reason: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(manifest(edits)), file: file, line: line) { e in
            guard let errors = e as? InputErrors else { return XCTFail("expected InputErrors, got \(e)", file: file, line: line) }
            let hit = errors.errors.first { $0.field == field && (reason == nil || $0.reason.contains(reason!)) }
            XCTAssertNotNil(hit, "no error for field \(field) in:\n\(errors)", file: file, line: line)
            XCTAssertTrue("\(errors)".contains(field), file: file, line: line)
        }
    }

    func testValidManifestLoadsWithResolvedPathsAndTimes() throws {
        let m = try load(manifest())
        XCTAssertEqual(m.cycles.count, 1)
        XCTAssertEqual(m.cycles[0].timePoints.map(\.hoursAfterAdministration), [4, 24])
        XCTAssertEqual(m.cycles[0].timePoints[0].spect.image, dir + "/s1.nii")
        XCTAssertEqual(m.cycles[0].bloodSamples[0].hoursAfterAdministration, 1)
        XCTAssertEqual(m.patient.sex, .male)
        XCTAssertEqual(m.cycles[0].referenceIndex, 1, "the first time point ≥ 20 h")
    }

    /// `activity_common_relative_uncertainty`: the part of the activity uncertainty common to every time point; read,
    /// and refused when negative or not below `activity_relative_uncertainty` (issue 15).
    func testCommonActivityUncertainty() throws {
        let m = try load(manifest([("arm: investigational", "arm: investigational\nactivity_relative_uncertainty: 0.1\nactivity_common_relative_uncertainty: 0.08")]))
        XCTAssertEqual(m.activityCommonRelativeUncertainty, 0.08)
        XCTAssertEqual(m.activityIndependentRelativeUncertainty, 0.06, accuracy: 1e-12)
        XCTAssertEqual(try load(manifest()).activityCommonRelativeUncertainty, 0)
        expectError([("arm: investigational", "arm: investigational\nactivity_relative_uncertainty: 0.1\nactivity_common_relative_uncertainty: 0.1")],
                    field: "activity_common_relative_uncertainty", reason: "below activity_relative_uncertainty")
        expectError([("arm: investigational", "arm: investigational\nactivity_common_relative_uncertainty: -0.01")],
                    field: "activity_common_relative_uncertainty")
    }

    func testMissingFileNamesTheField() {
        expectError([("image: s2.nii", "image: nope.nii")], field: "cycles[0].time_points[1].spect.image", reason: "not found")
    }

    func testTimesOutOfOrder() {
        expectError([("time: 2025-01-07T09:00:00Z", "time: 2025-01-06T12:00:00Z")],
                    field: "cycles[0].time_points[1].time", reason: "increasing")
    }

    func testScanBeforeAdministration() {
        expectError([("time: 2025-01-06T13:00:00Z", "time: 2025-01-06T08:00:00Z")],
                    field: "cycles[0].time_points[0].time", reason: "after the administration")
    }

    func testNegativeActivity() {
        expectError([("administered_activity_gbq: 7.4", "administered_activity_gbq: -7.4")],
                    field: "cycles[0].administered_activity_gbq", reason: "> 0")
    }

    func testNegativeBloodConcentration() {
        expectError([("bq_per_ml: 1000", "bq_per_ml: -3")], field: "cycles[0].blood_samples[0].bq_per_ml")
    }

    func testUnitMissing() {
        expectError([("{image: s1.nii, unit: bq_per_ml}", "{image: s1.nii}")],
                    field: "cycles[0].time_points[0].spect.unit", reason: "missing")
    }

    func testCountsNeedCalibrationAndAcquisitionTime() {
        expectError([("{image: s1.nii, unit: bq_per_ml}", "{image: s1.nii, unit: counts}")],
                    field: "cycles[0].time_points[0].spect.calibration_cps_per_mbq", reason: "missing")
        expectError([("{image: s1.nii, unit: bq_per_ml}", "{image: s1.nii, unit: counts, calibration_cps_per_mbq: 5.7}")],
                    field: "cycles[0].time_points[0].spect.acquisition_s", reason: "missing")
    }

    func testUnknownUnit() {
        expectError([("{image: s1.nii, unit: bq_per_ml}", "{image: s1.nii, unit: MBq}")],
                    field: "cycles[0].time_points[0].spect.unit", reason: "bq_per_ml or counts")
    }

    func testGridsThatDoNotOverlap() {
        expectError([("image: s2.nii", "image: far.nii")], field: "cycles[0].time_points[1].spect.image", reason: "overlap")
    }

    func testUnknownRegionAndUnknownKeyAndMissingPatientField() {
        expectError([("lesions: [tumor_1]", "lesions: [tumor_9]")], field: "lesions[0]", reason: "not a region")
        expectError([("arm: investigational", "arm: investigational\ncolour: blue")], field: "colour", reason: "unknown key")
        expectError([("{sex: male, mass_kg: 80, height_cm: 180}", "{mass_kg: 80, height_cm: 180}")], field: "patient.sex")
        expectError([("sex: male", "sex: other")], field: "patient.sex", reason: "male, female")
    }

    func testBadTimeFormat() {
        expectError([("administration_time: 2025-01-06T09:00:00Z", "administration_time: 6 Jan 2025")],
                    field: "cycles[0].administration_time", reason: "ISO-8601")
    }

    /// Several problems in one manifest are all reported at once.
    func testEveryProblemIsReportedAtOnce() {
        let edits = [("administered_activity_gbq: 7.4", "administered_activity_gbq: -1"),
                     ("image: s2.nii", "image: missing.nii"),
                     ("{image: s1.nii, unit: bq_per_ml}", "{image: s1.nii}"),
                     ("mass_kg: 80", "mass_kg: 0")]
        XCTAssertThrowsError(try load(manifest(edits))) { e in
            guard let errors = e as? InputErrors else { return XCTFail("\(e)") }
            let fields = Set(errors.errors.map(\.field))
            for f in ["cycles[0].administered_activity_gbq", "cycles[0].time_points[1].spect.image",
                      "cycles[0].time_points[0].spect.unit", "patient.mass_kg"] {
                XCTAssertTrue(fields.contains(f), "\(f) missing from \(errors)")
            }
            XCTAssertTrue(errors.errors.allSatisfy { $0.source.hasSuffix("study.yaml") })
        }
    }
}
