import Foundation
@testable import RPTDosimetry
import RPTPlanner
import XCTest

/// Lesions that appear or disappear between cycles (issue 15), matched by name: the planner input lists the union,
/// a lesion absent from a cycle counts 0 Gy there and the plan's notes say so; a disappeared lesion keeps the dose
/// it accumulated.
final class LesionChangeTests: XCTestCase {
    func given(_ c: Int, lesions: [(String, Double)]) -> AdministeredCycle {
        AdministeredCycle(cycle: c, activityGBq: 7.4, kidney: DosePerActivity(gyPerGBq: 0.5, relativeUncertainty: 0.1),
                          kidneyEffectiveDecayPerHour: 0.014, marrow: DosePerActivity(gyPerGBq: 0.03, relativeUncertainty: 0.1),
                          lesions: lesions.map { LesionDosePerActivity(lesion: $0.0, dose: DosePerActivity(gyPerGBq: $0.1, relativeUncertainty: 0.2)) })
    }

    func testAppearingAndDisappearingLesions() throws {
        // tumor_2 disappears in cycle 3; tumor_4 appears in cycle 2.
        var history = [given(1, lesions: [("tumor_1", 3), ("tumor_2", 2)]),
                       given(2, lesions: [("tumor_1", 3), ("tumor_2", 2), ("tumor_4", 4)]),
                       given(3, lesions: [("tumor_1", 3), ("tumor_4", 4)])]
        PlanRequestBuilder.alignLesions(&history)
        for c in history { XCTAssertEqual(c.lesions.map(\.lesion), ["tumor_1", "tumor_2", "tumor_4"]) }
        XCTAssertEqual(history[0].lesions[2].dose.gyPerGBq, 0)
        XCTAssertEqual(history[2].lesions[1].dose.gyPerGBq, 0)
        XCTAssertEqual(history[0].doseNote, "lesion(s) tumor_4 not in this cycle's dosimetry (counted 0 Gy)")
        XCTAssertNil(history[1].doseNote)
        XCTAssertTrue(history[2].doseNote?.contains("tumor_2") ?? false)

        let plan = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: history, kidneyRiskFactors: false),
                                             config: .trialDefault)
        XCTAssertTrue(plan.notes.contains { $0.hasPrefix("cycle 3 doses: lesion(s) tumor_2") }, "\(plan.notes)")
        // The disappeared lesion keeps what it received in cycles 1–2.
        let last = try XCTUnwrap(plan.given.last)
        let t2 = try XCTUnwrap(last.tumourDosesGyCumulative.first { $0.lesion == "tumor_2" })
        XCTAssertEqual(t2.doseGy, 2 * 7.4 * 2, accuracy: 1e-9)
    }
}
