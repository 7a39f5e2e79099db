/// A tabulated electron quantity of `ElectronMaterialTable`, with its unit.
public enum ElectronQuantity: String, CaseIterable, Sendable {
    /// Unrestricted collision stopping power S_col/ρ (MeV cm²/g).
    case collisionStoppingPower
    /// Unrestricted radiative stopping power S_rad/ρ (MeV cm²/g).
    case radiativeStoppingPower
    /// S_col/ρ + S_rad/ρ (MeV cm²/g).
    case totalStoppingPower
    /// Collision stopping power restricted to transfers below Δ (MeV cm²/g).
    case restrictedCollisionStoppingPower
    /// Radiative stopping power restricted to photons below k_c (MeV cm²/g).
    case restrictedRadiativeStoppingPower
    /// Sum of the two restricted stopping powers: the continuous loss of class II (MeV cm²/g).
    case restrictedStoppingPower
    /// Møller cross section for delta rays above Δ, per gram (cm²/g).
    case mollerCrossSection
    /// Bremsstrahlung cross section for photons above k_c, per gram (cm²/g).
    case bremsstrahlungCrossSection
    /// First transport mean free path λ₁ (g/cm²).
    case firstTransportMeanFreePath
    /// Second transport mean free path λ₂ (g/cm²).
    case secondTransportMeanFreePath
    /// CSDA range (g/cm²).
    case csdaRange
    /// Restricted range ∫ dT / (restricted stopping power) (g/cm²).
    case restrictedRange
    /// Radiation yield Y(T) (dimensionless).
    case radiationYield
    /// Density-effect correction δ (dimensionless).
    case densityEffect
}
