import XCTest
import RPTCore
@testable import RPTKinetics

/// Reduced-time-point methods for cycles 2–4 (scans at ~4 h and ~96 h).
final class ReducedTimePointTests: XCTestCase {
    let fitter = TimeActivityFitter(physicalDecayConstantPerSecond: lu177DecayConstantPerSecond)
    let laterTimesHours = [4.0, 96]

    private func cycleOneFit() throws -> TimeActivityFit {
        let truth = ReferenceCurves.biUptake
        let points = trialTimesHours.map {
            TimeActivityPoint(timeHours: $0, activityBq: truth.activityBq(atHours: $0), relativeUncertainty: 0.05)
        }
        return try fitter.fit(.biExponentialUptake, to: points)
    }

    /// (d) recovers Ã exactly on noiseless points that share the cycle-1 shape; it is the default with a cycle-1 fit.
    func testCycleOneShapeRescaledIsExactWithoutNoise() throws {
        let cycleOne = try cycleOneFit()
        let scale = 0.87
        let truth = ReferenceCurves.biUptake.scaled(by: scale)
        let points = laterTimesHours.map {
            TimeActivityPoint(timeHours: $0, activityBq: truth.activityBq(atHours: $0), relativeUncertainty: 0.05)
        }
        let method = ReducedTimePointMethod.recommended(cycleOneFit: cycleOne)
        XCTAssertEqual(method, .cycleOneShapeRescaled(cycleOneFit: cycleOne))
        let estimate = try fitter.reducedTimePointEstimate(points, method: method)
        XCTAssertEqual(estimate.amplitudeScale, scale, accuracy: 1e-9)
        XCTAssertEqual(estimate.timeIntegratedActivity.valueBqS, truth.timeIntegratedActivityBqS,
                       accuracy: 1e-8 * truth.timeIntegratedActivityBqS)
        // The shape covariance adds to the scale's own variance.
        let scaleOnly = cycleOne.timeIntegratedActivity.valueBqS * estimate.amplitudeScaleStandardUncertainty
        XCTAssertGreaterThan(estimate.timeIntegratedActivity.standardUncertaintyBqS, scaleOnly)
        XCTAssertEqual(ReducedTimePointMethod.recommended(cycleOneFit: nil), .twoPointMonoExponential)
    }

    /// Coverage of the (d) uncertainty (scale + cycle-1 shape covariance), σ known (`.none` scaling):
    /// noisy cycle 1 (5 points) and noisy cycle 2 (4 h, 96 h), 5 % noise; the ±1σ interval must contain the
    /// true cycle-2 Ã in 0.6827 ± 3 binomial σ of 1000 trials. Measured (seed 31, stream 4): 0.689.
    func testCycleOneShapeRescaledCoverage() throws {
        var options = KineticsFitOptions()
        options.covarianceScaling = .none
        let fitter = TimeActivityFitter(physicalDecayConstantPerSecond: lu177DecayConstantPerSecond, options: options)
        let truthOne = ReferenceCurves.biUptake, truthTwo = ReferenceCurves.biUptake.scaled(by: 0.8)
        var rng = RandomStream(seed: 31, stream: 4)
        let trials = 1000
        var inside = 0
        for _ in 0..<trials {
            let one = samplePoints(truthOne, timesHours: trialTimesHours, noise: 0.05, stated: 0.05, rng: &rng)
            let two = samplePoints(truthTwo, timesHours: laterTimesHours, noise: 0.05, stated: 0.05, rng: &rng)
            let fit = try fitter.fit(.biExponentialUptake, to: one)
            let estimate = try fitter.reducedTimePointEstimate(two, method: .cycleOneShapeRescaled(cycleOneFit: fit))
            let tia = estimate.timeIntegratedActivity
            if abs(tia.valueBqS - truthTwo.timeIntegratedActivityBqS) <= tia.standardUncertaintyBqS { inside += 1 }
        }
        let p = 0.682_689_492
        XCTAssertEqual(Double(inside) / Double(trials), p, accuracy: 3 * (p * (1 - p) / Double(trials)).squareRoot())
    }

    /// (b) Hänscheid 2018: Ã = A(t)·2t/ln 2 from the latest point; σ = r·Ã.
    func testHanscheidMatchesClosedForm() throws {
        let curve = ReferenceCurves.biUptake
        let points = laterTimesHours.map {
            TimeActivityPoint(timeHours: $0, activityBq: curve.activityBq(atHours: $0), relativeUncertainty: 0.07)
        }
        let estimate = try fitter.reducedTimePointEstimate(points, method: .hanscheidSinglePoint)
        let t = 96.0 * 3600
        let expected = curve.activityBq(atSeconds: t) * 2 * t / log(2.0)
        XCTAssertEqual(estimate.timeIntegratedActivity.valueBqS, expected, accuracy: 1e-12 * expected)
        XCTAssertEqual(estimate.timeIntegratedActivity.standardUncertaintyBqS, 0.07 * expected, accuracy: 1e-12 * expected)
    }

