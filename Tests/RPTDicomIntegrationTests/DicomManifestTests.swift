import Foundation
import RPTCore
import RPTDicom
import RPTDosimetry
import RPTTestSupport
import RPTVolume
import XCTest

/// A study manifest pointing at DICOM: a CT series folder, a multi-frame NM file and an RTSTRUCT.
final class DicomManifestTests: XCTestCase {
    func manifest(in dir: String, study: StudyFixture.Study, spect: String = "spect.dcm", unit: String = "unit: bq_per_ml",
                  labels: String? = nil, scanTime: String = "2024-01-03T10:00:00Z") throws -> String {
        let text = """
            format_version: 1
            patient: {id: P1, sex: female, mass_kg: 60, height_cm: 165}
            arm: standard
            labels: \(labels ?? "{image: \(study.dir)/rtstruct.dcm}")
            cycles:
              - cycle: 1
                administered_activity_gbq: 7.4
                administration_time: 2024-01-02T09:30:00Z
                time_points:
                  - {time: \(scanTime), ct: \(study.dir)/ct, spect: {image: \(study.dir)/\(spect), \(unit)}}
            """
        let path = dir + "/study.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testManifestWithDicomCTNMAndRTStructLoads() throws {
        let study = try StudyFixture.study()
        let dir = try StudyFixture.tempDir(self)
        let m = try StudyManifest.load(path: try manifest(in: dir, study: study))
        let tp = m.cycles[0].timePoints[0]
        XCTAssertEqual(m.sharedLabels?.names, "", "names come from the RTSTRUCT")

        // CT folder → HU on the CT grid.
        let ct = try StudyImages.read(tp.ct, role: .ct)
        let e = study.section("ct")
        XCTAssertEqual([ct.grid.shape.x, ct.grid.shape.y, ct.grid.shape.z], (e["shape"] as! [Int]))
        XCTAssertEqual([ct.grid.spacing.x, ct.grid.spacing.y, ct.grid.spacing.z], doubles(e["spacing"]))
        XCTAssertEqual([ct.grid.origin.x, ct.grid.origin.y, ct.grid.origin.z], doubles(e["origin"]))
        XCTAssertEqual(ct.asDouble.voxels, doubles(e["hu"]))

        // NM file in Bq/mL.
        let spect = try StudyImages.readSpect(tp.spect).asDouble
        XCTAssertEqual(spect.voxels, doubles(study.section("nm")["bqml"]))

        // RTSTRUCT rasterised on the CT: ROI names are the region names, voxel counts exact.
        let (labels, table) = try StudyImages.readLabelMap(m.sharedLabels!, ctPath: tp.ct)
        XCTAssertEqual(table.names, [1: "Ring", 2: "Box"])
        XCTAssertTrue(labels.grid.isSameGrid(as: ct.grid))
        let r = study.section("rtstruct")
        XCTAssertEqual(labels.voxels.filter { $0 == 1 }.count, r["Ring"] as? Int)
        XCTAssertEqual(labels.voxels.filter { $0 == 2 }.count, r["Box"] as? Int)
        XCTAssertEqual(labels.voxels, doubles(r["labels"]))

        // The cycle's images on the dose grid (the SPECT grid): activity conserved, regions from the ROI names.
        let images = try CycleImages.load(manifest: m, cycle: m.cycles[0])
        XCTAssertTrue(images.doseGrid.isSameGrid(as: spect.grid))
        XCTAssertEqual(images.regions.names.sorted(), ["Box", "Ring"])
        let total = images.activityBq[0].reduce(0, +), expected = study.section("nm")["totalBq"] as! Double
        XCTAssertEqual(total, expected, accuracy: 1e-9 * expected)
    }

    /// The manifest unit must match the DICOM values: Bq/mL images with `counts`, counts images with `bq_per_ml`.
    func testSpectUnitMustMatchTheDicomValues() throws {
        let study = try StudyFixture.study()
        let dir = try StudyFixture.tempDir(self)
        let counts = "unit: counts, calibration_cps_per_mbq: 5.0, acquisition_s: 900"
        XCTAssertThrowsError(try StudyManifest.load(path: try manifest(in: dir, study: study, unit: counts))) { e in
            XCTAssertTrue("\(e)".contains("cycles[0].time_points[0].spect.unit") && "\(e)".contains("use unit: bq_per_ml"), "\(e)")
        }
        XCTAssertThrowsError(try StudyManifest.load(path: try manifest(in: dir, study: study, spect: "spect_counts.dcm"))) { e in
            XCTAssertTrue("\(e)".contains("spect.unit") && "\(e)".contains("holds counts"), "\(e)")
        }
        // Counts image with the manifest calibration: activity = counts / (cps/MBq × 1e-6 × s).
        let m = try StudyManifest.load(path: try manifest(in: dir, study: study, spect: "spect_counts.dcm", unit: counts))
        let images = try CycleImages.load(manifest: m, cycle: m.cycles[0])
        let countsSum = doubles(study.section("nm")["bqml"]).reduce(0, +) / 250  // stored values (RWV slope 250)
        XCTAssertEqual(images.activityBq[0].reduce(0, +), countsSum / (5.0e-6 * 900), accuracy: 1e-9 * countsSum / (5.0e-6 * 900))
    }

