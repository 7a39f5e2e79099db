import Foundation
import RPTCore
import RPTTestSupport
import RPTVolume
import XCTest
@testable import RPTDicom

/// Issue 16: series assembly as real scanners need it and pixel data in compressed transfer syntaxes, on files
/// written by independent writers (pydicom slices, gdcmconv compression, highdicom Enhanced CT); see
/// Resources/make_assembly_fixtures.py.
final class SeriesAssemblyTests: XCTestCase {
    struct Fixtures {
        let dir: String
        let expected: [String: Any]
        func path(_ rel: String) -> String { dir + "/" + rel }
        func section(_ key: String) -> [String: Any] { expected[key] as! [String: Any] }
    }

    func fixtures() throws -> Fixtures {
        let (dir, expected) = try PythonFixture.generate(script: Pydicom.resources + "/make_assembly_fixtures.py",
                                                         modules: ["pydicom", "numpy", "highdicom"])
        return Fixtures(dir: dir, expected: expected)
    }

    func assertGrid(_ g: Grid3D, _ e: [String: Any], spacingAccuracy: Double = 1e-9, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual([g.shape.x, g.shape.y, g.shape.z], e["shape"] as? [Int], file: file, line: line)
        let spacing = doubles(e["spacing"]), origin = doubles(e["origin"])
        for a in 0..<3 {
            XCTAssertEqual(g.spacing[a], spacing[a], accuracy: spacingAccuracy, "spacing[\(a)]", file: file, line: line)
            XCTAssertEqual(g.origin[a], origin[a], accuracy: 1e-6, "origin[\(a)]", file: file, line: line)
        }
    }

    /// ±0.05 mm jitter is tolerated (the grid is the least-squares stack numpy fits); the localizer and the
    /// DERIVED MIP in the series are skipped with a note naming them.
    func testJitterLocalizerAndDerivedImage() throws {
        let fx = try fixtures()
        let e = fx.section("jitter")
        let ct = try DicomCTReader.read(folder: fx.path("jitter"), as: Float.self)
        assertGrid(ct.volume.grid, e)
        XCTAssertEqual(ct.volume.voxels.map(Double.init), doubles(e["hu"]))
        XCTAssertEqual(ct.files.count, 8)
        XCTAssertEqual(ct.notes.count, 2, "\(ct.notes)")
        XCTAssertTrue(ct.notes[0].contains("localizer") && ct.notes[0].contains("localizer.dcm"), "\(ct.notes)")
        XCTAssertTrue(ct.notes[1].contains("DERIVED") && ct.notes[1].contains("mip.dcm"), "\(ct.notes)")
        // With a tolerance below the jitter the same series is refused.
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("jitter"), as: Float.self, spacingToleranceMM: 0.01)) { error in
            XCTAssertTrue((error as! InputError).reason.contains("regular stack"), "\(error)")
        }
    }

    /// The Legacy Converted Enhanced CT highdicom builds from the same slices gives the same volume, read from
    /// the per-frame functional groups (position) and the shared ones (orientation, pixel measures, rescale).
    func testEnhancedCTFromHighdicomMatchesTheSlices() throws {
        let fx = try fixtures()
        let e = fx.section("jitter")
        XCTAssertEqual(fx.section("enhanced")["sopClassUID"] as? String, "1.2.840.10008.5.1.4.1.1.2.2")
        let ct = try DicomCTReader.read(folder: fx.path("enhanced"), as: Float.self)
        assertGrid(ct.volume.grid, e)
        XCTAssertEqual(ct.volume.voxels.map(Double.init), doubles(e["hu"]))
        XCTAssertEqual(ct.files, [fx.path("enhanced/enhanced_ct.dcm")])
    }

    /// Lossless JPEG, JPEG-LS, JPEG 2000, RLE and deflate, written by gdcmconv, decode to the stored values
    /// pydicom wrote; the data set keeps the file's transfer syntax.
    func testCompressedTransferSyntaxesDecodeExactly() throws {
        let fx = try fixtures()
        let e = fx.section("compressed")
        guard e["available"] as? Bool == true else {
            try ExternalProcess.skipOrFail("gdcmconv (Debian libgdcm-tools) is needed to write compressed DICOM test files")
            return
        }
        let files = e["files"] as! [String: String]
        XCTAssertEqual(files.count, 5)
        for (name, uid) in files.sorted(by: { $0.key < $1.key }) {
            let ds = try DicomFile.read(fx.path("compressed/" + name))
            XCTAssertEqual(ds.transferSyntax.uid, uid, name)
            XCTAssertEqual(try DicomPixelData(ds).frame(0), doubles(e["stored"]), name)
        }
    }

    /// A single image in another orientation without a LOCALIZER Image Type is an unlabelled scout: skipped.
    func testUnlabelledScoutIsSkippedWithANote() throws {
        let fx = try fixtures()
        let ct = try DicomCTReader.read(folder: fx.path("scout"), as: Float.self)
        XCTAssertEqual([ct.volume.grid.shape.x, ct.volume.grid.shape.y, ct.volume.grid.shape.z], fx.section("scout")["shape"] as? [Int])
        XCTAssertEqual(ct.volume.voxels.map(Double.init), doubles(fx.section("scout")["hu"]))
        XCTAssertEqual(ct.notes.count, 1)
        XCTAssertTrue(ct.notes[0].contains("coronal.dcm") && ct.notes[0].contains("orientation"), "\(ct.notes)")
    }

    func testMixedOrientationsAreRefusedListingThem() throws {
        let fx = try fixtures()
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("mixed"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertTrue(err.field.contains("ImageOrientationPatient"), err.description)
            XCTAssertTrue(err.reason.contains("mixes orientations"), err.description)
            XCTAssertTrue(err.reason.contains("3 image(s) with Image Orientation (Patient) 1.0\\0.0\\0.0\\0.0\\1.0\\0.0"), err.description)
            XCTAssertTrue(err.reason.contains("3 image(s) with Image Orientation (Patient) 1.0\\0.0\\0.0\\0.0\\0.0\\-1.0"), err.description)
        }
    }

    func testMissingSliceIsRefusedNamingThePositions() throws {
        let fx = try fixtures()
        let e = fx.section("gap")
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("gap"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, fx.path("gap/" + (e["before"] as! String)))
            XCTAssertTrue(err.reason.contains("missing slice"), err.description)
            XCTAssertTrue(err.reason.contains(e["after"] as! String) && err.reason.contains("about 1 slice(s) missing"), err.description)
        }
    }

    /// Gantry tilt: the slices are stacked 20° off the normal of their (tilted) image plane; the message names
    /// the series and the angle.
    func testGantryTiltIsRefusedWithTheAngle() throws {
        let fx = try fixtures()
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("tilt"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertTrue(err.field.contains("ImagePositionPatient"), err.description)
            XCTAssertTrue(err.reason.contains("stacked 20° off its slice normal"), err.description)
            XCTAssertTrue(err.reason.contains("gantry tilt") && err.reason.contains(fx.path("tilt")), err.description)
        }
    }

    func testSliceOffTheRegularStackIsRefused() throws {
        let fx = try fixtures()
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("offstack"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, fx.path("offstack/" + (fx.section("offstack")["file"] as! String)))
            XCTAssertTrue(err.reason.contains("from the regular stack") && err.reason.contains("tolerance is 0.1 mm"), err.description)
        }
    }
}
