import Foundation
import RPTKinetics
import RPTPlanner
import RPTRegistration

/// A patient study: who, which arm, and per cycle the administration, the imaging time points and the
/// blood samples (format: docs/formats/study-manifest.md). Paths are absolute (resolved against the
/// manifest's folder when read).
public struct StudyManifest: Sendable {
    /// Plausible activity of one Lu-177 DOTATATE administration (GBq). The label gives 7.4 GBq (200 mCi) per
    /// cycle, reduced to 3.7 GBq after toxicity (LUTATHERA prescribing information, 2018, section 2.2), and
    /// dosimetry-guided protocols stay ≤ 14.8 GBq (400 mCi) per cycle (NCT06395402). Outside 0.5…15 GBq the
    /// number is a unit slip (mCi or MBq typed into a GBq field), not a treatment.
    public static let plausibleAdministeredActivityGBq = 0.5...15.0

    /// Why `gbq` is not a plausible administered activity (naming the unit it probably is), or nil.
    public static func administeredActivityProblem(_ gbq: Double) -> String? {
        let range = plausibleAdministeredActivityGBq
        guard !range.contains(gbq) else { return nil }
        var s = "implausible administered activity: expected \(range.lowerBound)…\(range.upperBound) GBq (label: 7.4 GBq per cycle, 3.7 GBq reduced)"
        if range.contains(gbq * 0.037) {
            s += String(format: "; %g mCi would be %.2f GBq — was it typed in mCi?", gbq, gbq * 0.037)
        } else if range.contains(gbq / 1000) {
            s += String(format: "; %g MBq would be %.2f GBq — was it typed in MBq?", gbq, gbq / 1000)
        }
        return s
    }

    /// Largest accepted `spect_resolution_fwhm_mm` (mm): well above any Lu-177 SPECT (10–20 mm FWHM).
    public static let maximumSpectResolutionFWHMMM = 50.0
    /// Current `format_version`.
    public static let currentFormatVersion = 1

    /// Path of the manifest file (used as `source` in errors).
    public var path: String
    public var formatVersion: Int
    /// Radionuclide name as in the ICRP-107 table (default `Lu-177`).
    public var nuclide: String
    public var patient: StudyPatient
    public var arm: TreatmentArm
    /// Label map shared by every time point that has none of its own.
    public var sharedLabels: LabelMapReference?
    /// Reporting regions made of several label names (e.g. `kidney_left` = cortex ∪ medulla), in order.
    public var regionGroups: [(name: String, members: [String])]
    /// Regions reported as lesions (tumour doses); `nil` → every region whose name starts with
    /// `tumor`, `tumour` or `lesion`.
    public var lesions: [String]?
    /// Region holding the red marrow in the image (cross-dose); default `red_marrow`.
    public var marrowRegion: String
    /// Regions making up "the kidneys" for the planner; default `kidney_left`, `kidney_right`.
    public var kidneyRegions: [String]
    /// Partial-volume recovery coefficients per reporting region (measured / true activity, 0 < RC ≤ 1).
    public var recoveryCoefficients: [String: Double]
    /// SPECT resolution (FWHM, mm): when given, region activities are corrected for spill-out and
    /// spill-in by the geometric transfer matrix (docs/methods/dosimetry.md).
    public var spectResolutionFWHMMM: Double?
    /// Relative standard uncertainty of a region activity from one SPECT (default 0.10).
    public var activityRelativeUncertainty: Double
    /// The part of `activityRelativeUncertainty` common to every time point of a cycle (SPECT calibration factor,
    /// recovery coefficient; `activity_common_relative_uncertainty`, default 0): left out of the fits' weights and
    /// added to σ(Ã) (docs/methods/kinetics.md, "Measurement uncertainty in the fit").
    public var activityCommonRelativeUncertainty: Double = 0
    /// The independent (per-time-point) part √(σ² − σ_common²): the weights of the time-activity fits.
    public var activityIndependentRelativeUncertainty: Double {
        (max(0, activityRelativeUncertainty * activityRelativeUncertainty
            - activityCommonRelativeUncertainty * activityCommonRelativeUncertainty)).squareRoot()
    }
    /// Relative standard uncertainty of a blood-sample concentration (default 0.05).
    public var bloodRelativeUncertainty: Double
    /// Whole-blood haematocrit (0–1), recorded for provenance; not used with RMBLR = 1.
    public var haematocrit: Double?
    /// Red-marrow-to-blood activity concentration ratio (default 1, Forrer et al. 2009).
    public var marrowToBloodRatio: Double
    /// Treatment cycles in administration order.
    public var cycles: [StudyCycle]
    /// Where the dosimetry outputs of each cycle are (cycle → folder), for `rptdose plan`.
    public var dosimetryOutputs: [Int: String]
    /// How each cycle's time points are registered to its reference time point (`registration:`; default none;
    /// docs/methods/registration.md).
    public var registration: RegistrationMode = .none

