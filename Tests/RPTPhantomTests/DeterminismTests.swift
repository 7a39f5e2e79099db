import XCTest
import RPTCore
@testable import RPTPhantom

final class DeterminismTests: XCTestCase {
    func testSameSeedGivesIdenticalPatient() throws {
        let a = TestPhantom.patient
        var config = TestPhantom.config()
        config.spectSchedule = [SpectCycleSchedule(cycle: 2, timesHours: [4])]   // a different order and subset
        let b = try SyntheticPatient.generate(config: config)
        XCTAssertEqual(a.ct, b.ct)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertEqual(a.bloodSamples, b.bloodSamples)
        // The scan of (cycle 2, 4 h) does not depend on which other scans were made before it.
        XCTAssertEqual(a.spect(cycle: 2, timeHours: 4), b.spect(cycle: 2, timeHours: 4))
        XCTAssertEqual(try a.synthesizeSpect(cycle: 1, timeHours: 24), a.spect(cycle: 1, timeHours: 24))
        XCTAssertThrowsError(try a.synthesizeSpect(cycle: 1, timeHours: -2))
    }

    func testDifferentSeedChangesOnlyTheNoise() throws {
        let a = TestPhantom.patient
        let b = try SyntheticPatient.generate(config: TestPhantom.config(seed: 12))
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertEqual(a.kinetics, b.kinetics)
        XCTAssertEqual(a.truth, b.truth)
        XCTAssertNotEqual(a.ct, b.ct)
        XCTAssertNotEqual(a.spectTimePoints[0].image, b.spectTimePoints[0].image)
        XCTAssertNotEqual(a.bloodSamples.map(\.concentrationBqPerML), b.bloodSamples.map(\.concentrationBqPerML))
        // Noise only: the CT differs voxel by voxel by a few σ at most, never by a change of tissue.
        var worst = 0
        for n in a.ct.voxels.indices { worst = max(worst, abs(Int(a.ct.voxels[n]) - Int(b.ct.voxels[n]))) }
        XCTAssertLessThan(Double(worst), 2 * 6 * TestPhantom.config().ctNoiseSigmaHU)
    }

    func testInvalidConfigurationNamesTheField() {
        var c = TestPhantom.config()
        c.voxelSizeMM = SIMD3(7, -1, 7)
        XCTAssertThrowsError(try SyntheticPatient.generate(config: c)) { e in
            XCTAssertEqual((e as? InputError)?.field, "spacing[1]")
        }
        c = TestPhantom.config()
        c.shape = SIMD3(40, 64, 50)
        XCTAssertThrowsError(try SyntheticPatient.generate(config: c)) { e in
            XCTAssertEqual((e as? InputError)?.field, "shape × voxelSizeMM")
        }
        c = TestPhantom.config()
        c.kinetics.regionComponents[.liver] = [KineticComponent(fraction: 0.05, uptakeHalfLifeHours: 10,
                                                                biologicalHalfLifeHours: 10)]
        XCTAssertThrowsError(try SyntheticPatient.generate(config: c)) { e in
            XCTAssertEqual((e as? InputError)?.field, "kinetics.liver[0].uptakeHalfLifeHours")
        }
        c = TestPhantom.config()
        c.spectSchedule = [SpectCycleSchedule(cycle: 1, timesHours: [24, 24])]
        XCTAssertThrowsError(try SyntheticPatient.generate(config: c)) { e in
            XCTAssertEqual((e as? InputError)?.value, "24.0")
        }
    }
}
