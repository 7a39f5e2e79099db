import XCTest
import RPTCore
@testable import RPTKinetics

/// Bad input throws an InputError naming the field.
final class InputValidationTests: XCTestCase {
    let fitter = TimeActivityFitter(physicalDecayConstantPerSecond: lu177DecayConstantPerSecond, source: "kidney_left")

    private func points(_ pairs: [(Double, Double)]) -> [TimeActivityPoint] {
        pairs.map { TimeActivityPoint(timeHours: $0.0, activityBq: $0.1) }
    }

    private func assertField(_ expected: String, _ body: @autoclosure () throws -> Any,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let e = error as? InputError else { return XCTFail("not an InputError: \(error)", file: file, line: line) }
            XCTAssertEqual(e.field, expected, file: file, line: line)
            XCTAssertEqual(e.source, "kidney_left", file: file, line: line)
        }
    }

    func testFewerPointsThanParameters() {
        assertField("timePoints", try fitter.fit(.biExponentialUptake, to: points([(4, 10), (24, 8)])))
        assertField("timePoints", try fitter.fit(.triExponentialUptake, to: points([(4, 10), (24, 8), (48, 6), (96, 3)])))
        // AICc selection needs k < n − 1 for at least the smallest candidate (mono: n ≥ 4).
        assertField("timePoints", try fitter.selectModel(for: points([(4, 10), (24, 8), (96, 3)])))
        assertField("timePoints", try fitter.reducedTimePointEstimate(points([(4, 10)]), method: .twoPointMonoExponential))
        assertField("timePoints", try fitter.trapezoid([]))
    }

    func testNegativeZeroOrNonFiniteActivity() {
        assertField("timePoints[1].activityBq", try fitter.fit(.monoExponential, to: points([(4, 10), (24, -8), (96, 3)])))
        assertField("timePoints[2].activityBq", try fitter.fit(.monoExponential, to: points([(4, 10), (24, 8), (96, .nan)])))
        assertField("timePoints[0].activityBq", try fitter.fit(.monoExponential, to: points([(4, .infinity), (24, 8)])))
        assertField("timePoints[1].activityBq", try fitter.fit(.monoExponential, to: points([(4, 10), (24, 0)])))
        // The trapezoid rule accepts zero but not negative activity.
        XCTAssertNoThrow(try fitter.trapezoid(points([(4, 10), (24, 0)])))
        assertField("timePoints[1].activityBq", try fitter.trapezoid(points([(4, 10), (24, -1)])))
    }

    func testUnsortedDuplicateOrInvalidTimes() {
        assertField("timePoints[2].timeHours", try fitter.fit(.monoExponential, to: points([(4, 10), (48, 8), (24, 6)])))
        assertField("timePoints[1].timeHours", try fitter.fit(.monoExponential, to: points([(24, 10), (24, 8), (48, 6)])))
        assertField("timePoints[0].timeHours", try fitter.fit(.monoExponential, to: points([(0, 10), (24, 8)])))
        assertField("timePoints[1].timeHours", try fitter.fit(.monoExponential, to: points([(4, 10), (.nan, 8)])))
    }

    func testInvalidUncertaintiesAndDecayConstant() {
        let bad = [TimeActivityPoint(timeHours: 4, activityBq: 10),
                   TimeActivityPoint(timeHours: 24, activityBq: 8, relativeUncertainty: 0)]
        assertField("timePoints[1].relativeUncertainty", try fitter.fit(.monoExponential, to: bad))
        let noDecay = TimeActivityFitter(physicalDecayConstantPerSecond: 0, source: "kidney_left")
        XCTAssertThrowsError(try noDecay.fit(.monoExponential, to: points([(4, 10), (24, 8)]))) { error in
            XCTAssertEqual((error as? InputError)?.field, "physicalDecayConstantPerSecond")
        }
        var options = KineticsFitOptions(); options.defaultRelativeUncertainty = -0.1
        let negative = TimeActivityFitter(physicalDecayConstantPerSecond: 1e-6, options: options, source: "kidney_left")
        assertField("options.defaultRelativeUncertainty", try negative.fit(.monoExponential, to: points([(4, 10), (24, 8)])))
        assertField("effectiveDecay.decayConstantPerSecond", try fitter.reducedTimePointEstimate(
            points([(96, 8)]), method: .madsenSinglePoint(effectiveDecay: EffectiveDecay(decayConstantPerSecond: -1,
                                                                                        standardUncertaintyPerSecond: 0))))
    }
}
