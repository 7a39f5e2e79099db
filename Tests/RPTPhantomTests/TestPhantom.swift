import RPTPhantom

/// The reduced phantom every test shares: 64×64×50 voxels of 7 mm (same field of view as the default),
/// SPECT voxels of 8.8 mm, a short schedule. Generated once per test process.
enum TestPhantom {
    static func config(seed: UInt64 = 11) -> SyntheticPatientConfig {
        var c = SyntheticPatientConfig()
        c.seed = seed
        c.shape = SIMD3(64, 64, 50)
        c.voxelSizeMM = SIMD3(repeating: 7)
        c.spectVoxelSizeMM = 8.8
        c.spectSchedule = [SpectCycleSchedule(cycle: 1, timesHours: [4, 24, 96]),
                           SpectCycleSchedule(cycle: 2, timesHours: [4])]
        return c
    }

    static let patient: SyntheticPatient = try! SyntheticPatient.generate(config: config())
}