    /// RPTDose needs the activity at the scan time: an image decay-corrected to the administration is refused,
    /// naming the file, the tag and its value.
    func testSpectDecayCorrectedToAdministrationIsRefused() throws {
        let study = try StudyFixture.study()
        let dir = try StudyFixture.tempDir(self)
        XCTAssertThrowsError(try StudyManifest.load(path: try manifest(in: dir, study: study, spect: "spect_admin.dcm"))) { e in
            XCTAssertTrue("\(e)".contains("spect_admin.dcm") && "\(e)".contains("DecayCorrection (0054,1102)")
                          && "\(e)".contains("ADMIN"), "\(e)")
        }
        // Corrected to the acquisition start is the activity at scan time: accepted.
        XCTAssertNoThrow(try StudyManifest.load(path: try manifest(in: dir, study: study, spect: "spect_start.dcm")))
    }

    /// A SPECT whose DICOM acquisition (2024-01-03 10:00) is 72 h from the time point's `time` is another time
    /// point's image; a difference a time zone could explain (DICOM times carry none) is accepted.
    func testSpectAcquiredAtAnotherTimeIsRefused() throws {
        let study = try StudyFixture.study()
        let dir = try StudyFixture.tempDir(self)
        XCTAssertThrowsError(try StudyManifest.load(path: try manifest(in: dir, study: study, scanTime: "2024-01-06T10:00:00Z"))) { e in
            XCTAssertTrue("\(e)".contains("72.0 h before this time point") && "\(e)".contains("spect.image"), "\(e)")
        }
        XCTAssertNoThrow(try StudyManifest.load(path: try manifest(in: dir, study: study, scanTime: "2024-01-03T15:00:00+05:00")))
        XCTAssertNoThrow(try StudyManifest.load(path: try manifest(in: dir, study: study, scanTime: "2024-01-03T20:00:00Z")))
    }

    func testWrongModalityIsNamed() throws {
        let study = try StudyFixture.study()
        let dir = try StudyFixture.tempDir(self)
        // The RTSTRUCT given as the SPECT image.
        XCTAssertThrowsError(try StudyManifest.load(path: try manifest(in: dir, study: study, spect: "rtstruct.dcm"))) { e in
            XCTAssertTrue("\(e)".contains("(0008,0060)") && "\(e)".contains("RTSTRUCT") && "\(e)".contains("NM or PT"), "\(e)")
        }
        // A non-DICOM label image still needs its names table.
        XCTAssertThrowsError(try StudyManifest.load(path: try manifest(in: dir, study: study, labels: "{image: labels.nii}"))) { e in
            XCTAssertTrue("\(e)".contains("labels.names"), "\(e)")
        }
    }
}

/// A manifest's CT given as one file of a series that mixes two reconstructions (RPTDicomTests'
/// Resources/make_assembly_fixtures.py, `recon/`): that file's sub-series is read; the folder is refused with a list.
final class DicomSubSeriesSelectionTests: XCTestCase {
    func testAFileOfASubSeriesPicksIt() throws {
        let script = StudyFixture.testsDir.deletingLastPathComponent()
            .appendingPathComponent("RPTDicomTests/Resources/make_assembly_fixtures.py").path
        let (dir, expected) = try PythonFixture.generate(script: script, modules: ["pydicom", "numpy", "highdicom"])
        let e = expected["recon"] as! [String: Any]
        let bone = try StudyImages.read(dir + "/recon/bone1.dcm", role: .ct)
        XCTAssertEqual(bone.grid.shape.z, 4)
        XCTAssertEqual(bone.asDouble.voxels, doubles(e["bone_hu"]))
        let soft = try StudyImages.read(dir + "/recon/soft3.dcm", role: .ct)
        XCTAssertEqual(soft.asDouble.voxels, doubles(e["soft_hu"]))
        XCTAssertThrowsError(try StudyImages.read(dir + "/recon", role: .ct)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("mixes 2 sub-series") && text.contains("kernel B30f") && text.contains("kernel B70f"), text)
        }
    }
}
