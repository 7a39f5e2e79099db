import CHDF5
import Foundation
import RPTCore

/// An open HDF5 file: a small, safe, path-based wrapper over the HDF5 C library.
///
/// Every group, dataset and attribute is addressed by its absolute path (`/volumes/ct/data`); HDF5
/// object ids are opened and closed inside each call, so no handle outlives the operation and the
/// file id is the only resource held. Readers come from `open`/`read`, writers from `create`/`write`.
///
/// Writers never touch the final name until they are finished: the content goes to
/// `AtomicFile.temporaryPath(for:)` in the same folder, and `commit()` closes, fsyncs and renames it
/// into place. A writer released without `commit()` (or whose `write` body throws) deletes its
/// temporary file, so an interrupted write never leaves a truncated file under the final name.
///
/// HDF5 errors never print to stderr; they become `HDF5Error` / `InputError` naming the file and the
/// object path. Thread safety: Debian's HDF5 is built thread-safe with one global lock, so HDF5 calls
/// from several threads are serialised — keep HDF5 off hot paths. An `H5File` itself is not
/// `Sendable`; use it from one thread at a time.
public final class H5File {
    /// The file's final path, as used in every message.
    public let path: String
    /// Whether this is a writer (created by `create`/`write`).
    public let isWritable: Bool
    /// HDF5 file id; -1 once closed.
    private(set) var fileID: hid_t
    /// Where a writer's content lives until `commit()`.
    private let temporaryPath: String?
    private var committed = false

    private init(path: String, fileID: hid_t, temporaryPath: String?) {
        self.path = path; self.fileID = fileID; self.temporaryPath = temporaryPath
        self.isWritable = temporaryPath != nil
    }

    deinit { if isWritable { discard() } else { close() } }

    // MARK: Opening and creating

