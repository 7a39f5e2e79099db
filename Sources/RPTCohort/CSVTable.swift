import Foundation
import RPTCore

/// A CSV file as rows of fields (RFC 4180: comma-separated, fields may be double-quoted with "" for a quote,
/// quoted fields may hold commas and line breaks). The first row is the header.
public struct CSVTable: Sendable {
    public var header: [String]
    /// Data rows (each padded or checked to the header's width) with their 1-based line numbers.
    public var rows: [(line: Int, fields: [String])]

    public init(text: String, source: String) throws {
        var records: [(Int, [String])] = []
        var field = "", record: [String] = [], inQuotes = false, line = 1, recordLine = 1
        var chars = Array(text.replacingOccurrences(of: "\r\n", with: "\n")), i = 0
        if chars.first == "\u{FEFF}" { chars.removeFirst() }  // UTF-8 byte-order mark (REDCap exports write one)
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\n" {
                record.append(field); field = ""
                records.append((recordLine, record)); record = []
                line += 1; recordLine = line
            } else {
                field.append(c)
            }
            i += 1
        }
        if inQuotes { throw InputError(source: source, field: "line \(recordLine)", reason: "unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append((recordLine, record)) }
        records.removeAll { $0.1.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let first = records.first else { throw InputError(source: source, reason: "empty CSV file (no header)") }
        header = first.1.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = []
        for (l, r) in records.dropFirst() {
            guard r.count == header.count else {
                throw InputError(source: source, field: "line \(l)", value: "\(r.count) fields",
                                 reason: "expected \(header.count) fields, as in the header")
            }
            rows.append((l, r.map { $0.trimmingCharacters(in: .whitespaces) }))
        }
    }
}

/// Strict calendar dates "YYYY-MM-DD" (UTC midnight); 2025-02-30 is refused, not rolled over.
enum CalendarDate {
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func parse(_ s: String) -> Date? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard s.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts[0].count == 4, parts[1].count == 2, parts[2].count == 2, (1900...2200).contains(y) else { return nil }
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == y && back.month == m && back.day == d ? date : nil
    }

    static func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
