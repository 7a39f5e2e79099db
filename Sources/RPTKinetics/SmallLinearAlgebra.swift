/// Dense linear algebra for the tiny (k ≤ 5) symmetric systems of the curve fits.
/// Matrices are row-major `[Double]` of size n×n.
enum SmallLinearAlgebra {
    /// In-place Cholesky factorisation A = L Lᵀ (lower triangle holds L). Returns false unless A is
    /// symmetric positive definite to working precision.
    static func cholesky(_ a: inout [Double], n: Int) -> Bool {
        for j in 0..<n {
            var d = a[j * n + j]
            for p in 0..<j { d -= a[j * n + p] * a[j * n + p] }
            guard d > 0, d.isFinite else { return false }
            let ljj = d.squareRoot()
            a[j * n + j] = ljj
            for i in (j + 1)..<max(j + 1, n) {
                var s = a[i * n + j]
                for p in 0..<j { s -= a[i * n + p] * a[j * n + p] }
                a[i * n + j] = s / ljj
            }
        }
        return true
    }

    /// Solves L Lᵀ x = b given the factor from `cholesky`.
    static func choleskySolve(_ l: [Double], n: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n {
            var s = y[i]
            for p in 0..<i { s -= l[i * n + p] * y[p] }
            y[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for p in (i + 1)..<max(i + 1, n) { s -= l[p * n + i] * y[p] }
            y[i] = s / l[i * n + i]
        }
        return y
    }

    /// Inverse of a symmetric positive-definite matrix, with Jacobi (diagonal) equilibration so that
    /// parameters of very different magnitude (Bq and 1/s) do not spoil the factorisation.
    /// Returns nil when the matrix is singular to working precision.
    static func inverseSPD(_ a: [Double], n: Int) -> [Double]? {
        var d = [Double](repeating: 0, count: n)
        for i in 0..<n {
            guard a[i * n + i] > 0, a[i * n + i].isFinite else { return nil }
            d[i] = 1 / a[i * n + i].squareRoot()
        }
        var scaled = a
        for i in 0..<n { for j in 0..<n { scaled[i * n + j] *= d[i] * d[j] } }
        guard cholesky(&scaled, n: n) else { return nil }
        // Reject numerically singular systems: condition number of the equilibrated matrix ≳ 1e14.
        var minPivot = Double.infinity, maxPivot = 0.0
        for i in 0..<n { minPivot = min(minPivot, scaled[i * n + i]); maxPivot = max(maxPivot, scaled[i * n + i]) }
        guard minPivot > 1e-7 * maxPivot else { return nil }
        var inverse = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let column = choleskySolve(scaled, n: n, e)
            for i in 0..<n { inverse[i * n + j] = column[i] * d[i] * d[j] }
        }
        return inverse
    }

    /// gᵀ C g for a row-major n×n matrix C.
    static func quadraticForm(_ c: [Double], n: Int, _ g: [Double]) -> Double {
        var s = 0.0
        for i in 0..<n { for j in 0..<n { s += g[i] * c[i * n + j] * g[j] } }
        return s
    }
}
