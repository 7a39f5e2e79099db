import Foundation
import RPTCore
import Yams

/// Walks a composed YAML tree of a study manifest, collecting every problem with its key path
/// (e.g. `cycles[0].time_points[2].spect.unit`) instead of stopping at the first.
final class ManifestFieldReader {
    typealias Map = [(String, Node)]
    let source: String
    var errors: [InputError] = []

    init(source: String) { self.source = source }

    func fail(_ path: String, _ value: String, _ reason: String) {
        errors.append(InputError(source: source, field: path, value: value, reason: reason))
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func render(_ node: Node) -> String {
        switch node {
        case let .scalar(s): return s.string
        case .mapping: return "<mapping>"
        case .sequence: return "<list>"
        case .alias: return "<alias>"
        }
    }

    /// The node as ordered (key, value) pairs, or nil (with an error) when it is not a mapping.
    func mapping(_ node: Node?, path: String) -> Map? {
        guard let node else {
            fail(path.isEmpty ? "(document)" : path, "", "is empty; expected a mapping of keys")
            return nil
        }
        guard let m = node.mapping else {
            fail(path.isEmpty ? "(document)" : path, render(node), "expected a mapping of keys")
            return nil
        }
        var out: Map = []
        var seen = Set<String>()
        for (k, v) in m {
            let key = k.string ?? render(k)
            if !seen.insert(key).inserted { fail(Self.join(path, key), "", "key appears twice") }
            out.append((key, v))
        }
        return out
    }

    func allowOnly(_ map: Map, _ allowed: [String], path: String) {
        let set = Set(allowed)
        for (k, _) in map where !set.contains(k) {
            fail(Self.join(path, k), "", "unknown key; allowed here: " + allowed.joined(separator: ", "))
        }
    }

    func node(_ map: Map, _ key: String, path: String, required: Bool) -> Node? {
        if let v = map.first(where: { $0.0 == key })?.1 { return v }
        if required { fail(Self.join(path, key), "", "required key is missing") }
        return nil
    }

    func section(_ map: Map, _ key: String, path: String, required: Bool = false) -> Map? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        return mapping(v, path: Self.join(path, key))
    }

    /// The list under `key` (each element with its path), or nil.
    func sequence(_ map: Map, _ key: String, path: String, required: Bool = false) -> [(Node, String)]? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        guard let s = v.sequence else {
            fail(Self.join(path, key), render(v), "expected a list")
            return nil
        }
        return s.enumerated().map { ($1, Self.join(path, key) + "[\($0)]") }
    }

    func double(_ map: Map, _ key: String, path: String, required: Bool = false) -> Double? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        if v.scalar != nil, let x = v.float, x.isFinite { return x }
        fail(Self.join(path, key), render(v), "expected a finite number")
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

    func int(_ map: Map, _ key: String, path: String, required: Bool = false) -> Int? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        if v.scalar != nil, let x = v.int { return x }
        fail(Self.join(path, key), render(v), "expected an integer")
        return nil
    }

    func bool(_ map: Map, _ key: String, path: String) -> Bool? {
        guard let v = node(map, key, path: path, required: false) else { return nil }
        if v.scalar != nil, let x = v.bool { return x }
        fail(Self.join(path, key), render(v), "expected true or false")
        return nil
    }

    func string(_ map: Map, _ key: String, path: String, required: Bool = false) -> String? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        if let s = v.scalar?.string, !s.isEmpty { return s }
        fail(Self.join(path, key), render(v), "expected a non-empty text value")
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

    func enumeration<E: RawRepresentable & CaseIterable>(_ map: Map, _ key: String, path: String,
                                                         required: Bool = false) -> E? where E.RawValue == String {
        guard let s = string(map, key, path: path, required: required) else { return nil }
        if let e = E(rawValue: s) { return e }
        fail(Self.join(path, key), s, "expected one of: " + E.allCases.map(\.rawValue).joined(separator: ", "))
        return nil
    }

    /// An ISO-8601 date-time with a time zone (`2025-01-06T09:00:00Z`, `2025-01-06T10:00:00+01:00`,
    /// fractional seconds allowed).
    func time(_ map: Map, _ key: String, path: String, required: Bool = true) -> Date? {
        guard let s = string(map, key, path: path, required: required) else { return nil }
        if let d = Self.parseISO8601(s) { return d }
        fail(Self.join(path, key), s, "expected an ISO-8601 date-time with time zone, e.g. 2025-01-06T09:00:00Z")
        return nil
    }

    static func parseISO8601(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }

    /// ISO-8601 text of a date in UTC with seconds.
    static func format(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
