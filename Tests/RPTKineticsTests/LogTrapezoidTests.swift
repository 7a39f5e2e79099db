import Foundation
import XCTest
@testable import RPTKinetics

/// The log-linear trapezoid (non-compartmental) integral of sparse clearance samples.
final class LogTrapezoidTests: XCTestCase {
    let fitter = TimeActivityFitter(physicalDecayConstantPerSecond: lu177DecayConstantPerSecond, source: "blood")

    /// A mono-exponential A(t) = A₀e^{−kt} is integrated exactly (A₀/k) from any ≥ 2 samples: the
    /// back-extrapolation, the log-linear segments and the tail are all the same exponential.
    func testMonoExponentialIsExact() throws {
        let a0 = 1000.0, k = log(2) / (20 * 3600.0)  // 20 h effective half-life (faster than physical decay)
        for hours in [[1.0, 4], [0.5, 3, 24, 72], [2, 5, 30, 96, 150]] {
            let points = hours.map { TimeActivityPoint(timeHours: $0, activityBq: a0 * exp(-k * $0 * 3600), relativeUncertainty: 0.05) }
            let tia = try fitter.logTrapezoid(points)
            XCTAssertEqual(tia.valueBqS, a0 / k, accuracy: 1e-9 * a0 / k, "\(hours)")
        }
    }

    /// Slower than physical decay after the last sample is not believed: the tail uses λ_phys. Two samples
    /// with no clearance at all (equal values): rectangle from 0, linear trapezoid, physical-decay tail.
    func testTailNeverSlowerThanPhysicalDecay() throws {
        let points = [TimeActivityPoint(timeHours: 2, activityBq: 500, relativeUncertainty: 0.05),
                      TimeActivityPoint(timeHours: 10, activityBq: 500, relativeUncertainty: 0.05)]
        let expected = 500 * 10 * 3600 + 500 / lu177DecayConstantPerSecond
        XCTAssertEqual(try fitter.logTrapezoid(points).valueBqS, expected, accuracy: 1e-9 * expected)
    }

    /// The propagated uncertainty equals the analytic one for two samples: with k = ln(A₁/A₂)/Δt the rule
    /// gives Ã = A₁e^{kt₁}/k, so ∂ln Ã/∂ln A₁ = 1 + t₁/Δt − 1/(kΔt) and ∂ln Ã/∂ln A₂ = −t₁/Δt + 1/(kΔt).
    func testUncertaintyMatchesTheAnalyticDerivative() throws {
        let t1 = 4.0 * 3600, t2 = 48.0 * 3600, dt = t2 - t1, a1 = 800.0, a2 = 200.0, u = 0.05
        let k = log(a1 / a2) / dt
        let value = a1 * exp(k * t1) / k
        // d ln Ã / d ln A₁ = 1 + t₁/Δt − 1/(kΔt);  d ln Ã / d ln A₂ = −t₁/Δt + 1/(kΔt).
        let g1 = 1 + t1 / dt - 1 / (k * dt), g2 = -t1 / dt + 1 / (k * dt)
        let sigma = value * u * (g1 * g1 + g2 * g2).squareRoot()
        let tia = try fitter.logTrapezoid([TimeActivityPoint(timeHours: 4, activityBq: a1, relativeUncertainty: u),
                                           TimeActivityPoint(timeHours: 48, activityBq: a2, relativeUncertainty: u)])
        XCTAssertEqual(tia.valueBqS, value, accuracy: 1e-9 * value)
        XCTAssertEqual(tia.standardUncertaintyBqS, sigma, accuracy: 1e-5 * sigma)
    }

    func testOneSampleIsRefused() {
        XCTAssertThrowsError(try fitter.logTrapezoid([TimeActivityPoint(timeHours: 4, activityBq: 100)])) { error in
            XCTAssertTrue("\(error)".contains("one sample cannot show the clearance"), "\(error)")
        }
    }
}
