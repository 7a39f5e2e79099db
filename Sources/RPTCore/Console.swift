import Foundation

/// Writes human-readable messages (progress, warnings) to standard error, keeping standard output for results.
public enum Console {
    /// Writes `s` and a newline to standard error.
    public static func error(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }
}
