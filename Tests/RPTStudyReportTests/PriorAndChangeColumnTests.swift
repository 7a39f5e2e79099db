@testable import RPTStudyReport
import XCTest

/// The fit table's line (in the Method cell) for the prior's weight (MAP fits) and the half-life change against cycle 1 (issue 15).
final class PriorAndChangeColumnTests: XCTestCase {
    func record(prior: String?, fraction: Double, change: Double, changeSigma: Double) -> RegionFitRecord {
        var r = RegionFitRecord(region: "kidney_left", method: "m", curve: nil, covariance: [], tiaBqS: 1, tiaStandardUncertaintyBqS: 0.1,
                                timesHours: [], activitiesBq: [], aicc: [], note: "")
        r.priorName = prior
        r.priorTIAFraction = fraction
        r.halfLifeChange = change
        r.halfLifeChangeUncertainty = changeSigma
        return r
    }

    func testTexts() {
        XCTAssertEqual(StudyReport.priorAndChangeText(record(prior: "kidney (Lu-177 DOTATATE)", fraction: 0.4049, change: .nan, changeSigma: .nan)),
                       "prior weight on TIA 40 %")
        XCTAssertEqual(StudyReport.priorAndChangeText(record(prior: nil, fraction: .nan, change: -0.171, changeSigma: 0.108)),
                       "T½ −17 % ± 11 % vs cycle 1")
        XCTAssertEqual(StudyReport.priorAndChangeText(record(prior: "NET lesion (Lu-177 DOTATATE)", fraction: 0.9, change: 0.05, changeSigma: 0.2)),
                       "prior weight on TIA 90 %; T½ +5 % ± 20 % vs cycle 1")
        XCTAssertEqual(StudyReport.priorAndChangeText(record(prior: nil, fraction: .nan, change: .nan, changeSigma: .nan)), "")
        XCTAssertEqual(StudyReport.methodCell(record(prior: "kidney (Lu-177 DOTATATE)", fraction: 0.4, change: .nan, changeSigma: .nan)),
                       ClinicalNames.method("m") + " (prior weight on TIA 40 %)")
    }
}
