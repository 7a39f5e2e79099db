/// Activity concentration in whole blood: a sum of instantaneous-uptake exponentials.
///
///     C(t) = (A0 / V_blood) · Σ_i w_i · e^{−(λ_i+λp)t}      (Bq/mL)
///
/// `components` use `KineticComponent` with `fraction` = w_i (the share of A0 that would be in the
/// whole blood volume at t = 0 for that phase) and uptake half-life 0.
public struct BloodCurve: Equatable, Sendable {
    /// Whole-blood volume V_blood (mL).
    public var volumeML: Double
    /// Phases of the blood curve (instantaneous uptake).
    public var components: [KineticComponent]

    public init(volumeML: Double, components: [KineticComponent]) {
        self.volumeML = volumeML
        self.components = components
    }

    /// C(t) (Bq/mL).
    public func concentrationBqPerML(atHours t: Double, administeredBq: Double) -> Double {
        administeredBq / volumeML * components.reduce(0) { $0 + $1.activityFraction(atHours: t) }
    }

    /// ∫₀^∞ C(t) dt (Bq·s/mL), analytic.
    public func timeIntegratedConcentrationBqSPerML(administeredBq: Double) -> Double {
        administeredBq / volumeML * 3600 * components.reduce(0) { $0 + $1.integratedFractionHours }
    }
}
