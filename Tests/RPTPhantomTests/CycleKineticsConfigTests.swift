import RPTCore
@testable import RPTPhantom
import XCTest

/// `SyntheticPatientConfig.cycleKinetics`: a cycle with its own kinetics (issue 15: changed kinetics in cycles 2–3)
/// without changing the default phantom.
final class CycleKineticsConfigTests: XCTestCase {
    /// The default has no per-cycle kinetics, so every default output is unchanged.
    func testDefaultHasNoCycleKinetics() {
        XCTAssertTrue(SyntheticPatientConfig().cycleKinetics.isEmpty)
        XCTAssertTrue(TestPhantom.patient.truth.cycleTimeIntegratedActivityBqS.isEmpty)
    }

    /// Cycle 2 with a 30 % faster kidney biological clearance: the cycle-2 scans and truth follow it, cycle 1 does not.
    func testCycleTwoFasterKidneyClearance() throws {
        var c = TestPhantom.config()
        c.shape = SIMD3(48, 36, 36)
        c.voxelSizeMM = SIMD3(repeating: 8)
        c.spectVoxelSizeMM = 8
        c.spectCountNoise = false
        c.spectSchedule = [SpectCycleSchedule(cycle: 1, timesHours: [96]), SpectCycleSchedule(cycle: 2, timesHours: [96])]
        var faster = PhantomKineticsModel.lu177DOTATATE
        for r in [PhantomRegion.kidneyLeftCortex, .kidneyLeftMedulla, .kidneyRightCortex, .kidneyRightMedulla] {
            faster.regionComponents[r] = faster.regionComponents[r]!.map {
                KineticComponent(fraction: $0.fraction, uptakeHalfLifeHours: $0.uptakeHalfLifeHours,
                                 biologicalHalfLifeHours: $0.biologicalHalfLifeHours / 1.3)
            }
        }
        c.cycleKinetics = [2: faster]
        let p = try SyntheticPatient.generate(config: c)
        let label = PhantomRegion.kidneyLeftCortex.label
        let a1 = try XCTUnwrap(p.truth.timePoint(cycle: 1, timeHours: 96)?.activityBqByLabel[label])
        let a2 = try XCTUnwrap(p.truth.timePoint(cycle: 2, timeHours: 96)?.activityBqByLabel[label])
        let expected1 = RegionKinetics(region: .kidneyLeftCortex, components: PhantomKineticsModel.lu177DOTATATE.regionComponents[.kidneyLeftCortex]!)
            .activityBq(atHours: 96, administeredBq: c.administeredActivityBq)
        let expected2 = RegionKinetics(region: .kidneyLeftCortex, components: faster.regionComponents[.kidneyLeftCortex]!)
            .activityBq(atHours: 96, administeredBq: c.administeredActivityBq)
        XCTAssertEqual(a1, expected1, accuracy: 1e-9 * expected1)
        XCTAssertEqual(a2, expected2, accuracy: 1e-9 * expected2)
        XCTAssertLessThan(a2, 0.85 * a1)
        let tia1 = try p.truth.timeIntegratedActivityBqS(region: "kidney_left", cycle: 1)
        let tia2 = try p.truth.timeIntegratedActivityBqS(region: "kidney_left", cycle: 2)
        XCTAssertEqual(tia1, try p.truth.region(named: "kidney_left").timeIntegratedActivityBqS)
        let expectedTIA2 = [PhantomRegion.kidneyLeftCortex, .kidneyLeftMedulla].reduce(0.0) {
            $0 + RegionKinetics(region: $1, components: faster.regionComponents[$1]!).timeIntegratedActivityBqS(administeredBq: c.administeredActivityBq)
        }
        XCTAssertEqual(tia2, expectedTIA2, accuracy: 1e-9 * expectedTIA2)
        // Liver unchanged in cycle 2.
        XCTAssertEqual(try p.truth.timeIntegratedActivityBqS(region: "liver", cycle: 2), try p.truth.region(named: "liver").timeIntegratedActivityBqS)
    }
}
