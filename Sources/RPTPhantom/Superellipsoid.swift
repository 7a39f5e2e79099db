#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An axis-aligned superellipsoid in patient coordinates (mm, LPS):
/// |Δx/a|ᵖ + |Δy/b|ᵖ + |Δz/c|ᵖ ≤ 1. Exponent 2 is an ellipsoid; larger exponents are boxier.
public struct Superellipsoid: Equatable, Sendable {
    /// Centre (mm, LPS).
    public var centre: SIMD3<Double>
    /// Semi-axes a, b, c along x, y, z (mm).
    public var semiAxes: SIMD3<Double>
    /// Exponent p (≥ 1); 2 for an ellipsoid.
    public var exponent: Double

    public init(centre: SIMD3<Double>, semiAxes: SIMD3<Double>, exponent: Double = 2) {
        self.centre = centre; self.semiAxes = semiAxes; self.exponent = exponent
    }

    /// Whether point `p` (mm, LPS) lies inside or on the surface.
    @inlinable
    public func contains(_ p: SIMD3<Double>) -> Bool {
        let d = (p - centre) / semiAxes
        if exponent == 2 { return (d * d).sum() <= 1 }
        return pow(Swift.abs(d.x), exponent) + pow(Swift.abs(d.y), exponent) + pow(Swift.abs(d.z), exponent) <= 1
    }

    /// The same shape scaled about its centre by `factor` (e.g. the medulla inside a kidney).
    public func scaled(_ factor: Double) -> Superellipsoid {
        Superellipsoid(centre: centre, semiAxes: semiAxes * factor, exponent: exponent)
    }
}
