/// Mean energy per decay (MeV) of a nuclide split by fate at a transport cut-off.
///
/// Transported: discrete photon lines (γ, X, annihilation) and electron lines (IC, Auger) with
/// E ≥ cut-off, and the parts of the beta continua above the cut-off. Locally deposited: every line
/// with E < cut-off, the beta continua below it, and all alpha and alpha-recoil energy.
/// The four parts add up to `Nuclide.totalEnergyPerDecayMeV`.
public struct NuclideEnergyBudget: Sendable, Hashable {
    /// Cut-off (MeV) this split was made at.
    public let transportCutoffMeV: Double
    /// Photon energy per decay handed to transport (MeV).
    public let transportedPhotonMeV: Double
    /// Electron energy per decay handed to transport (MeV): β⁻ above the cut-off + IC + Auger lines ≥ cut-off.
    public let transportedElectronMeV: Double
    /// Positron kinetic energy per decay handed to transport (MeV).
    public let transportedPositronMeV: Double
    /// Energy per decay deposited at the decay site without transport (MeV).
    public let locallyDepositedMeV: Double

    /// Sum of all parts (MeV) = the nuclide's total emitted energy per decay.
    public var totalMeV: Double {
        transportedPhotonMeV + transportedElectronMeV + transportedPositronMeV + locallyDepositedMeV
    }
}
