import Foundation
import RPTCore
import RPTPlanner

/// The toxicity seen after one synthetic cycle (until the next planning).
public struct SimulatedToxicity: Equatable, Sendable {
    /// Worst CTCAE grade per graded toxicity (thrombocytopenia, neutropenia, …); a kind not listed is grade 0.
    public var grades: [ToxicityKind: Int]
    /// The label's renal-toxicity criteria (`RenalToxicityCriteria`) were met after the cycle.
    public var renal: Bool

    public init(grades: [ToxicityKind: Int] = [:], renal: Bool = false) {
        self.grades = grades
        self.renal = renal
    }

    /// Worst grade of `kind` (0 when not listed).
    public func grade(_ kind: ToxicityKind) -> Int { grades[kind] ?? 0 }
}

/// One synthetic patient's treatment, cycle by cycle, under the protocol's dose-modification rules.
///
/// Before every cycle the patient is planned with `TreatmentPlanner` — the same code and the same protocol rules
/// (`ToxicityPolicy`, `ToxicityDecision`) as `rptdose plan` — from the cycles given so far and the toxicity seen since
/// the last administration: per graded toxicity (thrombocytopenia, neutropenia, …) the worst grade since then and the
/// current grade (resolved or not), renal toxicity as the label's criteria (met since, met now, back at baseline), the
/// weeks since the last administration and the toxicities that already caused a label dose reduction. The plan's
/// first cycle decides: planned → given at the planned activity (a reduction by the toxicity rule is remembered for
/// the recurrence and no-re-escalation rules); withheld → re-assessed 4 weeks later; discontinued (or nothing left
/// to give) → treatment ends. Method: docs/methods/cohort.md, "Synthetic trial — treatment".
public struct SimulatedTreatmentCourse: Sendable {
    /// Cycles given, with their measured dosimetry.
    public var cycles: [AdministeredCycle]
    /// Day of each administration after the first (0 for cycle 1).
    public var administrationDays: [Double]
    /// Toxicity after each given cycle.
    public var toxicities: [SimulatedToxicity]
    /// What the toxicity rules decided before each planning, in words ("cycle 3: reduce — …").
    public var decisions: [String]
    /// Treatment was permanently discontinued by a toxicity rule.
    public var discontinued: Bool

    /// Worst thrombocytopenia grade after each given cycle (0–5).
    public var thrombocytopeniaGrades: [Int] { toxicities.map { $0.grade(.thrombocytopenia) } }

    /// Weeks between a withholding and the next re-assessment.
    public static let reassessmentWeeks = 4.0

    /// Runs the course with thrombocytopenia only (`thrombocytopenia(cycle, activity)` = worst grade after the cycle;
    /// `resolved(grade, assessment)`).
    public static func run(arm: TreatmentArm, config: ProtocolConfig, source: String,
                           measured: (Int, Double) -> AdministeredCycle,
                           thrombocytopenia: (Int, Double) -> Int,
                           resolved: (Int, Int) -> Bool) throws -> SimulatedTreatmentCourse {
        try run(arm: arm, config: config, source: source, measured: measured,
                toxicity: { SimulatedToxicity(grades: [.thrombocytopenia: thrombocytopenia($0, $1)]) },
                resolved: { _, grade, check in resolved(grade, check) })
    }

    /// Runs the course. `measured(cycle, activity)` gives the cycle's dosimetry; `toxicity(cycle, activity)` the
    /// toxicity after that cycle; `resolved(kind, grade, assessment)` whether a triggered toxicity of `kind` (worst
    /// grade `grade`; 0 for renal toxicity) has resolved — for renal toxicity: returned to baseline — at the
    /// `assessment`-th check after the cycle (1 = at the scheduled next cycle).
    public static func run(arm: TreatmentArm, config: ProtocolConfig, source: String,
                           measured: (Int, Double) -> AdministeredCycle,
                           toxicity: (Int, Double) -> SimulatedToxicity,
                           resolved: (ToxicityKind, Int, Int) -> Bool) throws -> SimulatedTreatmentCourse {
        let total = arm == .standard ? config.standardArm.cycles : config.investigationalArm.cycles
        let interval = arm == .standard ? config.standardArm.intervalWeeks : config.investigationalArm.intervalWeeks
        var course = SimulatedTreatmentCourse(cycles: [], administrationDays: [], toxicities: [], decisions: [], discontinued: false)
        var reductions: [ToxicityKind] = []
        var weeksSince = interval, assessment = 1, day = 0.0
        while course.cycles.count < total {
            var observations: [ToxicityObservation] = []
            if let last = course.toxicities.last {
                for (kind, worst) in last.grades.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where kind.isGraded {
                    let triggered = config.toxicity.graded[kind].map { worst >= $0.triggerGrade } ?? false
                    let current = triggered && !resolved(kind, worst, assessment) ? worst : 0
                    observations.append(.graded(kind, worst: worst, current: current))
                }
                if last.renal {
                    let back = resolved(.renalToxicity, 0, assessment)
                    observations.append(.criteria(.renalToxicity, metSinceLastAdministration: true, metNow: !back, completelyResolved: back))
                }
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
                course.toxicities.append(toxicity(k, next.activityGBq))
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
