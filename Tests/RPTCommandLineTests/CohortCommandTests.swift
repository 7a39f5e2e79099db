import Foundation
@testable import RPTCommandLine
import RPTCore
import XCTest

/// `rptdose trial-sim` and `rptdose cohort` end to end (the statistics are tested in RPTCohortTests).
final class CohortCommandTests: XCTestCase {
    var dir: String!
    override func setUp() { dir = NSTemporaryDirectory() + "rpt-cohortcli-\(UUID().uuidString)" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testTrialSimThenCohort() throws {
        try runCommand(["trial-sim", "--patients", "6", "--seed", "5", "--out", dir])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/truth.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/SIM0001/study.yaml"))
        try runCommand(["cohort", dir, "--out", dir + "/cohort"])
        for f in ["cohort.html", "cohort.sqlite", "patients.csv", "endpoints.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/cohort/" + f), f)
        }
        let patients = try String(contentsOfFile: dir + "/cohort/patients.csv", encoding: .utf8)
        XCTAssertEqual(patients.split(separator: "\n").count, 7)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/SIM0001/anatomy.json"))
        // The protocol's RECIST settings reach the cohort (--config); an invalid setting is refused.
        let proto = dir + "/protocol.yaml"
        try "format_version: 1\nprotocol: {id: T, version: '1'}\nresponse_assessment: {confirmation: required}\n"
            .write(toFile: proto, atomically: true, encoding: .utf8)
        try runCommand(["cohort", dir, "--out", dir + "/cohort-confirmed", "--config", proto])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/cohort-confirmed/cohort.html"))
        try "format_version: 1\nprotocol: {id: T, version: '1'}\nresponse_assessment: {confirmation: maybe}\n"
            .write(toFile: proto, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try runCommand(["cohort", dir, "--out", dir + "/cohort-bad", "--config", proto]))
        // A second run replaces the output as a whole.
        try runCommand(["cohort", dir + "/SIM0001", dir + "/SIM0002", "--out", dir + "/cohort"])
        XCTAssertEqual(try String(contentsOfFile: dir + "/cohort/patients.csv", encoding: .utf8).split(separator: "\n").count, 3)
        // Refusals.
        XCTAssertThrowsError(try runCommand(["trial-sim", "--patients", "6", "--seed", "5", "--out", dir])) {
            XCTAssertTrue("\($0)".contains("already exists"), "\($0)")
        }
        XCTAssertThrowsError(try runCommand(["trial-sim", "--patients", "0", "--seed", "5", "--out", dir + "/x"]))
        XCTAssertThrowsError(try runCommand(["cohort", dir + "/nothing", "--out", dir + "/c2"]))
    }
}
