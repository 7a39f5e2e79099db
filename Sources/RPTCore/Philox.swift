/// Philox4x32-10 counter-based pseudo-random generator.
///
/// Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11 (2011),
/// doi:10.1145/2063384.2063405. The output block is a pure function of a 128-bit counter and a
/// 64-bit key, so a stream can be addressed directly by (seed, history index) with no shared state:
/// this is what makes RPTDose results independent of thread count and shard split.
///
/// Constants from the paper (Table 2 / Random123 `philox.h`): multipliers 0xD2511F53, 0xCD9E8D57;
/// Weyl key increments 0x9E3779B9, 0xBB67AE85.
@frozen
public struct Philox4x32 {
    @inlinable
    public static func block(counter c: SIMD4<UInt32>, key k: SIMD2<UInt32>) -> SIMD4<UInt32> {
        // Scalar words: the SIMD4 shuffles of a vector formulation compile to slower code.
        var x0 = c.x, x1 = c.y, x2 = c.z, x3 = c.w
        var k0 = k.x, k1 = k.y
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(x0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(x2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            x0 = hi1 ^ x1 ^ k0
            x1 = lo1
            x2 = hi0 ^ x3 ^ k1
            x3 = lo0
            k0 &+= 0x9E37_79B9
            k1 &+= 0xBB67_AE85
        }
        return SIMD4(x0, x1, x2, x3)
    }

    /// The blocks for two counters that differ only in their upper 64 bits (words 2–3: `blockIndex` and
    /// `blockIndex + 1`), as four 64-bit numbers (words 0–1 and 2–3 of the first block, then of the second;
    /// each pair high word first). Same values as two calls of `block`; the two rounds chains are
    /// interleaved so that their multiplications overlap (about twice the throughput of two calls).
    @inlinable @inline(__always)
    public static func twoBlocks(streamLow: UInt32, streamHigh: UInt32, blockIndex: UInt64,
                                 key k: SIMD2<UInt32>) -> SIMD4<UInt64> {
        let next = blockIndex &+ 1
        var a0 = streamLow, a1 = streamHigh
        var a2 = UInt32(truncatingIfNeeded: blockIndex), a3 = UInt32(truncatingIfNeeded: blockIndex >> 32)
        var b0 = streamLow, b1 = streamHigh
        var b2 = UInt32(truncatingIfNeeded: next), b3 = UInt32(truncatingIfNeeded: next >> 32)
        var k0 = k.x, k1 = k.y
        for _ in 0..<10 {
            let pa0 = UInt64(0xD251_1F53) &* UInt64(a0), pa1 = UInt64(0xCD9E_8D57) &* UInt64(a2)
            let pb0 = UInt64(0xD251_1F53) &* UInt64(b0), pb1 = UInt64(0xCD9E_8D57) &* UInt64(b2)
            a0 = UInt32(truncatingIfNeeded: pa1 >> 32) ^ a1 ^ k0
            a1 = UInt32(truncatingIfNeeded: pa1)
            a2 = UInt32(truncatingIfNeeded: pa0 >> 32) ^ a3 ^ k1
            a3 = UInt32(truncatingIfNeeded: pa0)
            b0 = UInt32(truncatingIfNeeded: pb1 >> 32) ^ b1 ^ k0
            b1 = UInt32(truncatingIfNeeded: pb1)
            b2 = UInt32(truncatingIfNeeded: pb0 >> 32) ^ b3 ^ k1
            b3 = UInt32(truncatingIfNeeded: pb0)
            k0 &+= 0x9E37_79B9
            k1 &+= 0xBB67_AE85
        }
        return SIMD4((UInt64(a0) << 32) | UInt64(a1), (UInt64(a2) << 32) | UInt64(a3),
                     (UInt64(b0) << 32) | UInt64(b1), (UInt64(b2) << 32) | UInt64(b3))
    }
}

/// The random stream of one Monte Carlo history: a function of (seed, stream index) only.
///
/// The 128-bit Philox counter is (stream index low, stream index high, draw block low, draw block high);
/// each block yields four 32-bit words. Blocks are made two at a time (`Philox4x32.twoBlocks`) and their
/// eight words consumed in order: a 64-bit number (`nextUInt64`, `uniform`) takes two words (the first as
/// its high half), `uniform32` takes one. A 64-bit draw never straddles two refills: when one word is
/// left it is skipped. A history may draw up to 2^64 blocks, which is never reached in practice.
///
/// `RandomStream` is a value type with no heap storage: copy it into the hot loop.
@frozen
public struct RandomStream {
    @usableFromInline var key: SIMD2<UInt32>
    @usableFromInline let streamLow: UInt32
    @usableFromInline let streamHigh: UInt32
    /// Index of the next block to make.
    @usableFromInline var blockIndex: UInt64 = 0
    /// The eight 32-bit words of the last two blocks, consumed in order from lane 8 − `available`.
    @usableFromInline var buffer: SIMD8<UInt32> = .zero
    /// How many words of `buffer` are still unused (0…8).
    @usableFromInline var available: Int = 0

