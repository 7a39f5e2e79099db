import RPTPhantom

extension SyntheticPatientConfig {
    /// The smallest synthetic patient of the study-level tests: 48 × 36 × 36 CT voxels of 8 mm, SPECT at 8 mm,
    /// imaged per `schedule` (cycles and scan times in hours after administration).
    static func smallTestPatient(seed: UInt64, schedule: [SpectCycleSchedule]) -> SyntheticPatientConfig {
        var c = SyntheticPatientConfig()
        c.seed = seed
        c.shape = SIMD3(48, 36, 36)
        c.voxelSizeMM = SIMD3(repeating: 8)
        c.spectVoxelSizeMM = 8
        c.spectSchedule = schedule
        return c
    }

    /// Cycle 1 at 4, 24, 48, 72 and 96 h; cycles 2 and 3 at 4 and 96 h.
    static let fullThenTwoPointSchedule = [SpectCycleSchedule(cycle: 1, timesHours: [4, 24, 48, 72, 96]),
                                           SpectCycleSchedule(cycle: 2, timesHours: [4, 96]),
                                           SpectCycleSchedule(cycle: 3, timesHours: [4, 96])]
}
