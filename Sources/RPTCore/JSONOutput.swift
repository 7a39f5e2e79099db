import Foundation

/// Pretty-printed JSON with sorted keys, for `--json` outputs.
public enum JSONOutput {
    public static func string(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    public static func print(_ object: Any) throws {
        Swift.print(try string(object))
    }
}
