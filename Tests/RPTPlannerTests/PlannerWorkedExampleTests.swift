import Foundation
import Testing
import RPTCore
@testable import RPTPlanner

/// Worked examples with the answers computed by hand (shown in the comments). Protocol: trial
/// defaults (cap 14.8 GBq, minimum 1.85 GBq, step 0.1 GBq, limits 23 Gy / BED 28 or 40 Gy / 2 Gy,
/// α/β 2.6 Gy, T_rep 2.8 h, prediction = mean). Cycle 1 = 7.4 GBq was given; cycles 2–4 are planned.
/// These examples exercise the organ limits, so lesion doses only rank candidates
/// (`planning.lesions.mode: organ_limits_only`); tailored planning is tested in `TailoredPlanningTests`.
@Suite struct PlannerWorkedExampleTests {
    let config: ProtocolConfig = {
        var c = ProtocolConfig.trialDefault
        c.planning.lesions.mode = .organLimitsOnly
        return c
    }()

    func investigational(_ c1: AdministeredCycle, risk: Bool = false) throws -> Plan {
        try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [c1], kidneyRiskFactors: risk), config: config)
    }

    /// Kidney dose binds. Kidney 1.0 Gy/GBq, T_eff 50 h, marrow 0.02 Gy/GBq, no risk factors.
    /// Cycle 1 kidney dose 7.4 × 1.0 = 7.4 Gy; room 23 − 7.4 = 15.6 Gy → 15.6 GBq over cycles 2–4.
    /// Equal total ⇒ the tie-break on BED picks the even split 5.2 / 5.2 / 5.2 GBq.
    /// BED check: λ/(μ+λ) = T_rep/(T_eff+T_rep) = 2.8/52.8 = 0.05303; g = 0.05303/2.6 = 0.020396 /Gy;
    ///   cycle 1: 7.4 + 0.020396·7.4² = 8.517 Gy; cycles 2–4: 3 × (5.2 + 0.020396·5.2²) = 3 × 5.7515 = 17.254 Gy;
    ///   total 25.77 Gy < 40 Gy. Marrow: 0.02 × (7.4 + 15.6) = 0.46 Gy < 2 Gy. Cap 14.8 not reached.
    @Test func kidneyDoseBinds() throws {
        let plan = try investigational(givenCycle(1, activity: 7.4, kidney: 1.0, marrow: 0.02))
        #expect(plan.activities == [5.2, 5.2, 5.2])
        #expect(plan.cycles.allSatisfy { $0.bindingConstraint == .kidneyDose && $0.status == .planned })
        let last = plan.cycles.last!
        #expect(abs(last.kidneyDoseGyCumulative! - 23.0) < 1e-9)
        #expect(abs(last.kidneyBEDGyCumulative! - (8.517 + 17.254)) < 0.01)
        #expect(abs(last.marrowDoseGyCumulative! - 0.46) < 1e-9)
        #expect(abs(last.margins!.kidneyDoseGy) < 1e-9)
        #expect(abs(last.activityMCi - 5.2 * 1000 / 37) < 1e-9)
    }

    /// Marrow binds. Kidney 0.5 Gy/GBq, marrow 0.1 Gy/GBq. Cycle 1 marrow 0.74 Gy; room
    /// 2 − 0.74 = 1.26 Gy → 12.6 GBq → 4.2 / 4.2 / 4.2 GBq. Kidney 0.5 × (7.4 + 12.6) = 10 Gy < 23.
    @Test func marrowBinds() throws {
        let plan = try investigational(givenCycle(1, activity: 7.4, kidney: 0.5, marrow: 0.1))
        #expect(plan.activities == [4.2, 4.2, 4.2])
        #expect(plan.cycles.allSatisfy { $0.bindingConstraint == .marrowDose })
        #expect(abs(plan.cycles.last!.kidneyDoseGyCumulative! - 10.0) < 1e-9)
        #expect(abs(plan.cycles.last!.marrowDoseGyCumulative! - 2.0) < 1e-9)
    }

    /// The cap binds. Kidney 0.3 Gy/GBq, marrow 0.02 Gy/GBq: kidney room 23 − 2.22 = 20.78 Gy would
    /// allow 69 GBq, so each cycle takes the cap 14.8 GBq (400 mCi). Kidney 0.3 × 51.8 = 15.54 Gy,
    /// marrow 0.02 × 51.8 = 1.036 Gy; BED 2.22 + 0.020396·2.22² + 3 × (4.44 + 0.020396·4.44²) = 16.85 Gy.
    @Test func capBinds() throws {
        let plan = try investigational(givenCycle(1, activity: 7.4, kidney: 0.3, marrow: 0.02))
        #expect(plan.activities == [14.8, 14.8, 14.8])
        #expect(plan.cycles.allSatisfy { $0.bindingConstraint == .activityCap })
        #expect(plan.cycles.allSatisfy { abs($0.activityMCi - 400) < 1e-9 })
        let last = plan.cycles.last!
        #expect(abs(last.kidneyDoseGyCumulative! - 15.54) < 1e-9)
        #expect(abs(last.marrowDoseGyCumulative! - 1.036) < 1e-9)
        #expect(abs(last.kidneyBEDGyCumulative! - 16.85) < 0.01)
    }

    /// BED binds. Risk factors → BED limit 28 Gy. Kidney 1.5 Gy/GBq, T_eff = 20 h:
    ///   λ/(μ+λ) = 2.8/22.8 = 0.122807, g = 0.122807/2.6 = 0.047233 /Gy.
    ///   Cycle 1: D = 11.1 Gy, BED = 11.1 + 0.047233·123.21 = 16.920 Gy; room 28 − 16.920 = 11.080 Gy.
    ///   Even continuous split: 3·(D + gD²) = 11.080 → D = 3.2075 Gy → 2.138 GBq per cycle.
    ///   On the 0.1 GBq grid: 2.1 GBq → D 3.15, BED 3.6187; 2.2 GBq → D 3.3, BED 3.8144.
    ///   (2.2, 2.1, 2.1): 3.8144 + 2·3.6187 = 11.052 ≤ 11.080 feasible; (2.2, 2.2, 2.1): 11.247 > 11.080.
    ///   So 6.4 GBq is the most total activity; earlier cycle larger → 2.2 / 2.1 / 2.1 GBq.
    ///   Kidney dose 11.1 + 1.5·6.4 = 20.7 Gy < 23 Gy, so the BED is what binds.
    @Test func bedBinds() throws {
        let plan = try investigational(givenCycle(1, activity: 7.4, kidney: 1.5, marrow: 0.03, kidneyHalfTimeHours: 20), risk: true)
        #expect(plan.limits.kidneyBEDGy == 28)
        #expect(plan.activities == [2.2, 2.1, 2.1])
        #expect(plan.cycles.allSatisfy { $0.bindingConstraint == .kidneyBED })
        let last = plan.cycles.last!
        #expect(abs(last.kidneyBEDGyCumulative! - (16.920 + 11.052)) < 0.002)
        #expect(abs(last.kidneyDoseGyCumulative! - 20.7) < 1e-9)
        // Without risk factors the 40 Gy BED limit no longer binds; the 23 Gy dose limit does:
        // room 11.9 Gy / 1.5 = 7.93 GBq → 79 steps → 2.7 / 2.6 / 2.6 GBq.
        let relaxed = try investigational(givenCycle(1, activity: 7.4, kidney: 1.5, marrow: 0.03, kidneyHalfTimeHours: 20))
        #expect(relaxed.activities == [2.7, 2.6, 2.6])
        #expect(relaxed.cycles.allSatisfy { $0.bindingConstraint == .kidneyDose })
    }

    /// Minimum activity. Kidney 2.9 Gy/GBq: room 23 − 21.46 = 1.54 Gy → 0.53 GBq < 1.85 GBq minimum,
    /// so no further cycle is given.
    @Test func belowMinimumNotGiven() throws {
        let plan = try investigational(givenCycle(1, activity: 7.4, kidney: 2.9, marrow: 0.02))
        #expect(plan.activities == [0, 0, 0])
        #expect(plan.cycles.allSatisfy { $0.bindingConstraint == .minimumActivity && $0.status == .notGiven })
    }

    /// Grade-3 thrombocytopenia, standard arm, after cycle 2 (package insert, section 2.4):
    /// week 9, platelets still grade 2 → withhold; week 11, grade 1 (partial resolution) → cycle 3 at
    /// 3.7 GBq (100 mCi), cycle 4 back at 7.4 GBq if tolerated under the label's `after_reduction: label_full`
    /// (3.7 GBq under the default `reduced`); recurrence after the reduced cycle →
    /// discontinue; still grade 2 at week 16 → discontinue.
    @Test func grade3ThrombocytopeniaStandardArm() throws {
        var config = self.config
        config.toxicity.activityAfterReduction = .labelFull
        let history = [givenCycle(1, activity: 7.4, kidney: 0.5, marrow: 0.03), givenCycle(2, activity: 7.4, kidney: 0.5, marrow: 0.03)]
        func plan(worst: Int, current: Int, weeks: Double, recurred: Bool = false, hist: [AdministeredCycle]? = nil) throws -> Plan {
            let tox = ToxicityInputs(observations: [.graded(.thrombocytopenia, worst: worst, current: current, recurred: recurred)],
                                     weeksSinceLastAdministration: weeks)
            return try TreatmentPlanner.plan(PlanRequest(arm: .standard, history: hist ?? history, kidneyRiskFactors: false,
                                                         toxicity: tox), config: config)
        }
        let withheld = try plan(worst: 3, current: 2, weeks: 9)
        #expect(withheld.toxicity.action == .withhold)
        #expect(withheld.cycles.map(\.status) == [.withheld])
        #expect(withheld.cycles[0].activityGBq == 0 && withheld.cycles[0].bindingConstraint == .toxicityRule)

        let resumed = try plan(worst: 3, current: 1, weeks: 11)
        #expect(resumed.activities == [3.7, 7.4])
        #expect(resumed.cycles.map(\.bindingConstraint) == [.toxicityRule, .fixedProtocol])
        #expect(abs(resumed.cycles[0].activityMCi - 100) < 1e-9)
        // Predictions for the fixed schedule: kidney 0.5 × (7.4 + 7.4 + 3.7 + 7.4) = 12.95 Gy.
        #expect(abs(resumed.cycles[1].kidneyDoseGyCumulative! - 12.95) < 1e-9)
        // Default (`reduced`): no re-escalation above 3.7 GBq after the reduction.
        config.toxicity.activityAfterReduction = .reduced
        let stayReduced = try plan(worst: 3, current: 1, weeks: 11)
        #expect(stayReduced.activities == [3.7, 3.7])
        #expect(stayReduced.cycles.map(\.bindingConstraint) == [.toxicityRule, .toxicityRule])
        #expect(stayReduced.cycles[1].note?.contains("no re-escalation") == true)
        config.toxicity.activityAfterReduction = .labelFull

        let reduced3 = history + [givenCycle(3, activity: 3.7, kidney: 0.5, marrow: 0.03)]
        let recurred = try plan(worst: 2, current: 1, weeks: 8, recurred: true, hist: reduced3)
        #expect(recurred.toxicity.action == .discontinue && recurred.cycles.map(\.status) == [.discontinued])
        // Tolerated reduced cycle: the label returns to 7.4 GBq (the planner knows of the reduction through
        // `earlierReductions`, as PlanRequestBuilder fills it from the manifest).
        func tolerated(_ rule: ActivityAfterReduction) throws -> Plan {
            config.toxicity.activityAfterReduction = rule
            let tox = ToxicityInputs(observations: [.graded(.thrombocytopenia, worst: 1, current: 0)], weeksSinceLastAdministration: 8,
                                     earlierReductions: [.thrombocytopenia])
            return try TreatmentPlanner.plan(PlanRequest(arm: .standard, history: reduced3, kidneyRiskFactors: false, toxicity: tox), config: config)
        }
        let labelFull = try tolerated(.labelFull)
        #expect(labelFull.activities == [7.4] && labelFull.cycles[0].bindingConstraint == .fixedProtocol)
        let stays = try tolerated(.reduced)
        #expect(stays.activities == [3.7] && stays.cycles[0].bindingConstraint == .toxicityRule)
        config.toxicity.activityAfterReduction = .labelFull

        let tooLong = try plan(worst: 3, current: 2, weeks: 24)  // 8-week interval + a 16-week delay
        #expect(tooLong.toxicity.action == .discontinue)
        #expect(tooLong.cycles.allSatisfy { $0.status == .discontinued && $0.activityGBq == 0 })
        #expect(tooLong.cycles.count == 2)
    }

    /// In the investigational arm the rule caps the planned activity at 3.7 GBq for the next cycle;
    /// with `after_reduction: protocol_cap` later cycles use the normal cap again. Kidney 0.3 Gy/GBq (cap example above): cycle 2 → 3.7 GBq (toxicity_rule), cycles 3–4
    /// → 14.8 GBq (activity_cap). Kidney 1.0 Gy/GBq (first example): 156 steps of 0.1 GBq to share;
    /// cycle 2 is capped at 37 steps, the other 119 split as evenly as the grid allows (smallest BED:
    /// 37² + 60² + 59² = 8450 < 36² + 60² + 60² = 8496), earlier cycle larger → 3.7 / 6.0 / 5.9 GBq.
    @Test func toxicityCapsPlannedActivity() throws {
        let tox = ToxicityInputs(observations: [.graded(.thrombocytopenia, worst: 3, current: 1)], weeksSinceLastAdministration: 10)
        var config = self.config
        config.toxicity.activityAfterReduction = .protocolCap
        let capped = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [givenCycle(1, activity: 7.4, kidney: 0.3, marrow: 0.02)],
                                                           kidneyRiskFactors: false, toxicity: tox), config: config)
        #expect(capped.activities == [3.7, 14.8, 14.8])
        #expect(capped.cycles.map(\.bindingConstraint) == [.toxicityRule, .activityCap, .activityCap])
        let shared = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [givenCycle(1, activity: 7.4, kidney: 1.0, marrow: 0.02)],
                                                           kidneyRiskFactors: false, toxicity: tox), config: config)
        #expect(shared.activities == [3.7, 6.0, 5.9])
        #expect(shared.cycles.map(\.bindingConstraint) == [.toxicityRule, .kidneyDose, .kidneyDose])
        // Default `reduced`: every later cycle stays at 3.7 GBq; `label_full`: at most 7.4 GBq.
        config.toxicity.activityAfterReduction = .reduced
        let reduced = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [givenCycle(1, activity: 7.4, kidney: 0.3, marrow: 0.02)],
                                                            kidneyRiskFactors: false, toxicity: tox), config: config)
        #expect(reduced.activities == [3.7, 3.7, 3.7])
        config.toxicity.activityAfterReduction = .labelFull
        let labelFull = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [givenCycle(1, activity: 7.4, kidney: 0.3, marrow: 0.02)],
                                                              kidneyRiskFactors: false, toxicity: tox), config: config)
        #expect(labelFull.activities == [3.7, 7.4, 7.4])
        #expect(labelFull.cycles.map(\.bindingConstraint) == [.toxicityRule, .toxicityRule, .toxicityRule])
    }

    /// Before cycle 1: both arms give 7.4 GBq; the investigational cycles 2–4 await dosimetry.
    @Test func cycleOneIsFixed() throws {
        let inv = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [], kidneyRiskFactors: false), config: config)
        #expect(inv.activities == [7.4, 0, 0, 0])
        #expect(inv.cycles.map(\.status) == [.planned, .pendingDosimetry, .pendingDosimetry, .pendingDosimetry])
        #expect(inv.cycles[0].bindingConstraint == .fixedProtocol && inv.cycles[0].kidneyDoseGyCumulative == nil)
        let std = try TreatmentPlanner.plan(PlanRequest(arm: .standard, history: [], kidneyRiskFactors: false), config: config)
        #expect(std.activities == [7.4, 7.4, 7.4, 7.4])
    }

    /// The standard arm keeps 7.4 GBq even when a limit is predicted to be exceeded, and says so:
    /// kidney 1.0 Gy/GBq → 4 × 7.4 = 29.6 Gy > 23 Gy; margin after cycle 4 = 23 − 29.6 = −6.6 Gy.
    @Test func standardArmReportsPredictionsForFixedSchedule() throws {
        let plan = try TreatmentPlanner.plan(PlanRequest(arm: .standard, history: [givenCycle(1, activity: 7.4, kidney: 1.0, marrow: 0.02)],
                                                         kidneyRiskFactors: false), config: config)
        #expect(plan.activities == [7.4, 7.4, 7.4])
        #expect(plan.cycles.allSatisfy { $0.bindingConstraint == .fixedProtocol })
        #expect(abs(plan.cycles.last!.margins!.kidneyDoseGy + 6.6) < 1e-9)
        #expect(plan.notes.contains { $0.contains("exceed the kidney dose limit") })
    }

    @Test func invalidRequestsAreRefused() {
        let c = givenCycle(1, activity: 7.4, kidney: 1.0, marrow: 0.02)
        var bad = c
        bad.cycle = 2; bad.activityGBq = -1; bad.kidneyEffectiveDecayPerHour = 0
        bad.marrow.relativeUncertainty = .nan
        do {
            _ = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [bad], kidneyRiskFactors: false, source: "req.json"),
                                          config: config)
            Issue.record("accepted")
        } catch let e as InputErrors {
            #expect(Set(e.errors.map(\.field)) == ["history[0].cycle", "history[0].activity_gbq", "history[0].kidney_lambda_eff_per_h",
                                                   "history[0].marrow.relative_uncertainty"])
            #expect(e.errors.allSatisfy { $0.source == "req.json" })
        } catch { Issue.record("\(error)") }
        #expect(throws: InputErrors.self) {
            _ = try TreatmentPlanner.plan(PlanRequest(arm: .standard, history: [], kidneyRiskFactors: false,
                                                      toxicity: ToxicityInputs(observations: [.graded(.anemia, worst: 3, current: 3)])),
                                          config: config)
        }
        var badConfig = config
        badConfig.limits.marrowDoseGy = -2
        #expect(throws: InputErrors.self) {
            _ = try TreatmentPlanner.plan(PlanRequest(arm: .standard, history: [c], kidneyRiskFactors: false), config: badConfig)
        }
    }
}

