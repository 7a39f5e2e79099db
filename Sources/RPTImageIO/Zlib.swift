import CZlib
import Foundation
import RPTCore

/// Thin Swift wrappers over the system zlib: whole gzip files (`gzopen`/`gzread`/`gzwrite`) and
/// single zlib streams (`inflate`/`compress2`).
enum Zlib {
    /// Decompresses a whole gzip file (or at most `limit` decompressed bytes of it). `sizeHint`: the expected
    /// decompressed size, if known (the buffer then starts one byte larger and is never grown for a valid file).
    static func readGzipFile(_ path: String, source: String, limit: Int = .max, sizeHint: Int = 0) throws -> Data {
        try FileBytes.requireReadable(path, source: source)
        guard let gz = gzopen(path, "rb") else {
            throw InputError(source: source, field: "file", value: path, reason: "cannot open gzip file")
        }
        defer { gzclose(gz) }
        // Decompressed straight into the result, which doubles as it fills; a 1 MiB input buffer (zlib's default
        // is 8 KiB) so that large images are read in few system calls.
        gzbuffer(gz, 1 << 20)
        // A header cannot make us reserve more than deflate can expand the file to (`maximumInflationRatio`).
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let hint = min(sizeHint, fileSize * maximumInflationRatio + 1024)
        var out = Data(count: min(limit, max(1 << 22, hint + 1)))
        var size = 0
        while size < limit {
            if size == out.count { out.count = min(limit, 2 * out.count) }
            let want = UInt32(min(out.count - size, 1 << 30))
            let n = out.withUnsafeMutableBytes { gzread(gz, $0.baseAddress! + size, want) }
            if n < 0 {
                var errnum: Int32 = 0
                let msg = gzerror(gz, &errnum).map { String(cString: $0) } ?? "unknown error"
                throw InputError(source: source, field: "gzip stream", value: path,
                                 reason: "corrupt or truncated gzip data: \(msg)")
            }
            if n == 0 {
                // End of input: an incomplete stream (e.g. missing CRC trailer) leaves Z_BUF_ERROR set.
                var errnum: Int32 = 0
                let msg = gzerror(gz, &errnum).map { String(cString: $0) } ?? ""
                if errnum != Z_OK {
                    throw InputError(source: source, field: "gzip stream", value: path,
                                     reason: "truncated or corrupt gzip data: \(msg.isEmpty ? "zlib error \(errnum)" : msg)")
                }
                break
            }
            size += Int(n)
        }
        out.count = size
        return out
    }

