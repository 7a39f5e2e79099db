import Foundation
import RPTCore
import RPTVolume
import XCTest
@testable import RPTDicom

final class CTSeriesTests: XCTestCase {
    func testShuffledSeriesGivesLPSGeometryAndHU() throws {
        let fx = try Pydicom.fixtures()
        let e = fx.section("ct")
        let ct = try DicomCTReader.read(folder: fx.path("ct"), as: Float.self)
        let g = ct.volume.grid
        XCTAssertEqual([g.shape.x, g.shape.y, g.shape.z], (e["shape"] as! [Int]))
        let spacing = doubles(e["spacing"]), origin = doubles(e["origin"])
        for a in 0..<3 {
            XCTAssertEqual(g.spacing[a], spacing[a], accuracy: 1e-9, "spacing[\(a)] (Pixel Spacing is row\\column)")
            XCTAssertEqual(g.origin[a], origin[a], accuracy: 1e-9)
        }
        XCTAssertEqual(g.direction, .identity)
        XCTAssertEqual(ct.volume.unit, "HU")
        let hu = doubles(e["hu"])
        XCTAssertEqual(ct.volume.voxels.count, hu.count)
        var worst = 0.0
        for (a, b) in zip(ct.volume.voxels, hu) { worst = max(worst, abs(Double(a) - b)) }
        XCTAssertEqual(worst, 0, accuracy: 1e-4, "HU = stored × slope + intercept, slices in position order")
        XCTAssertEqual(ct.metadata.frameOfReferenceUID, e["forUID"] as? String)
        XCTAssertEqual(ct.metadata.studyInstanceUID, e["studyUID"] as? String)
        // Slice order: files sorted by position along the normal, so the origin file is first.
        let firstHeader = try DicomFile.read(ct.files[0], options: .init(stopAtPixelData: true))
        XCTAssertEqual(try firstHeader.doubles(DicomTag(0x0020, 0x0032)) ?? [], origin)

        let ct16 = try DicomCTReader.read(folder: fx.path("ct"), as: Int16.self)
        XCTAssertEqual(ct16.volume.grid, g)
        XCTAssertEqual(ct16.volume.voxels, hu.map { Int16($0.rounded()) })
    }

    func testTwoSeriesAreListedAndSelectableByUID() throws {
        let fx = try Pydicom.fixtures()
        let e = fx.section("two")
        let uids = e["uids"] as! [String]
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("two"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, fx.path("two"))
            XCTAssertTrue(err.field.contains("(0020,000E)"), err.description)
            for uid in uids { XCTAssertTrue(err.reason.contains(uid), "error lists \(uid): \(err)") }
            // Each listed with its series number, file count and the first file's orientation.
            XCTAssertEqual(err.reason.components(separatedBy: "Series Number").count - 1, 2, err.description)
            XCTAssertEqual(err.reason.components(separatedBy: "Image Orientation (Patient) ").count - 1, 2, err.description)
        }
        let b = try DicomCTReader.read(folder: fx.path("two"), seriesInstanceUID: e["b_uid"] as? String, as: Float.self)
        XCTAssertEqual(b.volume.grid.shape, SIMD3(10, 8, 3))
        // 12 bits stored, unsigned: the garbage in bits 12-15 must be masked away.
        XCTAssertEqual(b.volume.voxels.map(Double.init), doubles(e["b_hu"]))
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("two"), seriesInstanceUID: "1.2.3.4", as: Float.self)) { error in
            XCTAssertTrue((error as! InputError).reason.contains(uids[0]))
        }
        let listed = try DicomFolder.listSeries(fx.path("two")).map(\.seriesInstanceUID).sorted()
        XCTAssertEqual(listed, uids)
    }

    func testInconsistentSpacingNamesFileAndTag() throws {
        let fx = try Pydicom.fixtures()
        let file = fx.section("badspacing")["file"] as! String
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("badspacing"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, fx.path("badspacing/" + file), err.description)
            XCTAssertTrue(err.field.contains("(0020,0032) ImagePositionPatient"), err.description)
            XCTAssertTrue(err.reason.contains("spacing"), err.description)
        }
    }

    func testTruncatedAndMissingPixelDataNameFileAndTag() throws {
        let fx = try Pydicom.fixtures()
        let truncated = fx.path("truncated/" + (fx.section("truncated")["file"] as! String))
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("truncated"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, truncated)
            XCTAssertTrue(err.field.contains("(7FE0,0010)"), err.description)
            XCTAssertTrue(err.reason.contains("truncated"), err.description)
        }
        XCTAssertThrowsError(try DicomFile.read(fx.path("header_cut.dcm"))) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, fx.path("header_cut.dcm"))
            XCTAssertTrue(err.field.contains("("), "names the tag being read: \(err)")
            XCTAssertTrue(err.reason.contains("truncated"), err.description)
        }
        let noPixels = fx.path("nopixel/" + (fx.section("nopixel")["file"] as! String))
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("nopixel"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, noPixels)
            XCTAssertTrue(err.field.contains("(7FE0,0010) PixelData"), err.description)
        }
    }

    func testTransferSyntaxes() throws {
        let fx = try Pydicom.fixtures()
        let expected = doubles(fx.expected["slice0_stored"])
        let cases: [(String, TransferSyntax)] = [
            ("deflated.dcm", .deflatedExplicitVRLittleEndian), ("raw_implicit.dcm", .implicitVRLittleEndian),
            ("bigendian.dcm", .explicitVRBigEndian), ("ct/img000.dcm", .explicitVRLittleEndian),
        ]
        for (file, syntax) in cases {
            let ds = try DicomFile.read(fx.path(file))
            XCTAssertEqual(ds.transferSyntax, syntax, file)
            let pixels = try DicomPixelData(ds)
            XCTAssertEqual(try ds.doubles(DicomTag(0x0028, 0x0030)), [0.8, 0.6], file)
            XCTAssertEqual(ds.string(DicomTag(0x0008, 0x0060)), "CT", file)
            if file != "ct/img000.dcm" { XCTAssertEqual(pixels.frame(0), expected, file) }
        }
    }

    /// RLE Lossless is decoded by GDCM in-process (before issue 16 it needed an external dcmdrle/gdcmconv and
    /// was refused without one); the header keeps the file's own transfer syntax.
    func testRLECompressedPixelDataDecodedByGDCM() throws {
        let fx = try Pydicom.fixtures()
        let path = fx.path("rle.dcm")
        XCTAssertEqual(try DicomFile.read(path, options: .init(stopAtPixelData: true)).string(DicomTag(0x0008, 0x0060)), "CT")
        let ds = try DicomFile.read(path)
        XCTAssertEqual(ds.transferSyntax.uid, "1.2.840.10008.1.2.5")
        XCTAssertEqual(try DicomPixelData(ds).frame(0), doubles(fx.expected["slice0_stored"]))
    }

    func testMetadataNeverPrintsPatientIdentity() throws {
        let fx = try Pydicom.fixtures()
        let ct = try DicomCTReader.read(folder: fx.path("ct"), as: Int16.self)
        XCTAssertEqual(ct.metadata.patientName, "Doe^Jane")
        XCTAssertEqual(ct.metadata.patientID, "PID-12345")
        var dumped = ""
        dump(ct.metadata, to: &dumped)
        for text in [ct.metadata.redactedDescription, "\(ct.metadata)", String(reflecting: ct.metadata), dumped] {
            XCTAssertFalse(text.contains("Doe") || text.contains("Jane") || text.contains("PID-12345") || text.contains("19600101"), text)
        }
        XCTAssertTrue(ct.metadata.redactedDescription.hasPrefix("CT series"))
    }
}
