import CZlib
import RPTCore

/// Raw DEFLATE (RFC 1951, no zlib/gzip wrapper) decompression, as used by the Deflated Explicit VR
/// Little Endian transfer syntax (PS3.5 §A.5).
enum RawInflate {
    static func inflate(_ input: ArraySlice<UInt8>, source: String) throws -> [UInt8] {
        var stream = z_stream()
        // Negative window bits: raw deflate without header or checksum.
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(source: source, field: DicomTag.transferSyntaxUID.label, reason: "zlib initialisation failed")
        }
        defer { inflateEnd(&stream) }
        var out = [UInt8]()
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        let input = Array(input)
        var status: Int32 = Z_OK
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(inBuf.count)
            repeat {
                buffer.withUnsafeMutableBufferPointer { o in
                    stream.next_out = o.baseAddress
                    stream.avail_out = UInt32(chunk)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                out.append(contentsOf: buffer[0..<(chunk - Int(stream.avail_out))])
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard status == Z_STREAM_END else {
            let msg = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw InputError(source: source, field: DicomTag.transferSyntaxUID.label,
                             value: TransferSyntax.deflatedExplicitVRLittleEndian.uid,
                             reason: "corrupt or truncated deflated data set: \(msg)")
        }
        return out
    }
}
