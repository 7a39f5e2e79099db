import Foundation
import XCTest

/// Patient name and ID never appear in command output unless `--show-identifiers` is given.
final class PrivacyTests: XCTestCase {
    func testInfoAndExportHideIdentifiersByDefault() throws {
        let study = try StudyFixture.study()
        let dir = try StudyFixture.tempDir(self)
        let name = study.string("patientName"), id = study.string("patientID")
        let family = String(name.split(separator: "^")[0])
        var outputs: [(String, String)] = []
        for target in [study.path("ct"), study.path("ct/000.dcm"), study.path("spect.dcm"), study.path("rtstruct.dcm"), study.dir] {
            outputs.append((target, try StudyFixture.run(["info", target])))
            outputs.append((target + " --json", try StudyFixture.run(["info", target, "--json"])))
        }
        _ = try StudyFixture.writeDose(to: dir + "/sim.h5")
        outputs.append(("export", try StudyFixture.run(["export", dir + "/sim.h5", "--dicom-rtdose", dir + "/d.dcm",
                                                        "--reference-ct", study.path("ct")])))
        for (what, text) in outputs {
            XCTAssertFalse(text.isEmpty, what)
            XCTAssertFalse(text.contains(family) || text.contains(id) || text.contains("19600101"), "\(what) printed an identifier:\n\(text)")
        }
        XCTAssertTrue(outputs[0].1.contains("CT series") && outputs[0].1.contains("patient identity redacted"), outputs[0].1)
        XCTAssertTrue(outputs[0].1.contains("shape      12 × 10 × 8"), outputs[0].1)
        XCTAssertTrue(outputs[6].1.contains("Ring") && outputs[6].1.contains("Box"), outputs[6].1)

        let shown = try StudyFixture.run(["info", study.path("ct"), "--show-identifiers"])
        XCTAssertTrue(shown.contains(name) && shown.contains(id), shown)
        let shownJSON = try StudyFixture.run(["info", study.path("ct"), "--json", "--show-identifiers"])
        XCTAssertTrue(shownJSON.contains(id), shownJSON)
        let exported = try StudyFixture.run(["export", dir + "/sim.h5", "--dicom-rtdose", dir + "/e.dcm",
                                             "--reference-ct", study.path("ct"), "--show-identifiers"])
        XCTAssertTrue(exported.contains(id), exported)
    }
}
