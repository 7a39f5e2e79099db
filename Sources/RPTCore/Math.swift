#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin, always-inlined wrappers over libm so that hot code in every module calls the same
// functions without importing Foundation.
@inlinable @inline(__always) public func _log(_ x: Double) -> Double { log(x) }
@inlinable @inline(__always) public func _exp(_ x: Double) -> Double { exp(x) }
@inlinable @inline(__always) public func _cos(_ x: Double) -> Double { cos(x) }
@inlinable @inline(__always) public func _sin(_ x: Double) -> Double { sin(x) }
@inlinable @inline(__always) public func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// (cos 2πu, sin 2πu) for a fraction of a turn u in [0, 1], without libm: the quadrant q = round(4u) is split
/// off exactly (4u − q is exact), and cos t, sin t for t = (4u − q)·π/2, |t| ≤ π/4, come from their Taylor
/// series to t¹⁶ and t¹⁷, whose truncation error is below 5·10⁻¹⁷ — as accurate as libm's cos and sin.
@inlinable @inline(__always)
public func cosSinOfTurn(_ u: Double) -> (cos: Double, sin: Double) {
    let v = 4 * u
    let q = Int(v + 0.5)                 // nearest quadrant, 0…4
    let t = (v - Double(q)) * (Double.pi / 2)
    let t2 = t * t
    // Horner forms of Σ (−1)ᵏ t²ᵏ/(2k)! (k ≤ 8) and t·Σ (−1)ᵏ t²ᵏ/(2k+1)! (k ≤ 8).
    let c = 1 + t2 * (-1.0 / 2 + t2 * (1.0 / 24 + t2 * (-1.0 / 720 + t2 * (1.0 / 40320 + t2 * (-1.0 / 3628800
        + t2 * (1.0 / 479001600 + t2 * (-1.0 / 87178291200 + t2 * (1.0 / 20922789888000))))))))
    let s = t * (1 + t2 * (-1.0 / 6 + t2 * (1.0 / 120 + t2 * (-1.0 / 5040 + t2 * (1.0 / 362880 + t2 * (-1.0 / 39916800
        + t2 * (1.0 / 6227020800 + t2 * (-1.0 / 1307674368000 + t2 * (1.0 / 355687428096000)))))))))
    switch q & 3 {
    case 0: return (c, s)
    case 1: return (-s, c)
    case 2: return (-c, -s)
    default: return (s, -c)
    }
}

/// Rotates unit direction `u` by polar angle θ (given as cos θ) and an azimuth given by (cos φ, sin φ).
/// Standard formula (e.g. PENELOPE 2018 manual, Eq. 1.131); handles |w| ≈ 1 separately.
@inlinable
public func rotate(_ u: SIMD3<Double>, cosTheta: Double, azimuth: (cos: Double, sin: Double)) -> SIMD3<Double> {
    let sinTheta = max(0, 1 - cosTheta * cosTheta).squareRoot()
    let (cp, sp) = azimuth
    let w = u.z
    let rho2 = 1 - w * w
    if rho2 < 1e-20 {
        let s: Double = w >= 0 ? 1 : -1
        return SIMD3(sinTheta * cp, sinTheta * sp, s * cosTheta)
    }
    let rho = rho2.squareRoot()
    let a = sinTheta / rho
    return SIMD3(
        u.x * cosTheta + a * (u.x * w * cp - u.y * sp),
        u.y * cosTheta + a * (u.y * w * cp + u.x * sp),
        w * cosTheta - rho * sinTheta * cp)
}

/// Rotates unit direction `u` by polar angle θ (given as cos θ) and azimuth φ about itself.
/// Standard formula (e.g. PENELOPE 2018 manual, Eq. 1.131); handles |w| ≈ 1 separately.
@inlinable
public func rotate(_ u: SIMD3<Double>, cosTheta: Double, phi: Double) -> SIMD3<Double> {
    rotate(u, cosTheta: cosTheta, azimuth: (_cos(phi), _sin(phi)))
}
