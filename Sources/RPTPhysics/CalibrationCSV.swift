import Foundation
import RPTCore

/// Minimal reader for the calibration CSV files: `#` starts a comment, blank lines are skipped, the first
/// remaining line is a header. Rows keep their 1-based line numbers so errors can name them.
struct CalibrationCSV {
    struct Row { let line: Int; let fields: [String] }
    let path: String
    let header: [String]
    let rows: [Row]

    init(path: String, expectedHeader: [String]) throws {
        self.path = path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError(source: path, reason: "cannot read file (missing or not UTF-8)")
        }
        var header: [String]? = nil
        var rows: [Row] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            line = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if header == nil {
                guard fields == expectedHeader else {
                    throw InputError(source: "\(path):\(n + 1)", field: "header", value: line,
                                     reason: "expected header '\(expectedHeader.joined(separator: ","))'")
                }
                header = fields
                continue
            }
            guard fields.count == expectedHeader.count else {
                throw InputError(source: "\(path):\(n + 1)", field: "row", value: line,
                                 reason: "expected \(expectedHeader.count) comma-separated fields "
                                    + "(\(expectedHeader.joined(separator: ",")))")
            }
            rows.append(Row(line: n + 1, fields: fields))
        }
        guard let header else { throw InputError(source: path, reason: "file has no header line") }
        guard !rows.isEmpty else { throw InputError(source: path, reason: "file has no data rows") }
        self.header = header
        self.rows = rows
    }

    /// Parses a finite number in `row`'s column `column`.
    func number(_ row: Row, _ column: Int) throws -> Double {
        let s = row.fields[column]
        guard let v = Double(s), v.isFinite else {
            throw InputError(source: "\(path):\(row.line)", field: header[column], value: s, reason: "not a finite number")
        }
        return v
    }
}
