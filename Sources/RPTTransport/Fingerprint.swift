import RPTCore

/// A 64-bit FNV-1a hash of the inputs of a simulation (geometry, source, physics settings, seed), used
/// to refuse merging shards or resuming checkpoints of a different simulation. Not a security hash.
/// FNV-1a: Fowler, Noll & Vo, IETF draft-eastlake-fnv (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
public struct Fingerprint: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func combine(bytes: UnsafeRawBufferPointer) {
        var h = value
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        value = h
    }

    public mutating func combine<T>(_ array: [T]) {
        array.withUnsafeBytes { combine(bytes: $0) }
        var n = UInt64(array.count)
        withUnsafeBytes(of: &n) { combine(bytes: $0) }
    }

    /// A per-voxel array (geometry, source map, region voxels): its XXH64 digest (`XXHash64`, seed 0, over the
    /// array's bytes) and its element count enter the FNV-1a stream — 16 bytes instead of every byte of the array,
    /// so that clinical CTs cost tens of milliseconds, not seconds (fingerprint scheme of December 2026).
    public mutating func combine<T>(voxels array: [T]) {
        combine([array.withUnsafeBytes { XXHash64.hash($0) }, UInt64(array.count)])
    }

    public mutating func combine(_ s: String) { combine(Array(s.utf8)) }
    public mutating func combine(_ x: Double) { combine([x]) }
    public mutating func combine(_ x: UInt64) { combine([x]) }

    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