    /// The cycle numbered `number`, if present.
    public func cycle(_ number: Int) -> StudyCycle? { cycles.first { $0.number == number } }

    /// The folder holding the manifest.
    public var directory: String { (path as NSString).deletingLastPathComponent }
}

/// Patient data used by the dosimetry (marrow mass scaling) and the planner.
public struct StudyPatient: Sendable, Equatable {
    public var id: String
    public var sex: PatientSex
    /// Body mass (kg).
    public var massKg: Double
    /// Height (cm).
    public var heightCm: Double
    /// Renal risk factors (hypertension, diabetes…): selects the planner's kidney BED limit.
    public var kidneyRiskFactors: Bool
    /// Patient name as it should appear on the report (optional; printed only with `--show-identifiers`).
    public var name: String = ""
    /// Date of birth, ISO 8601 `YYYY-MM-DD` (optional; printed only with `--show-identifiers`).
    public var birthDate: String = ""

    /// True for an ISO 8601 calendar date `YYYY-MM-DD` that exists, after 1900 and not in the future.
    public static func isBirthDate(_ s: String, now: Date = Date()) -> Bool {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        guard s.count == 10, let d = f.date(from: s), f.string(from: d) == s else { return false }
        return d <= now && d >= f.date(from: "1900-01-01")!
    }
}

/// Sex of the patient; selects the ICRP 89 reference values.
public enum PatientSex: String, Sendable, CaseIterable {
    case male, female
}

/// A label image and its `label,name` table.
public struct LabelMapReference: Sendable, Equatable {
    /// Label image path.
    public var image: String
    /// CSV `label,name` path; several labels may share a name (they form one region).
    public var names: String
}

/// How the voxel values of a SPECT image are turned into activity.
public enum SpectUnit: Sendable, Equatable {
    /// Activity concentration (Bq/mL): activity per voxel = value × voxel volume.
    case becquerelPerML
    /// Counts per voxel: activity = counts / (calibration × acquisition time).
    case counts(calibrationCPSPerMBq: Double, acquisitionSeconds: Double)

    /// Factor from voxel value to activity in the voxel (Bq) for a voxel of `voxelVolumeML`.
    public func becquerelPerUnit(voxelVolumeML: Double) -> Double {
        switch self {
        case .becquerelPerML: return voxelVolumeML
        case let .counts(c, t): return 1 / (c * 1e-6 * t)
        }
    }

    /// Manifest spelling.
    public var name: String {
        switch self {
        case .becquerelPerML: return "bq_per_ml"
        case .counts: return "counts"
        }
    }
}

/// One quantitative SPECT image.
public struct SpectReference: Sendable, Equatable {
    public var image: String
    public var unit: SpectUnit
}

