import XCTest
@testable import RPTCore

final class PhiloxTests: XCTestCase {
    /// Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors),
    /// Salmon et al. SC'11 — an independent reference implementation.
    func testKnownAnswerVectors() {
        let cases: [(SIMD4<UInt32>, SIMD2<UInt32>, SIMD4<UInt32>)] = [
            (.zero, .zero, SIMD4(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8)),
            (SIMD4(repeating: 0xffff_ffff), SIMD2(repeating: 0xffff_ffff),
             SIMD4(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd)),
            (SIMD4(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), SIMD2(0xa409_3822, 0x299f_31d0),
             SIMD4(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1)),
        ]
        for (c, k, expected) in cases {
            XCTAssertEqual(Philox4x32.block(counter: c, key: k), expected)
        }
    }

    /// The stream's 64-bit numbers are the words of the known-answer-tested single blocks for counters
    /// (stream, 0), (stream, 1), …, high word first — including across the 2³² carry of the block index and
    /// for stream indices above 2³² — so the two-block generator changes nothing.
    func testStreamEqualsConsecutiveSingleBlocks() {
        for (seed, stream, start) in [(UInt64(42), UInt64(7), UInt64(0)), (0xDEAD_BEEF_0123_4567, 0x1_0000_0005, 0xFFFF_FFFE)] {
            var rng = RandomStream(seed: seed, stream: stream)
            rng.blockIndex = start
            let key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
            for b in 0..<7 as Range<UInt64> {
                let index = start &+ b
                let c = SIMD4(UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32),
                              UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32))
                let w = Philox4x32.block(counter: c, key: key)
                XCTAssertEqual(rng.nextUInt64(), (UInt64(w.x) << 32) | UInt64(w.y), "block \(index) words 0–1")
                XCTAssertEqual(rng.nextUInt64(), (UInt64(w.z) << 32) | UInt64(w.w), "block \(index) words 2–3")
            }
        }
    }

    /// Mixed draws consume the block words in order: a 32-bit draw takes one word, a 64-bit draw the next
    /// two (high word first), and a 64-bit draw with one word left in the two-block buffer skips that word.
    func testThirtyTwoBitDrawsTakeOneWordInOrder() {
        let seed: UInt64 = 0x0123_4567_89AB_CDEF, stream: UInt64 = 99
        let key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        var words: [UInt32] = []
        for b in 0..<6 as Range<UInt32> {
            let w = Philox4x32.block(counter: SIMD4(UInt32(stream), 0, b, 0), key: key)
            words += [w.x, w.y, w.z, w.w]
        }
        var rng = RandomStream(seed: seed, stream: stream)
        XCTAssertEqual(rng.nextUInt32(), words[0])
        XCTAssertEqual(rng.nextUInt64(), (UInt64(words[1]) << 32) | UInt64(words[2]))
        XCTAssertEqual(rng.uniform32(), (Double(words[3]) + 0.5) * 0x1p-32)
        XCTAssertEqual(rng.nextUInt64(), (UInt64(words[4]) << 32) | UInt64(words[5]))
        XCTAssertEqual(rng.nextUInt64(), (UInt64(words[6]) << 32) | UInt64(words[7]))
        XCTAssertEqual(rng.nextUInt32(), words[8])
        for i in 9..<15 { XCTAssertEqual(rng.nextUInt32(), words[i]) }
        // One word (15) left of the second refill: a 64-bit draw skips it.
        XCTAssertEqual(rng.nextUInt64(), (UInt64(words[16]) << 32) | UInt64(words[17]))
    }

    /// `uniform32` lies strictly inside (0, 1) at its extreme words, and its moments are those of U(0,1)
    /// (10⁶ draws, 5σ).
    func testUniform32() {
        XCTAssertGreaterThan((Double(UInt32.min) + 0.5) * 0x1p-32, 0)
        XCTAssertLessThan((Double(UInt32.max) + 0.5) * 0x1p-32, 1)
        var r = RandomStream(seed: 11, stream: 4)
        let n = 1_000_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n {
            let u = r.uniform32()
            XCTAssertTrue(u > 0 && u < 1)
            s += u; s2 += u * u
        }
        let mean = s / Double(n)
        XCTAssertEqual(mean, 0.5, accuracy: 5 * (1.0 / 12).squareRoot() / Double(n).squareRoot())
        XCTAssertEqual(s2 / Double(n) - mean * mean, 1.0 / 12, accuracy: 5 * (4.0 / 45).squareRoot() / Double(n).squareRoot())
    }

    func testStreamIsAFunctionOfSeedAndIndexOnly() {
        var a = RandomStream(seed: 42, stream: 7)
        var b = RandomStream(seed: 42, stream: 7)
        var c = RandomStream(seed: 42, stream: 8)
        let xa = (0..<100).map { _ in a.uniform() }
        let xb = (0..<100).map { _ in b.uniform() }
        let xc = (0..<100).map { _ in c.uniform() }
        XCTAssertEqual(xa, xb)
        XCTAssertNotEqual(xa, xc)
        XCTAssertTrue(xa.allSatisfy { $0 > 0 && $0 < 1 })
    }

    /// Mean and variance of U(0,1) from 10⁶ draws: mean 1/2 ± σ/√n with σ² = 1/12; 5σ tolerance.
    func testUniformMoments() {
        var r = RandomStream(seed: 1, stream: 0)
        let n = 1_000_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n { let u = r.uniform(); s += u; s2 += u * u }
        let mean = s / Double(n)
        XCTAssertEqual(mean, 0.5, accuracy: 5 * (1.0 / 12).squareRoot() / Double(n).squareRoot())
        let variance = s2 / Double(n) - mean * mean
        // Var of u² estimator: Var(u²) = 1/5 − 1/9 = 4/45.
        XCTAssertEqual(variance, 1.0 / 12, accuracy: 5 * (4.0 / 45).squareRoot() / Double(n).squareRoot())
    }

    /// Isotropic directions: unit length, and ⟨cos θ⟩ = 0, ⟨cos² θ⟩ = 1/3 within 5σ.
    func testIsotropicDirection() {
        var r = RandomStream(seed: 3, stream: 1)
        let n = 200_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n {
            let d = r.isotropicDirection()
            XCTAssertEqual((d * d).sum(), 1, accuracy: 1e-12)
            s += d.x; s2 += d.x * d.x
        }
        let sd = (1.0 / 3).squareRoot() / Double(n).squareRoot()
        XCTAssertEqual(s / Double(n), 0, accuracy: 5 * sd)
        XCTAssertEqual(s2 / Double(n), 1.0 / 3, accuracy: 5 * (4.0 / 45).squareRoot() / Double(n).squareRoot())
    }
}

