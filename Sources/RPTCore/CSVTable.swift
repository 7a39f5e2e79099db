import Foundation

/// A comma-separated table read by the rules of RFC 4180 (Shafranovich, "Common Format and MIME Type for
/// Comma-Separated Values (CSV) Files", IETF, 2005), as spreadsheet programs write it:
///
/// - fields are separated by `,`; records end at LF, CRLF or a lone CR;
/// - a field that starts with `"` is quoted: it ends at the next lone `"`, `""` inside it stands for one `"`,
///   and commas and line breaks inside it are part of the value;
/// - a UTF-8 byte-order mark at the start is ignored; the file must be UTF-8 (or ASCII);
/// - blank lines (also a last line without text) are skipped.
///
/// Additions for hand-written input files: spaces and tabs around an unquoted field, and around the quotes of a
/// quoted one, are removed; a record whose first character is `#` is a comment. The first remaining record is
/// the header (column names, compared without regard to letter case). Every data record must have as many
/// fields as the header. Errors name the file, line and column.
public struct CSVTable: Sendable {
    /// One data record.
    public struct Row: Sendable {
        /// 1-based line where the record starts.
        public let line: Int
        /// Field values, one per header column.
        public let fields: [String]
        /// 1-based character column where each field starts on its line.
        public let columns: [Int]
        public init(line: Int, fields: [String], columns: [Int]) {
            self.line = line; self.fields = fields; self.columns = columns
        }
    }

    /// Where the text came from (file path), used in error messages.
    public let source: String
    /// Column names as written in the header.
    public let header: [String]
    /// 1-based line of the header record.
    public let headerLine: Int
    /// 1-based column where each header field starts.
    public let headerColumns: [Int]
    public let rows: [Row]

