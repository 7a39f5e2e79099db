/// The time–activity curve of one labelled region: a sum of `KineticComponent`s.
///
///     A_r(t) = Σ_c A0 · f_c · norm_c · (e^{−(λb,c+λp)t} − e^{−(λu,c+λp)t})
///
/// Activity is spread uniformly over the region's voxels. A region with no components holds no activity.
public struct RegionKinetics: Equatable, Sendable {
    public var region: PhantomRegion
    public var components: [KineticComponent]

    public init(region: PhantomRegion, components: [KineticComponent]) {
        self.region = region
        self.components = components
    }

    /// A_r(t) (Bq) at `hours` after administering `administeredBq`.
    public func activityBq(atHours t: Double, administeredBq: Double) -> Double {
        administeredBq * components.reduce(0) { $0 + $1.activityFraction(atHours: t) }
    }

    /// Time-integrated activity ∫₀^∞ A_r(t) dt (Bq·s), analytic.
    public func timeIntegratedActivityBqS(administeredBq: Double) -> Double {
        administeredBq * 3600 * components.reduce(0) { $0 + $1.integratedFractionHours }
    }
}
