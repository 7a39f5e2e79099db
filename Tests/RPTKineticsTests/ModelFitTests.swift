import XCTest
import RPTCore
@testable import RPTKinetics

final class ModelFitTests: XCTestCase {
    let fitter = TimeActivityFitter(physicalDecayConstantPerSecond: lu177DecayConstantPerSecond)

    private func assertRecovers(_ truth: ExponentialCurve, timesHours: [Double],
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let points = timesHours.map {
            TimeActivityPoint(timeHours: $0, activityBq: truth.activityBq(atHours: $0), relativeUncertainty: 0.05)
        }
        let fit = try fitter.fit(truth.model, to: points)
        XCTAssertTrue(fit.converged, "\(truth.model) did not converge", file: file, line: line)
        for (p, (got, want)) in zip(truth.model.parameterNames, zip(fit.curve.parameters, truth.parameters)) {
            XCTAssertEqual(got, want, accuracy: 1e-6 * abs(want), "\(truth.model) \(p)", file: file, line: line)
        }
        XCTAssertEqual(fit.timeIntegratedActivity.valueBqS, truth.timeIntegratedActivityBqS,
                       accuracy: 1e-6 * truth.timeIntegratedActivityBqS, file: file, line: line)
        XCTAssertLessThan(fit.chiSquare, 1e-12, file: file, line: line)
    }

    func testNoiselessMonoExponentialRecovered() throws {
        try assertRecovers(ReferenceCurves.mono, timesHours: trialTimesHours)
    }

    func testNoiselessBiExponentialUptakeRecovered() throws {
        try assertRecovers(ReferenceCurves.biUptake, timesHours: trialTimesHours)
    }

    func testNoiselessBiExponentialRecovered() throws {
        try assertRecovers(ReferenceCurves.bi, timesHours: ReferenceCurves.denseTimesHours)
    }

    func testNoiselessTriExponentialUptakeRecovered() throws {
        try assertRecovers(ReferenceCurves.triUptake, timesHours: ReferenceCurves.denseTimesHours)
    }

    /// Closed-form Ã of every model against composite Simpson quadrature of A(t) (relative 1e-9).
    func testClosedFormIntegralsMatchQuadrature() {
        for curve in [ReferenceCurves.mono, ReferenceCurves.biUptake, ReferenceCurves.bi, ReferenceCurves.triUptake] {
            let numeric = simpsonIntegral(slowestRatePerSecond: curve.slowestRatePerSecond) {
                curve.activityBq(atSeconds: $0)
            }
            XCTAssertEqual(curve.timeIntegratedActivityBqS, numeric, accuracy: 1e-9 * numeric, "\(curve.model)")
        }
    }

    /// The analytic gradients (of A(t) and of Ã) used for the Jacobian and the uncertainty propagation
    /// against central finite differences.
    func testAnalyticGradientsMatchFiniteDifferences() {
        for curve in [ReferenceCurves.mono, ReferenceCurves.biUptake, ReferenceCurves.bi, ReferenceCurves.triUptake] {
            let p = curve.parameters, k = p.count, m = curve.model.amplitudeCount
            func make(_ q: [Double]) -> ExponentialCurve {
                ExponentialCurve(model: curve.model, amplitudesBq: Array(q[..<m]), ratesPerSecond: Array(q[m...]))
            }
            let tia = curve.timeIntegratedActivityGradient
            var g = [Double](repeating: 0, count: k)
            // Rounding floor of a central difference: ~ε·Σ|terms| / h, with Σ|terms| ≤ 3·ΣAₐ.
            let termScale = 3 * curve.amplitudesBq.reduce(0, +)
            for t in [2.0 * 3600, 30.0 * 3600] {
            curve.activityGradient(atSeconds: t, into: &g)
            for j in 0..<k {
                let h = 1e-6 * p[j]
                var up = p, down = p
                up[j] += h; down[j] -= h
                let dTia = (make(up).timeIntegratedActivityBqS - make(down).timeIntegratedActivityBqS) / (2 * h)
                XCTAssertEqual(tia[j], dTia, accuracy: 1e-6 * abs(dTia) + 1e-12, "\(curve.model) dÃ/dp[\(j)]")
                let dA = (make(up).activityBq(atSeconds: t) - make(down).activityBq(atSeconds: t)) / (2 * h)
                XCTAssertEqual(g[j], dA, accuracy: 1e-6 * abs(dA) + 10 * Double.ulpOfOne * termScale / h,
                               "\(curve.model) dA/dp[\(j)] at t = \(t) s")
            }
            }
        }
    }

