import Foundation
import XCTest
@testable import RPTDosimetry
@testable import RPTKinetics
import RPTPlanner

/// The kidneys' effective decay constant feeds the kidney BED; a method that does not measure the clearance
/// must not hand a placeholder to the planner (review finding: Hänscheid's ln 2 / t or the trapezoid's physical
/// decay lowered the BED by 4–6 %).
final class KidneyClearanceTests: XCTestCase {
    let lambdaPhys = log(2.0) / (6.647 * 86_400)
    let cycle = StudyCycle(number: 2, administeredActivityGBq: 7.4, administrationTime: Date(timeIntervalSince1970: 0),
                           timePoints: [], bloodSamples: [], reducedMethod: nil, referenceTimePoint: nil)

    func analyse(hours: [Double], method: ReducedMethodChoice?) throws -> RegionKineticsResult {
        let k = log(2.0) / (50 * 3600)  // 50 h effective half-life
        let analysis = CycleKineticsAnalysis(physicalDecayConstantPerSecond: lambdaPhys, activityRelativeUncertainty: 0.05,
                                             reducedMethodOverride: method)
        return try analysis.analyse(region: "kidney_left", timesHours: hours, activitiesBq: hours.map { 1e8 * exp(-k * $0 * 3600) },
                                    cycle: cycle, cycleOneFit: nil)
    }

    func testOnlyMeasuredClearancesAreReported() throws {
        XCTAssertTrue(try analyse(hours: [72], method: .hanscheid).effectiveDecayPerSecond.isNaN, "Hänscheid assumes λ = ln 2 / t")
        let two = try analyse(hours: [4, 72], method: .twoPoint)
        XCTAssertEqual(two.effectiveDecayPerSecond, log(2.0) / (50 * 3600), accuracy: 1e-6 * log(2.0) / (50 * 3600))
    }

    /// `PlanRequestBuilder.request` fills an unmeasured cycle with the mean of the measured ones, and refuses
    /// when no cycle measured it.
    func testUnmeasuredClearanceIsFilledFromMeasuredCycles() throws {
        func given(_ c: Int, _ lambda: Double) -> AdministeredCycle {
            AdministeredCycle(cycle: c, activityGBq: 7.4, kidney: DosePerActivity(gyPerGBq: 0.5, relativeUncertainty: 0.1),
                              kidneyEffectiveDecayPerHour: lambda, marrow: DosePerActivity(gyPerGBq: 0.03, relativeUncertainty: 0.1),
                              lesions: [])
        }
        var history = [given(1, 0.012), given(2, .nan), given(3, 0.016)]
        try PlanRequestBuilder.fillUnmeasuredKidneyClearance(&history, source: "study.yaml")
        XCTAssertEqual(history.map(\.kidneyEffectiveDecayPerHour), [0.012, 0.014, 0.016])
        var none = [given(1, .nan), given(2, .nan)]
        XCTAssertThrowsError(try PlanRequestBuilder.fillUnmeasuredKidneyClearance(&none, source: "study.yaml")) { error in
            XCTAssertTrue("\(error)".contains("not measured in any cycle"), "\(error)")
        }
    }
}

/// When the AICc choice cannot give an uncertainty (no covariance), the next-best usable fit is taken.
final class NextBestFitTests: XCTestCase {
    func fit(_ model: ExponentialModel, chiSquare: Double, covariance: Bool, converged: Bool = true) -> TimeActivityFit {
        let k = model.parameterCount
        return TimeActivityFit(curve: ExponentialCurve(model: model, amplitudesBq: .init(repeating: 1e6, count: model.amplitudeCount),
                                                       ratesPerSecond: (0..<model.rateCount).map { 1e-5 * Double($0 + 1) }),
                               parameterCovariance: covariance ? .init(repeating: 0, count: k * k) : [], covarianceScaleFactor: 1,
                               chiSquare: chiSquare, pointCount: 6, converged: converged, slowestRateAtPhysicalBound: false,
                               timeIntegratedActivity: TimeIntegratedActivity(valueBqS: 1e11, standardUncertaintyBqS: 1e9))
    }

    func testNextBestUsableFitIsChosen() {
        let bi = fit(.biExponential, chiSquare: 1e-4, covariance: false)   // best AICc, no covariance
        let mono = fit(.monoExponential, chiSquare: 3, covariance: true)
        let uptake = fit(.biExponentialUptake, chiSquare: 0.01, covariance: true, converged: false)  // better than mono, not converged
        XCTAssertLessThan(bi.aicc, mono.aicc)
        XCTAssertLessThan(uptake.aicc, mono.aicc)
        XCTAssertEqual(CycleKineticsAnalysis.bestFitWithCovariance([bi, mono, uptake])?.model, .monoExponential)
        XCTAssertNil(CycleKineticsAnalysis.bestFitWithCovariance([bi]))
    }
}
