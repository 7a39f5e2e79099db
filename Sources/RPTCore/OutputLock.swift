import Foundation

/// An exclusive lock on one output (file or folder), so that two runs never write into the same place.
///
/// The lock is `flock(2)` on a hidden file beside the output (`.<name>.lock` in the same folder). The kernel
/// releases it when the process ends, even by kill -9, so a stale lock file never blocks a later run.
public final class OutputLock {
    public let path: String
    private var fd: Int32

    /// Takes the lock or throws an `InputError` naming the output when another process holds it.
    public init(output: String) throws {
        let url = URL(fileURLWithPath: output)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(source: output, reason: "output folder '\(dir)' does not exist")
        }
        path = dir + "/." + url.lastPathComponent + ".lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw InputError(source: output, reason: "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw InputError(source: output, reason: "another rptdose run is writing this output (lock \(path) is held): "
                             + "wait for it to finish or choose another output")
        }
    }

    /// Releases the lock (also done when the object is freed or the process ends).
    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
