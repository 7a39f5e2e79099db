import Foundation

/// Pretty-printed JSON with sorted keys, for `--json` outputs.
enum JSONOutput {
    static func string(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func print(_ object: Any) throws {
        Swift.print(try string(object))
    }
}

/// Writes human-readable messages to standard error.
enum Console {
    static func error(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }
}
