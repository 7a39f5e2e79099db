import Foundation
import RPTCore
import RPTVolume
import XCTest
import RPTTestSupport
@testable import RPTDicom

final class RTDoseWriterTests: XCTestCase {
    private func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rptdicom-dose-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testRTDoseReadBackByPydicom() throws {
        let fx = try Pydicom.fixtures()
        let ct = try DicomCTReader.read(folder: fx.path("ct"), as: Int16.self)
        let g = ct.volume.grid
        var dose = Volume<Double>(grid: g, repeating: 0, unit: "Gy")
        for k in 0..<g.shape.z { for j in 0..<g.shape.y { for i in 0..<g.shape.x {
            dose[i, j, k] = 0.37 * Double((i + 1) * (j + 2)) / Double(k + 3) + 1e-7 * Double(i)
        }}}
        let path = try tempDir() + "/dose.dcm"
        let result = try RTDoseWriter.write(dose: dose, reference: ct.metadata, to: path)
        let py = try Pydicom.readRTDose(path)
        XCTAssertEqual(py["transferSyntax"] as? String, "1.2.840.10008.1.2.1")
        XCTAssertEqual(py["sopClass"] as? String, "1.2.840.10008.5.1.4.1.1.481.2")
        XCTAssertEqual(py["mediaSopClass"] as? String, "1.2.840.10008.5.1.4.1.1.481.2")
        XCTAssertEqual(py["sopInstance"] as? String, result.sopInstanceUID)
        XCTAssertEqual(py["modality"] as? String, "RTDOSE")
        XCTAssertEqual(py["patientName"] as? String, "Doe^Jane")
        XCTAssertEqual(py["patientID"] as? String, "PID-12345")
        XCTAssertEqual(py["studyUID"] as? String, ct.metadata.studyInstanceUID)
        XCTAssertEqual(py["forUID"] as? String, ct.metadata.frameOfReferenceUID)
        XCTAssertEqual(py["units"] as? [String], ["GY", "PHYSICAL", "PLAN"])
        XCTAssertEqual(py["bits"] as? [Int], [32, 32, 31, 0])
        XCTAssertEqual(py["planRef"] as? String, "1.2.840.10008.5.1.4.1.1.481.5")
        XCTAssertEqual(py["frameIncrementPointer"] as? Int, 0x3004_000C)
        XCTAssertEqual(py["frames"] as? Int, g.shape.z)
        XCTAssertEqual(py["rows"] as? Int, g.shape.y)
        XCTAssertEqual(py["columns"] as? Int, g.shape.x)
        XCTAssertEqual(doubles(py["ipp"]), [g.origin.x, g.origin.y, g.origin.z])
        XCTAssertEqual(doubles(py["iop"]), [1, 0, 0, 0, 1, 0])
        XCTAssertEqual(doubles(py["pixelSpacing"]), [g.spacing.y, g.spacing.x])
        let offsets = doubles(py["offsets"])
        for k in 0..<g.shape.z { XCTAssertEqual(offsets[k], Double(k) * g.spacing.z, accuracy: 1e-9) }
        let scaling = py["scaling"] as! Double
        XCTAssertEqual(scaling, result.doseGridScaling)
        let back = doubles(py["dose"])
        var worst = 0.0
        for (a, b) in zip(back, dose.voxels) { worst = max(worst, abs(a - b)) }
        XCTAssertLessThanOrEqual(worst, 0.5 * scaling * (1 + 1e-9), "dose agrees to half a scaling step")
        XCTAssertLessThan(scaling, dose.valueRange.upperBound / 4e9 * 1.001)

        try DicomChecks.verifyRTDoseWithDciodvfy(path)
    }

    func testGridWhoseSliceAxisOpposesTheNormalIsWrittenInNormalOrder() throws {
        try Pydicom.requirePydicom()
        // k runs towards the feet (−z) while rows × columns = +z.
        let g = Grid3D(shape: SIMD3(3, 2, 4), spacing: SIMD3(2, 3, 5), origin: SIMD3(10, 20, 30),
                       direction: Matrix3(columns: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, -1)))
        var dose = Volume<Double>(grid: g, repeating: 0, unit: "Gy")
        for n in 0..<g.voxelCount { dose.voxels[n] = Double(n) * 0.25 }
        var meta = DicomMetadata(DicomDataSet(source: "test"))
        meta.studyInstanceUID = DicomUID.generate()
        meta.frameOfReferenceUID = DicomUID.generate()
        let path = try tempDir() + "/dose.dcm"
        try RTDoseWriter.write(dose: dose, reference: meta, to: path)
        let py = try Pydicom.readRTDose(path)
        let ipp = doubles(py["ipp"]), offsets = doubles(py["offsets"]), back = doubles(py["dose"])
        XCTAssertTrue(offsets.allSatisfy { $0 >= 0 })
        // Every written voxel sits at the world position of the grid voxel with the same dose.
        for f in 0..<4 { for j in 0..<2 { for i in 0..<3 {
            let world = SIMD3(ipp[0] + Double(i) * 2, ipp[1] + Double(j) * 3, ipp[2] + offsets[f])
            let c = g.continuousIndex(world: world).rounded(.toNearestOrAwayFromZero)
            XCTAssertEqual(back[(f * 2 + j) * 3 + i], dose[Int(c.x), Int(c.y), Int(c.z)], accuracy: 1e-6)
        }}}
    }

    func testRejectsNegativeDose() throws {
        let g = Grid3D(shape: SIMD3(2, 2, 2), spacing: SIMD3(1, 1, 1))
        var dose = Volume<Double>(grid: g, repeating: 1, unit: "Gy")
        dose[1, 0, 1] = -1
        var meta = DicomMetadata(DicomDataSet(source: "test"))
        meta.studyInstanceUID = "1.2"; meta.frameOfReferenceUID = "1.3"
        let path = try tempDir() + "/dose.dcm"
        XCTAssertThrowsError(try RTDoseWriter.write(dose: dose, reference: meta, to: path)) { error in
            XCTAssertTrue((error as! InputError).field.contains("(1, 0, 1)"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testUIDsAndDecimalStrings() {
        for _ in 0..<50 {
            let uid = DicomUID.generate()
            XCTAssertTrue(uid.hasPrefix("2.25."))
            let n = uid.dropFirst(5)
            XCTAssertTrue(n.allSatisfy(\.isNumber) && (n == "0" || !n.hasPrefix("0")) && uid.count <= 64, uid)
        }
        XCTAssertEqual(DicomUID.decimal(of: UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!),
                       "340282366920938463463374607431768211455")  // 2^128 − 1
        XCTAssertEqual(DicomUID.decimal(of: UUID(uuidString: "00000000-0000-0000-0000-000000000100")!), "256")
        for v in [0.1, -123.456789012345678, 1.0 / 3.0, 2.5e-10, -7.0, 123456789.123456789, 1e300] {
            let s = DecimalString.format(v)
            XCTAssertLessThanOrEqual(s.count, 16, s)
            XCTAssertEqual(Double(s)!, v, accuracy: abs(v) * 1e-9, s)
        }
    }
}
