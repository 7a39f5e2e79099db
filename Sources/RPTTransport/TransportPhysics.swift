import RPTCore
import RPTPhysics

/// The interaction data of the world's materials, read by the transport loop (built once per run,
/// never modified during transport).
public struct TransportPhysics: Sendable {
    public let photon: PhotonTransportData
    public let electron: ElectronTransportData

    public init(materials: [Material], maximumDensity: [Double], settings: TransportSettings) throws {
        photon = try PhotonTransportData(materials: materials, maximumDensity: maximumDensity,
                                         fluorescenceCutoffMeV: settings.photonCutoffMeV,
                                         kerma: settings.photonEstimator == .trackLength)
        electron = try ElectronTransportData(materials: materials, settings: settings)
    }
}

/// Electron data at one energy in one material, per unit mass.
public struct ElectronCoefficients {
    /// Restricted collision + radiative stopping power below the hard thresholds (MeV cm²/g).
    public var restrictedStoppingPower: Double
    /// CSDA range from the total stopping power (g/cm²).
    public var csdaRange: Double
    /// Møller cross section for delta rays above the threshold (cm²/g).
    public var mollerCrossSection: Double
    /// Bremsstrahlung cross section for photons above the threshold (cm²/g).
    public var bremsstrahlungCrossSection: Double
    /// Upper bound of the hard cross section over the energies one step can reach (cm²/g).
    public var hardBound: Double
    /// Restricted range ∫ dT/L_Δ (g/cm²), for the continuous loss of a step starting at this energy.
    public var restrictedRange: Double
}