/// One imaging session: CT, SPECT and (optionally) its own label map.
public struct ImagingTimePoint: Sendable, Equatable {
    /// Scan reference time.
    public var time: Date
    /// Hours after the cycle's administration.
    public var hoursAfterAdministration: Double
    public var ct: String
    public var spect: SpectReference
    /// The time point's own label map; `nil` → the manifest's shared one.
    public var labels: LabelMapReference?
}

/// One whole-blood sample.
public struct BloodSampleEntry: Sendable, Equatable {
    public var time: Date
    public var hoursAfterAdministration: Double
    /// Measured whole-blood activity concentration (Bq/mL) at the sampling time, not decay corrected.
    public var concentrationBqPerML: Double
}

/// How Ã is estimated for a cycle with fewer than 4 time points (docs/methods/kinetics.md).
public enum ReducedMethodChoice: String, Sendable, CaseIterable {
    /// Cycle-1 fitted shape, amplitude rescaled to the new points (default when cycle 1 has a fit and this
    /// cycle has one point).
    case cycleOneShape = "cycle1_shape"
    /// Cycle-1 fitted shape with amplitude and terminal clearance refitted (default when cycle 1 has a fit and
    /// this cycle has ≥ 2 points): estimates the effective half-life change against cycle 1.
    case cycleOneClearance = "cycle1_clearance"
    /// Mono-exponential through the points.
    case twoPoint = "two_point"
    /// Hänscheid et al. 2018 single time point.
    case hanscheid
    /// Madsen et al. 2018 single time point with λ_eff from cycle 1.
    case madsen
}

/// One treatment cycle.
public struct StudyCycle: Sendable, Equatable {
    /// Cycle number (1-based).
    public var number: Int
    public var administeredActivityGBq: Double
    public var administrationTime: Date
    public var timePoints: [ImagingTimePoint]
    public var bloodSamples: [BloodSampleEntry]
    /// Method for a reduced protocol (< 4 time points); `nil` → the documented default.
    public var reducedMethod: ReducedMethodChoice?
    /// Index of the time point that gives the geometry (CT), the dose grid (SPECT) and the hybrid
    /// activity distribution; `nil` → the first time point ≥ 20 h, else the last.
    public var referenceTimePoint: Int?
    /// Toxicity observed after this administration, up to the time of planning (key `toxicity`); `nil` → none
    /// reported. `rptdose plan --after-cycle K` uses cycle K's report.
    public var toxicity: ToxicityReport? = nil
    /// False for a cycle given without imaging (or whose scans failed; key `imaged: false`): it has no time points,
    /// and `rptdose dosimetry` predicts its doses from the earlier imaged cycles (`PredictedCycleDosimetry`).
    public var imaged: Bool = true

    /// Administered activity (Bq).
    public var administeredActivityBq: Double { administeredActivityGBq * 1e9 }

    /// The reference time point index (see `referenceTimePoint`).
    public var referenceIndex: Int {
        if let r = referenceTimePoint { return r }
        return timePoints.firstIndex { $0.hoursAfterAdministration >= 20 } ?? (timePoints.count - 1)
    }
}

extension StudyManifest {
    /// The regions reported as lesions: `lesions`, or every region named `tumor…`, `tumour…`, `lesion…`.
    public func isLesion(_ region: String) -> Bool {
        if let lesions { return lesions.contains(region) }
        return region.hasPrefix("tumor") || region.hasPrefix("tumour") || region.hasPrefix("lesion")
    }

    /// The population priors of the kinetics (`Lu177DotatatePriors`) for a Lu-177 study; nil for another nuclide
    /// (no priors are tabulated for it).
    public func populationPriors(nuclide: String) -> (@Sendable (String) -> KineticPrior?)? {
        guard nuclide == "Lu-177" else { return nil }
        let lesions = self.lesions.map(Set.init)
        return { name in
            let lesion = lesions.map { $0.contains(name) }
                ?? (name.hasPrefix("tumor") || name.hasPrefix("tumour") || name.hasPrefix("lesion"))
            return Lu177DotatatePriors.prior(forRegion: name, isLesion: lesion)
        }
    }
}
