/// How photon energy deposition is scored (docs/methods/variance-reduction.md).
public enum PhotonEstimator: String, Sendable, Hashable, Codable, CaseIterable {
    /// Analogue: the electrons set in motion at photoelectric and incoherent interactions are transported
    /// (or deposited at birth) like every other electron. Exact within the transport's physics.
    case analog
    /// Track-length kerma estimator: along every straight flight of a photon, each voxel crossed receives
    /// K(E, medium)·ρ·ℓ (`PhotonKermaTable`: the expected energy the analogue simulation gives to electrons per
    /// cm), and the photoelectric and incoherent electrons are not created. Unbiased for the photon kerma;
    /// equals the analogue photon dose where the secondary electrons' ranges are far below the voxel size
    /// (Lu-177: photons ≤ 321 keV, electrons ≤ 0.2 MeV, CSDA range ≤ 0.5 mm in soft tissue).
    case trackLength = "track-length"
}
