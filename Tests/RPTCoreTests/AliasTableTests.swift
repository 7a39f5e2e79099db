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
}
