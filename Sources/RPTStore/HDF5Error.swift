import CHDF5

/// A failure reported by the HDF5 library, with the file and the object (group, dataset or attribute
/// path) it concerned and HDF5's own explanation taken from its error stack.
///
/// Problems with the *content* of a file (missing volume, wrong dtype, bad geometry) are reported as
/// `InputError` instead; `HDF5Error` means the library call itself failed (corrupt file, disk full…).
public struct HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file as the user named it (the final name, even while a temporary file is being written).
    public var file: String
    /// Path inside the file (e.g. `/volumes/ct/data`, or `/volumes/ct@unit` for an attribute).
    public var objectPath: String
    /// What RPTStore was trying to do, e.g. "read dataset".
    public var operation: String
    /// HDF5's error-stack messages, innermost first.
    public var detail: String

    public init(file: String, objectPath: String, operation: String, detail: String) {
        self.file = file; self.objectPath = objectPath; self.operation = operation; self.detail = detail
    }

    /// Whether the failure was a full disk (errno ENOSPC or EDQUOT in HDF5's error stack).
    public var isDiskFull: Bool {
        detail.contains("No space left on device") || detail.contains("errno = 28") || detail.contains("Disk quota exceeded")
    }

    public var description: String {
        if isDiskFull {
            return "\(file): no space left on the disk (HDF5 could not \(operation) at \(objectPath)); files are written "
                + "to a temporary name first, so no previous result was replaced — free some space and run again"
        }
        let flat = detail.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "\(file): \(objectPath): HDF5 could not \(operation)" + (flat.isEmpty ? "" : " (\(flat))")
    }
}

/// Process-wide HDF5 plumbing: silencing the library's error printing and harvesting its error stack.
///
/// Debian builds HDF5 thread-safe with one global lock: every HDF5 call from any thread is serialised.
/// Keep HDF5 off hot paths (read inputs before transport starts, write results after it ends).
enum HDF5Library {
    /// Turns off HDF5's automatic printing of its error stack to stderr. In a thread-safe build the
    /// error stack (and this setting) is per thread, so it is called before every HDF5 operation.
    @inline(__always)
    static func silenceErrorPrinting() {
        _ = H5Eset_auto2(rpt_H5E_DEFAULT(), nil, nil)
    }

    /// The calling thread's HDF5 error-stack descriptions, innermost first (duplicates removed);
    /// clears the stack.
    static func takeErrorMessages() -> String {
        final class Collected { var lines: [String] = [] }
        let collected = Collected()
        withExtendedLifetime(collected) {
            let context = Unmanaged.passUnretained(collected).toOpaque()
            _ = H5Ewalk2(rpt_H5E_DEFAULT(), H5E_WALK_UPWARD, { _, entry, data in
                guard let entry, let data else { return 0 }
                let box = Unmanaged<Collected>.fromOpaque(data).takeUnretainedValue()
                var text = entry.pointee.desc.map { String(cString: $0) } ?? ""
                if text.isEmpty {
                    var buffer = [CChar](repeating: 0, count: 256)
                    if H5Eget_msg(entry.pointee.min_num, nil, &buffer, buffer.count) > 0 {
                        text = String(cString: buffer)
                    }
                }
                if !text.isEmpty && !box.lines.contains(text) { box.lines.append(text) }
                return 0
            }, context)
        }
        _ = H5Eclear2(rpt_H5E_DEFAULT())
        return collected.lines.prefix(4).joined(separator: "; ")
    }
}