    /// Opens an existing HDF5 file read-only.
    /// - Throws: `InputError` naming the file if it is missing, not a regular file, or not HDF5.
    public static func open(_ path: String) throws -> H5File {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(source: path, reason: "file does not exist")
        }
        guard !isDir.boolValue else { throw InputError(source: path, reason: "is a folder, expected an HDF5 file") }
        HDF5Library.silenceErrorPrinting()
        guard H5Fis_hdf5(path) > 0 else {
            _ = HDF5Library.takeErrorMessages()
            throw InputError(source: path, reason: "not an HDF5 file (no HDF5 signature found)")
        }
        let fapl = H5Pcreate(rpt_H5P_FILE_ACCESS())
        defer { if fapl >= 0 { H5Pclose(fapl) } }
        if fapl >= 0 { _ = H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) }
        let id = H5Fopen(path, rpt_H5F_ACC_RDONLY(), fapl >= 0 ? fapl : rpt_H5P_DEFAULT())
        guard id >= 0 else {
            throw InputError(source: path, reason: "cannot open HDF5 file: \(HDF5Library.takeErrorMessages())")
        }
        return H5File(path: path, fileID: id, temporaryPath: nil)
    }

    /// Opens `path` read-only, runs `body`, and closes the file.
    public static func read<R>(_ path: String, _ body: (H5File) throws -> R) throws -> R {
        let file = try open(path)
        defer { file.close() }
        return try body(file)
    }

    /// Starts writing a new file that will appear at `path` only when `commit()` succeeds.
    ///
    /// The RPTDose root attributes (format and software version, creation time, command line, git
    /// commit, build date, HDF5 version) are written immediately; see `docs/formats/hdf5.md`.
    /// - Parameter commandLine: recorded as `command_line`; defaults to this process's arguments.
    public static func create(_ path: String, commandLine: String? = nil) throws -> H5File {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(source: path, reason: "output folder '\(dir)' does not exist")
        }
        let tmp = AtomicFile.temporaryPath(for: path)
        let file = try createFile(at: tmp, displayPath: path, temporaryPath: tmp)
        try file.writeRootAttributes(commandLine: commandLine ?? HDF5Store.currentCommandLine())
        return file
    }

    /// Writes a new file atomically: `body` fills it, then it is committed to `path`. If `body`
    /// throws, nothing appears under `path` and the temporary file is removed.
    public static func write<R>(to path: String, commandLine: String? = nil,
                                _ body: (H5File) throws -> R) throws -> R {
        try AtomicFile.write(to: path) { tmp in
            let file = try createFile(at: tmp, displayPath: path, temporaryPath: nil)
            defer { file.close() }
            try file.writeRootAttributes(commandLine: commandLine ?? HDF5Store.currentCommandLine())
            let result = try body(file)
            try file.closeChecked()
            try Self.fsync(tmp, displayPath: path)
            return result
        }
    }

    /// Creates an empty HDF5 file at `tmp` (which must not exist). `temporaryPath` non-nil makes it a
    /// self-committing writer; nil leaves renaming to the caller (`write(to:)`).
    private static func createFile(at tmp: String, displayPath: String, temporaryPath: String?) throws -> H5File {
        HDF5Library.silenceErrorPrinting()
        let fapl = H5Pcreate(rpt_H5P_FILE_ACCESS())
        defer { if fapl >= 0 { H5Pclose(fapl) } }
        if fapl >= 0 { _ = H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) }
        let id = H5Fcreate(tmp, rpt_H5F_ACC_EXCL(), rpt_H5P_DEFAULT(), fapl >= 0 ? fapl : rpt_H5P_DEFAULT())
        guard id >= 0 else {
            throw HDF5Error(file: displayPath, objectPath: "/", operation: "create the file",
                            detail: HDF5Library.takeErrorMessages())
        }
        // A writer that self-commits; for write(to:) the file is marked writable too but
        // AtomicFile owns the temporary path.
        let file = H5File(path: displayPath, fileID: id, temporaryPath: temporaryPath ?? "")
        return file
    }

    // MARK: Finishing

    /// Finishes a writer: flushes and closes the file, fsyncs it, and renames it to `path`.
    /// After `commit()` the object is closed. Throws if the file is a reader or already finished.
    public func commit() throws {
        guard isWritable, let tmp = temporaryPath, !tmp.isEmpty else {
            throw HDF5Error(file: path, objectPath: "/", operation: "commit",
                            detail: isWritable ? "file is written by H5File.write(to:), which commits itself"
                                               : "file was opened read-only")
        }
        guard !committed, fileID >= 0 else {
            throw HDF5Error(file: path, objectPath: "/", operation: "commit", detail: "file is already closed")
        }
        do {
            try closeChecked()
            try Self.fsync(tmp, displayPath: path)
            guard rename(tmp, path) == 0 else {
                throw InputError(source: path, reason: "cannot move finished file into place: "
                                 + String(cString: strerror(errno)))
            }
            committed = true
        } catch {
            unlink(tmp)
            throw error
        }
    }

    /// Abandons a writer: closes it and deletes its temporary file. Nothing is left under `path`.
    /// On a reader this is the same as `close()`.
    public func discard() {
        close()
        if isWritable, !committed, let tmp = temporaryPath, !tmp.isEmpty { unlink(tmp) }
    }

    /// Releases the file. On a reader this is all that is needed; on an uncommitted writer created
    /// with `create` it also deletes the temporary file (use `commit()` to keep the content).
    /// Calling it twice is harmless.
    public func close() {
        if fileID >= 0 {
            HDF5Library.silenceErrorPrinting()
            _ = H5Fclose(fileID)
            fileID = -1
        }
        if isWritable, !committed, let tmp = temporaryPath, !tmp.isEmpty { unlink(tmp) }
    }

    /// Closes the file id, reporting a failure (e.g. disk full while flushing).
    private func closeChecked() throws {
        guard fileID >= 0 else { return }
        HDF5Library.silenceErrorPrinting()
        let status = H5Fclose(fileID)
        fileID = -1
        if status < 0 {
            throw HDF5Error(file: path, objectPath: "/", operation: "flush and close the file",
                            detail: HDF5Library.takeErrorMessages())
        }
    }

    private static func fsync(_ file: String, displayPath: String) throws {
        let fd = Foundation.open(file, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(source: displayPath, reason: "cannot reopen written file: " + String(cString: strerror(errno)))
        }
        defer { Foundation.close(fd) }
        _ = Foundation.fsync(fd)
    }

    // MARK: Calling HDF5

    /// The open file id, or an error if the file has been closed.
    func requireOpen(_ object: String) throws -> hid_t {
        guard fileID >= 0 else {
            throw HDF5Error(file: path, objectPath: object, operation: "access the object", detail: "file is closed")
        }
        return fileID
    }

    /// Runs one HDF5 call with error printing silenced; a negative result becomes an `HDF5Error`.
    @discardableResult
    func call<T: BinaryInteger>(_ operation: String, _ object: String, _ body: () -> T) throws -> T {
        HDF5Library.silenceErrorPrinting()
        let result = body()
        if result < 0 {
            throw HDF5Error(file: path, objectPath: object, operation: operation,
                            detail: HDF5Library.takeErrorMessages())
        }
        return result
    }

    /// Throws unless the file is a writer that is still open.
    func requireWritable(_ object: String) throws -> hid_t {
        guard isWritable else {
            throw HDF5Error(file: path, objectPath: object, operation: "write", detail: "file was opened read-only")
        }
        return try requireOpen(object)
    }

    // MARK: Paths and objects

    /// What an object in the file is.
    public enum ObjectKind: String, Sendable { case group, dataset, other }

    /// Canonical absolute form of an object path: leading "/", no empty components or trailing "/".
    public static func normalize(_ objectPath: String) -> String {
        "/" + objectPath.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// Whether an object (group or dataset) exists at `objectPath`.
    public func exists(_ objectPath: String) -> Bool {
        guard fileID >= 0 else { return false }
        let parts = Self.normalize(objectPath).split(separator: "/")
        var prefix = ""
        HDF5Library.silenceErrorPrinting()
        for part in parts {
            prefix += "/" + part
            if H5Lexists(fileID, prefix, rpt_H5P_DEFAULT()) <= 0 { _ = HDF5Library.takeErrorMessages(); return false }
        }
        return true
    }

    /// Opens the object at `objectPath`, runs `body` with its id, and closes it.
    /// - Throws: `InputError` naming the file and path when nothing exists there.
    func withObject<R>(_ objectPath: String, _ body: (hid_t) throws -> R) throws -> R {
        let p = Self.normalize(objectPath)
        let fid = try requireOpen(p)
        guard exists(p) else {
            throw InputError(source: path, field: p, reason: "no group or dataset at this path in the file")
        }
        let id = try call("open object", p) { H5Oopen(fid, p, rpt_H5P_DEFAULT()) }
        defer { H5Oclose(id) }
        return try body(id)
    }

    /// The kind of object at `objectPath`, or nil if there is none.
    public func kind(of objectPath: String) -> ObjectKind? {
        guard exists(objectPath) else { return nil }
        return try? withObject(objectPath) { id in
            switch H5Iget_type(id) {
            case H5I_GROUP: .group
            case H5I_DATASET: .dataset
            default: .other
            }
        }
    }

    /// Creates the group at `objectPath` and any missing parents; does nothing if it exists.
    public func createGroup(_ objectPath: String) throws {
        let p = Self.normalize(objectPath)
        let fid = try requireWritable(p)
        if exists(p) {
            guard kind(of: p) == .group else {
                throw InputError(source: path, field: p, reason: "exists but is not a group")
            }
            return
        }
        let lcpl = try intermediateGroupLinkList(p)
        defer { H5Pclose(lcpl) }
        let gid = try call("create group", p) { H5Gcreate2(fid, p, lcpl, rpt_H5P_DEFAULT(), rpt_H5P_DEFAULT()) }
        H5Gclose(gid)
    }

    /// A link-creation property list that creates missing parent groups; caller closes it.
    func intermediateGroupLinkList(_ p: String) throws -> hid_t {
        let lcpl = try call("create link property list", p) { H5Pcreate(rpt_H5P_LINK_CREATE()) }
        do {
            try call("set intermediate group creation", p) { H5Pset_create_intermediate_group(lcpl, 1) }
            try call("set UTF-8 link names", p) { H5Pset_char_encoding(lcpl, H5T_CSET_UTF8) }
        } catch { H5Pclose(lcpl); throw error }
        return lcpl
    }

    /// Names of the links inside the group at `objectPath`, in name order.
    public func members(of objectPath: String) throws -> [String] {
        let p = Self.normalize(objectPath)
        let fid = try requireOpen(p)
        if p != "/" { guard kind(of: p) == .group else {
            throw InputError(source: path, field: p, reason: exists(p) ? "is not a group" : "no group at this path in the file")
        } }
        let gid = try call("open group", p) { H5Gopen2(fid, p, rpt_H5P_DEFAULT()) }
        defer { H5Gclose(gid) }
        var info = H5G_info_t()
        try call("get group info", p) { H5Gget_info(gid, &info) }
        var names: [String] = []
        for n in 0..<info.nlinks {
            let size = try call("get member name", p) {
                H5Lget_name_by_idx(gid, ".", H5_INDEX_NAME, H5_ITER_INC, n, nil, 0, rpt_H5P_DEFAULT())
            }
            var buffer = [CChar](repeating: 0, count: Int(size) + 1)
            try call("get member name", p) {
                H5Lget_name_by_idx(gid, ".", H5_INDEX_NAME, H5_ITER_INC, n, &buffer, buffer.count, rpt_H5P_DEFAULT())
            }
            names.append(String(cString: buffer))
        }
        return names
    }
}
