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
}

/// The random stream of one Monte Carlo history: a function of (seed, stream index) only.
///
/// The 128-bit Philox counter is (stream index low, stream index high, draw block low, draw block high);
/// each block yields four 32-bit words, consumed as two 64-bit numbers (one double each). A history may draw up
/// to 2^64 blocks, which is never reached in practice.
///
/// `RandomStream` is a value type with no heap storage: copy it into the hot loop.
@frozen
public struct RandomStream {
    @usableFromInline var key: SIMD2<UInt32>
    @usableFromInline var counter: SIMD4<UInt32>
    /// The unused 64-bit halves of the current Philox block (`low` is consumed first).
    @usableFromInline var low: UInt64 = 0
    @usableFromInline var high: UInt64 = 0
    /// How many of `low`, `high` are still unused (0, 1 or 2).
    @usableFromInline var available: Int = 0

    /// - Parameters:
    ///   - seed: the user's master seed.
    ///   - stream: the history (decay) index, or any other independent stream id.
    @inlinable
    public init(seed: UInt64, stream: UInt64) {
        key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        counter = SIMD4(UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32), 0, 0)
    }

    @inlinable
    mutating func refill() {
        let b = Philox4x32.block(counter: counter, key: key)
        low = (UInt64(b.x) << 32) | UInt64(b.y)
        high = (UInt64(b.z) << 32) | UInt64(b.w)
        counter.z &+= 1
        if counter.z == 0 { counter.w &+= 1 }
        available = 2
    }

    /// Next 64 random bits (words 0–1 of a Philox block, then words 2–3).
    @inlinable @inline(__always)
    public mutating func nextUInt64() -> UInt64 {
        if available == 0 { refill() }
        available -= 1
        return available == 1 ? low : high
    }

    /// Next 32 random bits (the upper half of the next 64).
    @inlinable
    public mutating func nextUInt32() -> UInt32 { UInt32(truncatingIfNeeded: nextUInt64() >> 32) }

    /// Uniform double in the open interval (0, 1): never exactly 0 or 1, so `log(u)` is finite.
    /// Built from 64 random bits with 53 significant bits, offset by half an ulp.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        (Double(nextUInt64() >> 11) + 0.5) * 0x1p-53
    }

    /// A uniformly distributed unit vector (isotropic direction).
    @inlinable
    public mutating func isotropicDirection() -> SIMD3<Double> {
        let cosTheta = 2 * uniform() - 1
        let phi = 2 * Double.pi * uniform()
        let sinTheta = (max(0, 1 - cosTheta * cosTheta)).squareRoot()
        let (c, s) = cosSin(phi)
        return SIMD3(sinTheta * c, sinTheta * s, cosTheta)
    }
}
