import Foundation
import RPTCore
import RPTDosimetry
import RPTImageIO
import RPTPlanner
import RPTVolume
import XCTest

/// The per-cycle `toxicity` section of the study manifest: parsing, key-path errors, and the planner's
/// toxicity inputs (label thresholds: LUTATHERA USPI Table 2, encoded in `ToxicityPolicy.packageInsert`).
final class ToxicityManifestTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "rpt-toxicity-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let g = Grid3D(shape: SIMD3(4, 4, 4), spacing: SIMD3(repeating: 10))
        try ImageIO.write(AnyVolume(Volume<Float>(grid: g, voxels: .init(repeating: 0, count: 64), unit: "HU")), to: dir + "/ct.nii")
        try ImageIO.write(AnyVolume(Volume<Float>(grid: g, voxels: .init(repeating: 100, count: 64), unit: "Bq/mL")), to: dir + "/s.nii")
        try ImageIO.write(AnyVolume(Volume<UInt16>(grid: g, voxels: (0..<64).map { UInt16($0 % 3) }, unit: "label")), to: dir + "/labels.nii")
        try "label,name\n1,kidney_left\n2,tumor_1\n".write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Two cycles; cycle 1's activity and each cycle's `toxicity` block are parameters.
    func manifest(cycle1GBq: Double = 7.4, cycle2GBq: Double = 7.4, toxicity1: String = "", toxicity2: String) -> String {
        func cycle(_ n: Int, _ gbq: Double, _ month: String, _ toxicity: String) -> String {
            """
              - cycle: \(n)
                administered_activity_gbq: \(gbq)
                administration_time: 2025-\(month)-06T09:00:00Z
                time_points:
                  - {time: 2025-\(month)-07T09:00:00Z, ct: ct.nii, spect: {image: s.nii, unit: bq_per_ml}}
            \(toxicity.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))

            """
        }
        return """
        format_version: 1
        patient: {sex: female, mass_kg: 64, height_cm: 165}
        arm: standard
        labels: {image: labels.nii, names: labels.csv}
        cycles:

        """ + cycle(1, cycle1GBq, "01", toxicity1) + cycle(2, cycle2GBq, "03", toxicity2)
    }

    func load(_ text: String) throws -> StudyManifest {
        let path = dir + "/study.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try StudyManifest.load(path: path, checkImages: false)
    }

    /// The messages of the InputErrors thrown by `body`.
    func messages(_ body: () throws -> Void) -> [String] {
        do { try body() } catch let e as InputErrors { return e.errors.map(\.description) } catch { return ["\(error)"] }
        XCTFail("expected InputErrors")
        return []
    }

    func testFullToxicitySectionIsParsedAndJudgedWithTheLabelThresholds() throws {
        let m = try load(manifest(toxicity2: """
        toxicity:
          weeks_since_administration: 9
          thrombocytopenia: {worst_grade: 3, current_grade: 1}
          anemia: {worst_grade: 2, current_grade: 1}
          neutropenia: {worst_grade: 0, current_grade: 0}
          renal:
            worst: {creatinine_clearance_ml_per_min: 52, creatinine_clearance_change_percent: -41}
            current: {creatinine_clearance_ml_per_min: 70, creatinine_clearance_change_percent: -12, serum_creatinine_change_percent: 10}
          hepatic:
            current: {bilirubin_x_uln: 1.2, albumin_g_per_l: 28, inr: 1.2}
        """))
        XCTAssertNil(m.cycle(1)?.toxicity)
        let r = try XCTUnwrap(m.cycle(2)?.toxicity)
        XCTAssertEqual(r.weeksSinceAdministration, 9)
        XCTAssertEqual(r.graded[.thrombocytopenia], ToxicityGrades(worst: 3, current: 1))
        XCTAssertEqual(r.graded[.anemia], ToxicityGrades(worst: 2, current: 1))
        XCTAssertEqual(r.renal?.worst.creatinineClearanceChangePercent, -41)
        XCTAssertEqual(r.hepatic?.worst, r.hepatic?.current, "worst defaults to current")

        let inputs = PlanRequestBuilder.toxicityInputs(manifest: m, afterCycle: 2, policy: .packageInsert)
        XCTAssertEqual(inputs.weeksSinceLastAdministration, 9)
        // Renal: −41 % clearance (≤ −40 %) since the administration, −12 % now → met since, not now, and not
        // back within 10 % of baseline. Hepatic: albumin 28 < 30 g/L but INR 1.2 ≤ 1.5 (no prothrombin ratio
        // given) and bilirubin 1.2 ≤ 3 × ULN → not met (and, at 1.2 × ULN, not completely resolved).
        XCTAssertEqual(inputs.observations, [
            .graded(.thrombocytopenia, worst: 3, current: 1), .graded(.anemia, worst: 2, current: 1),
            .graded(.neutropenia, worst: 0, current: 0),
            .criteria(.renalToxicity, metSinceLastAdministration: true, metNow: false, completelyResolved: false),
            .criteria(.hepatotoxicity, metSinceLastAdministration: false, metNow: false, completelyResolved: false),
        ])
        // Thrombocytopenia grade 3 resolved to grade 1 (reduce), but renal toxicity is not yet back at
        // baseline: withhold wins.
        let d = try ToxicityDecision.evaluate(inputs, policy: .packageInsert)
        XCTAssertEqual(d.action, .withhold)
        XCTAssertEqual(d.kinds, [.renalToxicity])
        XCTAssertNil(d.activityCapGBq)
        // Planning after cycle 1 uses cycle 1's (absent) report.
        XCTAssertEqual(PlanRequestBuilder.toxicityInputs(manifest: m, afterCycle: 1, policy: .packageInsert), .none)
    }

    func testRecurrenceAfterTheReducedActivityIsInferredAndDiscontinues() throws {
        // Thrombocytopenia after cycle 1 → cycle 2 given at 3.7 GBq → grade 2 again after cycle 2: recurrent.
        let m = try load(manifest(cycle2GBq: 3.7,
                                  toxicity1: "toxicity: {weeks_since_administration: 10, thrombocytopenia: {worst_grade: 3, current_grade: 1}}",
                                  toxicity2: "toxicity: {weeks_since_administration: 8, thrombocytopenia: {worst_grade: 2, current_grade: 1}}"))
        let inputs = PlanRequestBuilder.toxicityInputs(manifest: m, afterCycle: 2, policy: .packageInsert)
        XCTAssertEqual(inputs.observations, [.graded(.thrombocytopenia, worst: 2, current: 1, recurred: true)])
        XCTAssertEqual(try ToxicityDecision.evaluate(inputs, policy: .packageInsert).action, .discontinue)

        // The same report after a full-activity cycle 2 is not a recurrence (the label's rule is about the reduced dose).
        let full = try load(manifest(cycle2GBq: 7.4,
                                     toxicity1: "toxicity: {weeks_since_administration: 10, thrombocytopenia: {worst_grade: 3, current_grade: 1}}",
                                     toxicity2: "toxicity: {weeks_since_administration: 8, thrombocytopenia: {worst_grade: 2, current_grade: 1}}"))
        XCTAssertEqual(try ToxicityDecision.evaluate(PlanRequestBuilder.toxicityInputs(manifest: full, afterCycle: 2, policy: .packageInsert),
                                                     policy: .packageInsert).action, .reduce)
        // An explicit `recurred: true` is honoured.
        let explicit = try load(manifest(toxicity2: "toxicity: {weeks_since_administration: 8, neutropenia: {worst_grade: 3, current_grade: 2, recurred: true}}"))
        XCTAssertEqual(try ToxicityDecision.evaluate(PlanRequestBuilder.toxicityInputs(manifest: explicit, afterCycle: 2, policy: .packageInsert),
                                                     policy: .packageInsert).action, .discontinue)
    }

    /// Label (LUTATHERA PI Table 2, "Recurrent …: permanently discontinue"): a toxicity that caused a dose
    /// reduction and triggers again later — here after a full-activity cycle 3 — is recurrent under the default
    /// `recurrence: after_any_reduction`, and only a new episode under `after_reduced_cycle_only`.
    func testRecurrenceAfterAnyEarlierReductionDiscontinues() throws {
        let third = """
          - cycle: 3
            administered_activity_gbq: 7.4
            administration_time: 2025-05-06T09:00:00Z
            time_points:
              - {time: 2025-05-07T09:00:00Z, ct: ct.nii, spect: {image: s.nii, unit: bq_per_ml}}
            toxicity: {weeks_since_administration: 10, thrombocytopenia: {worst_grade: 2, current_grade: 1}}

        """
        let m = try load(manifest(cycle2GBq: 3.7,
                                  toxicity1: "toxicity: {weeks_since_administration: 10, thrombocytopenia: {worst_grade: 3, current_grade: 1}}",
                                  toxicity2: "toxicity: {weeks_since_administration: 8, thrombocytopenia: {worst_grade: 0, current_grade: 0}}") + third)
        let inputs = PlanRequestBuilder.toxicityInputs(manifest: m, afterCycle: 3, policy: .packageInsert)
        XCTAssertEqual(inputs.earlierReductions, [.thrombocytopenia])
        XCTAssertEqual(inputs.observations, [.graded(.thrombocytopenia, worst: 2, current: 1)], "not right after the reduced cycle")
        XCTAssertEqual(try ToxicityDecision.evaluate(inputs, policy: .packageInsert).action, .discontinue)
        var narrow = ToxicityPolicy.packageInsert
        narrow.recurrence = .afterReducedCycleOnly
        XCTAssertEqual(try ToxicityDecision.evaluate(PlanRequestBuilder.toxicityInputs(manifest: m, afterCycle: 3, policy: narrow),
                                                     policy: narrow).action, .reduce)
        // After cycle 2 (the tolerated reduced cycle) the reduction is known, so cycle 3 is capped by the
        // after-reduction rule, and nothing has recurred.
        let after2 = PlanRequestBuilder.toxicityInputs(manifest: m, afterCycle: 2, policy: .packageInsert)
        XCTAssertEqual(after2.earlierReductions, [.thrombocytopenia])
        XCTAssertEqual(try ToxicityDecision.evaluate(after2, policy: .packageInsert).action, .none)
    }

    func testInvalidToxicityEntriesNameTheirKeyPaths() throws {
        let errors = messages { _ = try load(manifest(toxicity2: """
        toxicity:
          thrombocytopenia: {worst_grade: 6, current_grade: 1}
          anaemia: {worst_grade: 3, current_grade: 0}
          neutropenia: {worst_grade: 1, current_grade: 2}
          other_non_hematologic: {worst_grade: two, current_grade: 0}
          renal:
            worst: {creatinine_clearance_ml_per_min: -5, serum_creatinine_change_percent: -120}
          hepatic:
            current: {bilirubin_x_uln: 1.0, albumin_g_per_l: 25}
        """)) }
        let expected = [
            "cycles[1].toxicity.weeks_since_administration': required key is missing",
            "cycles[1].toxicity.thrombocytopenia.worst_grade' = '6': a CTCAE grade is an integer 0–5",
            "cycles[1].toxicity.anaemia': unknown key; allowed here: weeks_since_administration, thrombocytopenia, anemia",
            "cycles[1].toxicity.neutropenia.current_grade' = '2': cannot exceed worst_grade (1)",
            "cycles[1].toxicity.other_non_hematologic.worst_grade' = 'two': expected an integer",
            "cycles[1].toxicity.renal.current': required key is missing",
            "cycles[1].toxicity.renal.worst.creatinine_clearance_ml_per_min' = '-5.0': must be ≥ 0 mL/min",
            "cycles[1].toxicity.renal.worst.serum_creatinine_change_percent' = '-120.0': a change from baseline in percent must be > −100",
            "cycles[1].toxicity.hepatic.current.prothrombin_ratio_percent': albumin and the prothrombin ratio (or INR) form one criterion",
        ]
        for e in expected {
            XCTAssertTrue(errors.contains { $0.contains(e) }, "missing error containing \(e)\nin:\n" + errors.joined(separator: "\n"))
        }
        XCTAssertTrue(errors.allSatisfy { $0.contains("study.yaml") }, "every error names the manifest")
        XCTAssertEqual(errors.count, expected.count, errors.joined(separator: "\n"))

        // Wrong shapes: a list instead of a mapping, and an empty set of laboratory values.
        let shape = messages { _ = try load(manifest(toxicity2: """
        toxicity:
          weeks_since_administration: 4
          anemia: [3, 1]
          renal: {current: {}}
        """)) }
        XCTAssertTrue(shape.contains { $0.contains("cycles[1].toxicity.anemia' = '<list>': expected a mapping of keys") }, shape.joined(separator: "\n"))
        XCTAssertTrue(shape.contains { $0.contains("cycles[1].toxicity.renal.current' = '{}': give at least one laboratory value") }, shape.joined(separator: "\n"))
    }
}
