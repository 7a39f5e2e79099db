import Foundation
import RPTCore
import RPTImageIO
import RPTStore
import RPTVolume
import XCTest
import RPTTestSupport
@testable import RPTDicom

/// `rptdose export`: RT Dose over a pydicom CT series read back by pydicom (and dciodvfy), NIfTI / MHD round trips.
final class ExportCommandTests: XCTestCase {
    func writeDose(to path: String) throws -> Volume<Double> { try StudyFixture.writeDose(to: path) }

    /// A dosimetry.h5 holds one cycle's dose: the default Series Description says which cycle.
    func testCycleDoseExportNamesItsCycle() throws {
        let study = try StudyFixture.study()
        let dir = try StudyFixture.tempDir(self)
        let dose = try writeDose(to: dir + "/sim.h5")
        let path = dir + "/dosimetry.h5"
        try H5File.write(to: path) { f in
            try f.writeVolume(AnyVolume(dose), at: "dose")
            try f.createGroup("/dosimetry")
            try f.setAttribute("cycle", .int(2), at: "/dosimetry")
        }
        let out = dir + "/cycle2.dcm"
        _ = try StudyFixture.run(["export", path, "--dicom-rtdose", out, "--reference-ct", study.path("ct")])
        let ds = try DicomFile.read(out, options: .init(stopAtPixelData: true))
        XCTAssertEqual(ds.string(.seriesDescription), "RPTDose absorbed dose, cycle 2")
        XCTAssertEqual(ds.string(.doseSummationType), "PLAN")
    }

    func testRTDoseOverDicomCTReadBackByPydicom() throws {
        let study = try StudyFixture.study()
        let dir = try StudyFixture.tempDir(self)
        let dose = try writeDose(to: dir + "/sim.h5")
        let out = dir + "/rtdose.dcm"
        let printed = try StudyFixture.run(["export", dir + "/sim.h5", "--dicom-rtdose", out, "--reference-ct", study.path("ct")])
        XCTAssertTrue(printed.contains("wrote " + out), printed)

        let py = try StudyFixture.readRTDose(out)
        XCTAssertEqual(py["modality"] as? String, "RTDOSE")
        XCTAssertEqual(py["forUID"] as? String, study.string("forUID"), "Frame of Reference UID is the CT's")
        XCTAssertEqual(py["studyUID"] as? String, study.string("studyUID"))
        XCTAssertEqual(py["patientID"] as? String, study.string("patientID"), "the RT Dose links to the CT's patient")
        let g = dose.grid
        XCTAssertEqual(py["columns"] as? Int, g.shape.x)
        XCTAssertEqual(py["rows"] as? Int, g.shape.y)
        XCTAssertEqual(py["frames"] as? Int, g.shape.z)
        XCTAssertEqual(doubles(py["ipp"]), [-10, -8, 43])
        XCTAssertEqual(doubles(py["iop"]), [1, 0, 0, 0, 1, 0])
        XCTAssertEqual(doubles(py["pixelSpacing"]), [4, 5], "row spacing \\ column spacing")
        XCTAssertEqual(doubles(py["offsets"]), [0, 6, 12])
        let scaling = py["scaling"] as! Double
        XCTAssertGreaterThan(scaling, 0)
        let back = doubles(py["dose"])
        XCTAssertEqual(back.count, dose.voxels.count)
        // pydicom's array is (frame, row, column) = (k, j, i), i fastest: the grid's own order.
        let worst = zip(back, dose.voxels).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, 0.5 * scaling * (1 + 1e-9), "values agree to half a Dose Grid Scaling step")

        try runDciodvfy(out)
    }

    /// dciodvfy on the RT Dose, when installed (see `DicomChecks.verifyRTDoseWithDciodvfy`).
    func runDciodvfy(_ path: String) throws {
        try DicomChecks.verifyRTDoseWithDciodvfy(path)
    }

    func testDoseOutsideTheCTIsRefused() throws {
        let study = try StudyFixture.study()
        let dir = try StudyFixture.tempDir(self)
        let g = Grid3D(shape: SIMD3(3, 3, 3), spacing: SIMD3(4, 4, 4), origin: SIMD3(500, 0, 0), direction: .identity)
        try HDF5Store.writeVolume(AnyVolume(Volume<Double>(grid: g, repeating: 1, unit: "Gy")), toFile: dir + "/far.h5", at: "dose")
        XCTAssertThrowsError(try StudyFixture.run(["export", dir + "/far.h5", "--dicom-rtdose", dir + "/x.dcm",
                                                   "--reference-ct", study.path("ct")])) { e in
            XCTAssertTrue("\(e)".contains("does not overlap the reference CT") && "\(e)".contains("far.h5"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.dcm"))
    }

    func testOptionChecks() throws {
        XCTAssertThrowsError(try StudyFixture.run(["export", "d.h5"])) { e in XCTAssertTrue("\(e)".contains("at least one output"), "\(e)") }
        XCTAssertThrowsError(try StudyFixture.run(["export", "d.h5", "--dicom-rtdose", "x.dcm"])) { e in
            XCTAssertTrue("\(e)".contains("--reference-ct"), "\(e)")
        }
        XCTAssertThrowsError(try StudyFixture.run(["export", "d.h5", "--nifti", "x.mhd"])) { e in XCTAssertTrue("\(e)".contains(".nii"), "\(e)") }
        XCTAssertThrowsError(try StudyFixture.run(["export", "d.h5", "--nrrd", "x.seg.nrrd"])) { e in XCTAssertTrue("\(e)".contains(".nhdr"), "\(e)") }
    }

    /// NIfTI (gzip), MetaImage and NRRD exports read back with the same grid and voxels.
    func testNiftiAndMetaImageRoundTrip() throws {
        let dir = try StudyFixture.tempDir(self)
        var dose = try writeDose(to: dir + "/sim.h5")
        // An oblique, non-trivial direction, to exercise the orientation written for 3D Slicer / ITK-SNAP.
        let c = cos(0.3), s = sin(0.3)
        dose.grid.direction = Matrix3(columns: SIMD3(c, s, 0), SIMD3(-s, c, 0), SIMD3(0, 0, 1))
        try HDF5Store.writeVolume(AnyVolume(dose), toFile: dir + "/oblique.h5", at: "dose")
        _ = try StudyFixture.run(["export", dir + "/oblique.h5", "--nifti", dir + "/d.nii.gz", "--mhd", dir + "/d.mhd",
                                  "--nrrd", dir + "/d.nrrd"])
        for file in ["d.nii.gz", "d.mhd", "d.nrrd"] {
            let back = try ImageIO.read(dir + "/" + file).asDouble
            XCTAssertTrue(back.grid.isSameGrid(as: dose.grid, toleranceMM: 1e-4), "\(file): \(back.grid) vs \(dose.grid)")
            XCTAssertEqual(back.voxels, dose.voxels, file)
        }
    }
}
