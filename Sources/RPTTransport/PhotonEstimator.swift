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

    /// Voxels below this density (g/cm³) keep analogue photon scoring under `trackLength`: there the photons'
    /// secondary electrons are created and transported, and the flights score nothing. In air (1.2·10⁻³ g/cm³) a
    /// 94 keV Compton electron runs ~10 cm, so kerma is not dose there; at 0.1 g/cm³ (the densest "air in the body"
    /// of the calibrations) its CSDA range is 1.4 mm (ESTAR water, 0.0135 g/cm² at 94 keV), still about a third of a
    /// clinical voxel. Also saves the walk's tally updates in the air around the patient.
    public static let trackLengthMinimumDensity = 0.1
}