    /// Hänscheid's accuracy on a curve (not the formula re-typed): for a mono-exponential with effective half-life
    /// T the true Ã is A₀T/ln 2, and a sample at t = xT gives the ratio 2x·2⁻ˣ — exact at x = 1, 0.892 at
    /// x = 0.75, 0.884 at x = 2.5, the ≈ 10 % band Hänscheid et al. (J Nucl Med 2018;59:75) state for
    /// 0.75 T ≲ t ≲ 2.5 T; 0.5 at x = 4, why the method is for samples near T.
    func testHanscheidAccuracyAgainstTheTrueIntegral() throws {
        let halfLifeHours = 50.0, a0 = 1e9
        let k = log(2.0) / (halfLifeHours * 3600)
        let truth = a0 / k
        for (x, ratio) in [(1.0, 1.0), (0.75, 0.8919), (2.5, 0.8839), (4.0, 0.5)] {
            let t = x * halfLifeHours
            let point = TimeActivityPoint(timeHours: t, activityBq: a0 * exp(-k * t * 3600), relativeUncertainty: 0.05)
            let estimate = try fitter.reducedTimePointEstimate([point], method: .hanscheidSinglePoint)
            XCTAssertEqual(estimate.timeIntegratedActivity.valueBqS / truth, ratio, accuracy: 1e-4, "t = \(x) T")
        }
    }

    /// (c) Madsen 2018: Ã = A(t)·e^{λt}/λ with λ from cycle 1; σ²_rel = r² + ((t − 1/λ)σ_λ)².
    func testMadsenMatchesClosedForm() throws {
        let cycleOne = try cycleOneFit()
        let decay = cycleOne.slowestPhase
        let curve = ReferenceCurves.biUptake.scaled(by: 1.1)
        let points = laterTimesHours.map {
            TimeActivityPoint(timeHours: $0, activityBq: curve.activityBq(atHours: $0), relativeUncertainty: 0.05)
        }
        let estimate = try fitter.reducedTimePointEstimate(points, method: .madsenSinglePoint(effectiveDecay: decay))
        let t = 96.0 * 3600, lambda = decay.decayConstantPerSecond
        let expected = curve.activityBq(atSeconds: t) * exp(lambda * t) / lambda
        XCTAssertEqual(estimate.timeIntegratedActivity.valueBqS, expected, accuracy: 1e-12 * expected)
        let rel = (0.05 * 0.05 + pow((t - 1 / lambda) * decay.standardUncertaintyPerSecond, 2)).squareRoot()
        XCTAssertEqual(estimate.timeIntegratedActivity.relativeUncertainty, rel, accuracy: 1e-12)
        // Madsen with the exact terminal rate on a mono-exponential curve is exact.
        let mono = ReferenceCurves.mono
        let monoPoints = [TimeActivityPoint(timeHours: 72, activityBq: mono.activityBq(atHours: 72))]
        let exact = try fitter.reducedTimePointEstimate(monoPoints, method: .madsenSinglePoint(
            effectiveDecay: EffectiveDecay(decayConstantPerSecond: mono.ratesPerSecond[0], standardUncertaintyPerSecond: 0)))
        XCTAssertEqual(exact.timeIntegratedActivity.valueBqS, mono.timeIntegratedActivityBqS,
                       accuracy: 1e-12 * mono.timeIntegratedActivityBqS)
    }

    /// (a) two points on a mono-exponential: exact Ã; σ from the closed-form derivative of
    /// ln Ã = ln A₁ + λt₁ − ln λ, λ = ln(A₁/A₂)/Δ.
    func testTwoPointMonoExponential() throws {
        let mono = ReferenceCurves.mono
        let points = [TimeActivityPoint(timeHours: 4, activityBq: mono.activityBq(atHours: 4), relativeUncertainty: 0.05),
                      TimeActivityPoint(timeHours: 96, activityBq: mono.activityBq(atHours: 96), relativeUncertainty: 0.08)]
        let estimate = try fitter.reducedTimePointEstimate(points, method: .twoPointMonoExponential)
        XCTAssertEqual(estimate.timeIntegratedActivity.valueBqS, mono.timeIntegratedActivityBqS,
                       accuracy: 1e-10 * mono.timeIntegratedActivityBqS)
        XCTAssertFalse(estimate.rateSetToPhysicalDecay)
        let t1 = 4.0 * 3600, delta = 92.0 * 3600, lambda = mono.ratesPerSecond[0]
        let d1 = 1 + t1 / delta - 1 / (lambda * delta), d2 = -t1 / delta + 1 / (lambda * delta)
        let rel = (pow(d1 * 0.05, 2) + pow(d2 * 0.08, 2)).squareRoot()
        XCTAssertEqual(estimate.timeIntegratedActivity.relativeUncertainty, rel, accuracy: 1e-9 * rel)
    }

    /// (a) with activity not decreasing: λ set to λ_phys when constrained; an InputError otherwise.
    func testTwoPointIncreasingActivity() throws {
        let points = [TimeActivityPoint(timeHours: 4, activityBq: 1e7), TimeActivityPoint(timeHours: 96, activityBq: 2e7)]
        let estimate = try fitter.reducedTimePointEstimate(points, method: .twoPointMonoExponential)
        XCTAssertTrue(estimate.rateSetToPhysicalDecay)
        XCTAssertEqual(estimate.curve.ratesPerSecond[0], lu177DecayConstantPerSecond)
        var options = KineticsFitOptions(); options.ratesAtLeastPhysicalDecay = false
        let free = TimeActivityFitter(physicalDecayConstantPerSecond: lu177DecayConstantPerSecond, options: options)
        XCTAssertThrowsError(try free.reducedTimePointEstimate(points, method: .twoPointMonoExponential)) { error in
            XCTAssertEqual((error as? InputError)?.field, "timePoints")
        }
    }
}