    /// With the rate constraint on, data decaying more slowly than Lu-177 give λ₁ = λ_phys (flagged);
    /// with it off the fit follows the data.
    func testPhysicalDecayConstraint() throws {
        let slow = ExponentialCurve(model: .monoExponential, amplitudesBq: [1e8],
                                    ratesPerSecond: [0.8 * lu177DecayConstantPerSecond])
        let points = trialTimesHours.map { TimeActivityPoint(timeHours: $0, activityBq: slow.activityBq(atHours: $0)) }
        let constrained = try fitter.fit(.monoExponential, to: points)
        XCTAssertTrue(constrained.slowestRateAtPhysicalBound)
        XCTAssertEqual(constrained.curve.ratesPerSecond[0], lu177DecayConstantPerSecond,
                       accuracy: 1e-5 * lu177DecayConstantPerSecond)
        var options = KineticsFitOptions()
        options.ratesAtLeastPhysicalDecay = false
        let free = try TimeActivityFitter(physicalDecayConstantPerSecond: lu177DecayConstantPerSecond, options: options)
            .fit(.monoExponential, to: points)
        XCTAssertFalse(free.slowestRateAtPhysicalBound)
        XCTAssertEqual(free.curve.ratesPerSecond[0], slow.ratesPerSecond[0], accuracy: 1e-8 * slow.ratesPerSecond[0])
    }

    /// Slowest phase and its half-life: the kidney λ_eff handed to the planner.
    func testSlowestPhaseHalfLife() throws {
        let points = trialTimesHours.map {
            TimeActivityPoint(timeHours: $0, activityBq: ReferenceCurves.biUptake.activityBq(atHours: $0))
        }
        let fit = try fitter.fit(.biExponentialUptake, to: points)
        XCTAssertEqual(fit.slowestPhase.halfLifeHours, 60, accuracy: 1e-6 * 60)
    }

    /// Trapezoid + physical tail against a hand calculation on three points.
    func testTrapezoidAgainstHandCalculation() throws {
        let points = [TimeActivityPoint(timeHours: 4, activityBq: 100, relativeUncertainty: 0.1),
                      TimeActivityPoint(timeHours: 24, activityBq: 80, relativeUncertainty: 0.1),
                      TimeActivityPoint(timeHours: 96, activityBq: 30, relativeUncertainty: 0.1)]
        let lambda = lu177DecayConstantPerSecond
        let trap = try fitter.trapezoid(points)
        // Areas in Bq·h: 4·100/2 + 20·(100+80)/2 + 72·(80+30)/2, tail 30/λ.
        let expected = (200 + 1800 + 3960) * 3600 + 30 / lambda
        XCTAssertEqual(trap.timeIntegratedActivity.valueBqS, expected, accuracy: 1e-12 * expected)
        let w = [(2.0 + 10) * 3600, (10.0 + 36) * 3600, 36.0 * 3600 + 1 / lambda]
        let sigma = (pow(w[0] * 10, 2) + pow(w[1] * 8, 2) + pow(w[2] * 3, 2)).squareRoot()
        XCTAssertEqual(trap.timeIntegratedActivity.standardUncertaintyBqS, sigma, accuracy: 1e-12 * sigma)
        // Constant back-extrapolation adds t₁·A₁/2 more.
        var options = KineticsFitOptions(); options.trapezoidStart = .constantBackExtrapolation
        let back = try TimeActivityFitter(physicalDecayConstantPerSecond: lambda, options: options).trapezoid(points)
        XCTAssertEqual(back.timeIntegratedActivity.valueBqS - expected, 200 * 3600, accuracy: 1e-6)
        // Curve integral by quadrature equals the closed form.
        let numeric = simpsonIntegral(slowestRatePerSecond: lambda) { trap.activityBq(atSeconds: $0) }
        XCTAssertEqual(numeric, expected, accuracy: 1e-6 * expected)
    }

    func testResidenceTime() throws {
        let tia = TimeIntegratedActivity(valueBqS: 7.2e12, standardUncertaintyBqS: 0)
        XCTAssertEqual(try tia.residenceTimeHours(administeredActivityBq: 7.4e9), 7.2e12 / 7.4e9 / 3600, accuracy: 1e-12)
        XCTAssertThrowsError(try tia.residenceTimeSeconds(administeredActivityBq: 0)) { error in
            XCTAssertEqual((error as? InputError)?.field, "administeredActivityBq")
        }
    }
}
