import Foundation
import RPTCore
import RPTPlanner
import RPTYAML
import Yams

/// Walks a composed YAML tree of a study manifest, collecting every problem with its key path
/// (e.g. `cycles[0].time_points[2].spect.unit`) instead of stopping at the first: the shared
/// `YAMLFieldReader` plus the manifest's own value kinds (positive numbers, region lists, date-times),
/// and text values that must not be empty.
final class ManifestFieldReader: YAMLFieldReader {
    /// A non-empty text value.
    override func string(_ map: Map, _ key: String, path: String, required: Bool = false) -> String? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        if let s = v.scalar?.string, !s.isEmpty { return s }
        fail(Self.join(path, key), render(v), "expected a non-empty text value")
        return nil
    }

    /// A number that must be > 0 (or ≥ 0 with `allowZero`).
    func positive(_ map: Map, _ key: String, path: String, required: Bool = false, allowZero: Bool = false,
                  unit: String) -> Double? {
        guard let x = double(map, key, path: path, required: required) else { return nil }
        if x > 0 || (allowZero && x == 0) { return x }
        fail(Self.join(path, key), "\(x)", "must be \(allowZero ? "≥ 0" : "> 0") \(unit)")
        return nil
    }

    func strings(_ map: Map, _ key: String, path: String) -> [String]? {
        guard let items = sequence(map, key, path: path) else { return nil }
        var out: [String] = []
        for (n, p) in items {
            if let s = n.scalar?.string, !s.isEmpty { out.append(s) } else { fail(p, render(n), "expected a region name") }
        }
        return out
    }

    /// An ISO-8601 date-time with a time zone (`2025-01-06T09:00:00Z`, `2025-01-06T10:00:00+01:00`,
    /// fractional seconds allowed).
    func time(_ map: Map, _ key: String, path: String, required: Bool = true) -> Date? {
        guard let s = string(map, key, path: path, required: required) else { return nil }
        if let d = Self.parseISO8601(s) { return d }
        fail(Self.join(path, key), s, "expected an existing ISO-8601 date-time with time zone, e.g. 2025-01-06T09:00:00Z")
        return nil
    }

    /// nil also for a date or time that does not exist (2025-02-30, 24:00, 10:61): Foundation's parser rolls
    /// those over to another day (2025-03-02) instead of refusing them.
    static func parseISO8601(_ s: String) -> Date? {
        guard calendarFieldsExist(s) else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }

    /// Whether the leading `YYYY-MM-DDThh:mm:ss` of `s` names a real Gregorian date and time of day.
    static func calendarFieldsExist(_ s: String) -> Bool {
        let c = Array(s.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= c.count else { return nil }
            var v = 0
            for b in c[from..<(from + count)] { guard b >= 48 && b <= 57 else { return nil }; v = v * 10 + Int(b - 48) }
            return v
        }
        guard let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2),
              let h = number(11, 2), let mi = number(14, 2), let se = number(17, 2) else { return false }
        guard (1...12).contains(mo), h <= 23, mi <= 59, se <= 59 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
        return (1...days).contains(d)
    }

    /// ISO-8601 text of a date in UTC with seconds.
    static func format(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
