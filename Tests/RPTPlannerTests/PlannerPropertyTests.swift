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
    /// its limit when the planner gives anything. Quantile mode: the upper bounds do not, and the
    /// exact probability of exceeding each limit under the planner's error model (true dose/GBq =
    /// point value × exp(σ·Z), one standard-normal Z per organ shared by all cycles) is at most
    /// the stated level. Because every cumulative quantity rises monotonically with Z, P(exceed) =
    /// 1 − Φ(z*) where z* solves cumulative(z*) = limit (found by bisection), so the check is exact
    /// rather than a sampled frequency (a sampled check at 3 σ failed ~1 run in 10 for plans that sit
    /// exactly on the quantile, as they should).
    @Test func limitsAreRespected() async throws {
        await propertyCheck(count: 40, input: Scenario.generator, Gen.bool()) { s, quantile in
            let config = s.config(quantile ? .quantile : .deterministic)
            let req = s.request()
            let plan = try TreatmentPlanner.plan(req, config: config)
            guard plan.plannedActivityGBq > 0, let last = plan.cycles.last(where: { $0.margins != nil }) else { return }
            let m = last.margins!
            #expect(m.kidneyDoseGy >= -Self.tol && m.kidneyBEDGy >= -Self.tol && m.marrowDoseGy >= -Self.tol, "\(s) \(m)")
            let bed = config.limits.kidneyBEDModel
            let sigma = DosePrediction.logSigma(relativeUncertainty: s.u)
            // The planned cycles' predicted dose per GBq and λ_eff, recomputed from the history (not read from the
            // plan) for the point methods; the trend is checked against its floor, the lowest measurement.
            func predicted(_ f: (AdministeredCycle) -> Double) -> Double {
                let v = req.history.map(f)
                switch s.method {
                case .last: return v.last!
                case .mean: return v.reduce(0, +) / Double(v.count)
                case .linearTrend: return v.min()!  // lower bound only (checked below)
                }
            }
            for c in plan.cycles where c.activityGBq > 0 {
                let k = predicted { $0.kidney.gyPerGBq }, mk = predicted { $0.marrow.gyPerGBq }
                if s.method == .linearTrend {
                    #expect(c.kidneyDoseGyPerGBq! >= k * (1 - 1e-12) && c.marrowDoseGyPerGBq! >= mk * (1 - 1e-12), "\(s)")
                } else {
                    #expect(abs(c.kidneyDoseGyPerGBq! - k) <= 1e-12 * k && abs(c.marrowDoseGyPerGBq! - mk) <= 1e-12 * mk, "\(s)")
                }
            }
            /// Cumulative kidney dose, kidney BED and marrow dose (Gy) if the true dose per GBq is
            /// the point value × exp(σ·z) in every cycle, given and planned — summed here from the given
            /// activities and the plan's per-cycle activities and predictions, not from its cumulative fields.
            func cumulative(_ z: Double) -> (kidney: Double, bed: Double, marrow: Double) {
                var k = 0.0, b = 0.0, mm = 0.0
                let f = exp(sigma * z)
                for c in req.history {
                    let d = c.activityGBq * c.kidney.gyPerGBq * f
                    k += d; b += bed.bed(doseGy: d, effectiveDecayPerHour: c.kidneyEffectiveDecayPerHour)
                    mm += c.activityGBq * c.marrow.gyPerGBq * f
                }
                for c in plan.cycles where c.activityGBq > 0 {
                    let d = c.activityGBq * c.kidneyDoseGyPerGBq! * f
                    k += d; b += bed.bed(doseGy: d, effectiveDecayPerHour: c.kidneyEffectiveDecayPerHour!)
                    mm += c.activityGBq * c.marrowDoseGyPerGBq! * f
                }
                return (k, b, mm)
            }
            guard quantile else {
                let t = cumulative(0)
                #expect(t.kidney <= plan.limits.kidneyDoseGy * (1 + 1e-12) && t.bed <= plan.limits.kidneyBEDGy * (1 + 1e-12)
                        && t.marrow <= plan.limits.marrowDoseGy * (1 + 1e-12), "\(s) \(t)")
                return
            }
            let level = 0.05
            #expect(abs(plan.quantileZ! - StandardNormal.upperQuantile(level)) < 1e-12)
            /// P(quantity(Z) > limit) for a quantity increasing in Z.
            func exceedance(_ quantity: (Double) -> Double, limit: Double) -> Double {
                var lo = -40.0, hi = 40.0
                if quantity(hi) <= limit { return 0 }
                if quantity(lo) > limit { return 1 }
                for _ in 0..<200 where hi - lo > 1e-13 {
                    let mid = 0.5 * (lo + hi)
                    if quantity(mid) > limit { hi = mid } else { lo = mid }
                }
                return StandardNormal.upperTail(lo)
            }
            let pKidney = exceedance({ cumulative($0).kidney }, limit: plan.limits.kidneyDoseGy)
            let pBED = exceedance({ cumulative($0).bed }, limit: plan.limits.kidneyBEDGy)
            let pMarrow = exceedance({ cumulative($0).marrow }, limit: plan.limits.marrowDoseGy)
            for (name, p) in [("kidney", pKidney), ("BED", pBED), ("marrow", pMarrow)] {
                #expect(p <= level * (1 + 1e-9), "\(name) P(exceed) = \(p) \(s)")
            }
        }
    }

    /// Cross-check of the exact exceedance above by sampling, on one fixed scenario whose plan
    /// sits on the marrow quantile: the sampled frequency (n = 20 000, seeded) agrees with the level
    /// within 4 binomial σ, i.e. the error model the planner uses is the one sampled here.
    @Test func sampledExceedanceMatchesLevel() throws {
        let s = Scenario(given: 1, kidney: 0.15, marrow: 0.024637659001285867, halfTimeHours: 15, u: 0.3245000301721488,
                         risk: false, method: .last, seed: 2_177_834_377)
        let config = s.config(.quantile)
        let req = s.request()
        let plan = try TreatmentPlanner.plan(req, config: config)
        try #require(plan.plannedActivityGBq > 0)
        let sigma = DosePrediction.logSigma(relativeUncertainty: s.u)
        var rng = RandomStream(seed: 12345, stream: 99)
        let n = 20_000
        var exceed = 0
        for _ in 0..<n {
            let f = exp(sigma * normal(&rng))
            var mm = 0.0
            for c in req.history { mm += c.activityGBq * c.marrow.gyPerGBq * f }
            for c in plan.cycles where c.activityGBq > 0 { mm += c.activityGBq * c.marrowDoseGyPerGBq! * f }
            if mm > plan.limits.marrowDoseGy { exceed += 1 }
        }
        let p = Double(exceed) / Double(n)
        let sd = (0.05 * 0.95 / Double(n)).squareRoot()
        #expect(p <= 0.05 + 4 * sd, "marrow \(exceed)/\(n)")
        #expect(p >= 0.05 - 4 * sd - 0.01, "marrow \(exceed)/\(n): plan should sit near the quantile")
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
