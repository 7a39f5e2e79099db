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

/// (cos φ, sin φ); for an azimuth φ in [0, 4π) (the transport's case) with one libm call: sin φ = ±√(1 − cos²φ), with the sign
/// of sin φ from the half-turn φ lies in. The absolute error of sin φ is below 2·10⁻⁸ (near φ = 0, π, where
/// 1 − cos² cancels) and cos² + sin² = 1 to rounding, which is all a direction needs.
@inlinable @inline(__always)
public func cosSin(_ phi: Double) -> (cos: Double, sin: Double) {
    let c = _cos(phi)
    guard phi >= 0 && phi < 4 * Double.pi else { return (c, _sin(phi)) }
    let s = max(0, 1 - c * c).squareRoot()
    let halfTurns = phi * (1 / Double.pi)   // sin φ ≥ 0 on [0, π) and [2π, 3π)
    let negative = (halfTurns >= 1 && halfTurns < 2) || halfTurns >= 3
    return (c, negative ? -s : s)
}

/// Rotates unit direction `u` by polar angle θ (given as cos θ) and azimuth φ about itself.
/// Standard formula (e.g. PENELOPE 2018 manual, Eq. 1.131); handles |w| ≈ 1 separately.
@inlinable
public func rotate(_ u: SIMD3<Double>, cosTheta: Double, phi: Double) -> SIMD3<Double> {
    let sinTheta = max(0, 1 - cosTheta * cosTheta).squareRoot()
    let (cp, sp) = cosSin(phi)
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
