import RPTCore

/// A small column table (e.g. per-region dose statistics) stored in HDF5 as one 1-D dataset per column.
///
/// Columns are ordered; every column has the same number of rows. Each column holds float64, int64 or
/// string values and may carry a unit ("Gy", "mL"; empty = none).
public struct Table: Equatable, Sendable {
    /// The values of one column.
    public enum ColumnData: Equatable, Sendable {
        case double([Double])
        case int([Int64])
        case string([String])

        /// Number of rows.
        public var count: Int {
            switch self {
            case .double(let v): v.count
            case .int(let v): v.count
            case .string(let v): v.count
            }
        }
    }

    /// A named column with its unit.
    public struct Column: Equatable, Sendable {
        public var name: String
        public var data: ColumnData
        /// Unit of the values; empty when dimensionless or not applicable.
        public var unit: String
        public init(_ name: String, _ data: ColumnData, unit: String = "") {
            self.name = name; self.data = data; self.unit = unit
        }
    }

    public var columns: [Column]

    public init(columns: [Column] = []) { self.columns = columns }

    /// Appends a column.
    public mutating func append(_ name: String, _ data: ColumnData, unit: String = "") {
        columns.append(Column(name, data, unit: unit))
    }

    /// The column called `name`, if any.
    public subscript(name: String) -> Column? { columns.first { $0.name == name } }

    /// Column names in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// Number of rows (0 for a table without columns).
    public var rowCount: Int { columns.first?.data.count ?? 0 }

    /// Checks names (non-empty, unique, no "/", not "." or "..") and equal column lengths.
    /// - Parameter source: file (or other origin) named in the error; `field` gets the column.
    public func validate(source: String, table: String = "table") throws {
        var seen = Set<String>()
        for c in columns {
            guard !c.name.isEmpty, !c.name.contains("/"), c.name != ".", c.name != "..", !c.name.contains("\0") else {
                throw InputError(source: source, field: "\(table) column", value: c.name,
                                 reason: "column names must be non-empty and contain no '/' (and not be '.' or '..')")
            }
            guard seen.insert(c.name).inserted else {
                throw InputError(source: source, field: "\(table) column", value: c.name, reason: "duplicate column name")
            }
            guard c.data.count == rowCount else {
                throw InputError(source: source, field: "\(table) column '\(c.name)'", value: "\(c.data.count) rows",
                                 reason: "every column must have \(rowCount) rows like column '\(columns[0].name)'")
            }
        }
    }
}
