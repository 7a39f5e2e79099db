import RPTCore

/// Transport mean free paths of electrons for elastic scattering, screened-Rutherford model.
///
/// Single scattering on an atom of atomic number Z (Wentzel model; Molière, Z. Naturforsch. 3a, 78
/// (1948); Bethe, Phys. Rev. 89, 1256 (1953)), with μ = (1 − cos θ)/2:
///     dσ/dμ = π Z(Z+1) (r_e m c² / (p β c))² / (μ + η)²,
/// where Z(Z+1) adds scattering on the atomic electrons (Fano 1954) and η is Molière's screening
/// parameter with his Coulomb (non-Born) correction, in Seltzer's adjusted form used by ETRAN
/// (S. M. Seltzer, in "Monte Carlo Transport of Electrons and Photons", Jenkins, Nelson & Rindi
/// eds., Plenum 1988, p. 153):
///     η = ¼ (α Z^{1/3} m c² / (0.88534 p c))² · (1.13 + 3.76 (α Z / β)² √(τ/(τ+1))).
/// The transport cross sections σ_l = ∫ (1 − P_l(cos θ)) dσ are then analytic,
///     σ₁ = 2π Z(Z+1) (r_e m c²/(pβc))² · [ ln(1 + 1/η) − 1/(1 + η) ],
///     σ₂ = 6π Z(Z+1) (r_e m c²/(pβc))² · [ (1 + 2η) ln(1 + 1/η) − 2 ],
/// and 1/λ_l = Σⱼ nⱼ σ_l(Zⱼ) with nⱼ atoms per gram, so λ_l is in g/cm².
///
/// Validity: the model is a first-Born (Rutherford) cross section with a screening fit; the
/// 3.76 (αZ/β)² √(τ/(τ+1)) term is the low-energy correction it needs (the non-Born increase of
/// the screening angle; Seltzer's √(τ/(τ+1)) factor tempers Molière's term at low energy, where it
/// would otherwise overcorrect). No Mott (spin-relativistic) factor is applied. The approximation
/// needs αZ/β ≪ 1: good for low-Z tissue above a few tens of keV, poorer at a few keV and, for
/// Z ≳ 30, below ~100 keV, where partial-wave (Mott/ELSEPA) transport cross sections are better.
/// Condensed-history steps that are several elastic mean free paths long make the exact
/// single-scattering shape irrelevant; λ₁ and λ₂ are what matter (Lewis 1950).
public enum MultipleScatteringModel {
    /// Molière's screening parameter η for element `z` at kinetic energy T (MeV).
    public static func screeningParameter(z: Int, kineticEnergyMeV t: Double) -> Double {
        let k = ElectronKinematics(kineticEnergyMeV: t)
        let alpha = PhysicalConstants.fineStructure
        let chi0 = alpha * _pow(Double(z), 1.0 / 3.0) * PhysicalConstants.electronRestEnergyMeV
            / (0.88534 * k.momentumMeV)
        let az = alpha * Double(z)
        return 0.25 * chi0 * chi0 * (1.13 + 3.76 * az * az / k.beta2 * (k.tau / (k.tau + 1)).squareRoot())
    }

    /// (1/λ₁, 1/λ₂) in cm²/g for `material` at kinetic energy T (MeV).
    public static func inverseTransportMeanFreePaths(_ material: Material, kineticEnergyMeV t: Double) throws
        -> (first: Double, second: Double) {
        let k = ElectronKinematics(kineticEnergyMeV: t)
        let pBetaC = k.momentumMeV * k.beta2.squareRoot()
        let a = PhysicalConstants.classicalElectronRadiusCm * PhysicalConstants.electronRestEnergyMeV / pBetaC
        var s1 = 0.0, s2 = 0.0
        for c in material.composition {
            guard let element = Element.byZ(c.z) else {
                throw InputError(source: material.name, field: "composition", value: "Z=\(c.z)",
                                 reason: "element not in Element.table")
            }
            let atomsPerGram = c.massFraction / element.atomicWeight * PhysicalConstants.avogadro
            let zz = Double(c.z) * Double(c.z + 1)
            let eta = screeningParameter(z: c.z, kineticEnergyMeV: t)
            let l = _log(1 + 1 / eta)
            s1 += atomsPerGram * 2 * Double.pi * zz * a * a * (l - 1 / (1 + eta))
            s2 += atomsPerGram * 6 * Double.pi * zz * a * a * ((1 + 2 * eta) * l - 2)
        }
        return (s1, s2)
    }
}
