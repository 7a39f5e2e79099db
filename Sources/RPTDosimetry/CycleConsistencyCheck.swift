import Foundation
import RPTCore

/// Checks of one cycle's images against its manifest that no single field can show:
///
/// - **administered activity vs SPECT**: the activity in the first SPECT, decay-corrected back to the
///   administration, must not exceed the administered activity by more than `maximumSpectToAdministered`
///   (calibration uncertainty); far below (`minimumSpectToAdministered`) is flagged — the SPECT field of view
///   holds only part of the body and the bladder may have been voided, so a low fraction alone is no error.
/// - **decay-corrected images** (a NIfTI exported with decay correction to the administration, without the
///   DICOM tag saying so): physical decay alone makes the total activity in the field of view fall by
///   e^(−λ_p·Δt) between scans; totals that do not fall (beyond `decayTolerance`), or time-activity fits at the
///   physical-decay limit (λ_eff = λ_p, no biological clearance) holding a large share of the activity, mean the
///   images were decay-corrected and every TIA would be too high. (Decay correction lowers every fitted λ_eff by
///   λ_p, so every region clearing slower than 2 λ_p — DOTATATE tumours, the remainder — lands on the limit; in
///   uncorrected images only near-empty regions, whose few points are noise, do.)
public enum CycleConsistencyCheck {
    /// SPECT total at the first scan (decay-corrected to the administration) over the administered activity,
    /// above which the inputs contradict each other (30 %: SPECT calibration ± 10 %, dose calibrator ± 5 %, margin).
    public static let maximumSpectToAdministered = 1.3
    /// Below this fraction the inputs are flagged: even a one-bed-position SPECT of the abdomen holds more.
    public static let minimumSpectToAdministered = 0.05
    /// Allowed rise above the decay-expected total between scans (counting noise and calibration drift of a few %).
    public static let decayTolerance = 0.05
    /// A fit's λ_eff within this fraction of λ_p is "at the physical-decay limit".
    public static let limitTolerance = 0.01
    /// Share of the fitted regions' Ã above which slow fits make the images look decay-corrected (a heuristic:
    /// in the synthetic patient decay-corrected images put 31 % of the Ã below `slowRatio`, uncorrected ones 0 %).
    public static let limitTIAShare = 0.25
    /// λ_eff / λ_p below which a fit counts as slow (less than a third of its clearance biological).
    public static let slowRatio = 1.5
    /// Smallest Ã share of a region on the limit that counts (near-empty regions sit there from noise alone).
    public static let minimumRegionShare = 0.01

    /// Throws when the SPECT holds more than the administered activity allows; returns a warning when far less.
    public static func administeredActivity(cycle: StudyCycle, totalBq: [Double], physicalDecayPerSecond λ: Double,
                                            source: String) throws -> [String] {
        guard let first = totalBq.first, let t = cycle.timePoints.first?.hoursAfterAdministration, t.isFinite,
              cycle.administeredActivityBq > 0 else { return [] }
        let atAdministration = first * exp(λ * t * 3600)
        let ratio = atAdministration / cycle.administeredActivityBq
        if ratio > maximumSpectToAdministered {
            throw InputError(source: source, field: "cycles[cycle \(cycle.number)].administered_activity_gbq",
                             value: String(format: "%g", cycle.administeredActivityGBq),
                             reason: String(format: "the first SPECT (%.1f h) holds %.3g GBq decay-corrected to the administration, "
                                + "%.0f %% of the administered activity (at most %.0f %% is possible): wrong activity or unit, "
                                + "wrong SPECT calibration, or images of another patient/cycle?",
                                t, atAdministration / 1e9, 100 * ratio, 100 * maximumSpectToAdministered))
        }
        if ratio < minimumSpectToAdministered {
            return [String(format: "the first SPECT (%.1f h) holds only %.2g GBq decay-corrected to the administration, %.1f %% of the "
                + "administered %.3g GBq: check the administered activity's unit and the SPECT calibration", t,
                atAdministration / 1e9, 100 * ratio, cycle.administeredActivityGBq)]
        }
        return []
    }

    /// Warnings when the images look decay-corrected to the administration.
    /// - Parameters:
    ///   - totalBq: activity in the field of view at each time point (not decay corrected).
    ///   - fits: (region, λ_eff in 1/s, Ã in Bq·s) of every region (λ_eff NaN = clearance not measured).
    public static func decayCorrection(timesHours: [Double], totalBq: [Double], fits: [(String, Double, Double)],
                                       physicalDecayPerSecond λ: Double) -> [String] {
        var out: [String] = []
        for i in 1..<max(1, min(timesHours.count, totalBq.count)) where totalBq[i - 1] > 0 {
            let expectedAtMost = totalBq[i - 1] * exp(-λ * (timesHours[i] - timesHours[i - 1]) * 3600)
            if totalBq[i] > expectedAtMost * (1 + decayTolerance) {
                out.append(String(format: "the total activity in the field of view does not fall by physical decay between "
                    + "%.1f h and %.1f h (%.3g → %.3g Bq; at most %.3g expected): are the images decay-corrected to the "
                    + "administration? Then every TIA is too high — use images without decay correction",
                    timesHours[i - 1], timesHours[i], totalBq[i - 1], totalBq[i], expectedAtMost))
                break
            }
        }
        let measured = fits.filter { $0.1.isFinite && $0.1 > 0 && $0.2.isFinite && $0.2 >= 0 }
        let total = measured.reduce(0) { $0 + $1.2 }
        func share(_ f: [(String, Double, Double)]) -> Double { total > 0 ? f.reduce(0) { $0 + $1.2 } / total : 0 }
        let atLimit = measured.filter { abs($0.1 / λ - 1) <= limitTolerance }
        let active = atLimit.filter { total > 0 && $0.2 / total >= minimumRegionShare }
        let slow = measured.filter { $0.1 / λ < slowRatio }
        let flagged = measured.count >= 2 && (share(atLimit) >= limitTIAShare || 2 * atLimit.count >= measured.count
                                              || (!active.isEmpty && share(slow) >= limitTIAShare))
        if flagged {
            out.append("\(atLimit.count) of \(measured.count) time-activity fits sit at the physical-decay limit (no biological "
                + "clearance: " + atLimit.map(\.0).joined(separator: ", ") + String(format: "), and fits clearing less than "
                + "%.1f × the physical rate hold %.0f %% of the activity: are the images decay-corrected to the administration? "
                + "Then every TIA is too high", slowRatio, 100 * share(slow)))
        }
        return out
    }
}
