import Foundation
import Testing
import RPTCore
import PropertyBased
@testable import RPTPlanner

/// Tumour-tailored planning (`planning.lesions`, default `tailored`: median lesion, uptake threshold 1 Gy/GBq,
/// target 150 Gy, base 7.4 GBq). Patient: cycle 1 = 7.4 GBq, kidney 0.3 Gy/GBq and marrow 0.02 Gy/GBq, so the
/// organ limits alone would give the cap 3 × 14.8 GBq (PlannerWorkedExampleTests.capBinds). Lesions 1.0, 1.5
/// and 2.0 Gy/GBq times a factor.
@Suite struct TailoredPlanningTests {
    func plan(lesionFactor: Double, configure: (inout ProtocolConfig) -> Void = { _ in }) throws -> Plan {
        var config = ProtocolConfig.trialDefault
        configure(&config)
        let c1 = givenCycle(1, activity: 7.4, kidney: 0.3, marrow: 0.02, tumour: [1.0, 1.5, 2.0].map { $0 * lesionFactor })
        return try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [c1], kidneyRiskFactors: false), config: config)
    }

    /// The issue's acceptance test: lesion doses × 0.01 and × 3 give different plans under the default rule.
    /// × 0.01: median 0.015 Gy/GBq < 1 Gy/GBq → no escalation, 3 × 7.4 GBq (uptake_threshold).
    /// × 3: median 4.5 Gy/GBq; cycle 1 gave 33.3 Gy; the target 150 Gy needs 116.7 / 4.5 = 25.93 GBq more,
    /// i.e. 260 steps of 0.1 GBq (259 steps give 4.5 × 33.3 = 149.85 Gy); least escalation above 3 × 74 steps,
    /// most even split → 8.7 / 8.7 / 8.6 GBq (lesion_target).
    @Test func lesionDosesChangeTheInvestigationalPlan() throws {
        let cold = try plan(lesionFactor: 0.01)
        #expect(cold.activities == [7.4, 7.4, 7.4])
        #expect(cold.cycles.allSatisfy { $0.bindingConstraint == .uptakeThreshold })
        #expect(cold.cycles[0].explanation?.contains("below the uptake threshold 1 Gy/GBq") == true, "\(cold.cycles[0].explanation ?? "")")

        let warm = try plan(lesionFactor: 3)
        #expect(warm.activities == [8.7, 8.7, 8.6])
        #expect(warm.cycles.allSatisfy { $0.bindingConstraint == .lesionTarget })
        let doses = warm.cycles.last!.tumourDosesGyCumulative!.map(\.doseGy)
        #expect(abs(doses[1] - 4.5 * 33.4) < 1e-9)   // median lesion: 150.3 Gy ≥ 150 Gy
        #expect(warm.cycles[0].explanation?.contains("reaches the target of 150 Gy") == true, "\(warm.cycles[0].explanation ?? "")")
        #expect(cold.activities != warm.activities)

        // Hot lesions: the target is reached at the base activity; no escalation.
        let hot = try plan(lesionFactor: 30)
        #expect(hot.activities == [7.4, 7.4, 7.4])
        #expect(hot.cycles.allSatisfy { $0.bindingConstraint == .lesionTarget })

        // Without a target, adequate uptake escalates to the organ limits / cap.
        let noTarget = try plan(lesionFactor: 3) { $0.planning.lesions.targetDoseGy = nil }
        #expect(noTarget.activities == [14.8, 14.8, 14.8])
        // organ_limits_only: lesion doses no longer change the activities.
        for f in [0.01, 3.0] {
            #expect(try plan(lesionFactor: f) { $0.planning.lesions.mode = .organLimitsOnly }.activities == [14.8, 14.8, 14.8])
        }
    }

    /// The statistic is the protocol's percentile: with the minimum lesion (percentile 0) the × 3 patient's
    /// least-dosed lesion (3 Gy/GBq) still passes the threshold but needs (150 − 22.2) / 3 = 42.6 GBq; 3 × 14.8 =
    /// 44.4 GBq allow it, so the plan escalates further than with the median. A 0.5 Gy/GBq threshold on
    /// × 0.3 lesions (median 0.45) blocks escalation; on the maximum lesion (0.6) it does not.
    @Test func percentileAndThresholdAreTheProtocols() throws {
        let minimum = try plan(lesionFactor: 3) { $0.planning.lesions.percentile = 0 }
        #expect(minimum.activities.reduce(0, +) > 26.0 - 1e-9)
        #expect(minimum.activities.reduce(0, +) <= 44.4 + 1e-9)
        let median = try plan(lesionFactor: 0.3) { $0.planning.lesions.uptakeThresholdGyPerGBq = 0.5 }
        #expect(median.activities == [7.4, 7.4, 7.4] && median.cycles[0].bindingConstraint == .uptakeThreshold)
        let maximum = try plan(lesionFactor: 0.3) { $0.planning.lesions.uptakeThresholdGyPerGBq = 0.5; $0.planning.lesions.percentile = 100 }
        #expect(maximum.activities.allSatisfy { $0 > 7.4 })
        // Percentiles as numpy.percentile (linear): hand-computed values.
        #expect(LesionRule.percentile([1, 2, 3, 4], 25) == 1.75)
        #expect(LesionRule.percentile([3, 1, 2], 50) == 2)
        #expect(abs(LesionRule.percentile([1, 10], 90)! - 9.1) < 1e-12)
        #expect(LesionRule.percentile([5], 30) == 5)
        #expect(LesionRule.percentile([], 50) == nil)
    }

    /// Each planned cycle lists candidate activities with the expected lesion doses of that cycle.
    @Test func candidatesReportExpectedLesionDoses() throws {
        let warm = try plan(lesionFactor: 3)
        let c = try #require(warm.cycles[0].candidates)
        #expect(c.map(\.activityGBq) == [3.7, 7.4, 8.7, 11.1, 14.8])
        #expect(c.filter { $0.chosen }.map(\.activityGBq) == [8.7])
        #expect(c.allSatisfy { $0.withinLimits })
        let at111 = try #require(c.first { $0.activityGBq == 11.1 })
        #expect(at111.lesionDosesGy.map(\.lesion) == ["L1", "L2", "L3"])
        #expect(zip(at111.lesionDosesGy.map(\.doseGy), [3.0, 4.5, 6.0]).allSatisfy { abs($0 - 11.1 * $1) < 1e-9 })
        // Median cumulative with cycle 2 at 11.1 GBq and cycles 3-4 as planned: 4.5 × (7.4 + 11.1 + 8.7 + 8.6).
        #expect(abs(at111.lesionStatisticGyCumulative! - 4.5 * 35.8) < 1e-9)
        // Organ doses of this cycle alone: the activity × the predicted point dose per activity (0.3 and 0.02 Gy/GBq).
        #expect(abs(at111.kidneyDoseGy! - 11.1 * 0.3) < 1e-12 && abs(at111.marrowDoseGy! - 11.1 * 0.02) < 1e-12)
        let json = String(decoding: try warm.jsonData(), as: UTF8.self)
        #expect(json.contains("\"candidates\"") && json.contains("\"explanation\"") && json.contains("\"lesion_target\""))
        // A kidney-limited patient: candidates above the room are flagged.
        var config = ProtocolConfig.trialDefault
        config.planning.lesions.targetDoseGy = nil
        let c1 = givenCycle(1, activity: 7.4, kidney: 1.0, marrow: 0.02, tumour: [5])
        let limited = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [c1], kidneyRiskFactors: false), config: config)
        #expect(limited.activities == [5.2, 5.2, 5.2])
        #expect(limited.cycles[0].candidates!.filter { !$0.withinLimits }.map(\.activityGBq) == [7.4, 11.1, 14.8])
        #expect(limited.cycles[0].explanation?.contains("kidney absorbed-dose limit of 23 Gy") == true)
    }

    @Test func lesionRuleReadsFromYAMLAndIsValidated() throws {
        let c = try ProtocolConfig.parse(yaml: """
        format_version: 1
        protocol: {id: T, version: '1'}
        planning:
          lesions: {mode: tailored, percentile: 0, uptake_threshold_gy_per_gbq: 2, target_dose_gy: none, base_activity_gbq: 7.4}
        """)
        #expect(c.planning.lesions == LesionRule(mode: .tailored, percentile: 0, uptakeThresholdGyPerGBq: 2, targetDoseGy: nil))
        #expect(try ProtocolConfig.parse(yaml: c.yamlString()) == c)
        do {
            _ = try ProtocolConfig.parse(yaml: """
            format_version: 1
            protocol: {id: T, version: '1'}
            planning:
              lesions: {mode: bold, percentile: 120, uptake_threshold_gy_per_gbq: -1, target_dose_gy: -5, base_activity_gbq: 20}
            """, source: "l.yaml")
            Issue.record("accepted")
        } catch let e as InputErrors {
            #expect(Set(e.errors.map(\.field)) == ["planning.lesions.mode", "planning.lesions.percentile", "planning.lesions.uptake_threshold_gy_per_gbq",
                                                    "planning.lesions.target_dose_gy", "planning.lesions.base_activity_gbq"], "\(e)")
        }
    }

    /// Over random patients with the default (tailored) rule: every limit holds, activities stay on the protocol
    /// grid, an uptake-limited cycle never exceeds the base activity, and a lesion-target cycle is never above
    /// what the organ-limits-only plan gives that cycle's total.
    @Test func tailoredPlansKeepEveryLimit() async throws {
        await propertyCheck(count: 40, input: Scenario.generator) { s in
            var tailored = s.config()
            tailored.planning.lesions = LesionRule()
            let plan = try TreatmentPlanner.plan(s.request(), config: tailored)
            let organOnly = try TreatmentPlanner.plan(s.request(), config: s.config())
            if plan.plannedActivityGBq > 0, let m = plan.cycles.last(where: { $0.margins != nil })?.margins {
                #expect(m.kidneyDoseGy >= -1e-9 && m.kidneyBEDGy >= -1e-9 && m.marrowDoseGy >= -1e-9, "\(s) \(m)")
            }
            for c in plan.cycles {
                #expect(c.activityGBq <= 14.8 + 1e-9 && (c.activityGBq == 0 || c.activityGBq >= 1.85 - 1e-9), "\(s)")
                if c.bindingConstraint == .uptakeThreshold { #expect(c.activityGBq <= 7.4 + 1e-9, "\(s)") }
                #expect(c.explanation?.isEmpty == false, "\(s)")
            }
            if plan.cycles.contains(where: { $0.bindingConstraint == .lesionTarget }) {
                #expect(plan.plannedActivityGBq <= organOnly.plannedActivityGBq + 1e-9 || plan.cycles.allSatisfy { $0.activityGBq <= 7.4 + 1e-9 },
                        "\(s): \(plan.activities) vs \(organOnly.activities)")
            }
        }
    }
}
