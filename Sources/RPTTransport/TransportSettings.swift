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
    /// Estimator of the photons' energy deposition (`PhotonEstimator`); analogue by default.
    public var photonEstimator: PhotonEstimator = .analog
    /// How decay positions are drawn from a voxel map (`SourceSampling`); analogue by default.
    public var sourceSampling: SourceSampling = .analog
    /// Decays per batch of systematic source sampling (ignored by analogue sampling).
    public var sourceBatchDecays: Int = SourceSampling.defaultBatchDecays

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case electronCutoffMeV, photonCutoffMeV, deltaRayThresholdMeV, bremsstrahlungThresholdMeV, maxEnergyLossFraction,
             rangeRejection, majorantBlockSize, photonEstimator, sourceSampling, sourceBatchDecays
    }

    /// Decodes settings written before a field existed with that field's default.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TransportSettings()
        electronCutoffMeV = try c.decodeIfPresent(Double.self, forKey: .electronCutoffMeV) ?? d.electronCutoffMeV
        photonCutoffMeV = try c.decodeIfPresent(Double.self, forKey: .photonCutoffMeV) ?? d.photonCutoffMeV
        deltaRayThresholdMeV = try c.decodeIfPresent(Double.self, forKey: .deltaRayThresholdMeV) ?? d.deltaRayThresholdMeV
        bremsstrahlungThresholdMeV = try c.decodeIfPresent(Double.self, forKey: .bremsstrahlungThresholdMeV)
            ?? d.bremsstrahlungThresholdMeV
        maxEnergyLossFraction = try c.decodeIfPresent(Double.self, forKey: .maxEnergyLossFraction) ?? d.maxEnergyLossFraction
        rangeRejection = try c.decodeIfPresent(Bool.self, forKey: .rangeRejection) ?? d.rangeRejection
        majorantBlockSize = try c.decodeIfPresent(Int.self, forKey: .majorantBlockSize) ?? d.majorantBlockSize
        photonEstimator = try c.decodeIfPresent(PhotonEstimator.self, forKey: .photonEstimator) ?? d.photonEstimator
        sourceSampling = try c.decodeIfPresent(SourceSampling.self, forKey: .sourceSampling) ?? d.sourceSampling
        sourceBatchDecays = try c.decodeIfPresent(Int.self, forKey: .sourceBatchDecays) ?? d.sourceBatchDecays
    }

    /// The tally statistics these settings call for: per batch with systematic source sampling.
    public var tallyStatistics: TallyStatistics {
        sourceSampling == .systematic ? .batches(size: UInt64(sourceBatchDecays)) : .historyByHistory
    }

    /// The same settings with every acceleration off (for validation): no range rejection, analogue photon
    /// scoring.
    public var withoutAccelerations: TransportSettings {
        var s = self
        s.rangeRejection = false
        s.photonEstimator = .analog
        return s
    }

    /// What the simulation fingerprint records of these settings: every field, in the text Swift's default
    /// description gave before `photonEstimator` existed (so that analogue runs keep their fingerprints and their
    /// checkpoints stay resumable), plus the estimator and the source sampling (with its batch size) when they are
    /// not analogue (so that runs with different estimators or samplings are never merged or resumed together).
    public var fingerprintText: String {
        "TransportSettings(electronCutoffMeV: \(electronCutoffMeV), photonCutoffMeV: \(photonCutoffMeV), "
            + "deltaRayThresholdMeV: \(deltaRayThresholdMeV), bremsstrahlungThresholdMeV: \(bremsstrahlungThresholdMeV), "
            + "maxEnergyLossFraction: \(maxEnergyLossFraction), rangeRejection: \(rangeRejection), "
            + "majorantBlockSize: \(majorantBlockSize))"
            + (photonEstimator == .analog ? "" : " photonEstimator: \(photonEstimator.rawValue)")
            + (sourceSampling == .analog ? "" : " sourceSampling: \(sourceSampling.rawValue) batch \(sourceBatchDecays)")
    }

    /// Names of the accelerations in use (for provenance).
    public var accelerations: [String] {
        (rangeRejection ? ["range-rejection"] : []) + (photonEstimator == .trackLength ? ["photon-track-length"] : [])
    }
}
