import Foundation
import RPTCore

/// The activities of the LUTATHERA label and of trial NCT06395402 that a protocol file cannot move
/// without a research override, and the plausible ranges of the dose limits and radiobiology that no
/// protocol file can leave (method: docs/methods/planner.md, "Hard limits").
public enum LabelLimits {
    /// Label activity per cycle: 7.4 GBq (200 mCi) — LUTATHERA US PI (rev. 4/2024), section 2.2.
    public static let standardActivityGBq = 7.4
    /// Label reduced activity after a dose-modifying toxicity: 3.7 GBq (100 mCi) — LUTATHERA US PI, section 2.4, Table 2.
    public static let reducedActivityGBq = 3.7
    /// Highest activity of one cycle in the trial's investigational arm: 14.8 GBq (400 mCi), twice the label activity.
    public static let maxCycleActivityGBq = 14.8
    /// Ceiling even under a research override: 29.6 GBq (800 mCi), four times the label activity. An RPTDose
    /// typo guard (a value typed in mCi or MBq instead of GBq lands far above it), not a clinical value.
    public static let researchCeilingGBq = 29.6
    /// Relative tolerance when comparing a configured activity with a label value (7.4 written as 7.40000001).
    static let relativeTolerance = 1e-9

    /// Plausible range of each dose limit and radiobiological parameter (inclusive). A value outside is a
    /// typo or a unit mistake and is refused with or without an override. Ranges, chosen wide around the
    /// published values (see `DoseLimits` for the sources of the defaults):
    /// - kidney absorbed dose 1–40 Gy (TD5/5 23 Gy, TD50/5 28 Gy: Emami et al. 1991);
    /// - kidney BED 1–60 Gy (28/40 Gy: Bodei et al. 2008);
    /// - red-marrow absorbed dose 0.1–5 Gy (2 Gy: Benua et al. 1962; whole-marrow TD50/5 4.5 Gy: Emami et al. 1991);
    /// - kidney α/β 0.5–20 Gy (2.6 Gy: Bodei et al. 2008; published late-responding-tissue values 1–5 Gy);
    /// - kidney repair half-time 0.1–24 h (2.8 h: Bodei et al. 2008; published values 0.5–5 h).
    public static let physicalRanges: [(field: String, range: ClosedRange<Double>, unit: String, value: (DoseLimits) -> Double)] = [
        ("limits.kidney_dose_gy", 1...40, "Gy", \.kidneyDoseGy),
        ("limits.kidney_bed_gy_with_risk_factors", 1...60, "Gy", \.kidneyBEDWithRiskFactorsGy),
        ("limits.kidney_bed_gy_without_risk_factors", 1...60, "Gy", \.kidneyBEDWithoutRiskFactorsGy),
        ("limits.marrow_dose_gy", 0.1...5, "Gy", \.marrowDoseGy),
        ("limits.kidney_alpha_beta_gy", 0.5...20, "Gy", \.kidneyAlphaBetaGy),
        ("limits.kidney_repair_half_time_h", 0.1...24, "h", \.kidneyRepairHalfTimeHours),
    ]

    /// A protocol setting that departs from the label or the trial.
    public struct Deviation: Equatable, Sendable {
        public var field: String
        public var value: Double
        /// What the label or trial allows, in words (e.g. "≤ 14.8 GBq (400 mCi)").
        public var allowed: String
        public var description: String { "\(field) = \(fmt(value)) GBq (\(fmt(ActivityUnits.mCi(fromGBq: value))) mCi); label/trial: \(allowed)" }
    }

    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= relativeTolerance * max(abs(a), abs(b)) }

    /// Every activity of `config` that departs from the label or the trial: the standard arm and the fixed
    /// investigational cycles other than 7.4 GBq, a cap above 14.8 GBq, a resume activity other than 3.7 GBq.
    public static func deviations(_ config: ProtocolConfig) -> [Deviation] {
        var d: [Deviation] = []
        let std = "exactly \(fmt(standardActivityGBq)) GBq (200 mCi)"
        if !same(config.standardArm.activityGBq, standardActivityGBq) {
            d.append(Deviation(field: "arms.standard.activity_gbq", value: config.standardArm.activityGBq, allowed: std))
        }
        if !same(config.investigationalArm.fixedActivityGBq, standardActivityGBq) {
            d.append(Deviation(field: "arms.investigational.fixed_activity_gbq", value: config.investigationalArm.fixedActivityGBq, allowed: std))
        }
        if config.investigationalArm.maxActivityGBq > maxCycleActivityGBq * (1 + relativeTolerance) {
            d.append(Deviation(field: "arms.investigational.max_activity_gbq", value: config.investigationalArm.maxActivityGBq,
                               allowed: "≤ \(fmt(maxCycleActivityGBq)) GBq (400 mCi)"))
        }
        if !same(config.toxicity.resumeActivityGBq, reducedActivityGBq) {
            d.append(Deviation(field: "toxicity.resume_activity_gbq", value: config.toxicity.resumeActivityGBq,
                               allowed: "exactly \(fmt(reducedActivityGBq)) GBq (100 mCi), the label's reduced activity"))
        }
        return d
    }

    /// The largest activity any cycle of `config` may have (GBq): 14.8 GBq, or the configured cap under an
    /// acknowledged research override.
    public static func cycleCeilingGBq(_ config: ProtocolConfig) -> Double {
        guard let o = config.researchOverride, o.acknowledged else { return maxCycleActivityGBq }
        return max(maxCycleActivityGBq, config.investigationalArm.maxActivityGBq, config.standardArm.activityGBq,
                   config.investigationalArm.fixedActivityGBq)
    }
}

/// A protocol's declared departure from the label activities (protocol file key `research_override`).
///
/// It takes effect only when the user also passes `--research-override` (`acknowledged`, never read from
/// the file). Every plan made under it records it (`Plan.researchOverride`) and `rptdose plan` prints it
/// as a warning.
public struct ResearchOverride: Equatable, Sendable {
    /// Why the protocol departs from the label (e.g. the approving ethics committee and protocol number).
    public var reason: String
    /// The user confirmed the override on the command line (`--research-override`). Not stored in the file.
    public var acknowledged: Bool

    public init(reason: String, acknowledged: Bool = false) {
        self.reason = reason
        self.acknowledged = acknowledged
    }
}
