import RPTCore

/// Collision stopping power of electrons from Bethe theory, unrestricted and restricted.
///
/// ICRU Report 37 (1984), Eqs. 2.2 and 2.4, with the Rohrlich–Carlson (Phys. Rev. 93, 38 (1954))
/// function F⁻ for electrons and no shell correction (as in ESTAR):
///     S_col/ρ = 2π r_e² m c² n_e / β² · [ ln(τ²(τ+2) / (2 (I/mc²)²)) + F⁻(τ) − δ ],
///     F⁻(τ) = 1 − β² + [τ²/8 − (2τ+1) ln 2] / (τ+1)²,
/// with n_e electrons per gram, τ = T/mc² and δ the density-effect correction (`DensityEffect`).
/// The restricted (Δ-limited) form counts only energy transfers below Δ (Møller collisions; EGS4
/// manual SLAC-265, Eq. 2.13.13 / ICRU 37 Eq. 2.12):
///     L_Δ/ρ = 2π r_e² m c² n_e / β² · [ ln(2(τ+2) / (I/mc²)²) + F⁻(τ, d) − δ ],
///     F⁻(τ, d) = −1 − β² + ln((τ−d) d) + τ/(τ−d) + [d²/2 + (2τ+1) ln(1 − d/τ)] / (τ+1)²,
/// d = Δ/mc², valid for Δ ≤ T/2 (for T ≤ 2Δ every transfer is below Δ and L_Δ = S_col).
/// Units: MeV cm²/g. Uncertainty of the theory (ICRU 37): 1–2 % above 100 keV, 2–3 % for low-Z
/// media at 10–100 keV; without shell corrections it overestimates below 10 keV (≈10 % at 1 keV
/// in water), where the tables are an extrapolation.
public enum ElectronCollisionStoppingPower {
    /// 2π r_e² m c² (MeV cm²), CODATA 2018 constants.
    public static let prefactorMeVcm2 = 2 * Double.pi * PhysicalConstants.classicalElectronRadiusCm
        * PhysicalConstants.classicalElectronRadiusCm * PhysicalConstants.electronRestEnergyMeV

    /// Unrestricted S_col/ρ (MeV cm²/g).
    public static func unrestricted(kineticEnergyMeV t: Double, electronsPerGram: Double,
                                    meanExcitationEnergyEV: Double, delta: Double) -> Double {
        let k = ElectronKinematics(kineticEnergyMeV: t)
        let tau = k.tau, g = tau + 1
        let iOverMc2 = meanExcitationEnergyEV * 1e-6 / PhysicalConstants.electronRestEnergyMeV
        let fMinus = 1 - k.beta2 + (tau * tau / 8 - (2 * tau + 1) * _log(2)) / (g * g)
        let bracket = _log(tau * tau * (tau + 2) / (2 * iOverMc2 * iOverMc2)) + fMinus - delta
        return prefactorMeVcm2 * electronsPerGram / k.beta2 * bracket
    }

    /// Restricted L_Δ/ρ (MeV cm²/g): energy transfers below `cutMeV` only.
    public static func restricted(kineticEnergyMeV t: Double, cutMeV: Double, electronsPerGram: Double,
                                  meanExcitationEnergyEV: Double, delta: Double) -> Double {
        if t <= 2 * cutMeV {
            return unrestricted(kineticEnergyMeV: t, electronsPerGram: electronsPerGram,
                                meanExcitationEnergyEV: meanExcitationEnergyEV, delta: delta)
        }
        let k = ElectronKinematics(kineticEnergyMeV: t)
        let tau = k.tau, g = tau + 1
        let d = cutMeV / PhysicalConstants.electronRestEnergyMeV
        let iOverMc2 = meanExcitationEnergyEV * 1e-6 / PhysicalConstants.electronRestEnergyMeV
        let fMinus = -1 - k.beta2 + _log((tau - d) * d) + tau / (tau - d)
            + (d * d / 2 + (2 * tau + 1) * _log(1 - d / tau)) / (g * g)
        let bracket = _log(2 * (tau + 2) / (iOverMc2 * iOverMc2)) + fMinus - delta
        return prefactorMeVcm2 * electronsPerGram / k.beta2 * bracket
    }
}
