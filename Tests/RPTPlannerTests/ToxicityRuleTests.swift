import Testing
import RPTCore
@testable import RPTPlanner

/// The LUTATHERA PI (rev. 4/2024) section 2.4 rules as encoded in ToxicityPolicy.packageInsert.
@Suite struct ToxicityRuleTests {
    let policy = ToxicityPolicy.packageInsert

    func decide(_ obs: [ToxicityObservation], weeks: Double = 8) throws -> ToxicityDecision {
        try ToxicityDecision.evaluate(ToxicityInputs(observations: obs, weeksSinceLastAdministration: weeks), policy: policy)
    }

    @Test func thresholdsPerToxicity() throws {
        // Thrombocytopenia acts from grade 2; anaemia, neutropenia and other toxicities from grade 3.
        #expect(try decide([.graded(.thrombocytopenia, worst: 1, current: 1)]).action == .none)
        #expect(try decide([.graded(.thrombocytopenia, worst: 2, current: 2)]).action == .withhold)
        #expect(try decide([.graded(.anemia, worst: 2, current: 2)]).action == .none)
        #expect(try decide([.graded(.anemia, worst: 3, current: 3)]).action == .withhold)
        #expect(try decide([.graded(.neutropenia, worst: 4, current: 2)]).action == .reduce)   // resolved to ≤ 2
        #expect(try decide([.graded(.thrombocytopenia, worst: 3, current: 2)]).action == .withhold) // needs ≤ 1
        #expect(try decide([.graded(.otherNonHematologic, worst: 3, current: 2)]).action == .reduce)
    }

    @Test func resolutionRecurrenceAndTimeLimit() throws {
        let resolved = try decide([.graded(.thrombocytopenia, worst: 3, current: 1)], weeks: 12)
        #expect(resolved.action == .reduce && resolved.activityCapGBq == 3.7)
        // Discontinue at a treatment delay of 16 weeks: 8-week interval + 16 weeks = 24 weeks after the last dose.
        #expect(try decide([.graded(.thrombocytopenia, worst: 3, current: 2)], weeks: 16).action == .withhold)
        #expect(try decide([.graded(.thrombocytopenia, worst: 3, current: 2)], weeks: 23.9).action == .withhold)
        #expect(try decide([.graded(.thrombocytopenia, worst: 3, current: 2)], weeks: 24).action == .discontinue)
        // A toxicity that has resolved only after a delay of 16 weeks or more also discontinues.
        #expect(try decide([.graded(.thrombocytopenia, worst: 3, current: 1)], weeks: 23.9).action == .reduce)
        #expect(try decide([.graded(.thrombocytopenia, worst: 3, current: 1)], weeks: 25).action == .discontinue)
        // The delay is measured against the scheduled interval given with the inputs.
        let sixWeekly = ToxicityInputs(observations: [.graded(.anemia, worst: 3, current: 3)], weeksSinceLastAdministration: 22,
                                       scheduledIntervalWeeks: 6)
        #expect(try ToxicityDecision.evaluate(sixWeekly, policy: policy).action == .discontinue)
        #expect(try decide([.graded(.thrombocytopenia, worst: 2, current: 0, recurred: true)]).action == .discontinue)
        // Most severe action wins.
        let mixed = try decide([.graded(.anemia, worst: 3, current: 1), .graded(.thrombocytopenia, worst: 2, current: 2)])
        #expect(mixed.action == .withhold && mixed.kinds == [.thrombocytopenia])
    }

    /// Label Table 2, rows "Recurrent …": permanently discontinue. A toxicity that caused a reduction earlier in
    /// the treatment and triggers again (at any later cycle) is recurrent under `after_any_reduction` (default);
    /// under `after_reduced_cycle_only` only the explicit flag (set right after the reduced cycle) counts.
    @Test func recurrenceAfterAnyEarlierReduction() throws {
        let again = ToxicityInputs(observations: [.graded(.thrombocytopenia, worst: 2, current: 1)], weeksSinceLastAdministration: 10,
                                   earlierReductions: [.thrombocytopenia])
        #expect(try ToxicityDecision.evaluate(again, policy: policy).action == .discontinue)
        var narrow = policy
        narrow.recurrence = .afterReducedCycleOnly
        #expect(try ToxicityDecision.evaluate(again, policy: narrow).action == .reduce)
        // Another toxicity is a first episode, not a recurrence.
        let other = ToxicityInputs(observations: [.graded(.neutropenia, worst: 3, current: 2)], weeksSinceLastAdministration: 10,
                                   earlierReductions: [.thrombocytopenia])
        #expect(try ToxicityDecision.evaluate(other, policy: policy).action == .reduce)
        // An earlier reduction alone (nothing triggers now) changes nothing in the decision.
        let quiet = ToxicityInputs(observations: [.graded(.thrombocytopenia, worst: 1, current: 0)], earlierReductions: [.thrombocytopenia])
        #expect(try ToxicityDecision.evaluate(quiet, policy: policy).action == .none)
    }

