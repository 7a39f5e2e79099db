import Foundation
import RPTCore
import RPTTestSupport
import XCTest
@testable import RPTDicom

/// Issue 16: pydicom's bundled test corpus — files written by scanners and other toolkits, in many transfer
/// syntaxes (implicit/explicit/big endian, RLE, JPEG-LS, JPEG 2000 lossless and lossy) — read through GDCM and
/// compared with pydicom's own decoding (Resources/pydicom_corpus.py): stored values exactly for lossless
/// syntaxes, within 1 for lossy ones (both sides use OpenJPEG, but rounding may differ); geometry exactly.
final class PydicomCorpusTests: XCTestCase {
    func corpus() throws -> [String: Any] {
        try Pydicom.requirePydicom()
        return try PythonFixture.json(script: Pydicom.resources + "/pydicom_corpus.py", [])
    }

    func testEveryDecodableCorpusImageMatchesPydicom() throws {
        let c = try corpus()
        let files = c["files"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(files.count, 15, "the corpus shrank: \(files.map { $0["name"]! })")
        var syntaxes = Set<String>()
        for f in files {
            let name = f["name"] as! String
            if name.hasSuffix("_1frame.dcm") && name.hasPrefix("rtdose") {
                // Frame Increment Pointer without Number of Frames: GDCM 3.0.21 would abort on an assertion, so
                // the shim refuses these (a documented limitation; pydicom reads them as one frame).
                XCTAssertThrowsError(try DicomFile.read(f["path"] as! String), name) { error in
                    XCTAssertTrue("\(error)".contains("Number of Frames (0028,0008) is missing"), "\(error)")
                }
                continue
            }
            let ds = try DicomFile.read(f["path"] as! String)
            XCTAssertEqual(ds.transferSyntax.uid, f["transferSyntax"] as? String, name)
            syntaxes.insert(ds.transferSyntax.uid)
            let pixels = try DicomPixelData(ds)
            XCTAssertEqual([pixels.frames, pixels.rows, pixels.columns], [f["frames"], f["rows"], f["columns"]] as? [Int], name)
            let ours = (0..<pixels.frames).flatMap { pixels.frame($0) }
            let theirs = doubles(f["stored"])
            XCTAssertEqual(ours.count, theirs.count, name)
            let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, f["lossy"] as! Bool ? 1 : 0, "\(name): largest stored-value difference from pydicom")
            for (tag, key) in [(DicomTag.imagePositionPatient, "ipp"), (.imageOrientationPatient, "iop"), (.pixelSpacing, "pixelSpacing")] {
                XCTAssertEqual(try ds.doubles(tag) ?? [], doubles(f[key]), "\(name) \(tag.label)")
            }
        }
        for uid in ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5",
                    "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"] {
            XCTAssertTrue(syntaxes.contains(uid), "corpus covers \(uid)")
        }
    }

    /// Pixel data that pydicom finds too short is refused, naming the file and Pixel Data.
    func testTruncatedCorpusImageIsRefused() throws {
        let c = try corpus()
        let undecodable = c["undecodable"] as! [[String: Any]]
        XCTAssertTrue(undecodable.contains { $0["name"] as? String == "MR_truncated.dcm" })
        let path = (((c["files"] as! [[String: Any]]).first!["path"] as! String) as NSString).deletingLastPathComponent + "/MR_truncated.dcm"
        XCTAssertThrowsError(try DicomFile.read(path)) { error in
            let err = error as! InputError
            XCTAssertEqual(err.source, path)
            XCTAssertTrue(err.field.contains("(7FE0,0010)") && err.reason.contains("truncated"), err.description)
        }
    }
}
