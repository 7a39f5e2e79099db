import XCTest
@testable import RPTPhantom

final class KineticsTests: XCTestCase {
    let p = TestPhantom.patient

    /// Composite Simpson rule of f on [a, b] with `n` (even) intervals.
    func simpson(_ a: Double, _ b: Double, _ n: Int, _ f: (Double) -> Double) -> Double {
        let h = (b - a) / Double(n)
        var s = f(a) + f(b)
        for i in 1..<n { s += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return s * h / 3
    }

    /// ∫₀^∞ by quadrature (h), on pieces fine where the fast phases live; the tail beyond 20 000 h is < e⁻⁸⁶.
    func integrateHours(_ f: (Double) -> Double) -> Double {
        simpson(0, 12, 4800, f) + simpson(12, 400, 4000, f) + simpson(400, 20_000, 8000, f)
    }

    func testTruthTIAEqualsQuadratureOfActivityCurve() {
        let a0 = p.truth.administeredActivityBq
        for k in p.kinetics {
            let truth = p.truth.regions.first { $0.region == k.region }!.timeIntegratedActivityBqS
            let numeric = integrateHours { k.activityBq(atHours: $0, administeredBq: a0) } * 3600
            if truth == 0 { XCTAssertEqual(numeric, 0); continue }
            XCTAssertEqual(numeric / truth, 1, accuracy: 1e-7, k.region.name)
        }
        let blood = integrateHours { self.p.blood.concentrationBqPerML(atHours: $0, administeredBq: a0) } * 3600
        XCTAssertEqual(blood / p.truth.bloodTimeIntegratedConcentrationBqSPerML, 1, accuracy: 1e-7)
    }

    /// The activity curve against the formula written out here with λp from T½ = 6.647 d (ICRP 107).
    func testActivityCurveMatchesTheDocumentedFormula() {
        let c = KineticComponent(fraction: 0.0145, uptakeHalfLifeHours: 1.5, biologicalHalfLifeHours: 73)
        let lp = log(2.0) / (6.647 * 24), lu = log(2.0) / 1.5, lb = log(2.0) / 73
        for t in [0.0, 0.5, 4, 24, 96, 500] {
            let expected = 0.0145 * lu / (lu - lb) * (exp(-(lb + lp) * t) - exp(-(lu + lp) * t))
            XCTAssertEqual(c.activityFraction(atHours: t), expected, accuracy: 1e-15)
        }
        let instant = KineticComponent(fraction: 0.6, uptakeHalfLifeHours: 0, biologicalHalfLifeHours: 2)
        XCTAssertEqual(instant.activityFraction(atHours: 3), 0.6 * exp(-(log(2.0) / 2 + lp) * 3), accuracy: 1e-15)
        XCTAssertEqual(instant.activityFraction(atHours: -1), 0)
        let noClearance = KineticComponent(fraction: 1, biologicalHalfLifeHours: .infinity)
        XCTAssertEqual(noClearance.integratedFractionHours, 6.647 * 24 / log(2.0), accuracy: 1e-9)
    }

    /// Red marrow concentration = RMBLR (1) × blood concentration at every time.
    func testRedMarrowFollowsBlood() throws {
        let marrow = p.kinetics(of: .redMarrow)!
        let volume = try p.truth.region(named: "red_marrow").volumeML
        let a0 = p.truth.administeredActivityBq
        for t in [0.5, 4, 48] {
            XCTAssertEqual(marrow.activityBq(atHours: t, administeredBq: a0) / volume,
                           p.blood.concentrationBqPerML(atHours: t, administeredBq: a0), accuracy: 1e-9 * a0 / volume)
        }
    }

    func testTruthTimePointsMatchKinetics() throws {
        let tp = try XCTUnwrap(p.truth.timePoint(cycle: 1, timeHours: 24))
        let kidney = p.kinetics(of: .kidneyLeftCortex)!.activityBq(atHours: 24, administeredBq: 7.4e9)
        XCTAssertEqual(tp.activityBqByLabel[PhantomRegion.kidneyLeftCortex.label]!, kidney, accuracy: 1e-6)
        XCTAssertNil(tp.activityBqByLabel[0])
        XCTAssertEqual(tp.activityBqByLabel[PhantomRegion.lungLeft.label], 0)
        // Whole-body retention at 24 h: 58 % excreted by 24 h (LUTATHERA label) → ≈ 42 % × physical decay.
        let retained = tp.totalActivityBq / 7.4e9 / exp(-log(2.0) / (6.647 * 24) * 24)
        XCTAssertEqual(retained, 0.42, accuracy: 0.06)
    }

    func testBloodSamplesDecreaseAndScatterAroundTheCurve() {
        let s = p.bloodSamples
        XCTAssertEqual(s.map(\.timeHours), [0.5, 1, 2, 4, 24, 48, 96])
        for i in 1..<s.count { XCTAssertLessThan(s[i].concentrationBqPerML, s[i - 1].concentrationBqPerML) }
        for x in s {
            // 3 % noise: every sample within 5σ of the curve.
            XCTAssertEqual(x.concentrationBqPerML / x.trueConcentrationBqPerML, 1, accuracy: 0.15)
        }
    }
}
