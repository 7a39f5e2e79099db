import Foundation
import RPTCore
import Yams

/// Walks a composed YAML tree, collecting every problem with its key path (e.g.
/// `cycles[0].time_points[2].spect.unit`) instead of stopping at the first. Shared by the protocol
/// configuration reader and the study-manifest reader (RPTDosimetry subclasses it).
open class YAMLFieldReader {
    /// An ordered YAML mapping.
    public typealias Map = [(String, Node)]
    public let source: String
    public var errors: [InputError] = []

    public init(source: String) { self.source = source }

    public func fail(_ path: String, _ value: String, _ reason: String) {
        errors.append(InputError(source: source, field: path, value: value, reason: reason))
    }

    public static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    public func render(_ node: Node) -> String {
        switch node {
        case let .scalar(s): return s.string
        case .mapping: return "<mapping>"
        case .sequence: return "<list>"
        case .alias: return "<alias>"
        }
    }

    /// The node as an ordered list of (key, value) pairs, or nil (with an error) if it is not a mapping.
    public func mapping(_ node: Node?, path: String) -> Map? {
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

    public func allowOnly(_ map: Map, _ allowed: [String], path: String) {
        let set = Set(allowed)
        for (k, _) in map where !set.contains(k) {
            fail(Self.join(path, k), "", "unknown key; allowed here: " + allowed.joined(separator: ", "))
        }
    }

    public func node(_ map: Map, _ key: String, path: String, required: Bool) -> Node? {
        if let v = map.first(where: { $0.0 == key })?.1 { return v }
        if required {
            fail(Self.join(path, key), "", "required key is missing")
        }
        return nil
    }

    public func section(_ map: Map, _ key: String, path: String, required: Bool = false) -> Map? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        return mapping(v, path: Self.join(path, key))
    }

    /// The list under `key` (each element with its path), or nil.
    public func sequence(_ map: Map, _ key: String, path: String, required: Bool = false) -> [(Node, String)]? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        guard let s = v.sequence else {
            fail(Self.join(path, key), render(v), "expected a list")
            return nil
        }
        return s.enumerated().map { ($1, Self.join(path, key) + "[\($0)]") }
    }

    public func double(_ map: Map, _ key: String, path: String, required: Bool = false) -> Double? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        if v.scalar != nil, let x = v.float, x.isFinite { return x }
        fail(Self.join(path, key), render(v), "expected a finite number")
        return nil
    }

    public func int(_ map: Map, _ key: String, path: String, required: Bool = false) -> Int? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        if v.scalar != nil, let x = v.int { return x }
        fail(Self.join(path, key), render(v), "expected an integer")
        return nil
    }

    public func bool(_ map: Map, _ key: String, path: String) -> Bool? {
        guard let v = node(map, key, path: path, required: false) else { return nil }
        if v.scalar != nil, let x = v.bool { return x }
        fail(Self.join(path, key), render(v), "expected true or false")
        return nil
    }

    /// A text value (may be empty; subclasses may be stricter).
    open func string(_ map: Map, _ key: String, path: String, required: Bool = false) -> String? {
        guard let v = node(map, key, path: path, required: required) else { return nil }
        if let s = v.scalar?.string { return s }
        fail(Self.join(path, key), render(v), "expected a text value")
        return nil
    }

    public func enumeration<E: RawRepresentable & CaseIterable>(_ map: Map, _ key: String, path: String,
                                                                required: Bool = false) -> E? where E.RawValue == String {
        guard let s = string(map, key, path: path, required: required) else { return nil }
        if let e = E(rawValue: s) { return e }
        fail(Self.join(path, key), s, "expected one of: " + E.allCases.map(\.rawValue).joined(separator: ", "))
        return nil
    }
}
