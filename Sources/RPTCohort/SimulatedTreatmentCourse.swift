import Foundation
import RPTCore
import RPTPlanner

/// One synthetic patient's treatment, cycle by cycle, under the protocol's dose-modification rules.
///
/// Before every cycle the patient is planned with `TreatmentPlanner` — the same code and the same protocol rules
/// (`ToxicityPolicy`, `ToxicityDecision`) as `rptdose plan` — from the cycles given so far and the toxicity seen since
/// the last administration: the worst thrombocytopenia grade since then, the current grade (resolved or not), the
/// weeks since the last administration and the toxicities that already caused a label dose reduction. The plan's
/// first cycle decides: planned → given at the planned activity (a reduction by the toxicity rule is remembered for
/// the recurrence and no-re-escalation rules); withheld → re-assessed 4 weeks later; discontinued (or nothing left
/// to give) → treatment ends. Method: docs/methods/cohort.md, "Synthetic trial — treatment".
public struct SimulatedTreatmentCourse: Sendable {
    /// Cycles given, with their measured dosimetry.
    public var cycles: [AdministeredCycle]
    /// Day of each administration after the first (0 for cycle 1).
    public var administrationDays: [Double]
    /// Worst thrombocytopenia grade after each given cycle (0–5).
    public var thrombocytopeniaGrades: [Int]
    /// What the toxicity rules decided before each planning, in words ("cycle 3: reduce — …").
    public var decisions: [String]
    /// Treatment was permanently discontinued by a toxicity rule.
    public var discontinued: Bool

    /// Weeks between a withholding and the next re-assessment.
    public static let reassessmentWeeks = 4.0

    /// Runs the course. `measured(cycle, activity)` gives the cycle's dosimetry; `thrombocytopenia(cycle, activity)`
    /// the worst grade after that cycle; `resolved(grade, assessment)` whether a grade-`grade` toxicity has resolved
    /// at the `assessment`-th check after the cycle (1 = at the scheduled next cycle).
    public static func run(arm: TreatmentArm, config: ProtocolConfig, source: String,
                           measured: (Int, Double) -> AdministeredCycle,
                           thrombocytopenia: (Int, Double) -> Int,
                           resolved: (Int, Int) -> Bool) throws -> SimulatedTreatmentCourse {
        let total = arm == .standard ? config.standardArm.cycles : config.investigationalArm.cycles
        let interval = arm == .standard ? config.standardArm.intervalWeeks : config.investigationalArm.intervalWeeks
        let rule = config.toxicity.graded[.thrombocytopenia]
        var course = SimulatedTreatmentCourse(cycles: [], administrationDays: [], thrombocytopeniaGrades: [], decisions: [], discontinued: false)
        var reductions: [ToxicityKind] = []
        var weeksSince = interval, assessment = 1, day = 0.0
        while course.cycles.count < total {
            var observations: [ToxicityObservation] = []
            if let worst = course.thrombocytopeniaGrades.last {
                let triggered = rule.map { worst >= $0.triggerGrade } ?? false
                let current = triggered && !resolved(worst, assessment) ? worst : 0
                observations = [.graded(.thrombocytopenia, worst: worst, current: current)]
            }
            let plan = try TreatmentPlanner.plan(PlanRequest(arm: arm, history: course.cycles, kidneyRiskFactors: false,
                                                             toxicity: ToxicityInputs(observations: observations, weeksSinceLastAdministration: weeksSince,
                                                                                      scheduledIntervalWeeks: interval, earlierReductions: reductions),
                                                             source: source), config: config)
            let k = course.cycles.count + 1
            if plan.toxicity.action != .none { course.decisions.append("cycle \(k): \(plan.toxicity.action.rawValue) — \(plan.toxicity.reason)") }
            guard let next = plan.cycles.first else { break }
            switch next.status {
            case .planned where next.activityGBq > 0:
                if plan.toxicity.action == .reduce { reductions += plan.toxicity.toxicities.filter { !reductions.contains($0) } }
                if !course.cycles.isEmpty { day += weeksSince * 7 }
                course.cycles.append(measured(k, next.activityGBq))
                course.administrationDays.append(day)
                course.thrombocytopeniaGrades.append(thrombocytopenia(k, next.activityGBq))
                weeksSince = interval; assessment = 1
            case .withheld:
                weeksSince += reassessmentWeeks; assessment += 1
            case .discontinued:
                course.discontinued = true
                return course
            default:
                return course
            }
        }
        return course
    }
}
