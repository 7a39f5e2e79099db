import Foundation

/// How lesion dosimetry enters an investigational-arm plan (protocol key `planning.lesions`;
/// method: docs/methods/planner.md, "Tumour-tailored planning").
///
/// Default (`tailored`): a planned cycle is escalated above `baseActivityGBq` only when the predicted lesion
/// dose per activity of that cycle — the `percentile`-th percentile over the lesions, 0 = the least-dosed
/// lesion — reaches `uptakeThresholdGyPerGBq`; and once the same percentile of the cumulative lesion doses
/// reaches `targetDoseGy`, the plan gives no more activity than it needs to reach it (never less than the base
/// activity, unless an organ limit binds). The three numbers are RPTDose planning defaults, not trial values;
/// set them in the protocol.
public struct LesionRule: Equatable, Sendable {
    public enum Mode: String, CaseIterable, Sendable {
        /// Uptake threshold and lesion target as described above.
        case tailored
        /// Lesion doses only rank candidate plans (`planning.objective`); activities are set by the organ limits,
        /// the cap and the toxicity rules (the behaviour before 2026-12).
        case organLimitsOnly = "organ_limits_only"
    }

    public var mode: Mode
    /// Percentile (0–100) of the lesion doses used for the threshold and the target; 0 = the minimum lesion,
    /// 50 = the median (linear interpolation between order statistics, as numpy's default).
    public var percentile: Double
    /// Escalation above `baseActivityGBq` only when the predicted lesion dose per activity (percentile) of the
    /// cycle is at least this (Gy/GBq). Default 1 Gy/GBq: below it one escalated cycle (+7.4 GBq) adds under
    /// 7.4 Gy to that lesion while doubling the organ doses of the cycle — an RPTDose planning default.
    public var uptakeThresholdGyPerGBq: Double
    /// Cumulative lesion dose (percentile; Gy) at which escalation stops; nil = no target. Default 150 Gy, an
    /// RPTDose planning default: tumour dose–response in PRRT is graded without an established threshold
    /// (e.g. odds ratio of response 1.5 per 50 Gy in cycle 1: Alipour et al., Eur J Nucl Med Mol Imaging
    /// 50:2997, 2023), so the protocol must state its own target.
    public var targetDoseGy: Double?
    /// Activity a planned cycle may have without the uptake justifying escalation (GBq; default 7.4, the label's).
    public var baseActivityGBq: Double

    public init(mode: Mode = .tailored, percentile: Double = 50, uptakeThresholdGyPerGBq: Double = 1,
                targetDoseGy: Double? = 150, baseActivityGBq: Double = 7.4) {
        self.mode = mode
        self.percentile = percentile
        self.uptakeThresholdGyPerGBq = uptakeThresholdGyPerGBq
        self.targetDoseGy = targetDoseGy
        self.baseActivityGBq = baseActivityGBq
    }

    /// The `p`-th percentile (0–100) of `values` by linear interpolation between the sorted values
    /// (numpy.percentile's default "linear" method); nil for no values.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let h = Double(s.count - 1) * min(max(p, 0), 100) / 100
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }
}
