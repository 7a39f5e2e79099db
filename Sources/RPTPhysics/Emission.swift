/// What the transport engine tracks for one emitted particle.
public enum ParticleKind: UInt8, Sendable, Hashable {
    case photon
    case electron
    case positron
}

/// One particle emitted by a decay, ready for transport: kind and kinetic energy (MeV).
/// Position and direction are the source's business (the decay site, isotropic).
@frozen
public struct Emission: Sendable, Hashable {
    public var kind: ParticleKind
    /// Kinetic energy (MeV); for photons, the photon energy.
    public var energyMeV: Double

    @inlinable
    public init(kind: ParticleKind, energyMeV: Double) {
        self.kind = kind
        self.energyMeV = energyMeV
    }
}
