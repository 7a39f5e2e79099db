import Foundation

/// Reads fixed-position binary fields of either byte order from a header.
struct BinaryFieldReader {
    let bytes: [UInt8]
    let bigEndian: Bool

    private func raw(_ offset: Int, _ width: Int) -> UInt64 {
        var v: UInt64 = 0
        for n in 0..<width {
            let b = UInt64(bytes[offset + (bigEndian ? n : width - 1 - n)])
            v = (v << 8) | b
        }
        return v
    }
    func int16(_ offset: Int) -> Int { Int(Int16(bitPattern: UInt16(raw(offset, 2)))) }
    func int32(_ offset: Int) -> Int { Int(Int32(bitPattern: UInt32(raw(offset, 4)))) }
    func float32(_ offset: Int) -> Double { Double(Float(bitPattern: UInt32(raw(offset, 4)))) }
    func uint8(_ offset: Int) -> Int { Int(bytes[offset]) }
    /// NUL-terminated text of at most `length` bytes.
    func text(_ offset: Int, _ length: Int) -> String {
        let slice = bytes[offset..<(offset + length)]
        let end = slice.firstIndex(of: 0) ?? slice.endIndex
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }
}

/// Writes little-endian binary fields at fixed positions into a zero-filled buffer.
struct BinaryFieldWriter {
    var bytes: [UInt8]
    init(count: Int) { bytes = [UInt8](repeating: 0, count: count) }

    private mutating func put(_ offset: Int, _ value: UInt64, _ width: Int) {
        for n in 0..<width { bytes[offset + n] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(n))) }
    }
    mutating func int16(_ offset: Int, _ v: Int) { put(offset, UInt64(UInt16(bitPattern: Int16(v))), 2) }
    mutating func int32(_ offset: Int, _ v: Int) { put(offset, UInt64(UInt32(bitPattern: Int32(v))), 4) }
    mutating func float32(_ offset: Int, _ v: Double) { put(offset, UInt64(Float(v).bitPattern), 4) }
    mutating func uint8(_ offset: Int, _ v: Int) { bytes[offset] = UInt8(v) }
    /// Text truncated to `length - 1` bytes, NUL-padded.
    mutating func text(_ offset: Int, _ length: Int, _ s: String) {
        for (n, b) in Array(s.utf8.prefix(length - 1)).enumerated() { bytes[offset + n] = b }
    }
}
