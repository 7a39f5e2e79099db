import Foundation
import Testing
import RPTCore
import PropertyBased
@testable import RPTPlanner

/// Property-based tests (x-sheep/swift-property-based) over random plausible patients.
@Suite struct PlannerPropertyTests {
    static let tol = 1e-9

    /// No planned activity above the cap or inside (0, minimum); all on the 0.1 GBq grid.
    @Test func activitiesStayInsideProtocol() async throws {
        await propertyCheck(count: 60, input: Scenario.generator, Gen.bool()) { s, quantile in
            let plan = try TreatmentPlanner.plan(s.request(), config: s.config(quantile ? .quantile : .deterministic))
            for c in plan.cycles {
                #expect(c.activityGBq <= 14.8 + Self.tol, "\(s)")
                #expect(c.activityGBq == 0 || c.activityGBq >= 1.85 - Self.tol, "\(s)")
                #expect(abs(c.activityGBq * 10 - (c.activityGBq * 10).rounded()) < 1e-6, "\(s)")
                #expect((c.activityGBq > 0) == (c.status == .planned), "\(s)")
            }
        }
    }

    /// Cycle 1 and the standard arm are always 7.4 GBq unless a toxicity rule applies, in which
    /// case the activity is the resume activity (3.7 GBq) or 0 and the binding constraint says so.
    @Test func fixedCyclesAreFixed() async throws {
        let toxicity = zip(Gen.int(in: 0...4), Gen.int(in: 0...4), Gen.double(in: 4...20), Gen.bool(0.2))
            .map { w, c, weeks, rec in
                ToxicityInputs(observations: [.graded(.thrombocytopenia, worst: w, current: min(c, w), recurred: rec)],
                               weeksSinceLastAdministration: weeks)
            }
        await propertyCheck(count: 60, input: Scenario.generator, toxicity) { s, tox in
            let config = s.config()
            let first = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [], kidneyRiskFactors: s.risk), config: config)
            #expect(first.cycles[0].activityGBq == 7.4 && first.cycles[0].bindingConstraint == .fixedProtocol)
            let calm = try TreatmentPlanner.plan(s.request(arm: .standard), config: config)
            #expect(calm.cycles.allSatisfy { $0.activityGBq == 7.4 && $0.bindingConstraint == .fixedProtocol }, "\(s)")
            let plan = try TreatmentPlanner.plan(s.request(arm: .standard, toxicity: tox), config: config)
            for c in plan.cycles where c.activityGBq != 7.4 {
                #expect(c.bindingConstraint == .toxicityRule, "\(s) \(tox)")
                #expect(c.activityGBq == 3.7 || c.activityGBq == 0, "\(s) \(tox)")
            }
            #expect(plan.toxicity.action != .none || plan.cycles.allSatisfy { $0.activityGBq == 7.4 })
        }
    }

    /// Deterministic mode: no predicted cumulative kidney dose, kidney BED or marrow dose exceeds
    /// its limit when the planner gives anything. Quantile mode: the upper bounds do not, and a
    /// seeded Monte Carlo of the planner's error model (log-normal, fully correlated across cycles)
    /// finds P(exceed) within the stated level + 3 binomial σ for each limit.
    @Test func limitsAreRespected() async throws {
        await propertyCheck(count: 40, input: Scenario.generator, Gen.bool()) { s, quantile in
            let config = s.config(quantile ? .quantile : .deterministic)
            let req = s.request()
            let plan = try TreatmentPlanner.plan(req, config: config)
            guard plan.plannedActivityGBq > 0, let last = plan.cycles.last(where: { $0.margins != nil }) else { return }
            let m = last.margins!
            #expect(m.kidneyDoseGy >= -Self.tol && m.kidneyBEDGy >= -Self.tol && m.marrowDoseGy >= -Self.tol, "\(s) \(m)")
            guard quantile else { return }
            // Monte Carlo under the model: true dose/GBq = point value × exp(σ·Z) with one Z per organ.
            let z = StandardNormal.upperQuantile(0.05)
            #expect(abs(plan.quantileZ! - z) < 1e-12)
            let bed = config.limits.kidneyBEDModel
            let sigma = DosePrediction.logSigma(relativeUncertainty: s.u)
            var rng = RandomStream(seed: s.seed, stream: 99)
            let n = 2000
            var exceedKidney = 0, exceedBED = 0, exceedMarrow = 0
            for _ in 0..<n {
                let zk = normal(&rng), zm = normal(&rng)
                var k = 0.0, b = 0.0, mm = 0.0
                for c in req.history {
                    let d = c.activityGBq * c.kidney.gyPerGBq * exp(sigma * zk)
                    k += d; b += bed.bed(doseGy: d, effectiveDecayPerHour: c.kidneyEffectiveDecayPerHour)
                    mm += c.activityGBq * c.marrow.gyPerGBq * exp(sigma * zm)
                }
                for c in plan.cycles where c.activityGBq > 0 {
                    let d = c.activityGBq * c.kidneyDoseGyPerGBq! * exp(sigma * zk)
                    k += d; b += bed.bed(doseGy: d, effectiveDecayPerHour: c.kidneyEffectiveDecayPerHour!)
                    mm += c.activityGBq * c.marrowDoseGyPerGBq! * exp(sigma * zm)
                }
                if k > plan.limits.kidneyDoseGy { exceedKidney += 1 }
                if b > plan.limits.kidneyBEDGy { exceedBED += 1 }
                if mm > plan.limits.marrowDoseGy { exceedMarrow += 1 }
            }
            let bound = 0.05 + 3 * (0.05 * 0.95 / Double(n)).squareRoot()
            for (name, count) in [("kidney", exceedKidney), ("BED", exceedBED), ("marrow", exceedMarrow)] {
                #expect(Double(count) / Double(n) <= bound, "\(name) \(count)/\(n) \(s)")
            }
        }
    }

    /// Raising every kidney dose per activity never raises the planned total activity (prediction
    /// by last/mean: future cycles share one tumour weight, so the optimum is the largest feasible
    /// total) nor the predicted tumour objective (all methods); with one cycle left, never its activity.
    @Test func moreKidneyDoseNeverMoreActivity() async throws {
        await propertyCheck(count: 40, input: Scenario.generator, Gen.double(in: 1.0...2.0), Gen.bool()) { s, factor, quantile in
            let config = s.config(quantile ? .quantile : .deterministic)
            let base = try TreatmentPlanner.plan(s.request(), config: config)
            let hot = try TreatmentPlanner.plan(s.request(kidneyScale: factor), config: config)
            func objective(_ p: Plan) -> Double {
                (p.cycles.last?.tumourDosesGyCumulative ?? []).map(\.doseGy).reduce(0, +)
            }
            #expect(objective(hot) <= objective(base) * (1 + 1e-12) + 1e-12, "\(s) ×\(factor)")
            if s.method != .linearTrend || base.cycles.count == 1 {
                #expect(hot.plannedActivityGBq <= base.plannedActivityGBq + Self.tol, "\(s) ×\(factor): \(base.activities) → \(hot.activities)")
            }
        }
    }

    /// Planning is deterministic, and re-planning after giving a cycle exactly as planned (with
    /// dosimetry equal to the prediction, method `last`) keeps the rest of the plan unchanged.
    @Test func replanningIsStable() async throws {
        await propertyCheck(count: 40, input: Scenario.generator) { s in
            var s = s
            s.method = .last
            s.given = min(s.given, 2)
            let config = s.config()
            let req = s.request()
            let plan = try TreatmentPlanner.plan(req, config: config)
            #expect(try TreatmentPlanner.plan(req, config: config) == plan)
            guard let next = plan.cycles.first, next.activityGBq > 0 else { return }
            let last = req.history.last!
            var delivered = last
            delivered.cycle = next.cycle
            delivered.activityGBq = next.activityGBq
            var later = req
            later.history.append(delivered)
            let replan = try TreatmentPlanner.plan(later, config: config)
            #expect(replan.activities == Array(plan.activities.dropFirst()), "\(s): \(plan.activities) → \(replan.activities)")
        }
    }
}
