import RPTCore

/// Møller scattering (electron–electron) above a delta-ray threshold Δ.
///
/// Per atomic electron, for a primary of kinetic energy T and a delta ray of kinetic energy W
/// (the slower of the two outgoing electrons, Δ ≤ W ≤ T/2), Møller (1932) in the form of the EGS4
/// manual (Nelson, Hirayama & Rogers, SLAC-265 (1985), Eq. 2.9.1) and the EGSnrc manual
/// (Kawrakow et al., PIRS-701, §2.4.2):
///     dσ/dW = 2π r_e² m c² / β² · [ 1/W² + 1/(T−W)² + (τ/(τ+1))²/T² − (2τ+1)/((τ+1)² W (T−W)) ],
/// and its integral over [Δ, T/2]:
///     σ = 2π r_e² m c² / β² · [ 1/Δ − 1/(T−Δ) + (τ/(τ+1))² (T/2 − Δ)/T²
///                                − (2τ+1)/((τ+1)² T) · ln((T−Δ)/Δ) ].
/// Binding of the target electrons is neglected (valid for W ≫ binding energies).
public enum MollerScattering {
    /// dσ/dW per electron (cm²/MeV) for Δ ≤ W ≤ T/2; 0 outside (0, T).
    public static func differentialCrossSection(kineticEnergyMeV t: Double, deltaRayEnergyMeV w: Double) -> Double {
        guard w > 0, w < t else { return 0 }
        let k = ElectronKinematics(kineticEnergyMeV: t)
        let g = k.tau + 1
        let a = k.tau / g
        let bracket = 1 / (w * w) + 1 / ((t - w) * (t - w)) + a * a / (t * t)
            - (2 * k.tau + 1) / (g * g * w * (t - w))
        return ElectronCollisionStoppingPower.prefactorMeVcm2 / k.beta2 * bracket
    }

    /// σ per electron (cm²) for delta rays above `cutMeV`; 0 when T ≤ 2Δ.
    public static func crossSectionPerElectron(kineticEnergyMeV t: Double, cutMeV: Double) -> Double {
        guard t > 2 * cutMeV else { return 0 }
        let k = ElectronKinematics(kineticEnergyMeV: t)
        let g = k.tau + 1
        let a = k.tau / g
        let bracket = 1 / cutMeV - 1 / (t - cutMeV) + a * a * (t / 2 - cutMeV) / (t * t)
            - (2 * k.tau + 1) / (g * g * t) * _log((t - cutMeV) / cutMeV)
        return ElectronCollisionStoppingPower.prefactorMeVcm2 / k.beta2 * bracket
    }

    /// Samples the delta-ray kinetic energy W ∈ [Δ, T/2] (MeV) from dσ/dW; requires T > 2Δ.
    ///
    /// ε = W/T is drawn from the envelope 1/ε² on [Δ/T, ½] and accepted with
    /// g(ε)/g_max, g = ε² × bracket = 1 + G₂ε² + r(r − G₃), r = ε/(1−ε), G₂ = (τ/(τ+1))²,
    /// G₃ = (2τ+1)/(τ+1)² = 1 − G₂, whose maximum on [0, ½] is g(½) = 1 + 1.25 G₂ (the rejection
    /// scheme of EGS4/EGSnrc). Acceptance ≥ 44 %.
    @inlinable
    public static func sampleDeltaRayEnergy(kineticEnergyMeV t: Double, cutMeV: Double,
                                            rng: inout RandomStream) -> Double {
        let tau = t / PhysicalConstants.electronRestEnergyMeV
        let g = tau + 1
        let g2 = (tau / g) * (tau / g)
        let g3 = (2 * tau + 1) / (g * g)
        let gMax = 1 + 1.25 * g2
        let invEps0 = t / cutMeV
        while true {
            let eps = 1 / (invEps0 - rng.uniform() * (invEps0 - 2))
            let r = eps / (1 - eps)
            let gEps = 1 + g2 * eps * eps + r * (r - g3)
            if rng.uniform() * gMax <= gEps { return eps * t }
        }
    }
}
