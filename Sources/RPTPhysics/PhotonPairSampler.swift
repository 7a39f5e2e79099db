import RPTCore

/// Outcome of pair production.
public struct PairProduction: Sendable, Equatable {
    /// Kinetic energies (MeV) of the electron and the positron.
    public var electronEnergyMeV: Double
    public var positronEnergyMeV: Double
    /// cos θ of both particles relative to the photon: θ = m_e c² / E (EGS4 default, Nelson et al. 1985).
    public var cosTheta: Double
}

/// Samples pair production with simple energy sharing: the electron's kinetic energy is uniform on
/// [0, E − 2m_e c²] and the positron takes the rest. This ignores the Bethe–Heitler sharing shape, which
/// matters little below 3 MeV (and not at all for Lu-177, whose photons are all below 1.022 MeV). The caller
/// transports the positron and creates two 0.511 MeV annihilation photons where it stops.
public struct PhotonPairSampler: Sendable {
    public init() {}

    public func sample(energyMeV e: Double, _ rng: inout RandomStream) -> PairProduction {
        let mc2 = PhotonConstants.electronRestEnergyMeV
        let available = max(0, e - 2 * mc2)
        let t = rng.uniform() * available
        return PairProduction(electronEnergyMeV: t, positronEnergyMeV: available - t, cosTheta: _cos(mc2 / e))
    }
}
