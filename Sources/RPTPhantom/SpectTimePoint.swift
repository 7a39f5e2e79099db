import RPTVolume

/// One synthetic quantitative SPECT scan.
public struct SpectTimePoint: Equatable, Sendable {
    /// Cycle number (1-based).
    public var cycle: Int
    /// Hours after that cycle's administration.
    public var timeHours: Double
    /// Activity concentration (Bq/mL) on the SPECT grid.
    public var image: Volume<Float>
    /// With `SyntheticPatientConfig.motion`: the scan's known motion relative to the reference anatomy, and the
    /// CT (HU) and label map of the moved patient on the CT grid (nil when the patient does not move).
    public var motion: PatientMotion? = nil
    public var ct: Volume<Int16>? = nil
    public var labels: Volume<UInt16>? = nil
    /// With `motion`: the scan's label map at the resolution the scan is made from (the labels of each CT voxel's
    /// sub-points, on a grid `supersampling` times finer than the CT; what a segmentation of a finer CT would give).
    public var subVoxelLabels: Volume<UInt16>? = nil
}

/// One measured whole-blood sample.
public struct BloodSample: Equatable, Sendable {
    /// Hours after administration.
    public var timeHours: Double
    /// Measured concentration (Bq/mL), with multiplicative noise.
    public var concentrationBqPerML: Double
    /// Noise-free concentration C(t) (Bq/mL).
    public var trueConcentrationBqPerML: Double
}