    /// - Parameters:
    ///   - seed: the user's master seed.
    ///   - stream: the history (decay) index, or any other independent stream id.
    @inlinable
    public init(seed: UInt64, stream: UInt64) {
        key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        streamLow = UInt32(truncatingIfNeeded: stream)
        streamHigh = UInt32(truncatingIfNeeded: stream >> 32)
    }

    @inlinable
    mutating func refill() {
        let b = Philox4x32.twoBlocks(streamLow: streamLow, streamHigh: streamHigh, blockIndex: blockIndex, key: key)
        buffer = SIMD8(UInt32(truncatingIfNeeded: b[0] >> 32), UInt32(truncatingIfNeeded: b[0]),
                       UInt32(truncatingIfNeeded: b[1] >> 32), UInt32(truncatingIfNeeded: b[1]),
                       UInt32(truncatingIfNeeded: b[2] >> 32), UInt32(truncatingIfNeeded: b[2]),
                       UInt32(truncatingIfNeeded: b[3] >> 32), UInt32(truncatingIfNeeded: b[3]))
        blockIndex &+= 2
        available = 8
    }

    /// Next 64 random bits: two words, the first as the high half (words 0–1 of a Philox block, then
    /// words 2–3, then the next block, when only 64-bit draws are made).
    @inlinable @inline(__always)
    public mutating func nextUInt64() -> UInt64 {
        if available < 2 { refill() }
        let i = 8 &- available
        available &-= 2
        return (UInt64(buffer[i]) << 32) | UInt64(buffer[i &+ 1])
    }

    /// Next 32 random bits (one word).
    @inlinable @inline(__always)
    public mutating func nextUInt32() -> UInt32 {
        if available == 0 { refill() }
        let word = buffer[8 &- available]
        available &-= 1
        return word
    }

    /// Uniform double in the open interval (0, 1): never exactly 0 or 1, so `log(u)` is finite.
    /// Built from 64 random bits with 53 significant bits, offset by half an ulp.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        (Double(nextUInt64() >> 11) + 0.5) * 0x1p-53
    }

    /// Uniform double in the open interval (0, 1) from one 32-bit word: the values (k + ½)·2⁻³²,
    /// k = 0 … 2³² − 1. Half the random bits of `uniform()`, for draws where a resolution of 2.3·10⁻¹⁰ is
    /// far below anything the result depends on: angles, positions inside a voxel, acceptance tests.
    /// Not for inverting steep distributions in their tails, picking among very many bins, or ln u.
    @inlinable @inline(__always)
    public mutating func uniform32() -> Double {
        (Double(nextUInt32()) + 0.5) * 0x1p-32
    }

    /// A uniform azimuth as (cos φ, sin φ), φ = 2π·u.
    @inlinable @inline(__always)
    public mutating func azimuth() -> (cos: Double, sin: Double) { cosSinOfTurn(uniform32()) }

    /// A uniformly distributed unit vector (isotropic direction).
    @inlinable
    public mutating func isotropicDirection() -> SIMD3<Double> {
        let cosTheta = 2 * uniform32() - 1
        let turn = uniform32()  // azimuth φ = 2π·turn
        let sinTheta = (max(0, 1 - cosTheta * cosTheta)).squareRoot()
        let (c, s) = cosSinOfTurn(turn)
        return SIMD3(sinTheta * c, sinTheta * s, cosTheta)
    }
}
