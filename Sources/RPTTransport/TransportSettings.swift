/// Transport cut-offs, step control and accelerations. Defaults are documented in
/// docs/methods/transport.md.
public struct TransportSettings: Sendable, Hashable, Codable {
    /// Electrons (and positrons) below this kinetic energy deposit it where they are (MeV).
    /// 10 keV: CSDA range 2.5 µm in water (ESTAR), far below any voxel size.
    public var electronCutoffMeV: Double = 0.010
    /// Photons below this energy are absorbed where they are (MeV).
    public var photonCutoffMeV: Double = 0.001
    /// Møller delta rays above this energy are created and transported (class II threshold, MeV).
    public var deltaRayThresholdMeV: Double = 0.010
    /// Bremsstrahlung photons above this energy are created and transported (MeV).
    public var bremsstrahlungThresholdMeV: Double = 0.010
    /// Largest fraction of its kinetic energy an electron may lose continuously in one step.
    public var maxEnergyLossFraction: Double = 0.2
    /// Range rejection: deposit an electron in place when its residual CSDA range is shorter than
    /// the distance to the nearest face of its voxel (gives up only its bremsstrahlung escape).
    public var rangeRejection: Bool = true
    /// Edge (voxels) of the super-voxel blocks of the photon majorant (`MajorantGrid`); exact for any value.
    public var majorantBlockSize: Int = 8

    public init() {}

    /// The same settings with every acceleration off (for validation).
    public var withoutAccelerations: TransportSettings {
        var s = self
        s.rangeRejection = false
        return s
    }

    /// Names of the accelerations in use (for provenance).
    public var accelerations: [String] { rangeRejection ? ["range-rejection"] : [] }
}
