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
        XCTAssertTrue(ct.warnings.isEmpty, "jitter within the tolerance is not resampled: \(ct.warnings)")
        // With a tolerance below the jitter the same series is uneven: refused without resampling, else resampled with a warning.
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("jitter"), as: Float.self, spacingToleranceMM: 0.01,
                                                    resampleUneven: false)) { error in
            XCTAssertTrue((error as! InputError).reason.contains("regular stack"), "\(error)")
        }
        let strict = try DicomCTReader.read(folder: fx.path("jitter"), as: Float.self, spacingToleranceMM: 0.01)
        XCTAssertEqual(strict.warnings.count, 1, "\(strict.warnings)")
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

    /// Lossy JPEG Baseline (1.2.840.10008.1.2.4.50), 8-bit, encoded by Pillow (libjpeg-turbo) and by gdcmconv
    /// (GDCM's IJG libjpeg): GDCM's decoding (RPTDose) equals pydicom's (Pillow backend, libjpeg-turbo) pixel for
    /// pixel — both use the integer IDCT of the IJG code — and both differ from the image before compression.
    func testLossyJPEGBaselineMatchesPydicomDecoding() throws {
        let fx = try fixtures()
        let e = fx.section("jpeg_baseline")
        guard e["available"] as? Bool == true else {
            try ExternalProcess.skipOrFail("gdcmconv (Debian libgdcm-tools) is needed to write compressed DICOM test files")
            return
        }
        let files = e["files"] as! [String: Any]
        XCTAssertEqual(Set(files.keys), ["pillow.dcm", "gdcmconv.dcm"])
        let original = doubles(e["original"])
        for (name, decoded) in files.sorted(by: { $0.key < $1.key }) {
            let ds = try DicomFile.read(fx.path("jpeg_baseline/" + name))
            XCTAssertEqual(ds.transferSyntax.uid, "1.2.840.10008.1.2.4.50", name)
            let ours = try DicomPixelData(ds).frame(0)
            let pydicom = doubles(decoded)
            XCTAssertEqual(ours.count, pydicom.count, name)
            let worst = zip(ours, pydicom).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertEqual(worst, 0, "\(name): largest difference from pydicom's decoding")
            XCTAssertGreaterThan(zip(ours, original).map { abs($0 - $1) }.max() ?? 0, 0, "\(name) is lossy")
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
            XCTAssertTrue(err.reason.contains("mixes 2 sub-series"), err.description)
            XCTAssertTrue(err.reason.contains("3 image(s): Series Number 1, '', Image Type ORIGINAL\\PRIMARY\\AXIAL, Image Orientation (Patient) 1.0\\0.0\\0.0\\0.0\\1.0\\0.0"), err.description)
            XCTAssertTrue(err.reason.contains("3 image(s): Series Number 1, '', Image Type ORIGINAL\\PRIMARY\\AXIAL, Image Orientation (Patient) 1.0\\0.0\\0.0\\0.0\\0.0\\-1.0"), err.description)
        }
        // Either orientation is read when a file of it is named.
        let coronal = try DicomCTReader.read(folder: fx.path("mixed"), as: Float.self, subSeriesFile: fx.path("mixed/cor1.dcm"))
        XCTAssertEqual(coronal.volume.grid.shape.z, 3)
        XCTAssertEqual(coronal.volume.grid.direction.c1.z, -1, accuracy: 1e-12)
        XCTAssertEqual(Set(coronal.files), Set((0..<3).map { fx.path("mixed/cor\($0).dcm") }))
    }

    /// Two reconstructions (kernels B30f and B70f) of the same positions in one series: refused with a list of
    /// the sub-series (series number, description, image type, orientation, kernel, count, an example file).
    func testMixedReconstructionsAreRefusedListingThem() throws {
        let fx = try fixtures()
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("recon"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.field, DicomTag.convolutionKernel.label, err.description)
            XCTAssertTrue(err.reason.contains("mixes 2 sub-series (images that differ in (0018,1210) ConvolutionKernel)"), err.description)
            for kernel in ["B30f", "B70f"] {
                XCTAssertTrue(err.reason.contains("4 image(s): Series Number 3, 'Abdomen 2.5 mixed', Image Type ORIGINAL\\PRIMARY\\AXIAL, "
                                                  + "Image Orientation (Patient) 1.0\\0.0\\0.0\\0.0\\1.0\\0.0, 16×20 at 0.8\\0.6 mm, kernel \(kernel), "
                                                  + "Slice Thickness 2.5 mm, e.g."), "\(kernel): \(err.description)")
            }
            XCTAssertTrue(err.reason.contains("give a file of it"), err.description)
        }
    }

    /// The user picks a sub-series by naming one of its files (as a manifest path or --reference-ct FILE does):
    /// its slices only, with a note naming the sub-series skipped.
    func testSubSeriesIsPickedByOneOfItsFiles() throws {
        let fx = try fixtures()
        let e = fx.section("recon")
        for (file, key) in [("recon/bone2.dcm", "bone_hu"), ("recon/soft0.dcm", "soft_hu")] {
            let ct = try DicomCTReader.read(folder: fx.path("recon"), as: Float.self, subSeriesFile: fx.path(file))
            XCTAssertEqual([ct.volume.grid.shape.x, ct.volume.grid.shape.y, ct.volume.grid.shape.z], e["shape"] as? [Int])
            XCTAssertEqual(ct.volume.voxels.map(Double.init), doubles(e[key]), file)
            XCTAssertEqual(ct.notes.count, 1, "\(ct.notes)")
            XCTAssertTrue(ct.notes[0].contains("read the sub-series of \(fx.path(file))") && ct.notes[0].contains("skipped 1 other sub-series"),
                          "\(ct.notes)")
            XCTAssertTrue(ct.warnings.isEmpty)
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

    /// A slice 0.3 mm off the regular stack (gaps 2.8 and 2.2 mm in a 2.5 mm series) is refused when uneven
    /// spacing is not to be resampled; by default it is resampled, with a warning.
    func testSliceOffTheRegularStackIsRefusedWithoutResampling() throws {
        let fx = try fixtures()
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("offstack"), as: Float.self, resampleUneven: false)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, fx.path("offstack/" + (fx.section("offstack")["file"] as! String)))
            XCTAssertTrue(err.reason.contains("from the regular stack") && err.reason.contains("tolerance is 0.1 mm"), err.description)
        }
        let ct = try DicomCTReader.read(folder: fx.path("offstack"), as: Float.self)
        XCTAssertEqual(ct.warnings.count, 1)
        XCTAssertTrue(ct.warnings[0].contains("uneven slice spacing") && ct.warnings[0].contains("2.2 to 2.8 mm"), "\(ct.warnings)")
    }

    /// Uneven spacing (gaps 2.0–3.0 mm, median 2.5 mm), written by pydicom with a different Rescale Intercept on some
    /// slices: resampled onto 9 slices at 1.875 mm (the smallest gap, rounded down to fit the 15 mm span) by linear
    /// interpolation of the HU along the normal; the values equal numpy.interp's on the same positions, and the
    /// warning names the series, the gaps found and the new spacing.
    func testUnevenSpacingIsResampledLinearlyWithAWarning() throws {
        let fx = try fixtures()
        let e = fx.section("uneven")
        let ct = try DicomCTReader.read(folder: fx.path("uneven"), as: Float.self)
        assertGrid(ct.volume.grid, e, spacingAccuracy: 1e-9)
        let expected = doubles(e["hu"])
        XCTAssertEqual(ct.volume.voxels.count, expected.count)
        let worst = zip(ct.volume.voxels, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-3, "largest difference from numpy.interp (HU); Float voxels")
        XCTAssertEqual(ct.files.count, 7)
        XCTAssertEqual(ct.warnings.count, 1, "\(ct.warnings)")
        let w = ct.warnings[0]
        XCTAssertTrue(w.contains("CT series") && w.contains(fx.path("uneven")), w)
        XCTAssertTrue(w.contains("2 to 3 mm (2 mm ×1, 2.5 mm ×4, 3 mm ×1)"), w)
        XCTAssertTrue(w.contains("RESAMPLED linearly") && w.contains("onto 9 slices at 1.875 mm"), w)
        // Int16 voxels: the same values rounded.
        let rounded = try DicomCTReader.read(folder: fx.path("uneven"), as: Int16.self)
        let worstRounded = zip(rounded.volume.voxels, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worstRounded, 0.5 + 1e-6)
        // Refused when resampling is off.
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("uneven"), as: Float.self, resampleUneven: false)) { error in
            XCTAssertTrue((error as! InputError).reason.contains("inconsistent slice spacing"), "\(error)")
        }
    }

    /// A gap under half the median (an extra slice, 1.0 mm in a 2.5 mm series) is not resampled: refused naming
    /// the two slices.
    func testGapUnderHalfTheMedianIsRefused() throws {
        let fx = try fixtures()
        let e = fx.section("uneven_extra")
        XCTAssertThrowsError(try DicomCTReader.read(folder: fx.path("uneven_extra"), as: Float.self)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, fx.path("uneven_extra/" + (e["after"] as! String)))
            XCTAssertTrue(err.reason.contains("a gap of 1 mm") && err.reason.contains(e["before"] as! String)
                              && err.reason.contains("less than half the median gap (2.5 mm)"), err.description)
        }
    }
}