/// Guards on the planner's edges found in review.
@Suite struct PlannerSafetyEdgeTests {
    /// A linear trend through two cycles whose kidney dose per GBq halved (2.0 → 1.0 Gy/GBq, within SPECT
    /// noise of a real patient) would extrapolate to 0 Gy/GBq at cycle 3, so the kidney limit would stop
    /// binding and the cap would be planned. Organs at risk are floored at their lowest measured value:
    /// 7.4 × 2.0 + 7.4 × 1.0 = 22.2 Gy given, room 0.8 Gy at ≥ 1.0 Gy/GBq → at most 0.8 GBq more, which is
    /// below the 1.85 GBq minimum, so nothing more is planned.
    @Test func linearTrendNeverPredictsOrgansAtRiskBelowTheirLowestMeasurement() throws {
        var config = ProtocolConfig.trialDefault
        config.planning.prediction = .linearTrend
        let history = [givenCycle(1, activity: 7.4, kidney: 2.0, marrow: 0.02),
                       givenCycle(2, activity: 7.4, kidney: 1.0, marrow: 0.02)]
        let plan = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: history, kidneyRiskFactors: false), config: config)
        let planned = plan.activities.reduce(0, +)
        #expect(22.2 + 1.0 * planned <= 23 + 1e-9, "planned \(plan.activities) GBq")
        #expect(planned == 0)
        // The same request with the mean (1.5 Gy/GBq) is at least as restrictive.
        let mean = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: history, kidneyRiskFactors: false), config: .trialDefault)
        #expect(mean.activities.reduce(0, +) == 0)
    }

    /// A protocol without a minimum activity whose resume activity is below one rounding step: the reduced
    /// cycle has no allowed level above 0 and is planned at 0 GBq instead of trapping on an empty range.
    @Test func resumeActivityBelowOneStepPlansZeroInsteadOfTrapping() throws {
        var config = ProtocolConfig.trialDefault
        config.investigationalArm.minActivityGBq = 0
        config.toxicity.resumeActivityGBq = 0.05   // departs from the label's 3.7 GBq: needs a research override
        config.researchOverride = ResearchOverride(reason: "test of a degenerate resume activity", acknowledged: true)
        let tox = ToxicityInputs(observations: [.graded(.thrombocytopenia, worst: 3, current: 1)], weeksSinceLastAdministration: 10)
        let plan = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [givenCycle(1, activity: 7.4, kidney: 0.5, marrow: 0.02)], kidneyRiskFactors: false,
                                                         toxicity: tox), config: config)
        #expect(plan.toxicity.action == .reduce)
        #expect(plan.activities.first == 0)
    }
}
