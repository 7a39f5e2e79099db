/// Transform sizes that KISS FFT handles efficiently.
///
/// KISS FFT has hand-written butterflies for the radices 2, 3, 4 and 5 and a generic O(p²) pass for any
/// other prime factor p, so padded sizes are chosen among the 5-smooth numbers (2^a·3^b·5^c).
enum FFTSize {
    /// Smallest 5-smooth integer ≥ `n` (and ≥ 1).
    static func fiveSmooth(atLeast n: Int) -> Int {
        var m = max(n, 1)
        while !isFiveSmooth(m) { m += 1 }
        return m
    }

    static func isFiveSmooth(_ n: Int) -> Bool {
        var m = n
        for p in [2, 3, 5] { while m % p == 0 { m /= p } }
        return m == 1
    }
}
