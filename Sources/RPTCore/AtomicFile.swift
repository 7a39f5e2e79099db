import Foundation

/// Writes a file so that a crash or Ctrl-C never leaves a truncated file under its final name.
///
/// The content is written to a hidden temporary file in the same folder (same file system, so the
/// final `rename(2)` is atomic), flushed, and renamed over the destination. If the write throws,
/// the temporary file is removed. A process killed mid-write leaves only `.<name>.tmp-<pid>-<n>`.
public enum AtomicFile {
    /// Path of the temporary file used for `destination` by this process.
    public static func temporaryPath(for destination: String) -> String {
        let url = URL(fileURLWithPath: destination)
        let dir = url.deletingLastPathComponent().path
        let unique = counter.next()
        return dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(unique)"
    }

    /// Calls `body` with a temporary path in the destination's folder; when `body` returns, the
    /// temporary file is renamed to `destination`. On error the temporary file is deleted.
    public static func write<R>(to destination: String, _ body: (String) throws -> R) throws -> R {
        let dir = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(source: destination, reason: "output folder '\(dir)' does not exist")
        }
        let tmp = temporaryPath(for: destination)
        do {
            let result = try body(tmp)
            guard rename(tmp, destination) == 0 else {
                let err = String(cString: strerror(errno))
                throw InputError(source: destination, reason: "cannot move finished file into place: \(err)")
            }
            return result
        } catch {
            unlink(tmp)
            throw error
        }
    }

    /// Writes `data` atomically to `destination`.
    public static func write(_ data: Data, to destination: String) throws {
        try write(to: destination) { tmp in
            guard FileManager.default.createFile(atPath: tmp, contents: data) else {
                throw InputError(source: destination, reason: "cannot create file (permission or disk full?)")
            }
            let fd = open(tmp, O_RDONLY)
            if fd >= 0 { fsync(fd); close(fd) }
        }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    }
    private static let counter = Counter()
}
