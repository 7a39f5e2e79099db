import XCTest
import RPTCore

/// `XXHash64` against the reference implementation: the expected digests were computed with the Python binding of
/// the reference C library (`xxhash` 4.1.0 from PyPI, `xxhash.xxh64_intdigest(data, seed)`; specification: github.com/Cyan4973/xxHash,
/// doc/xxhash_spec.md).
final class XXHash64Tests: XCTestCase {
    func digest(_ bytes: [UInt8], seed: UInt64) -> UInt64 { bytes.withUnsafeBytes { XXHash64.hash($0, seed: seed) } }

    func testReferenceDigests() {
        // Inputs of every length class: empty, < 4, < 32 and ≥ 32 bytes, with tails of 8-, 4- and 1-byte pieces.
        let cases: [([UInt8], UInt64, UInt64)] = [
            ([], 0xEF46_DB37_51D8_E999, 0x95F0_626F_6F0A_4409),
            (Array("a".utf8), 0xD24E_C4F1_A98C_6E5B, 0xDC63_49D4_89E0_F965),
            (Array("abc".utf8), 0x44BC_2CF5_AD77_0999, 0x9E75_5206_1566_76D7),
            (Array("0123456789abcdef0123456789abcdef!".utf8), 0x8AFF_F4DA_AC4E_677E, 0xC1EF_D54A_62EF_942F),
            ((0..<3).flatMap { _ in (0...255).map { UInt8($0) } } + Array("xyz1234".utf8), 0x559E_A82A_FE8F_46C9,
             0x5389_0E50_2842_7173),
        ]
        for (bytes, seed0, seed7) in cases {
            XCTAssertEqual(digest(bytes, seed: 0), seed0, "\(bytes.count) bytes, seed 0")
            XCTAssertEqual(digest(bytes, seed: 7), seed7, "\(bytes.count) bytes, seed 7")
        }
    }

    /// A change of one bit anywhere changes the digest.
    func testEveryBitCounts() {
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let base = digest(bytes, seed: 0)
        for n in bytes.indices {
            for bit in 0..<8 {
                var changed = bytes
                changed[n] ^= UInt8(1 << bit)
                XCTAssertNotEqual(digest(changed, seed: 0), base, "byte \(n) bit \(bit)")
            }
        }
    }
}
