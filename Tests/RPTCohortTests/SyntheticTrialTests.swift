import Foundation
import RPTCore
import RPTPlanner
import RPTTestSupport
import XCTest
@testable import RPTCohort

/// The synthetic trial and the cohort pipeline: files written by trial-sim read back by the cohort loader,
/// the outputs (CSV, SQLite, HTML), and recovery of the ground-truth dose–effect parameters.
final class SyntheticTrialTests: XCTestCase {
    var dir: String!
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "rpt-cohort-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A protocol with a 0.5 GBq step keeps the exact planner search small for hundreds of patients.
    static var fastProtocol: ProtocolConfig {
        var c = ProtocolConfig.trialDefault
        c.investigationalArm.roundingStepGBq = 0.5
        return c
    }

    func testTrialIsRandomised2To1AndPlannedPerArm() throws {
        let trial = try SyntheticTrial(count: 30, seed: 11, protocolConfig: Self.fastProtocol)
        let inv = trial.patients.filter { $0.arm == .investigational }, std = trial.patients.filter { $0.arm == .standard }
        XCTAssertEqual(inv.count, 20); XCTAssertEqual(std.count, 10)   // blocks of three
        XCTAssertTrue(std.allSatisfy { $0.cycles.map(\.activityGBq) == [7.4, 7.4, 7.4, 7.4] })
        XCTAssertTrue(inv.allSatisfy { $0.cycles.first?.activityGBq == 7.4 && $0.cycles.allSatisfy { $0.activityGBq <= 14.8 } })
        XCTAssertTrue(inv.contains { $0.cycles.dropFirst().contains { $0.activityGBq != 7.4 } }, "some investigational plans depart from 7.4 GBq")
        // Same seed, same trial.
        let again = try SyntheticTrial(count: 30, seed: 11, protocolConfig: Self.fastProtocol)
        XCTAssertEqual(again.patients.map(\.followUp), trial.patients.map(\.followUp))
        // Organ-S kidney dose per activity near the published values (0.38 ± 0.19 Gy/GBq over 80 Lu-DOTATATE cycles, PMC6300448).
        let kidney = trial.patients.map { $0.cycles[0].kidney.gyPerGBq }.sorted()
        XCTAssertTrue((0.2...0.8).contains(kidney[kidney.count / 2]), "median kidney \(kidney[kidney.count / 2]) Gy/GBq")
    }

    /// trial-sim folders read back through the manifest path give the same analysis; the outputs are written.
    func testFilesRoundTripAndOutputs() throws {
        let trial = try SyntheticTrial(count: 15, seed: 3, protocolConfig: Self.fastProtocol)
        let folders = try SyntheticTrialWriter.write(trial, seed: 3, to: dir + "/trial")
        let loaded = try folders.map(CohortStudyLoader.load)
        for (a, b) in zip(loaded, trial.cohort) {
            XCTAssertEqual(a.id, b.id); XCTAssertEqual(a.arm, b.arm); XCTAssertEqual(a.followUp, b.followUp)
            XCTAssertEqual(a.marrowDoseGy, b.marrowDoseGy, accuracy: 1e-12 * b.marrowDoseGy)
            XCTAssertEqual(a.lesionDosesGy.map(\.lesion), b.lesionDosesGy.map(\.lesion))
            for (x, y) in zip(a.lesionDosesGy, b.lesionDosesGy) { XCTAssertEqual(x.doseGy, y.doseGy, accuracy: 1e-12 * y.doseGy) }
        }
        let analysis = CohortAnalysis(loaded)
        try CohortReport.write(analysis, to: dir + "/out")
        for f in ["patients.csv", "cycles.csv", "lesions.csv", "adverse_events.csv", "labs.csv", "endpoints.csv", "cohort.sqlite", "cohort.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/out/" + f), f)
        }
        // The database answers a statistician's query (Python's sqlite3, independent of our writer).
        let r = try ExternalProcess.run([ExternalProcess.pythonInterpreter, "-c", """
        import sqlite3, sys, json
        db = sqlite3.connect(sys.argv[1])
        n = db.execute("select count(*) from patients").fetchone()[0]
        orr = dict(db.execute("select arm, estimate from endpoints where name = 'objective_response_rate_6m'").fetchall())
        les = db.execute("select count(*) from lesions").fetchone()[0]
        print(json.dumps({"n": n, "orr": orr, "lesions": les}))
        """, dir + "/out/cohort.sqlite"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        XCTAssertEqual(o["n"] as? Int, 15)
        XCTAssertEqual(o["lesions"] as? Int, loaded.map { $0.lesionDosesGy.count }.reduce(0, +))
        let orr = try XCTUnwrap(o["orr"] as? [String: Double])
        for a in analysis.arms { XCTAssertEqual(orr[a.arm.rawValue] ?? -1, a.responseAt6Months!.estimate, accuracy: 1e-15) }
        let html = try String(contentsOfFile: dir + "/out/cohort.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<svg") && html.contains("Kaplan–Meier") && html.contains("Lesion dose vs response"))
        // A follow-up arm that contradicts the manifest is refused.
        let csv = folders[0] + "/followup.csv"
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let other = trial.patients[0].arm == .standard ? "investigational" : "standard"
        try text.replacingOccurrences(of: ",\(trial.patients[0].arm.rawValue),", with: ",\(other),").write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CohortStudyLoader.load(folders[0])) { XCTAssertTrue("\($0)".contains("differs from the study manifest's arm"), "\($0)") }
    }

    /// Recovery of the ground truth: in 10 seeded trials of 200 patients each, the fitted dose–toxicity and
    /// dose–response slopes' and the platelet-nadir slope's 95 % CIs cover the true slopes. With correct 95 % intervals a single fit covers
    /// with probability 0.95, so ≥ 8 of 10 for each has probability 0.988; the test asks ≥ 8 of 10 for each.
    func testCohortRecoversGroundTruthInMostSeeds() throws {
        var toxicityCovered = 0, responseCovered = 0, nadirCovered = 0
        var log: [String] = []
        let truth = SyntheticTrial.Truth()
        for seed in UInt64(1)...10 {
            let trial = try SyntheticTrial(count: 200, seed: seed, protocolConfig: Self.fastProtocol)
            let a = CohortAnalysis(trial.cohort)
            let tox = try a.doseToxicity.get(), resp = try a.doseResponse.get()
            if tox.slopeCI.contains(truth.toxicitySlopePerGy) { toxicityCovered += 1 }
            if resp.slopeCI.contains(truth.responseSlopePerGy) { responseCovered += 1 }
            if try a.plateletNadir.get().slopeCI.contains(truth.plateletNadirSlopePerGy) { nadirCovered += 1 }
            log.append("seed \(seed): toxicity slope \(tox.slope) \(tox.slopeCI), response slope \(resp.slope) \(resp.slopeCI)")
        }
        XCTAssertGreaterThanOrEqual(toxicityCovered, 8, log.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(responseCovered, 8, log.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(nadirCovered, 8, log.joined(separator: "\n"))
        print("recovery: toxicity \(toxicityCovered)/10, response \(responseCovered)/10, platelet nadir \(nadirCovered)/10\n" + log.joined(separator: "\n"))
    }
}
