import Foundation

/// How much work a validation run does: `quick` is the reduced subset run by `make test`,
/// `full` the complete suite whose report is committed under `validation/REPORT.md`.
public enum ValidationMode: String, Sendable {
    case quick, full
}

/// What every case needs to run: mode, seed, threads and where reference data live.
public struct ValidationContext: Sendable {
    public var mode: ValidationMode
    /// Master seed of every Monte Carlo run of the suite.
    public var seed: UInt64
    public var threads: Int
    /// The project's `validation/` folder (reference CSV files of each case).
    public var validationDirectory: String

    public init(mode: ValidationMode, seed: UInt64 = 20_240_607, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                validationDirectory: String) {
        self.mode = mode; self.seed = seed; self.threads = max(1, threads)
        self.validationDirectory = validationDirectory
    }

    /// The independent reference tables (NIST SRD 126 and ESTAR): `validation/reference`.
    public var referenceDirectory: String { validationDirectory + "/reference" }

    /// The project's `phantoms/` folder (beside `validation/`): scanner calibrations, the patient15 phantom.
    public var phantomsDirectory: String {
        URL(fileURLWithPath: validationDirectory).standardizedFileURL.deletingLastPathComponent().path + "/phantoms"
    }

    public var isQuick: Bool { mode == .quick }
}

/// Outcome of one compared quantity.
public enum ValidationStatus: String, Sendable {
    /// |value − reference| ≤ k·σ + systematic allowance (or the stated bound holds).
    case pass
    case fail
    /// Shown for information only (no independent reference, or a reference of unverified provenance).
    case info
}

/// One compared quantity: a computed value against a reference with its tolerance.
public struct ValidationRow: Sendable {
    /// What is compared, e.g. "μ/ρ water 100 keV".
    public var quantity: String
    public var value: Double
    /// Reference value (NaN when the row is a bound or has no reference).
    public var reference: Double
    /// Standard uncertainty (1σ) of `value` (0 for deterministic quantities).
    public var sigma: Double
    /// Allowed |value − reference| = k·σ + systematic allowance; NaN for `info` rows.
    public var tolerance: Double
    public var unit: String
    public var status: ValidationStatus
    /// Short explanation (bound used, provenance, cause of a failure).
    public var note: String

    public init(quantity: String, value: Double, reference: Double, sigma: Double, tolerance: Double, unit: String,
                status: ValidationStatus, note: String = "") {
        self.quantity = quantity; self.value = value; self.reference = reference; self.sigma = sigma
        self.tolerance = tolerance; self.unit = unit; self.status = status; self.note = note
    }

    /// Compares `value` with `reference`: pass when |Δ| ≤ k·σ + `systematic` (absolute, in the row's unit).
    public static func compare(_ quantity: String, value: Double, reference: Double, sigma: Double, k: Double,
                               systematic: Double, unit: String, note: String = "") -> ValidationRow {
        let tol = k * sigma + systematic
        let ok = value.isFinite && abs(value - reference) <= tol
        return ValidationRow(quantity: quantity, value: value, reference: reference, sigma: sigma, tolerance: tol,
                             unit: unit, status: ok ? .pass : .fail, note: note)
    }

    /// Checks a one-sided bound: pass when value ≥ lower − k·σ − systematic (`isLower`) or value ≤ upper + k·σ + systematic.
    public static func bound(_ quantity: String, value: Double, bound: Double, isLower: Bool, sigma: Double, k: Double,
                             systematic: Double, unit: String, note: String = "") -> ValidationRow {
        let tol = k * sigma + systematic
        let ok = value.isFinite && (isLower ? value >= bound - tol : value <= bound + tol)
        return ValidationRow(quantity: quantity, value: value, reference: bound, sigma: sigma, tolerance: tol, unit: unit,
                             status: ok ? .pass : .fail, note: (isLower ? "lower bound. " : "upper bound. ") + note)
    }

    /// A row shown for information only.
    public static func info(_ quantity: String, value: Double, reference: Double = .nan, sigma: Double = 0, unit: String,
                            note: String) -> ValidationRow {
        ValidationRow(quantity: quantity, value: value, reference: reference, sigma: sigma, tolerance: .nan, unit: unit,
                      status: .info, note: note)
    }
}

/// Result of one case: rows, one SVG figure, and notes for the report.
public struct ValidationCaseResult: Sendable {
    public var name: String
    public var title: String
    public var rows: [ValidationRow]
    /// SVG document (one figure per case).
    public var figureSVG: String
    public var figureCaption: String
    /// Free text for the report (parameters used, discrepancies found).
    public var notes: [String]
    public var elapsedSeconds: Double = 0

    public init(name: String, title: String, rows: [ValidationRow], figureSVG: String, figureCaption: String,
                notes: [String] = []) {
        self.name = name; self.title = title; self.rows = rows; self.figureSVG = figureSVG
        self.figureCaption = figureCaption; self.notes = notes
    }

    /// True when no row failed.
    public var passed: Bool { !rows.contains { $0.status == .fail } }
    public var failedCount: Int { rows.filter { $0.status == .fail }.count }
    public var passedCount: Int { rows.filter { $0.status == .pass }.count }
}

/// A validation case: a named comparison of RPTDose against an independent reference.
public protocol ValidationCase: Sendable {
    /// Folder name under `validation/` and the `--case` name.
    var name: String { get }
    var title: String { get }
    /// Whether the case runs in `--quick` mode.
    var inQuickSuite: Bool { get }
    func run(_ context: ValidationContext) throws -> ValidationCaseResult
}
