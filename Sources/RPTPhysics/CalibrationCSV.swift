import Foundation
import RPTCore

/// The calibration and material-table CSV files: an RFC 4180 `CSVTable` (quoted fields, `#` comment lines,
/// blank lines skipped) whose header must be `expectedHeader` and which must have data rows.
struct CalibrationCSV {
    typealias Row = CSVTable.Row
    let table: CSVTable
    var path: String { table.source }
    var header: [String] { table.header }
    var rows: [Row] { table.rows }

    init(path: String, expectedHeader: [String]) throws {
        table = try CSVTable(path: path)
        try table.requireHeader(expectedHeader)
        try table.requireRows()
    }

    /// Parses a finite number in `row`'s column `column`.
    func number(_ row: Row, _ column: Int) throws -> Double { try table.number(row, column) }
}