/// The ziggurat exponential sampler against the exact Exp(1) distribution.
final class ExponentialZigguratTests: XCTestCase {
    /// 2·10⁶ seeded draws: mean and variance within 4σ of 1; χ² over 64 equiprobable bins of the exact
    /// CDF below the 99.99 % point of χ²(63) (≈ 112); the tail beyond the base strip (x > r = 7.697,
    /// P = e^{−r} = 4.5·10⁻⁴) and beyond 12 within 4σ of the exact probability.
    func testMatchesExponentialDistribution() {
        var rng = RandomStream(seed: 2024, stream: 7)
        let n = 2_000_000
        let bins = 64
        var counts = [Int](repeating: 0, count: bins)
        var sum = 0.0, sumSquares = 0.0
        var beyondR = 0, beyond12 = 0
        for _ in 0..<n {
            let x = rng.exponential()
            XCTAssertGreaterThanOrEqual(x, 0)
            sum += x; sumSquares += x * x
            let cdf = 1 - exp(-x)
            counts[min(bins - 1, Int(cdf * Double(bins)))] += 1
            if x > ExponentialZiggurat.tailStart { beyondR += 1 }
            if x > 12 { beyond12 += 1 }
        }
        let mean = sum / Double(n)
        let variance = sumSquares / Double(n) - mean * mean
        XCTAssertEqual(mean, 1, accuracy: 4 / Double(n).squareRoot())
        // Var of the sample variance of Exp(1): (μ₄ − σ⁴)/n = (9 − 1)/n.
        XCTAssertEqual(variance, 1, accuracy: 4 * (8 / Double(n)).squareRoot())
        let expected = Double(n) / Double(bins)
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        XCTAssertLessThan(chi2, 112, "χ² = \(chi2) over \(bins) bins")
        for (count, x) in [(beyondR, ExponentialZiggurat.tailStart), (beyond12, 12.0)] {
            let p = exp(-x)
            let sigma = (Double(n) * p * (1 - p)).squareRoot()
            XCTAssertEqual(Double(count), Double(n) * p, accuracy: 4 * sigma + 1, "P(X > \(x))")
        }
    }

    /// The same stream gives the same draws (the sampler is a pure function of the stream).
    func testReproducible() {
        var a = RandomStream(seed: 5, stream: 3), b = RandomStream(seed: 5, stream: 3)
        for _ in 0..<10_000 { XCTAssertEqual(a.exponential(), b.exponential()) }
    }
}
