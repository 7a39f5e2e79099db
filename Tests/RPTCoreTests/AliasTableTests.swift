import XCTest
@testable import RPTCore

final class AliasTableTests: XCTestCase {
    /// χ² test of sampled frequencies against the weights (6 bins incl. a zero-weight bin).
    /// Critical value χ²(0.999, 4 dof) = 18.47.
    func testFrequenciesMatchWeights() {
        let w = [1.0, 0, 3, 0.5, 10, 2.5]
        let table = AliasTable(weights: w)
        var rng = RandomStream(seed: 9, stream: 0)
        var counts = [Int](repeating: 0, count: w.count)
        let n = 500_000
        for _ in 0..<n { counts[table.sample(&rng)] += 1 }
        XCTAssertEqual(counts[1], 0, "zero-weight bin must never be drawn")
        let total = w.reduce(0, +)
        var chi2 = 0.0
        for i in 0..<w.count where w[i] > 0 {
            let e = Double(n) * w[i] / total
            chi2 += (Double(counts[i]) - e) * (Double(counts[i]) - e) / e
        }
        XCTAssertLessThan(chi2, 18.47)
    }

    /// A table above 2¹⁶ bins (the 53-bit path of `sample`): 100 000 bins whose weights grow linearly with the
    /// index; the sampled frequencies of 10 groups of 10 000 bins against their exact shares, χ²(0.999, 9 dof)
    /// = 27.88, and zero-weight bins never drawn.
    func testLargeTableUsesFullResolutionAndMatchesWeights() {
        let bins = 100_000
        let w = (0..<bins).map { i in i % 1000 == 0 ? 0.0 : Double(i + 1) }
        let table = AliasTable(weights: w)
        var rng = RandomStream(seed: 10, stream: 0)
        var counts = [Int](repeating: 0, count: 10)
        let n = 400_000
        for _ in 0..<n {
            let i = table.sample(&rng)
            XCTAssertNotEqual(i % 1000, 0, "zero-weight bin \(i) drawn")
            counts[i / 10_000] += 1
        }
        let total = w.reduce(0, +)
        var chi2 = 0.0
        for g in 0..<10 {
            let e = Double(n) * w[(g * 10_000)..<((g + 1) * 10_000)].reduce(0, +) / total
            chi2 += (Double(counts[g]) - e) * (Double(counts[g]) - e) / e
        }
        XCTAssertLessThan(chi2, 27.88)
    }
}
