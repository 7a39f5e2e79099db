import Foundation
import RPTCore
import RPTStore

/// The per-cycle region table: one row per region (organ, lesion, red marrow) with the same columns, in the
/// same order, in `regions.csv`, in every `regions.json` object and in the HDF5 table `/tables/regions` of
/// `dosimetry.h5` (docs/formats/hdf5.md, docs/formats/study-manifest.md "Outputs"). The one definition of
/// those columns: the writer and every reader go through it.
public enum RegionTableSchema {
    /// One column: its name, unit and how it is read from and written into a row.
    public struct Column: Sendable {
        public let name: String
        public let unit: String
        let text: (@Sendable (RegionDoseRow) -> String)?
        let number: (@Sendable (RegionDoseRow) -> Double)?
        let setText: (@Sendable (inout RegionDoseRow, String) throws -> Void)?
        let setNumber: (@Sendable (inout RegionDoseRow, Double) -> Void)?

        /// The column's value in `row` (String or Double).
        public func value(_ row: RegionDoseRow) -> Any { text?(row) ?? number!(row) }
        public var isText: Bool { text != nil }
    }

    static func text(_ name: String, _ get: @escaping @Sendable (RegionDoseRow) -> String,
                     _ set: @escaping @Sendable (inout RegionDoseRow, String) throws -> Void) -> Column {
        Column(name: name, unit: "", text: get, number: nil, setText: set, setNumber: nil)
    }

    static func number(_ name: String, _ unit: String, _ key: WritableKeyPath<RegionDoseRow, Double> & Sendable) -> Column {
        Column(name: name, unit: unit, text: nil, number: { $0[keyPath: key] }, setText: nil, setNumber: { $0[keyPath: key] = $1 })
    }

    /// The columns, in order. `combined_rel_uncertainty` and `effective_half_life_h` are derived from the other
    /// columns (written for the reader's convenience; a reader recomputes them from the row).
    public static let columns: [Column] = [
        text("region", { $0.region }, { $0.region = $1 }),
        text("kind", { $0.kind.rawValue }, { row, s in
            guard let k = RegionKind(rawValue: s) else {
                throw InputError(source: "region table", field: "kind", value: s, reason: "valid: organ, lesion, red_marrow")
            }
            row.kind = k
        }),
        number("mass_g", "g", \.massG),
        number("tia_bq_s", "Bq s", \.tiaBqS),
        number("tia_rel_uncertainty", "1", \.tiaRelativeUncertainty),
        number("residence_time_h", "h", \.residenceTimeHours),
        number("mean_dose_gy", "Gy", \.meanDoseGy),
        number("dose_per_gbq_gy", "Gy/GBq", \.dosePerGBqGy),
        number("min_dose_gy", "Gy", \.minDoseGy),
        number("max_dose_gy", "Gy", \.maxDoseGy),
        number("d2_gy", "Gy", \.d2Gy),
        number("d50_gy", "Gy", \.d50Gy),
        number("d98_gy", "Gy", \.d98Gy),
        number("mc_rel_uncertainty", "1", \.mcRelativeUncertainty),
        number("fit_rel_uncertainty", "1", \.fitRelativeUncertainty),
        Column(name: "combined_rel_uncertainty", unit: "1", text: nil, number: { $0.combinedRelativeUncertainty },
               setText: nil, setNumber: nil),
        Column(name: "effective_half_life_h", unit: "h", text: nil, number: { $0.effectiveHalfLifeHours },
               setText: nil, setNumber: { $0.effectiveDecayPerHour = 0.693_147_180_559_945_3 / $1 }),
        text("kinetics", { $0.kineticsMethod }, { $0.kineticsMethod = $1 }),
    ]

    /// Column names in order (the CSV header, the JSON keys).
    public static var names: [String] { columns.map(\.name) }

    /// The values of `row` in column order (String or Double).
    public static func values(_ row: RegionDoseRow) -> [Any] { columns.map { $0.value(row) } }

    /// The rows as an HDF5 table, with units.
    public static func table(_ rows: [RegionDoseRow]) -> Table {
        Table(columns: columns.map { c in
            c.isText ? .init(c.name, .string(rows.map { c.text!($0) }))
                : .init(c.name, .double(rows.map { c.number!($0) }), unit: c.unit)
        })
    }

    /// The rows of an HDF5 region table written by `table(_:)`; `source` names the file in errors.
    public static func rows(of t: Table, source: String) throws -> [RegionDoseRow] {
        var count: Int?
        var texts: [String: [String]] = [:], numbers: [String: [Double]] = [:]
        for c in columns {
            let n: Int
            switch t[c.name]?.data {
            case .string(let v)? where c.isText: texts[c.name] = v; n = v.count
            case .double(let v)? where !c.isText: numbers[c.name] = v; n = v.count
            default:
                throw InputError(source: source, field: "/tables/regions/" + c.name,
                                 reason: "missing \(c.isText ? "string" : "float") column")
            }
            if let count, count != n {
                throw InputError(source: source, field: "/tables/regions/" + c.name, value: "\(n) rows",
                                 reason: "other columns have \(count) rows")
            }
            count = n
        }
        return try (0..<(count ?? 0)).map { i in
            var row = RegionDoseRow(region: "", kind: .organ, massG: .nan, tiaBqS: .nan, tiaRelativeUncertainty: .nan,
                                    residenceTimeHours: .nan, meanDoseGy: .nan, dosePerGBqGy: .nan, minDoseGy: .nan,
                                    maxDoseGy: .nan, d2Gy: .nan, d50Gy: .nan, d98Gy: .nan, mcRelativeUncertainty: .nan,
                                    fitRelativeUncertainty: .nan, kineticsMethod: "", effectiveDecayPerHour: .nan)
            for c in columns {
                if let set = c.setText { try set(&row, texts[c.name]![i]) }
                if let set = c.setNumber { set(&row, numbers[c.name]![i]) }
            }
            return row
        }
    }
}
