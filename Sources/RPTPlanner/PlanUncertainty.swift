import Foundation
import RPTCore

/// The planner's error model written out with a plan, so that a reader can state each cumulative
/// dose with its spread and the probability of exceeding each limit (docs/methods/planner.md,
/// "Uncertainty").
///
/// The model is the planner's own (`TreatmentPlanner`, quantile mode): each cycle's dose per activity
/// is log-normal about its point value with log-width s = √ln(1 + u²) (`DosePrediction.logSigma`), u
/// the cycle's relative standard uncertainty — measured for given cycles, `DosePrediction.relativeUncertainty`
/// for predicted ones — and the errors of one organ are fully correlated across cycles: one standard
/// normal ε per organ scales every cycle, D(ε) = Σⱼ aⱼ·dⱼ·exp(sⱼ·ε). D(ε) increases with ε, so
/// P(D > L) = 1 − Φ(ε*) with D(ε*) = L, and D(±1) are the 15.9 % and 84.1 % quantiles (the ±1σ band).
/// The kidney BED uses the kidney's ε (BED increases with the dose).
public struct PlanUncertainty: Codable, Equatable, Sendable {
    /// One cycle (given or predicted) of the cumulative sums.
    public struct Cycle: Codable, Equatable, Sendable {
        public var cycle: Int
        public var activityGBq: Double
        public var kidneyGyPerGBq: Double
        public var kidneyRelativeUncertainty: Double
        /// Kidney effective decay constant (1/h), for the BED.
        public var kidneyEffectiveDecayPerHour: Double
        public var marrowGyPerGBq: Double
        public var marrowRelativeUncertainty: Double
        /// True for a cycle already given (measured), false for a predicted one.
        public var given: Bool

        enum CodingKeys: String, CodingKey {
            case cycle, activityGBq = "activity_gbq", kidneyGyPerGBq = "kidney_dose_gy_per_gbq"
            case kidneyRelativeUncertainty = "kidney_rel_uncertainty", kidneyEffectiveDecayPerHour = "kidney_lambda_eff_per_h"
            case marrowGyPerGBq = "marrow_dose_gy_per_gbq", marrowRelativeUncertainty = "marrow_rel_uncertainty", given
        }
    }

    /// A cumulative quantity with its 68 % band and its probability of exceeding the limit.
    public struct Spread: Equatable, Sendable {
        /// Point value (ε = 0, the median of the log-normal model).
        public var value: Double
        /// 15.9 % and 84.1 % quantiles (ε = −1, +1).
        public var lower: Double, upper: Double
        public var limit: Double
        /// P(value > limit) under the model.
        public var exceedanceProbability: Double
    }

    public var cycles: [Cycle]

    public init(cycles: [Cycle]) { self.cycles = cycles }

    /// The uncertainty of `plan` made from `request` with `config`: given cycles from the request's
    /// history, predicted cycles from the plan's per-cycle predictions with the relative uncertainty the
    /// planner used (`DosePrediction.relativeUncertainty` of the history, the protocol's prediction term).
    public static func make(request: PlanRequest, plan: Plan, config: ProtocolConfig) -> PlanUncertainty {
        let h = request.history
        var out = h.map {
            Cycle(cycle: $0.cycle, activityGBq: $0.activityGBq, kidneyGyPerGBq: $0.kidney.gyPerGBq,
                  kidneyRelativeUncertainty: $0.kidney.relativeUncertainty, kidneyEffectiveDecayPerHour: $0.kidneyEffectiveDecayPerHour,
                  marrowGyPerGBq: $0.marrow.gyPerGBq, marrowRelativeUncertainty: $0.marrow.relativeUncertainty, given: true)
        }
        if !h.isEmpty {
            let m = config.planning.prediction, extra = config.planning.predictionRelativeUncertainty
            let uk = DosePrediction.relativeUncertainty(h.map(\.kidney.relativeUncertainty), method: m, extra: extra)
            let um = DosePrediction.relativeUncertainty(h.map(\.marrow.relativeUncertainty), method: m, extra: extra)
            for c in plan.cycles {
                guard let k = c.kidneyDoseGyPerGBq, let b = c.marrowDoseGyPerGBq, let l = c.kidneyEffectiveDecayPerHour else { continue }
                out.append(Cycle(cycle: c.cycle, activityGBq: c.activityGBq, kidneyGyPerGBq: k, kidneyRelativeUncertainty: uk,
                                 kidneyEffectiveDecayPerHour: l, marrowGyPerGBq: b, marrowRelativeUncertainty: um, given: false))
            }
        }
        return PlanUncertainty(cycles: out)
    }

    /// Cumulative kidney dose, kidney BED and marrow dose at the end of `cycle` when the kidney's
    /// errors are at `kidneyEpsilon` and the marrow's at `marrowEpsilon` standard deviations.
    public func cumulative(through cycle: Int, kidneyEpsilon ek: Double, marrowEpsilon em: Double,
                           bed model: BiologicallyEffectiveDose) -> (kidney: Double, bed: Double, marrow: Double) {
        var k = 0.0, b = 0.0, m = 0.0
        for c in cycles where c.cycle <= cycle {
            let dk = c.activityGBq * c.kidneyGyPerGBq * exp(ek * DosePrediction.logSigma(relativeUncertainty: c.kidneyRelativeUncertainty))
            k += dk
            b += model.bed(doseGy: dk, effectiveDecayPerHour: c.kidneyEffectiveDecayPerHour)
            m += c.activityGBq * c.marrowGyPerGBq * exp(em * DosePrediction.logSigma(relativeUncertainty: c.marrowRelativeUncertainty))
        }
        return (k, b, m)
    }

    /// Kidney dose, kidney BED and marrow dose at the end of `cycle` with their bands and exceedance
    /// probabilities against `limits`.
    public func spreads(through cycle: Int, limits: PlanLimits) -> (kidney: Spread, bed: Spread, marrow: Spread) {
        let model = BiologicallyEffectiveDose(alphaBetaGy: limits.kidneyAlphaBetaGy, repairHalfTimeHours: limits.kidneyRepairHalfTimeHours)
        func c(_ e: Double) -> (kidney: Double, bed: Double, marrow: Double) {
            cumulative(through: cycle, kidneyEpsilon: e, marrowEpsilon: e, bed: model)
        }
        let mid = c(0), lo = c(-1), hi = c(1)
        func spread(_ pick: ((kidney: Double, bed: Double, marrow: Double)) -> Double, limit: Double) -> Spread {
            Spread(value: pick(mid), lower: pick(lo), upper: pick(hi), limit: limit,
                   exceedanceProbability: Self.exceedance(limit: limit) { pick(c($0)) })
        }
        return (spread({ $0.kidney }, limit: limits.kidneyDoseGy), spread({ $0.bed }, limit: limits.kidneyBEDGy),
                spread({ $0.marrow }, limit: limits.marrowDoseGy))
    }

    /// P(D(ε) > limit) = 1 − Φ(ε*) for D increasing in ε, ε* found by bisection on [−40, 40].
    static func exceedance(limit: Double, _ value: (Double) -> Double) -> Double {
        var lo = -40.0, hi = 40.0
        if value(lo) > limit { return 1 }
        if value(hi) <= limit { return 0 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if value(mid) > limit { hi = mid } else { lo = mid }
            if hi - lo < 1e-12 { break }
        }
        return StandardNormal.upperTail((lo + hi) / 2)
    }
}
