import Foundation
import RPTPlanner
import RPTReport
@testable import RPTStudyReport
import XCTest

/// The plan section's candidate table prints every candidate activity of plan.json with its predicted kidney, marrow
/// and lesion doses of that cycle (the planner's numbers, recomputed here from the cycle's predicted dose per GBq).
final class PlanCandidateTableTests: XCTestCase {
    func testCandidateTableShowsOrganAndLesionDosesOfEachCandidate() throws {
        func dose(_ g: Double) -> DosePerActivity { DosePerActivity(gyPerGBq: g, relativeUncertainty: 0.1) }
        let c1 = AdministeredCycle(cycle: 1, activityGBq: 7.4, kidney: dose(0.3), kidneyEffectiveDecayPerHour: log(2.0) / 50,
                                   marrow: dose(0.02), lesions: [LesionDosePerActivity(lesion: "tumor_1", dose: dose(3)),
                                                                 LesionDosePerActivity(lesion: "tumor_2", dose: dose(4.5))])
        let plan = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [c1], kidneyRiskFactors: false), config: .trialDefault)
        guard case let .table(t)? = PlanReportSection.candidateTable(plan) else { return XCTFail("no candidate table") }
        XCTAssertEqual(t.caption, PlanReportSection.candidatesCaption)
        let expected = plan.cycles.flatMap { c in (c.candidates ?? []).map { (c, $0) } }
        XCTAssertGreaterThanOrEqual(expected.count, 6)
        XCTAssertEqual(t.rows.count, expected.count)
        let col = { (name: String) in t.header.firstIndex(of: name)! }
        for (row, (cycle, k)) in zip(t.rows, expected) {
            XCTAssertEqual(row[0].text, "\(cycle.cycle)")
            XCTAssertEqual(row[col("GBq")].text, String(format: "%.2f", k.activityGBq))
            XCTAssertEqual(row[col("Chosen")].text, k.chosen ? "planned" : "")
            XCTAssertEqual(row[col("Kidney (Gy)")].text, String(format: "%.2f", k.activityGBq * cycle.kidneyDoseGyPerGBq!))
            XCTAssertEqual(row[col("Marrow (Gy)")].text, String(format: "%.2f", k.activityGBq * cycle.marrowDoseGyPerGBq!))
            // Lesion doses of this cycle: the activity × the lesion's predicted dose per activity (3 and 4.5 Gy/GBq).
            let lesions = row[col("Lesions (Gy)")].text.split(separator: ";").map { $0.split(separator: " ").last.map(String.init) ?? "" }
            XCTAssertEqual(lesions, [3.0, 4.5].map { String(format: "%.2f", k.activityGBq * $0) })
            XCTAssertEqual(row.last?.text, k.withinLimits ? "yes" : "no")
        }
        // The chosen candidate of each planned cycle is the planned activity.
        for c in plan.cycles where c.candidates != nil {
            XCTAssertEqual(c.candidates!.filter(\.chosen).map(\.activityGBq), [c.activityGBq])
        }
        // The full section contains the table.
        let section = try PlanReportSection.section(plan, check: PlanCheck(refusal: nil, warnings: []), administered: [1: 7.4])
        XCTAssertTrue(section.blocks.contains { if case let .table(x) = $0 { return x.caption == PlanReportSection.candidatesCaption } else { return false } })
    }
}
