import Foundation
import RPTCore

/// The unit of a time-integrated activity (TIA) map given to `rptdose simulate`: Bq·s per voxel or Bq·s per mL.
///
/// The unit is taken from the file when it states one (NIfTI `descrip`, MetaImage `Comment` `unit=…`, HDF5
/// `unit` attribute); otherwise `--activity-unit` must say it. A file stating an activity or concentration at
/// one time (Bq, Bq/mL, counts: a SPECT) is refused — transporting it as a TIA would give doses about 10⁴–10⁵
/// times too low (a TIA is the activity integrated over days: 10⁵ s order).
public enum ActivityMapUnit: String, CaseIterable, Sendable {
    case becquerelSecond = "bq-s"
    case becquerelSecondPerML = "bq-s-per-ml"

    /// What a file's unit text says about a TIA map.
    enum FileUnit: Equatable {
        case unstated
        case timeIntegrated(ActivityMapUnit)
        case instantaneous(String)
        case other(String)
    }

    /// `unit` with case, spaces and the separators ·, *, ., -, _ removed ("Bq·s/mL" → "bqs/ml").
    static func normalised(_ unit: String) -> String {
        String(unit.lowercased().filter { !" ·*.-_\t".contains($0) }).replacingOccurrences(of: "per", with: "/")
    }

    static func classify(_ unit: String) -> FileUnit {
        let u = normalised(unit)
        if u.isEmpty { return .unstated }
        switch u {
        case "bqs", "bqsec": return .timeIntegrated(.becquerelSecond)
        case "bqs/ml", "bqs/cm3", "bqs/cc": return .timeIntegrated(.becquerelSecondPerML)
        case "bq", "kbq", "mbq", "bq/ml", "kbq/ml", "mbq/ml", "bq/cc", "bq/cm3", "counts", "{counts}", "cnts", "cps":
            return .instantaneous(unit)
        default: return .other(unit)
        }
    }

    /// The unit of the map in `source` whose header says `fileUnit`, given `option` (`--activity-unit`, nil when absent).
    public static func resolve(fileUnit: String, option: String?, source: String) throws -> ActivityMapUnit {
        var stated: ActivityMapUnit?
        if let option {
            guard let u = ActivityMapUnit(rawValue: option) else {
                throw InputError(source: "--activity-unit", value: option,
                                 reason: "valid: " + allCases.map(\.rawValue).joined(separator: ", "))
            }
            stated = u
        }
        switch classify(fileUnit) {
        case .timeIntegrated(let u):
            if let stated, stated != u {
                throw InputError(source: source, field: "unit", value: fileUnit,
                                 reason: "the file states \(fileUnit) but --activity-unit says \(stated.rawValue): drop --activity-unit or fix the file")
            }
            return u
        case .instantaneous(let u):
            throw InputError(source: source, field: "unit", value: u,
                             reason: "this is an activity at one time (a SPECT), not a time-integrated activity (Bq·s): "
                                + "integrate the time points first (`rptdose dosimetry` with a study manifest)")
        case .other(let u):
            throw InputError(source: source, field: "unit", value: u,
                             reason: "not a unit of time-integrated activity: expected Bq s (per voxel) or Bq s/mL")
        case .unstated:
            guard let stated else {
                throw InputError(source: "--activity-unit", value: source,
                                 reason: "the activity map does not state its unit: say it with --activity-unit bq-s (Bq·s per voxel) "
                                    + "or bq-s-per-ml (Bq·s/mL)")
            }
            return stated
        }
    }

    /// Smallest plausible total TIA of a patient map (Bq·s): 0.1 GBq administered with an effective half-life of
    /// ≥ 1 h (Ã = A·T½/ln 2) — a therapy cycle of Lu-177 gives 10¹⁴–10¹⁶ Bq·s.
    public static let minimumPlausiblePatientTIABqS = 1e8 * 3600 / 0.6931471805599453

    /// A loud warning when `totalBqS` is far below any therapy (e.g. a SPECT in Bq/mL declared as Bq·s/mL),
    /// nil otherwise. Not an error: test objects and kernels legitimately use small maps.
    public static func magnitudeWarning(totalBqS: Double, source: String) -> String? {
        guard totalBqS > 0, totalBqS < minimumPlausiblePatientTIABqS else { return nil }
        return "\(source): the total time-integrated activity is \(String(format: "%.3g", totalBqS)) Bq·s, below any "
            + "therapy (a Lu-177 cycle gives 1e14–1e16 Bq·s; 0.1 GBq for 1 h is \(String(format: "%.2g", minimumPlausiblePatientTIABqS))): "
            + "is this an activity map (Bq or Bq/mL at one time) rather than a time-integrated one? Doses would be far too low."
    }
}
