/// Walker's alias method for O(1) sampling from a discrete distribution.
///
/// Walker (1977), ACM TOMS 3:253; construction as in Vose (1991), IEEE TSE 17:972 (numerically stable).
/// Weights need not be normalised; zero weights are never sampled.
public struct AliasTable: Sendable {
    /// Probability of keeping bin i (else take `alias[i]`).
    public private(set) var threshold: [Double]
    public private(set) var alias: [Int32]
    /// Sum of the input weights.
    public let totalWeight: Double

    /// - Precondition: at least one weight > 0; all weights finite and ≥ 0.
    public init(weights: [Double]) {
        let n = weights.count
        precondition(n > 0, "AliasTable needs at least one weight")
        var total = 0.0
        for w in weights {
            precondition(w >= 0 && w.isFinite, "AliasTable weight must be finite and ≥ 0, got \(w)")
            total += w
        }
        precondition(total > 0, "AliasTable needs a positive total weight")
        totalWeight = total
        var scaled = weights.map { $0 * Double(n) / total }
        threshold = [Double](repeating: 1, count: n)
        alias = [Int32](repeating: 0, count: n)
        var small: [Int] = [], large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.last, let l = large.last {
            small.removeLast()
            threshold[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
        for i in large { threshold[i] = 1; alias[i] = Int32(i) }
        for i in small { threshold[i] = 1; alias[i] = Int32(i) }  // round-off leftovers
    }

    public var count: Int { threshold.count }

    /// Samples a bin index from one uniform number of `rng`: its integer part (× bin count) picks the bin, its
    /// fractional part decides between the bin and its alias. Tables of up to 2¹⁶ bins use a 32-bit uniform
    /// (`RandomStream.uniform32`): each of the 2³² values then selects one outcome, so a bin's probability is
    /// off by at most (1 + number of bins aliased to it)·2⁻³², and the sampled distribution differs from the
    /// exact one by at most 2n·2⁻³² ≤ 3·10⁻⁵ in total variation (any mean over it by at most that fraction of
    /// its largest term); larger tables use 53 bits.
    @inlinable
    public func sample(_ rng: inout RandomStream) -> Int {
        let n = threshold.count
        let u = (n <= 1 << 16 ? rng.uniform32() : rng.uniform()) * Double(n)
        let i = min(Int(u), n - 1)
        let f = u - Double(i)
        return threshold.withUnsafeBufferPointer { t in
            f < t[i] ? i : alias.withUnsafeBufferPointer { Int($0[i]) }
        }
    }
}