    /// Writes `data` as a gzip file at `path` (level 6).
    static func writeGzipFile(_ data: Data, to path: String, destination: String) throws {
        guard let gz = gzopen(path, "wb6") else {
            throw InputError(source: destination, reason: "cannot create gzip file (permission or disk full?)")
        }
        var offset = 0
        var failed = false
        data.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = min(1 << 30, raw.count - offset)
                let written = gzwrite(gz, raw.baseAddress! + offset, UInt32(n))
                if written <= 0 { failed = true; return }
                offset += Int(written)
            }
        }
        let closed = gzclose(gz)
        guard !failed, closed == Z_OK else {
            throw InputError(source: destination, reason: "writing gzip data failed (disk full?)")
        }
        // On disk before the caller renames it into place, as the other atomic writers do.
        let fd = open(path, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Largest expansion of deflate-compressed data (1032:1, zlib technical details, zlib.net/zlib_tech.html).
    static let maximumInflationRatio = 1032

    /// Inflates one zlib or gzip stream that must decompress to exactly `expectedCount` bytes.
    static func inflate(_ compressed: Data, expectedCount: Int, file: String, source: String) throws -> Data {
        var out = Data(count: expectedCount)
        var stream = z_stream()
        // windowBits 15 + 32: accept a zlib or a gzip wrapper.
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(source: source, field: "compressed data", value: file, reason: "zlib initialisation failed")
        }
        defer { inflateEnd(&stream) }
        var status: Int32 = Z_OK
        var produced = 0
        var extra = false
        compressed.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            out.withUnsafeMutableBytes { (output: UnsafeMutableRawBufferPointer) in
                var consumed = 0
                var scratch = [UInt8](repeating: 0, count: 1)
                while true {
                    if stream.avail_in == 0 && consumed < input.count {
                        let n = min(1 << 30, input.count - consumed)
                        stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress! + consumed)
                        stream.avail_in = UInt32(n)
                        consumed += n
                    }
                    if produced < output.count {
                        let n = min(1 << 30, output.count - produced)
                        stream.next_out = output.bindMemory(to: Bytef.self).baseAddress! + produced
                        stream.avail_out = UInt32(n)
                        let before = stream.avail_out
                        status = CZlib.inflate(&stream, Z_NO_FLUSH)
                        produced += Int(before - stream.avail_out)
                    } else {
                        // Output full: any further output means the stream holds more than the header says.
                        status = scratch.withUnsafeMutableBufferPointer { s in
                            stream.next_out = s.baseAddress
                            stream.avail_out = 1
                            return CZlib.inflate(&stream, Z_NO_FLUSH)
                        }
                        if stream.avail_out == 0 { extra = true; return }
                    }
                    if status == Z_STREAM_END { return }
                    if status != Z_OK { return }
                    if stream.avail_in == 0 && consumed >= input.count && produced < output.count { status = Z_BUF_ERROR; return }
                }
            }
        }
        if extra {
            throw InputError(source: source, field: "compressed data", value: file,
                             reason: "header/data size mismatch: the stream decompresses to more than the "
                                 + "\(expectedCount) bytes the header needs")
        }
        if status == Z_STREAM_END && produced == expectedCount { return out }
        if status == Z_STREAM_END || status == Z_BUF_ERROR {
            throw InputError(source: source, field: "compressed data", value: file,
                             reason: "truncated: the compressed stream ended after \(produced) of the \(expectedCount) "
                                 + "bytes the header needs, or without its end marker")
        }
        let msg = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
        throw InputError(source: source, field: "compressed data", value: file, reason: "corrupt zlib data: \(msg)")
    }

    /// Compresses `data` into one zlib stream (level 6).
    static func deflate(_ data: Data) -> Data {
        var bound = compressBound(uLong(data.count))
        var out = Data(count: Int(bound))
        let status = out.withUnsafeMutableBytes { o in
            data.withUnsafeBytes { i in
                compress2(o.bindMemory(to: Bytef.self).baseAddress!, &bound,
                          i.bindMemory(to: Bytef.self).baseAddress!, uLong(data.count), 6)
            }
        }
        precondition(status == Z_OK, "compress2 failed with \(status)")
        out.count = Int(bound)
        return out
    }

    /// Compresses `data` into one gzip stream (RFC 1952 wrapper, level 6), as NRRD's `encoding: gzip` requires.
    static func gzip(_ data: Data) -> Data {
        var stream = z_stream()
        // windowBits 15 + 16: gzip wrapper; memLevel 8 (zlib's default).
        let initStatus = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                                       Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "deflateInit2 failed with \(initStatus)")
        defer { deflateEnd(&stream) }
        var out = Data(count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        var status: Int32 = Z_OK
        data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            out.withUnsafeMutableBytes { (output: UnsafeMutableRawBufferPointer) in
                var consumed = 0
                stream.next_out = output.bindMemory(to: Bytef.self).baseAddress!
                stream.avail_out = UInt32(min(output.count, Int(UInt32.max)))
                repeat {
                    let n = min(1 << 30, input.count - consumed)
                    stream.next_in = n > 0 ? UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress! + consumed) : nil
                    stream.avail_in = UInt32(n)
                    consumed += n
                    status = CZlib.deflate(&stream, consumed == input.count ? Z_FINISH : Z_NO_FLUSH)
                } while status == Z_OK
            }
        }
        precondition(status == Z_STREAM_END, "deflate failed with \(status)")
        out.count = Int(stream.total_out)
        return out
    }
}
