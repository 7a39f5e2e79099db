import RPTCore

/// Outcome of an incoherent (Compton) scattering.
public struct IncoherentScattering: Sendable, Equatable {
    /// Energy of the scattered photon (MeV).
    public var photonEnergyMeV: Double
    /// Cosine of the photon's polar scattering angle.
    public var photonCosTheta: Double
    /// Kinetic energy given to the recoil electron (MeV) = E − E′ (binding energy is not subtracted: it is
    /// deposited with the electron, see docs/methods/photon-physics.md).
    public var electronEnergyMeV: Double
    /// Cosine of the electron's polar angle relative to the incident photon (free-electron kinematics).
    public var electronCosTheta: Double
}

/// Samples incoherent scattering: Klein–Nishina × S(x,Z)/Z.
///
/// The atom is chosen from its share of the material's incoherent cross section. ε = E′/E is sampled from
/// the Klein–Nishina cross section by the Butcher & Messel method (Nucl. Phys. 20 (1960) 15; as in EGS4,
/// Nelson et al. SLAC-265 (1985) §2.9, and Geant4's G4KleinNishinaCompton): with ε₀ = 1/(1+2k),
/// α₁ = ln(1/ε₀), α₂ = (1−ε₀²)/2, take ε = ε₀^r (prob. α₁/(α₁+α₂)) or ε² = ε₀² + (1−ε₀²)r, accept with
/// 1 − ε sin²θ/(1+ε²). The pair (ε, θ) is then accepted with S(x,Z)/Z, x = sin(θ/2)·E/hc, which
/// reproduces dσ/dΩ = dσ_KN/dΩ · S(x,Z) (Waller–Hartree binding; no Doppler broadening).
/// No allocation; expected ~2–3 KN trials per accepted event, more at low energy where S(x,Z)/Z ≪ 1.
public struct PhotonIncoherentSampler: Sendable {
    public let table: PhotonMaterialTable
    public init(table: PhotonMaterialTable) { self.table = table }

    /// - Parameters: materialIndex into `table.materials`; energyMeV within 1 keV – 3 MeV (not checked).
    public func sample(materialIndex m: Int, energyMeV e: Double, _ rng: inout RandomStream) -> IncoherentScattering {
        let loc = table.gridLocation(e)
        let slot = table.sampleSlot(kind: 1, materialIndex: m, location: loc, &rng)
        let element = table.slotElement[slot]
        let k = e / PhotonConstants.electronRestEnergyMeV
        let xScale = e * 1e3 / PhotonMomentumGrid.hcKeVAngstrom
        while true {
            let (epsilon, oneMinusCos) = Self.sampleKleinNishina(k: k, &rng)
            let x = xScale * (0.5 * oneMinusCos).squareRoot()
            if rng.uniform() * Double(element.z) > element.scatteringFunction(x: x) { continue }
            let ePrime = epsilon * e
            let cosTheta = 1 - oneMinusCos
            let pe2 = e * e + ePrime * ePrime - 2 * e * ePrime * cosTheta
            let electronCos = pe2 > 0 ? (e - ePrime * cosTheta) / pe2.squareRoot() : 1
            return IncoherentScattering(photonEnergyMeV: ePrime, photonCosTheta: cosTheta,
                                        electronEnergyMeV: e - ePrime, electronCosTheta: electronCos)
        }
    }

    /// Samples ε = E′/E and 1 − cos θ from the free-electron Klein–Nishina cross section for k = E/(m_e c²)
    /// (Butcher–Messel method, see the type's documentation).
    @inlinable
    public static func sampleKleinNishina(k: Double, _ rng: inout RandomStream) -> (epsilon: Double, oneMinusCos: Double) {
        let eps0 = 1 / (1 + 2 * k)
        let eps0Sq = eps0 * eps0
        let alpha1 = -_log(eps0)
        let alpha2 = 0.5 * (1 - eps0Sq)
        while true {
            var epsilon: Double, epsilonSq: Double
            if alpha1 > (alpha1 + alpha2) * rng.uniform() {
                epsilon = _exp(-alpha1 * rng.uniform())
                epsilonSq = epsilon * epsilon
            } else {
                epsilonSq = eps0Sq + (1 - eps0Sq) * rng.uniform()
                epsilon = epsilonSq.squareRoot()
            }
            let oneMinusCos = (1 - epsilon) / (epsilon * k)
            let sinSq = oneMinusCos * (2 - oneMinusCos)
            let g = 1 - epsilon * sinSq / (1 + epsilonSq)
            if g >= rng.uniform() { return (epsilon, max(0, min(2, oneMinusCos))) }
        }
    }
}

/// Constants used by the photon samplers.
public enum PhotonConstants {
    /// m_e c² (MeV), CODATA 2018 via `PhysicalConstants`.
    public static let electronRestEnergyMeV = PhysicalConstants.electronRestEnergyMeV
}
