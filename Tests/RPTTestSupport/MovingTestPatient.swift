import Foundation
import RPTPhantom

/// The small moving synthetic patient of the registration tests: 60 × 40 × `axialSlices` CT voxels of 6 mm, seed 7,
/// SPECT on the same 6 mm grid without blur or count noise (so that the only error left is the motion), scanned at
/// `scanHours` in cycle 1, repositioned by up to 12 mm and 3° with a breathing-like deformation of up to 5 mm
/// (`SyntheticMotion`, 80 mm wide). 54 slices keep both kidneys whole in the field of view whatever the motion.
public enum MovingTestPatient {
    public static func config(axialSlices: Int = 54, scanHours: [Double] = [4, 24, 48, 96]) -> SyntheticPatientConfig {
        var c = SyntheticPatientConfig()
        c.seed = 7
        c.shape = SIMD3(60, 40, axialSlices)
        c.voxelSizeMM = SIMD3(repeating: 6)
        c.spectVoxelSizeMM = 6
        c.spectResolutionFWHMMM = 0
        c.spectCountNoise = false
        c.spectSchedule = [SpectCycleSchedule(cycle: 1, timesHours: scanHours)]
        c.motion = SyntheticMotion(maximumTranslationMM: 12, maximumRotationDegrees: 3, maximumDeformationMM: 5)
        return c
    }

    /// The patient of `config`, generated once per test process and shared by the test classes that use the same
    /// configuration (a moving patient takes ≈ 25 s to make in a debug build; the patient is immutable).
    public static func generate(_ config: SyntheticPatientConfig) throws -> SyntheticPatient {
        lock.lock(); defer { lock.unlock() }
        if let p = cache.first(where: { $0.config == config }) { return p }
        let p = try SyntheticPatient.generate(config: config)
        cache.append(p)
        return p
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [SyntheticPatient] = []
}
