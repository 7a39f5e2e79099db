import Foundation
import RPTCore

/// What the dose-modification rules say about the next cycle.
public struct ToxicityDecision: Equatable, Sendable {
    public enum Action: String, Codable, Sendable {
        /// No rule applies: the next cycle follows the arm's schedule or plan.
        case none
        /// Give the next cycle at no more than the resume activity (3.7 GBq).
        case reduce
        /// Do not give the next cycle yet; re-assess (resolution pending).
        case withhold
        /// Permanently discontinue treatment.
        case discontinue
    }

    public var action: Action
    /// Toxicities that caused the action (empty for `.none`).
    public var kinds: [ToxicityKind]
    /// Human-readable justification.
    public var reason: String
    /// Upper bound on the next cycle's activity (GBq) for `.reduce`.
    public var activityCapGBq: Double?

    public static let none = ToxicityDecision(action: .none, kinds: [], reason: "no dose-modifying toxicity", activityCapGBq: nil)

    /// Applies `policy` to `inputs` (see ToxicityPolicy for the rule scheme). When several
    /// toxicities apply, the most severe action wins: discontinue > withhold > reduce.
    /// Throws InputErrors for grades outside 0–5, severity forms that do not match the kind,
    /// duplicate kinds or a negative time.
    public static func evaluate(_ inputs: ToxicityInputs, policy: ToxicityPolicy,
                                source: String = "plan request") throws -> ToxicityDecision {
        var errors: [InputError] = []
        if !(inputs.weeksSinceLastAdministration >= 0) || !inputs.weeksSinceLastAdministration.isFinite {
            errors.append(InputError(source: source, field: "toxicity.weeks_since_last_administration",
                                     value: "\(inputs.weeksSinceLastAdministration)", reason: "must be a finite number ≥ 0"))
        }
        if !(inputs.scheduledIntervalWeeks > 0) || !inputs.scheduledIntervalWeeks.isFinite {
            errors.append(InputError(source: source, field: "toxicity.scheduled_interval_weeks",
                                     value: "\(inputs.scheduledIntervalWeeks)", reason: "must be a finite number > 0"))
        }
        var seen = Set<ToxicityKind>()
        for (i, obs) in inputs.observations.enumerated() {
            let field = "toxicity.observations[\(i)]"
            if !seen.insert(obs.kind).inserted {
                errors.append(InputError(source: source, field: field + ".kind", value: obs.kind.rawValue,
                                         reason: "toxicity listed twice; give one observation per toxicity"))
            }
            switch obs.severity {
            case let .graded(worst, current):
                if !obs.kind.isGraded {
                    errors.append(InputError(source: source, field: field + ".kind", value: obs.kind.rawValue,
                                             reason: "is judged by laboratory criteria, not by CTCAE grade"))
                }
                for (name, g) in [("worst_grade", worst), ("current_grade", current)] where !(0...5).contains(g) {
                    errors.append(InputError(source: source, field: field + "." + name, value: "\(g)",
                                             reason: "CTCAE grade must be 0–5"))
                }
            case let .criteria(_, metNow, completelyResolved):
                if metNow && completelyResolved {
                    errors.append(InputError(source: source, field: field + ".severity", value: "met now and completely resolved",
                                             reason: "values that meet the criteria now cannot be completely resolved"))
                }
                if obs.kind.isGraded {
                    errors.append(InputError(source: source, field: field + ".kind", value: obs.kind.rawValue,
                                             reason: "is judged by CTCAE grade, not by laboratory criteria"))
                }
            }
        }
        if !errors.isEmpty { throw InputErrors(errors) }

        var reduce: [(ToxicityKind, String)] = [], withhold: [(ToxicityKind, String)] = [], stop: [(ToxicityKind, String)] = []
        for obs in inputs.observations where policy.hasRule(for: obs.kind) {
            let triggered: Bool, resolved: Bool
            switch obs.severity {
            case let .graded(worst, current):
                let rule = policy.graded[obs.kind]!
                triggered = worst >= rule.triggerGrade
                resolved = current <= rule.resolvedAtGrade
            case let .criteria(metSince, metNow, completelyResolved):
                // Renal toxicity and hepatotoxicity: withhold until complete resolution or return to baseline.
                triggered = metSince || metNow
                resolved = !metNow && completelyResolved
            }
            guard triggered else { continue }
            let name = obs.kind.rawValue
            let delay = inputs.treatmentDelayWeeks
            if obs.recurredAfterReducedActivity {
                stop.append((obs.kind, "\(name) recurred after the reduced activity: permanently discontinue"))
            } else if policy.recurrence == .afterAnyReduction && inputs.earlierReductions.contains(obs.kind) {
                stop.append((obs.kind, "\(name) recurred after it had caused a dose reduction earlier in this treatment: permanently discontinue (label: recurrent toxicity)"))
            } else if delay >= policy.maxWithholdWeeks {
                // Label: discontinue for a toxicity that requires a treatment delay of 16 weeks or longer — also
                // when it has resolved by now, since the delay has already reached the limit.
                stop.append((obs.kind, "\(name) has delayed treatment by \(fmt(delay)) weeks (\(fmt(inputs.weeksSinceLastAdministration)) weeks since the last administration, scheduled interval \(fmt(inputs.scheduledIntervalWeeks)) weeks; limit \(fmt(policy.maxWithholdWeeks)) weeks): permanently discontinue"))
            } else if !resolved {
                let how = obs.kind.isGraded ? "resolved" : "completely resolved or back at baseline"
                withhold.append((obs.kind, "\(name) not \(how): withhold and re-assess; resume at \(fmt(policy.resumeActivityGBq)) GBq on resolution, discontinue if the treatment delay reaches \(fmt(policy.maxWithholdWeeks)) weeks"))
            } else {
                // Later cycles as the protocol's toxicity.after_reduction says (the label's "full activity if tolerated" is only one choice).
                let later: String
                switch policy.activityAfterReduction {
                case .reduced: later = "later cycles at most \(fmt(policy.resumeActivityGBq)) GBq (no re-escalation, protocol toxicity.after_reduction: reduced)"
                case .labelFull: later = "the full label activity in later cycles if tolerated"
                case .protocolCap: later = "later cycles up to the protocol's activity cap if tolerated"
                }
                reduce.append((obs.kind, "\(name) resolved after withholding: resume at \(fmt(policy.resumeActivityGBq)) GBq; " + later))
            }
        }
        func make(_ action: Action, _ list: [(ToxicityKind, String)], cap: Double?) -> ToxicityDecision {
            ToxicityDecision(action: action, kinds: list.map(\.0), reason: list.map(\.1).joined(separator: "; "), activityCapGBq: cap)
        }
        if !stop.isEmpty { return make(.discontinue, stop, cap: nil) }
        if !withhold.isEmpty { return make(.withhold, withhold, cap: nil) }
        if !reduce.isEmpty { return make(.reduce, reduce, cap: policy.resumeActivityGBq) }
        return .none
    }
}

/// Short number formatting for messages (up to 4 decimals, no trailing zeros).
func fmt(_ x: Double) -> String {
    var s = String(format: "%.4f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}
