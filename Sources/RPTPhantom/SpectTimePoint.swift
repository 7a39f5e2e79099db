import RPTVolume

/// One synthetic quantitative SPECT scan.
public struct SpectTimePoint: Equatable, Sendable {
    /// Cycle number (1-based).
    public var cycle: Int
    /// Hours after that cycle's administration.
    public var timeHours: Double
    /// Activity concentration (Bq/mL) on the SPECT grid.
    public var image: Volume<Float>
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
