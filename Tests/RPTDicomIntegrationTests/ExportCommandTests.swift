import Foundation
import RPTCore
import RPTImageIO
import RPTStore
import RPTVolume
import XCTest
@testable import RPTDicom

/// `rptdose export`: RT Dose over a pydicom CT series read back by pydicom (and dciodvfy), NIfTI / MHD round trips.
final class ExportCommandTests: XCTestCase {
    func writeDose(to path: String) throws -> Volume<Double> { try StudyFixture.writeDose(to: path) }

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

    /// dciodvfy (dicom3tools) on the RT Dose, when installed. dicom3tools 1.00~20220618 aborts on 32-bit Pixel
    /// Data, so (as in RPTDicomTests) the check runs on a copy with 16-bit zero pixels; all other attributes as written.
    func runDciodvfy(_ path: String) throws {
        guard let dciodvfy = ExternalDecompressor.find("dciodvfy", searchPath: nil) else { return }
        var ds = try DicomFile.read(path)
        let voxels = try ds.requiredInt(.numberOfFrames) * Int(ds.requiredInt(DicomTag(0x0028, 0x0010))) * ds.requiredInt(DicomTag(0x0028, 0x0011))
        for tag in ds.elements.keys where tag.group == 0x0002 { ds.elements[tag] = nil }
        ds.set(.us(DicomTag(0x0028, 0x0100), 16))
        ds.set(.us(DicomTag(0x0028, 0x0101), 16))
        ds.set(.us(DicomTag(0x0028, 0x0102), 15))
        ds.set(DicomElement(tag: DicomTag(0x7FE0, 0x0010), vr: .OW, bytes: [UInt8](repeating: 0, count: voxels * 2)))
        let copy = path + ".16bit.dcm"
        try Data(DicomWriter.part10(sopClassUID: RTDoseWriter.sopClassUID, sopInstanceUID: ds.requiredString(.sopInstanceUID), body: ds))
            .write(to: URL(fileURLWithPath: copy))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: dciodvfy)
        p.arguments = [copy]
        let pipe = Pipe()
        p.standardError = pipe
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit, "dciodvfy crashed:\n" + text)
        XCTAssertTrue(text.contains("RTDose"), "dciodvfy did not recognise the IOD:\n" + text)
        XCTAssertTrue(text.split(separator: "\n").filter { $0.hasPrefix("Error") }.isEmpty, "dciodvfy reports:\n" + text)
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
    }

    /// NIfTI (gzip) and MetaImage exports read back with the same grid and voxels.
    func testNiftiAndMetaImageRoundTrip() throws {
        let dir = try StudyFixture.tempDir(self)
        var dose = try writeDose(to: dir + "/sim.h5")
        // An oblique, non-trivial direction, to exercise the orientation written for 3D Slicer / ITK-SNAP.
        let c = cos(0.3), s = sin(0.3)
        dose.grid.direction = Matrix3(columns: SIMD3(c, s, 0), SIMD3(-s, c, 0), SIMD3(0, 0, 1))
        try HDF5Store.writeVolume(AnyVolume(dose), toFile: dir + "/oblique.h5", at: "dose")
        _ = try StudyFixture.run(["export", dir + "/oblique.h5", "--nifti", dir + "/d.nii.gz", "--mhd", dir + "/d.mhd"])
        for file in ["d.nii.gz", "d.mhd"] {
            let back = try ImageIO.read(dir + "/" + file).asDouble
            XCTAssertTrue(back.grid.isSameGrid(as: dose.grid, toleranceMM: 1e-4), "\(file): \(back.grid) vs \(dose.grid)")
            XCTAssertEqual(back.voxels, dose.voxels, file)
        }
    }
}
