import Foundation

/// An output folder written whole or not at all.
///
/// Files are written into a staging folder beside the target (`.<name>.incomplete` in the same parent, so
/// the final rename stays on one file system). `commit()` swaps it into place: the target is renamed aside,
/// the staging folder renamed to the target, and the old folder deleted — so a reader sees either the old
/// result or the new one, never a mixture, and a failed or interrupted run leaves the old result intact.
/// The staging folder's name is fixed, so an interrupted run's files (e.g. a Monte Carlo checkpoint) are
/// found there by `--resume`. Used with an `OutputLock` on the target.
public struct StagedFolder: Sendable {
    /// Where the finished folder goes.
    public let target: String
    /// Where its files are written meanwhile.
    public let staging: String

    /// The staging folder of `target` (`<parent>/.<name>.incomplete`).
    public static func stagingPath(for target: String) -> String {
        let url = URL(fileURLWithPath: target).standardizedFileURL
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".incomplete"
    }

    /// Prepares the staging folder. With `keepExisting` (resume), files left by an interrupted run stay;
    /// otherwise a previous staging folder is cleared.
    public init(target: String, keepExisting: Bool) throws {
        self.target = URL(fileURLWithPath: target).standardizedFileURL.path
        staging = Self.stagingPath(for: target)
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: self.target, isDirectory: &isDir), !isDir.boolValue {
            throw InputError(source: target, reason: "exists and is not a folder")
        }
        if !keepExisting && fm.fileExists(atPath: staging) { try Self.remove(staging) }
        do { try fm.createDirectory(atPath: staging, withIntermediateDirectories: true) } catch {
            throw InputError(source: target, reason: "cannot create the staging folder \(staging): \(Self.reason(error))")
        }
    }

    /// Path of `name` inside the staging folder.
    public func file(_ name: String) -> String { staging + "/" + name }

    /// Moves the staging folder into place, replacing any previous result as a whole.
    public func commit() throws {
        let fm = FileManager.default
        let aside = URL(fileURLWithPath: target).deletingLastPathComponent().path + "/."
            + URL(fileURLWithPath: target).lastPathComponent + ".replaced-\(getpid())"
        let hadOld = fm.fileExists(atPath: target)
        if hadOld {
            guard rename(target, aside) == 0 else {
                throw InputError(source: target, reason: "cannot move the previous result aside: \(String(cString: strerror(errno)))")
            }
        }
        guard rename(staging, target) == 0 else {
            let err = String(cString: strerror(errno))
            if hadOld { _ = rename(aside, target) }  // put the previous result back
            throw InputError(source: target, reason: "cannot move the finished result into place: \(err)")
        }
        if hadOld { try? fm.removeItem(atPath: aside) }
        // The renames reach the disk with the parent folder's metadata.
        let fd = open(URL(fileURLWithPath: target).deletingLastPathComponent().path, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Deletes the staging folder (after a failure that left nothing worth resuming).
    public func discard() { try? Self.remove(staging) }

    static func remove(_ path: String) throws {
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw InputError(source: path, reason: "cannot remove: \(reason(error))")
        }
    }

    /// A Foundation error as a short sentence (never "NSCocoaErrorDomain 516").
    static func reason(_ error: Error) -> String {
        if let e = error as? InputError { return e.reason }
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        return ns.localizedDescription
    }
}

/// A result that `--resume` could continue, and what happens to it when a new run is started without `--resume`.
public enum ResumableOutput {
    /// Throws when `checkpoint` exists, `resume` is off and `overwrite` is not given: starting afresh would
    /// delete the interrupted run's work without a word.
    public static func refuseToDiscard(checkpoint: String, resume: Bool, overwrite: Bool, option: String = "--out") throws {
        guard !resume, !overwrite, FileManager.default.fileExists(atPath: checkpoint) else { return }
        throw InputError(source: checkpoint, reason: "a resumable checkpoint of an interrupted run is here: continue it with --resume, "
                         + "or start afresh with --overwrite (discards it)")
    }
}
