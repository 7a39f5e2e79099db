/// Shape-preserving piecewise-cubic Hermite interpolation (PCHIP).
///
/// Fritsch & Carlson, SIAM J. Numer. Anal. 17, 238 (1980); derivatives by the weighted harmonic mean of
/// Fritsch & Butland, SIAM J. Sci. Stat. Comput. 5, 300 (1984), with the three-point, shape-preserving
/// end conditions of Moler, "Numerical Computing with MATLAB" (2004), §3.6 (as in SciPy's
/// `PchipInterpolator`). On every interval the interpolant is monotone between its end values, so
/// non-negative data give a non-negative interpolant. Used at set-up only (not in hot loops).
enum MonotoneCubicInterpolation {
    /// Values of the interpolant of (x, y) at every grid interval split into `subdivisions` equal parts:
    /// returns the refined abscissae (including all original points) and the values there.
    /// - Precondition: x strictly increasing, x.count == y.count ≥ 2, subdivisions ≥ 1.
    static func refine(x: [Double], y: [Double], subdivisions: Int) -> (x: [Double], y: [Double]) {
        precondition(x.count >= 2 && x.count == y.count && subdivisions >= 1)
        if subdivisions == 1 { return (x, y) }
        let d = derivatives(x: x, y: y)
        var rx: [Double] = [], ry: [Double] = []
        rx.reserveCapacity((x.count - 1) * subdivisions + 1)
        ry.reserveCapacity(rx.capacity)
        for k in 0..<(x.count - 1) {
            let h = x[k + 1] - x[k]
            for j in 0..<subdivisions {
                let t = Double(j) / Double(subdivisions)
                let t2 = t * t, t3 = t2 * t
                let value = (2 * t3 - 3 * t2 + 1) * y[k] + (t3 - 2 * t2 + t) * h * d[k]
                    + (-2 * t3 + 3 * t2) * y[k + 1] + (t3 - t2) * h * d[k + 1]
                rx.append(x[k] + t * h)
                // Between end values by construction; the clamp only removes round-off.
                ry.append(min(max(value, min(y[k], y[k + 1])), max(y[k], y[k + 1])))
            }
        }
        rx.append(x[x.count - 1])
        ry.append(y[y.count - 1])
        return (rx, ry)
    }

    /// Node derivatives: harmonic mean of neighbouring slopes (0 at local extrema), 3-point ends.
    static func derivatives(x: [Double], y: [Double]) -> [Double] {
        let n = x.count
        let h = (0..<(n - 1)).map { x[$0 + 1] - x[$0] }
        let m = (0..<(n - 1)).map { (y[$0 + 1] - y[$0]) / h[$0] }
        if n == 2 { return [m[0], m[0]] }
        var d = [Double](repeating: 0, count: n)
        for k in 1..<(n - 1) where m[k - 1] * m[k] > 0 {
            let w1 = 2 * h[k] + h[k - 1], w2 = h[k] + 2 * h[k - 1]
            d[k] = (w1 + w2) / (w1 / m[k - 1] + w2 / m[k])
        }
        d[0] = endDerivative(h0: h[0], h1: h[1], m0: m[0], m1: m[1])
        d[n - 1] = endDerivative(h0: h[n - 2], h1: h[n - 3], m0: m[n - 2], m1: m[n - 3])
        return d
    }

    static func endDerivative(h0: Double, h1: Double, m0: Double, m1: Double) -> Double {
        let d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1)
        if signum(d) != signum(m0) { return 0 }
        if signum(m0) != signum(m1) && abs(d) > abs(3 * m0) { return 3 * m0 }
        return d
    }

    static func signum(_ x: Double) -> Int { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}