    /// The after-reduction rules are data in the protocol file.
    @Test func afterReductionRulesReadFromYAML() throws {
        let c = try ProtocolConfig.parse(yaml: "format_version: 1\nprotocol: {id: T, version: '1'}\ntoxicity: {after_reduction: label_full, recurrence: after_reduced_cycle_only}\n")
        #expect(c.toxicity.activityAfterReduction == .labelFull && c.toxicity.recurrence == .afterReducedCycleOnly)
        #expect(ProtocolConfig.trialDefault.toxicity.activityAfterReduction == .reduced)
        #expect(ProtocolConfig.trialDefault.toxicity.recurrence == .afterAnyReduction)
        #expect(throws: InputErrors.self) {
            _ = try ProtocolConfig.parse(yaml: "format_version: 1\nprotocol: {id: T, version: '1'}\ntoxicity: {after_reduction: always}\n")
        }
    }

    /// Cycles after a reduction in the investigational arm, per rule, once the reduced cycle was given.
    @Test func noReEscalationAfterReduction() throws {
        let history = [givenCycle(1, activity: 7.4, kidney: 0.3, marrow: 0.02), givenCycle(2, activity: 3.7, kidney: 0.3, marrow: 0.02)]
        let tolerated = ToxicityInputs(observations: [.graded(.thrombocytopenia, worst: 1, current: 0)], earlierReductions: [.thrombocytopenia])
        func plan(_ rule: ActivityAfterReduction) throws -> Plan {
            var c = ProtocolConfig.trialDefault
            c.planning.lesions.mode = .organLimitsOnly
            c.toxicity.activityAfterReduction = rule
            return try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: history, kidneyRiskFactors: false, toxicity: tolerated), config: c)
        }
        #expect(try plan(.reduced).activities == [3.7, 3.7])
        #expect(try plan(.labelFull).activities == [7.4, 7.4])
        #expect(try plan(.protocolCap).activities == [14.8, 14.8])
        #expect(try plan(.reduced).cycles.allSatisfy { $0.bindingConstraint == .toxicityRule && $0.note?.contains("no re-escalation") == true })
    }

    @Test func laboratoryCriteria() throws {
        let renal = policy.renal!, hep = policy.hepatic!
        #expect(renal.isMet(creatinineClearance: 39, baselineCreatinineClearance: 60, serumCreatinine: 1, baselineSerumCreatinine: 1))
        #expect(renal.isMet(creatinineClearance: 54, baselineCreatinineClearance: 90, serumCreatinine: 1, baselineSerumCreatinine: 1)) // −40 %
        #expect(!renal.isMet(creatinineClearance: 55, baselineCreatinineClearance: 90, serumCreatinine: 1, baselineSerumCreatinine: 1))
        #expect(renal.isMet(creatinineClearance: 80, baselineCreatinineClearance: 90, serumCreatinine: 1.4, baselineSerumCreatinine: 1.0))
        #expect(!renal.isMet(creatinineClearance: 80, baselineCreatinineClearance: 90, serumCreatinine: 1.3, baselineSerumCreatinine: 1.0))
        // Label: bilirubin > 3 × ULN, or albumin < 30 g/L with a prothrombin ratio < 70 % (INR only without a ratio).
        #expect(hep.isMet(HepaticLaboratoryValues(bilirubinTimesULN: 3.1, albuminGramsPerLitre: 40, prothrombinRatioPercent: 100)))
        #expect(hep.isMet(HepaticLaboratoryValues(bilirubinTimesULN: 1, albuminGramsPerLitre: 29, prothrombinRatioPercent: 69)))
        #expect(!hep.isMet(HepaticLaboratoryValues(bilirubinTimesULN: 1, albuminGramsPerLitre: 29, prothrombinRatioPercent: 70)))
        #expect(!hep.isMet(HepaticLaboratoryValues(bilirubinTimesULN: 1, albuminGramsPerLitre: 30, prothrombinRatioPercent: 50)))
        // The ratio decides when both coagulation values are given.
        #expect(hep.isMet(HepaticLaboratoryValues(bilirubinTimesULN: 1, albuminGramsPerLitre: 29, prothrombinRatioPercent: 65, inr: 1.2)))
        #expect(hep.isMet(HepaticLaboratoryValues(bilirubinTimesULN: 1, albuminGramsPerLitre: 29, inr: 1.6)))
        #expect(!hep.isMet(HepaticLaboratoryValues(bilirubinTimesULN: 1, albuminGramsPerLitre: 29, inr: 1.5)))
        #expect(try decide([.criteria(.renalToxicity, metSinceLastAdministration: true, metNow: true, completelyResolved: false)]).action == .withhold)
        #expect(try decide([.criteria(.hepatotoxicity, metSinceLastAdministration: true, metNow: false, completelyResolved: true)]).action == .reduce)
        // No longer meeting the criteria is not resolution for these two toxicities (label: complete resolution or
        // return to baseline).
        #expect(try decide([.criteria(.renalToxicity, metSinceLastAdministration: true, metNow: false, completelyResolved: false)]).action == .withhold)
    }

    /// Renal toxicity resolves only on return to baseline (within `returnToBaselinePercent`, default 10 %);
    /// hepatotoxicity only when bilirubin is back at or below the ULN and the albumin/coagulation criterion
    /// is not met. Worked through `ToxicityReport.inputs`, as the manifest path uses it.
    @Test func completeResolutionOfLaboratoryToxicities() throws {
        func renalAction(now: RenalLaboratoryValues) throws -> ToxicityDecision.Action {
            let worst = RenalLaboratoryValues(creatinineClearanceMlPerMin: 35, creatinineClearanceChangePercent: -42)
            let report = ToxicityReport(weeksSinceAdministration: 10, renal: LaboratoryFinding(worst: worst, current: now))
            return try ToxicityDecision.evaluate(report.inputs(policy: policy), policy: policy).action
        }
        // Baseline 60 mL/min, low point 35, now 41 (−32 %): criteria no longer met, but not back at baseline.
        #expect(try renalAction(now: RenalLaboratoryValues(creatinineClearanceMlPerMin: 41, creatinineClearanceChangePercent: -32)) == .withhold)
        #expect(try renalAction(now: RenalLaboratoryValues(creatinineClearanceMlPerMin: 55, creatinineClearanceChangePercent: -8,
                                                         serumCreatinineChangePercent: 9)) == .reduce)
        #expect(try renalAction(now: RenalLaboratoryValues(creatinineClearanceMlPerMin: 55, creatinineClearanceChangePercent: -8,
                                                         serumCreatinineChangePercent: 12)) == .withhold)
        // Without a change from baseline the return to baseline cannot be judged.
        #expect(try renalAction(now: RenalLaboratoryValues(creatinineClearanceMlPerMin: 70)) == .withhold)

        func hepaticAction(now: HepaticLaboratoryValues) throws -> ToxicityDecision.Action {
            let worst = HepaticLaboratoryValues(bilirubinTimesULN: 3.5, albuminGramsPerLitre: 33, prothrombinRatioPercent: 85)
            let report = ToxicityReport(weeksSinceAdministration: 10, hepatic: LaboratoryFinding(worst: worst, current: now))
            return try ToxicityDecision.evaluate(report.inputs(policy: policy), policy: policy).action
        }
        #expect(try hepaticAction(now: HepaticLaboratoryValues(bilirubinTimesULN: 2, albuminGramsPerLitre: 35, prothrombinRatioPercent: 90)) == .withhold)
        #expect(try hepaticAction(now: HepaticLaboratoryValues(bilirubinTimesULN: 0.9, albuminGramsPerLitre: 35, prothrombinRatioPercent: 90)) == .reduce)
        #expect(try hepaticAction(now: HepaticLaboratoryValues(bilirubinTimesULN: 0.9)) == .withhold)  // albumin/coagulation not shown
        // Albumin still low with a normal ratio: the criterion is no longer met, but albumin has not recovered.
        #expect(try hepaticAction(now: HepaticLaboratoryValues(bilirubinTimesULN: 0.9, albuminGramsPerLitre: 27, prothrombinRatioPercent: 71)) == .withhold)
        #expect(try hepaticAction(now: HepaticLaboratoryValues(bilirubinTimesULN: 0.9, albuminGramsPerLitre: 31, prothrombinRatioPercent: 65)) == .withhold)
        #expect(try hepaticAction(now: HepaticLaboratoryValues(bilirubinTimesULN: 0.9, albuminGramsPerLitre: 31, inr: 1.2)) == .reduce)
        // A protocol may accept the patient's raised baseline bilirubin as resolution.
        var lenient = policy
        lenient.hepatic!.resolvedBilirubinTimesULN = 2
        let report = ToxicityReport(weeksSinceAdministration: 10, hepatic: LaboratoryFinding(
            worst: HepaticLaboratoryValues(bilirubinTimesULN: 3.5),
            current: HepaticLaboratoryValues(bilirubinTimesULN: 1.8, albuminGramsPerLitre: 35, prothrombinRatioPercent: 90)))
        #expect(try ToxicityDecision.evaluate(report.inputs(policy: lenient), policy: lenient).action == .reduce)
    }

    @Test func badObservationsAreRefused() {
        #expect(throws: InputErrors.self) { try decide([.graded(.renalToxicity, worst: 3, current: 1)]) }
        #expect(throws: InputErrors.self) { try decide([.graded(.anemia, worst: 7, current: 1)]) }
        #expect(throws: InputErrors.self) { try decide([.criteria(.anemia, metSinceLastAdministration: true, metNow: true, completelyResolved: false)]) }
        #expect(throws: InputErrors.self) {
            try decide([.criteria(.renalToxicity, metSinceLastAdministration: true, metNow: true, completelyResolved: true)])
        }
        #expect(throws: InputErrors.self) {
            try ToxicityDecision.evaluate(ToxicityInputs(weeksSinceLastAdministration: 8, scheduledIntervalWeeks: 0), policy: policy)
        }
        #expect(throws: InputErrors.self) { try decide([.graded(.anemia, worst: 3, current: 1), .graded(.anemia, worst: 3, current: 1)]) }
        #expect(throws: InputErrors.self) { try decide([], weeks: -1) }
    }
}
