import Foundation
import Testing
import RPTCore
import PropertyBased
@testable import RPTPlanner

/// `PlanUncertainty` reproduces the planner's own error model: its cumulative sums at ε = 0 are the
/// plan's point values and at ε = z the quantile-mode upper bounds the limits were checked against; its
/// exceedance probability agrees with direct sampling of ε.
@Suite struct PlanUncertaintyTests {
    @Test func matchesThePlannersPointValuesAndUpperBounds() async throws {
        await propertyCheck(count: 40, input: Scenario.generator) { s in
            let config = s.config(.quantile)
            let request = s.request()
            let plan = try TreatmentPlanner.plan(request, config: config)
            let u = PlanUncertainty.make(request: request, plan: plan, config: config)
            let z = try #require(plan.quantileZ)
            let bed = BiologicallyEffectiveDose(alphaBetaGy: plan.limits.kidneyAlphaBetaGy,
                                                repairHalfTimeHours: plan.limits.kidneyRepairHalfTimeHours)
            func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(b)) }
            for g in plan.given {
                let p = u.cumulative(through: g.cycle, kidneyEpsilon: 0, marrowEpsilon: 0, bed: bed)
                #expect(close(p.kidney, g.kidneyDoseGyCumulative) && close(p.bed, g.kidneyBEDGyCumulative)
                        && close(p.marrow, g.marrowDoseGyCumulative), "\(s)")
            }
            for c in plan.cycles {
                guard let k = c.kidneyDoseGyCumulative, let upper = c.upperBound else { continue }
                let p = u.cumulative(through: c.cycle, kidneyEpsilon: 0, marrowEpsilon: 0, bed: bed)
                #expect(close(p.kidney, k) && close(p.bed, c.kidneyBEDGyCumulative!) && close(p.marrow, c.marrowDoseGyCumulative!), "\(s)")
                let q = u.cumulative(through: c.cycle, kidneyEpsilon: z, marrowEpsilon: z, bed: bed)
                #expect(close(q.kidney, upper.kidneyDoseGy) && close(q.bed, upper.kidneyBEDGy) && close(q.marrow, upper.marrowDoseGy), "\(s)")
            }
        }
    }

    /// P(D > L) from the bisection against 200 000 draws of ε (seeded Philox): within 4 binomial σ; and
    /// at L = the upper bound of quantile mode it is the protocol's p.
    @Test func exceedanceAgreesWithSampling() throws {
        let s = Scenario(given: 2, kidney: 0.9, marrow: 0.03, halfTimeHours: 50, u: 0.2, risk: false, method: .mean, seed: 7)
        let config = s.config(.quantile)
        let request = s.request()
        let plan = try TreatmentPlanner.plan(request, config: config)
        let u = PlanUncertainty.make(request: request, plan: plan, config: config)
        let last = try #require(plan.cycles.last { $0.upperBound != nil })
        var limits = plan.limits
        limits.kidneyDoseGy = last.upperBound!.kidneyDoseGy
        let atBound = u.spreads(through: last.cycle, limits: limits).kidney
        #expect(abs(atBound.exceedanceProbability - config.planning.exceedanceProbability) < 1e-9)
        #expect(atBound.lower < atBound.value && atBound.value < atBound.upper)

        limits.kidneyDoseGy = last.kidneyDoseGyCumulative! * 1.1
        let p = u.spreads(through: last.cycle, limits: limits).kidney.exceedanceProbability
        let bed = BiologicallyEffectiveDose(alphaBetaGy: 2.6, repairHalfTimeHours: 2.8)
        var rng = RandomStream(seed: 3, stream: 9)
        let n = 200_000
        var above = 0
        for _ in 0..<n {
            // Box–Muller from two uniforms in (0, 1].
            let e = (-2 * log(1 - rng.uniform())).squareRoot() * cos(2 * Double.pi * rng.uniform())
            if u.cumulative(through: last.cycle, kidneyEpsilon: e, marrowEpsilon: 0, bed: bed).kidney > limits.kidneyDoseGy { above += 1 }
        }
        let sampled = Double(above) / Double(n)
        #expect(p > 0.01 && p < 0.99, "test limit should be neither certain nor impossible: \(p)")
        #expect(abs(sampled - p) < 4 * (p * (1 - p) / Double(n)).squareRoot(), "sampled \(sampled) vs \(p)")
    }
}
