import Foundation

/// Finds external programs (e.g. dicom3tools' `dciodvfy` in tests) on a colon-separated search path.
enum ExecutableSearch {
    /// The executable named `name` in `searchPath` (default: `$PATH`), or nil.
    static func find(_ name: String, searchPath: String?) -> String? {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
