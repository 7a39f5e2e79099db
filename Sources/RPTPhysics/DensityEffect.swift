import RPTCore

/// Sternheimer density-effect correction δ(β) for the collision stopping power of electrons.
///
/// Exact Sternheimer method (R. M. Sternheimer, Phys. Rev. 88, 851 (1952)) in the form used by
/// ESTAR / ICRU Report 37 (Sternheimer, Seltzer & Berger, Phys. Rev. B 26, 6067 (1982); At. Data
/// Nucl. Data Tables 30, 261 (1984)): every atomic subshell i of every element is an oscillator with
/// strength fᵢ = (electrons in the subshell) / (electrons in the material) and binding energy Eᵢ.
/// The oscillator energies are scaled by one factor ρ chosen so that
///     ln I = Σ fᵢ ln √((ρ Eᵢ)² + ⅔ fᵢ (ħω_p)²),
/// with the plasma energy ħω_p = 28.816 √(ρ_mass ⟨Z/A⟩) eV. With ν̄ᵢ = ρ Eᵢ / ħω_p and
/// ℓᵢ² = ν̄ᵢ² + ⅔ fᵢ, L is the root of Σ fᵢ / (ν̄ᵢ² + L²) = 1/β² − 1 and
///     δ = Σ fᵢ ln(1 + L²/ℓᵢ²) − L² (1 − β²);
/// δ = 0 below the threshold where no root exists (all materials are treated as insulators: no
/// conduction-electron oscillator). Subshell data: `AtomicSubshellTable`.
public struct DensityEffect: Sendable {
    /// Plasma energy ħω_p (eV).
    public let plasmaEnergyEV: Double
    /// Sternheimer's scale factor ρ of the oscillator energies.
    public let adjustmentFactor: Double
    /// Oscillator strengths fᵢ (sum 1).
    let strengths: [Double]
    /// ν̄ᵢ² (dimensionless).
    let nuBar2: [Double]
    /// ℓᵢ² (dimensionless).
    let ell2: [Double]
    /// Σ fᵢ / ν̄ᵢ²: δ = 0 while 1/β² − 1 ≥ this value.
    let thresholdSum: Double

    /// ħω_p = ħ c √(4π n_e r_e) expressed as 28.816 eV × √(ρ ⟨Z/A⟩) (ICRU Report 37, Eq. 2.11; ρ in
    /// g/cm³, ⟨Z/A⟩ in mol/g).
    public static let plasmaEnergyCoefficientEV = 28.816

    /// Builds the oscillator model of `material`.
    /// - Throws: `InputError` if an element has no subshell data or the I-value cannot be matched.
    public init(material: Material) throws {
        let electronsPerGram = material.electronsPerGram
        let zOverA = electronsPerGram / PhysicalConstants.avogadro
        let hwp = Self.plasmaEnergyCoefficientEV * (material.density * zOverA).squareRoot()
        var f: [Double] = []
        var energies: [Double] = []
        for component in material.composition {
            guard let element = Element.byZ(component.z) else {
                throw InputError(source: material.name, field: "composition", value: "Z=\(component.z)",
                                 reason: "element not in Element.table")
            }
            let shells = AtomicSubshellTable.all.filter { $0.z == component.z }
            guard !shells.isEmpty else {
                throw InputError(source: material.name, field: "composition", value: "Z=\(component.z)",
                                 reason: "no atomic subshell data for the density effect")
            }
            // electrons per gram in this element's subshell, over electrons per gram in total
            let atomsPerGram = component.massFraction / element.atomicWeight * PhysicalConstants.avogadro
            for shell in shells {
                f.append(atomsPerGram * shell.occupancy / electronsPerGram)
                energies.append(shell.bindingEnergyEV)
            }
        }
        let lnI = _log(material.meanExcitationEnergyEV)
        func lnIModel(_ rho: Double) -> Double {
            var s = 0.0
            for i in f.indices {
                let e = rho * energies[i]
                s += f[i] * 0.5 * _log(e * e + 2.0 / 3.0 * f[i] * hwp * hwp)
            }
            return s
        }
        // lnIModel increases monotonically with ρ: bisect on ln ρ.
        var lo = _log(1e-4), hi = _log(1e4)
        guard lnIModel(_exp(lo)) < lnI, lnIModel(_exp(hi)) > lnI else {
            throw InputError(source: material.name, field: "meanExcitationEnergyEV",
                             value: "\(material.meanExcitationEnergyEV)",
                             reason: "cannot be matched by the Sternheimer oscillator model of this composition and density")
        }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if lnIModel(_exp(mid)) < lnI { lo = mid } else { hi = mid }
        }
        let rho = _exp(0.5 * (lo + hi))
        plasmaEnergyEV = hwp
        adjustmentFactor = rho
        strengths = f
        nuBar2 = energies.map { let v = rho * $0 / hwp; return v * v }
        ell2 = zip(nuBar2, f).map { $0 + 2.0 / 3.0 * $1 }
        thresholdSum = zip(f, nuBar2).reduce(0.0) { $0 + $1.0 / $1.1 }
    }

    /// δ for an electron of kinetic energy T (MeV); 0 below the insulator threshold.
    public func delta(kineticEnergyMeV t: Double) -> Double {
        let beta2 = ElectronKinematics(kineticEnergyMeV: t).beta2
        let rhs = 1 / beta2 - 1
        if rhs >= thresholdSum { return 0 }
        // Σ fᵢ/(ν̄ᵢ² + L²) decreases in L²; it is ≤ 1/L², so the root lies in [0, 1/rhs].
        var lo = 0.0, hi = 1 / rhs
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            var s = 0.0
            for i in strengths.indices { s += strengths[i] / (nuBar2[i] + mid) }
            if s > rhs { lo = mid } else { hi = mid }
        }
        let l2 = 0.5 * (lo + hi)
        var d = 0.0
        for i in strengths.indices { d += strengths[i] * _log(1 + l2 / ell2[i]) }
        return max(0, d - l2 * (1 - beta2))
    }
}
