import Foundation
import Testing
@testable import RPTPlanner

@Suite struct BiologicallyEffectiveDoseTests {
    /// Independent reference: the Lea–Catcheside form BED = D + (2/(α/β))·∫R(t)·I(t) dt with
    /// I(t) = ∫₀ᵗ R(s)e^(−μ(t−s)) ds, integrated numerically (RK4 on dI/dt = R − μI) for
    /// R(t) = R₀e^(−λt). Agreement to 1e-6 relative checks the closed form used by the planner.
    @Test(arguments: [(7.4, 50.0), (11.1, 20.0), (3.0, 100.0), (20.0, 5.0)])
    func closedFormMatchesNumericalIntegral(dose: Double, effectiveHalfTimeHours: Double) {
        let model = DoseLimits().kidneyBEDModel
        let lambda = ln2 / effectiveHalfTimeHours, mu = ln2 / 2.8
        let r0 = dose * lambda
        func rate(_ t: Double) -> Double { r0 * exp(-lambda * t) }
        let h = 0.005, tEnd = 40 * effectiveHalfTimeHours + 40
        var t = 0.0, i = 0.0, integral = 0.0
        while t < tEnd {
            func f(_ t: Double, _ i: Double) -> Double { rate(t) - mu * i }
            // RK4 for I and Simpson-like accumulation of R·I over the step.
            let k1 = f(t, i), k2 = f(t + h / 2, i + h / 2 * k1), k3 = f(t + h / 2, i + h / 2 * k2), k4 = f(t + h, i + h * k3)
            let iMid = i + h / 2 * (k1 + k2) / 2 // midpoint estimate (2nd order; adequate with Simpson weights below)
            let iNext = i + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            integral += h / 6 * (rate(t) * i + 4 * rate(t + h / 2) * iMid + rate(t + h) * iNext)
            i = iNext; t += h
        }
        let reference = dose + 2 * integral / 2.6
        let closed = model.bed(doseGy: dose, effectiveDecayPerHour: lambda)
        #expect(abs(closed - reference) / reference < 1e-5, "closed \(closed) numeric \(reference)")
    }

    @Test func inverseAndLimits() {
        let m = DoseLimits().kidneyBEDModel
        for d in [0.1, 1.0, 5.0, 23.0] {
            let lam = ln2 / 40
            #expect(abs(m.dose(forBED: m.bed(doseGy: d, effectiveDecayPerHour: lam), effectiveDecayPerHour: lam) - d) < 1e-12)
        }
        // Very slow delivery (λ → 0): full repair during delivery, BED → D.
        #expect(abs(m.bed(doseGy: 10, effectiveDecayPerHour: 1e-12) - 10) < 1e-9)
        // Acute delivery (λ → ∞): BED → D(1 + D/(α/β)).
        #expect(abs(m.bed(doseGy: 10, effectiveDecayPerHour: 1e12) - 10 * (1 + 10 / 2.6)) < 1e-6)
        #expect(m.dose(forBED: -1, effectiveDecayPerHour: 0.01) == 0)
    }

    @Test func normalQuantile() {
        // Tabulated standard normal quantiles (e.g. Abramowitz & Stegun Table 26.5).
        #expect(abs(StandardNormal.upperQuantile(0.05) - 1.6448536269514722) < 1e-9)
        #expect(abs(StandardNormal.upperQuantile(0.025) - 1.959963984540054) < 1e-9)
        #expect(abs(StandardNormal.upperQuantile(0.001) - 3.090232306167813) < 1e-9)
    }
}
