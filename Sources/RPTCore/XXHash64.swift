/// XXH64, the 64-bit xxHash of Yann Collet (specification: github.com/Cyan4973/xxHash, doc/xxhash_spec.md,
/// "XXH64 algorithm"; the same value as `xxhash.xxh64_intdigest(data, seed)` of the Python binding). A fast,
/// well-mixed, non-cryptographic hash of a byte buffer — several GB/s, so that fingerprints of per-voxel arrays
/// of clinical CTs cost a fraction of a second. Reads little-endian words (as the specification does).
public enum XXHash64 {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always) static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
    @inline(__always) static func round(_ acc: UInt64, _ lane: UInt64) -> UInt64 {
        rotl(acc &+ lane &* prime2, 31) &* prime1
    }
    @inline(__always) static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 {
        (acc ^ round(0, v)) &* prime1 &+ prime4
    }

    /// The XXH64 digest of `bytes` with `seed`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return finish(seed &+ prime5, remaining: bytes, length: 0) }
        var p = 0
        var acc: UInt64
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2, v2 = seed &+ prime2, v3 = seed, v4 = seed &- prime1
            while p + 32 <= count {
                v1 = round(v1, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self)))
                v2 = round(v2, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p + 8, as: UInt64.self)))
                v3 = round(v3, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p + 16, as: UInt64.self)))
                v4 = round(v4, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p + 24, as: UInt64.self)))
                p += 32
            }
            acc = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            acc = merge(acc, v1); acc = merge(acc, v2); acc = merge(acc, v3); acc = merge(acc, v4)
        } else {
            acc = seed &+ prime5
        }
        return finish(acc, remaining: UnsafeRawBufferPointer(rebasing: bytes[p...]), length: count)
    }

    /// The last < 32 bytes and the avalanche.
    static func finish(_ accumulator: UInt64, remaining: UnsafeRawBufferPointer, length: Int) -> UInt64 {
        var acc = accumulator &+ UInt64(length)
        var p = 0
        let n = remaining.count
        while p + 8 <= n {
            let lane = UInt64(littleEndian: remaining.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            acc = rotl(acc ^ round(0, lane), 27) &* prime1 &+ prime4
            p += 8
        }
        if p + 4 <= n {
            let lane = UInt64(UInt32(littleEndian: remaining.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
            acc = rotl(acc ^ (lane &* prime1), 23) &* prime2 &+ prime3
            p += 4
        }
        while p < n {
            acc = rotl(acc ^ (UInt64(remaining[p]) &* prime5), 11) &* prime1
            p += 1
        }
        acc ^= acc >> 33; acc = acc &* prime2
        acc ^= acc >> 29; acc = acc &* prime3
        acc ^= acc >> 32
        return acc
    }
}
