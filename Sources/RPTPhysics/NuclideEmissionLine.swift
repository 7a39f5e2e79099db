/// ICRP-107 category of a discrete emission line (all categories other than the beta continua).
///
/// Raw values are the tokens of the generated data records (see `NuclideDataParser`).
public enum EmissionKind: String, Sendable, Hashable, CaseIterable {
    /// ICRP-107 "G": nuclear gamma rays.
    case gamma
    /// ICRP-107 "X": X-rays (fluorescence after internal conversion / electron capture).
    case xray
    /// ICRP-107 "AQ": annihilation photons (0.511 MeV, yield 2 × β⁺ yield).
    case annihilation
    /// ICRP-107 "IE": internal-conversion electrons.
    case conversionElectron
    /// ICRP-107 "AE": Auger and Coster–Kronig electrons.
    case augerElectron
    /// ICRP-107 "A": alpha particles (never transported; always deposited locally).
    case alpha
    /// ICRP-107 "AR": alpha-recoil nuclei (never transported; always deposited locally).
    case alphaRecoil

    /// The particle the transport engine tracks for this line, or `nil` for alphas and recoils,
    /// whose ranges (< 0.1 mm in tissue) are far below a voxel and which are deposited locally.
    public var transportedParticle: ParticleKind? {
        switch self {
        case .gamma, .xray, .annihilation: return .photon
        case .conversionElectron, .augerElectron: return .electron
        case .alpha, .alphaRecoil: return nil
        }
    }

    /// True for the photon categories (γ, X, annihilation).
    public var isPhoton: Bool { transportedParticle == .photon }
    /// True for the discrete electron categories (IC, Auger).
    public var isElectron: Bool { transportedParticle == .electron }
}

/// One discrete line of a nuclide's emission table.
public struct EmissionLine: Sendable, Hashable {
    public let kind: EmissionKind
    /// Energy of the emitted particle (MeV).
    public let energyMeV: Double
    /// Mean number emitted per decay; may exceed 1 (e.g. low-energy X-ray and Auger groups).
    public let yieldPerDecay: Double

    public init(kind: EmissionKind, energyMeV: Double, yieldPerDecay: Double) {
        self.kind = kind
        self.energyMeV = energyMeV
        self.yieldPerDecay = yieldPerDecay
    }

    /// Mean energy emitted per decay by this line (MeV): energy × yield.
    public var energyPerDecayMeV: Double { energyMeV * yieldPerDecay }
}
