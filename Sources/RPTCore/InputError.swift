/// An error in something the user gave us: a file, a field of a file or an option.
///
/// Every message names where the problem is (`source`: a file path or option name), which field
/// (`field`), the offending value, and what was expected, so that the user can fix it without
/// reading code.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    /// File path, option name or other origin of the bad input.
    public var source: String
    /// Field, key, tag or header entry inside `source`; empty when the whole source is at fault.
    public var field: String
    /// The offending value as the user wrote it (or a short rendering of it).
    public var value: String
    /// What is wrong and what would be valid.
    public var reason: String

    public init(source: String, field: String = "", value: String = "", reason: String) {
        self.source = source
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String {
        var s = source
        if !field.isEmpty { s += ": field '\(field)'" }
        if !value.isEmpty { s += " = '\(value)'" }
        return s + ": " + reason
    }
}

/// Several input errors found in one validation pass (e.g. a whole manifest), reported together.
public struct InputErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [InputError]
    public init(_ errors: [InputError]) { self.errors = errors }
    /// One problem on one line; several as a count followed by one line each.
    public var description: String {
        if errors.count == 1 { return errors[0].description }
        return "\(errors.count) problems:\n" + errors.map { "  - \($0)" }.joined(separator: "\n")
    }
}