    /// Reads and parses the file at `path`.
    /// - Throws: `InputError` when the file is missing, unreadable, not UTF-8, or malformed (see `init(text:source:)`).
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            throw InputError(source: path, reason: !exists ? "file does not exist"
                                : isDir.boolValue ? "is a folder, not a CSV file" : "cannot read file (permissions?)")
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw InputError(source: path, reason: "file is UTF-16 text; save it as CSV in UTF-8")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(source: path, reason: "file is not UTF-8 text; save it as CSV in UTF-8")
        }
        try self.init(text: text, source: path)
    }

    /// Parses `text`.
    /// - Throws: `InputError` with `source` = "`source`:line:column" for an unterminated quoted field, text after a
    ///   closing quote, a quote inside an unquoted field, a record with the wrong number of fields, or no header.
    public init(text: String, source: String) throws {
        self.source = source
        var records = try Self.records(text, source: source)
        guard !records.isEmpty else { throw InputError(source: source, reason: "file has no header line") }
        let head = records.removeFirst()
        header = head.fields
        headerLine = head.line
        headerColumns = head.columns
        for r in records where r.fields.count != head.fields.count {
            var reason = "expected \(head.fields.count) comma-separated fields (\(head.fields.joined(separator: ","))), "
                + "found \(r.fields.count)"
            if r.fields.count == 1 && r.fields[0].contains(";") {
                reason += "; the file seems to use ';' as separator — use ','"
            } else if r.fields.count > head.fields.count {
                reason += "; put a value that contains a comma in double quotes"
            }
            throw InputError(source: "\(source):\(r.line)", field: "record", value: r.fields.joined(separator: ","),
                             reason: reason)
        }
        rows = records.map { Row(line: $0.line, fields: $0.fields, columns: $0.columns) }
    }

    /// The header record as a data row, for files whose header line is optional.
    public var headerAsRow: Row { Row(line: headerLine, fields: header, columns: headerColumns) }

    /// Index of the column called `name` (case-insensitive), or nil.
    public func columnIndex(_ name: String) -> Int? {
        header.firstIndex { $0.lowercased() == name.lowercased() }
    }

    /// Checks that the header is exactly `expected` (case-insensitive).
    /// - Throws: `InputError` naming the header line.
    public func requireHeader(_ expected: [String]) throws {
        guard header.map({ $0.lowercased() }) == expected.map({ $0.lowercased() }) else {
            throw InputError(source: "\(source):\(headerLine)", field: "header", value: header.joined(separator: ","),
                             reason: "expected header '\(expected.joined(separator: ","))'")
        }
    }

    /// Checks that the table has data rows.
    public func requireRows() throws {
        guard !rows.isEmpty else { throw InputError(source: source, reason: "file has no data rows") }
    }

    /// "file:line" of a row, for error messages.
    public func location(_ row: Row) -> String { "\(source):\(row.line)" }

    /// Error about the field in `column` of `row`: source "file:line:column", field = the column's name.
    public func error(_ row: Row, _ column: Int, reason: String) -> InputError {
        InputError(source: "\(source):\(row.line):\(row.columns[column])", field: header[column],
                   value: row.fields[column], reason: reason)
    }

    /// The finite number in `column` of `row`.
    /// - Throws: `InputError` naming file, line, column and column name.
    public func number(_ row: Row, _ column: Int) throws -> Double {
        guard let v = Double(row.fields[column]), v.isFinite else { throw error(row, column, reason: "not a finite number") }
        return v
    }

    /// A record as parsed: fields with the line and column where each starts.
    struct Record { var line: Int; var fields: [String]; var columns: [Int] }

    /// Splits `text` into records (comments and blank lines removed).
    static func records(_ text: String, source: String) throws -> [Record] {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var out: [Record] = []
        var i = 0, line = 1, lineStart = 0
        let n = scalars.count
        func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }
        func isBreak(_ c: Unicode.Scalar) -> Bool { c == "\n" || c == "\r" }
        /// Consumes one line break at i (CRLF counts as one).
        func consumeBreak() {
            if scalars[i] == "\r" && i + 1 < n && scalars[i + 1] == "\n" { i += 1 }
            i += 1; line += 1; lineStart = i
        }
        while i < n {
            // Start of a record: skip blank lines and comments.
            var j = i
            while j < n && isBlank(scalars[j]) { j += 1 }
            if j == n { break }
            if isBreak(scalars[j]) { i = j; consumeBreak(); continue }
            if scalars[j] == "#" {
                i = j
                while i < n && !isBreak(scalars[i]) { i += 1 }
                if i < n { consumeBreak() }
                continue
            }
            var record = Record(line: line, fields: [], columns: [])
            // Fields of this record.
            while true {
                while i < n && isBlank(scalars[i]) { i += 1 }
                let column = i - lineStart + 1
                var value = String.UnicodeScalarView()
                if i < n && scalars[i] == "\"" {
                    let openLine = line, openColumn = column
                    i += 1
                    var closed = false
                    while i < n {
                        let c = scalars[i]
                        if c == "\"" {
                            if i + 1 < n && scalars[i + 1] == "\"" { value.append("\""); i += 2; continue }
                            i += 1; closed = true; break
                        }
                        if isBreak(c) {
                            // A line break inside quotes is part of the value (CRLF kept as LF).
                            value.append("\n"); consumeBreak(); continue
                        }
                        value.append(c); i += 1
                    }
                    guard closed else {
                        throw InputError(source: "\(source):\(openLine):\(openColumn)", field: "quoted field",
                                         reason: "the quoted field opened here is never closed (missing '\"')")
                    }
                    while i < n && isBlank(scalars[i]) { i += 1 }
                    if i < n && scalars[i] != "," && !isBreak(scalars[i]) {
                        throw InputError(source: "\(source):\(line):\(i - lineStart + 1)", field: "quoted field",
                                         value: String(Character(scalars[i])),
                                         reason: "text after the closing quote; write a quote inside a quoted field as \"\"")
                    }
                } else {
                    while i < n && scalars[i] != "," && !isBreak(scalars[i]) {
                        if scalars[i] == "\"" {
                            throw InputError(source: "\(source):\(line):\(i - lineStart + 1)", field: "field",
                                             value: String(String.UnicodeScalarView(scalars[(lineStart + column - 1)...i])),
                                             reason: "a '\"' inside a field that does not start with '\"'; quote the whole "
                                                + "field and double the inner quote (\"a \"\"b\"\" c\")")
                        }
                        value.append(scalars[i]); i += 1
                    }
                    while let last = value.last, isBlank(last) { value.removeLast() }
                }
                record.fields.append(String(value))
                record.columns.append(column)
                if i < n && scalars[i] == "," { i += 1; continue }
                break
            }
            out.append(record)
            if i < n { consumeBreak() }
        }
        return out
    }

    /// `value` written as one CSV field: quoted (inner quotes doubled) when it holds a comma, quote, line break,
    /// or leading/trailing space or `#`, as RFC 4180 requires; unchanged otherwise.
    public static func field(_ value: String) -> String {
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0.isNewline }
            || value.first == " " || value.last == " " || value.first == "#"
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}
