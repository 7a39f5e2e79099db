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
        #expect(try decide([.graded(.thrombocytopenia, worst: 3, current: 2)], weeks: 15.9).action == .withhold)
        #expect(try decide([.graded(.thrombocytopenia, worst: 3, current: 2)], weeks: 16).action == .discontinue)
        #expect(try decide([.graded(.thrombocytopenia, worst: 2, current: 0, recurred: true)]).action == .discontinue)
        // Most severe action wins.
        let mixed = try decide([.graded(.anemia, worst: 3, current: 1), .graded(.thrombocytopenia, worst: 2, current: 2)])
        #expect(mixed.action == .withhold && mixed.kinds == [.thrombocytopenia])
    }

    @Test func laboratoryCriteria() throws {
        let renal = policy.renal!, hep = policy.hepatic!
        #expect(renal.isMet(creatinineClearance: 39, baselineCreatinineClearance: 60, serumCreatinine: 1, baselineSerumCreatinine: 1))
        #expect(renal.isMet(creatinineClearance: 54, baselineCreatinineClearance: 90, serumCreatinine: 1, baselineSerumCreatinine: 1)) // −40 %
        #expect(!renal.isMet(creatinineClearance: 55, baselineCreatinineClearance: 90, serumCreatinine: 1, baselineSerumCreatinine: 1))
        #expect(renal.isMet(creatinineClearance: 80, baselineCreatinineClearance: 90, serumCreatinine: 1.4, baselineSerumCreatinine: 1.0))
        #expect(!renal.isMet(creatinineClearance: 80, baselineCreatinineClearance: 90, serumCreatinine: 1.3, baselineSerumCreatinine: 1.0))
        #expect(hep.isMet(bilirubinTimesULN: 3.1, albuminGramsPerLitre: 40, inr: 1.0))
        #expect(hep.isMet(bilirubinTimesULN: 1, albuminGramsPerLitre: 29, inr: 1.6))
        #expect(!hep.isMet(bilirubinTimesULN: 1, albuminGramsPerLitre: 29, inr: 1.5))
        #expect(try decide([.criteria(.renalToxicity, metSinceLastAdministration: true, metNow: true)]).action == .withhold)
        #expect(try decide([.criteria(.hepatotoxicity, metSinceLastAdministration: true, metNow: false)]).action == .reduce)
    }

    @Test func badObservationsAreRefused() {
        #expect(throws: InputErrors.self) { try decide([.graded(.renalToxicity, worst: 3, current: 1)]) }
        #expect(throws: InputErrors.self) { try decide([.graded(.anemia, worst: 7, current: 1)]) }
        #expect(throws: InputErrors.self) { try decide([.criteria(.anemia, metSinceLastAdministration: true, metNow: true)]) }
        #expect(throws: InputErrors.self) { try decide([.graded(.anemia, worst: 3, current: 1), .graded(.anemia, worst: 3, current: 1)]) }
        #expect(throws: InputErrors.self) { try decide([], weeks: -1) }
    }
}
