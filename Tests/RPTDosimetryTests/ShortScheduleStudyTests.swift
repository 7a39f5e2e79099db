import Foundation
import RPTCommandLine
import RPTWorkflow
import RPTCore
@testable import RPTDosimetry
import RPTKinetics
import RPTPhantom
import RPTPhysics
import XCTest

/// The kinetics of issue 15 on the synthetic patient's images (SPECT with 10 mm resolution and count noise,
/// geometric-transfer-matrix correction): cycle 1 imaged at 4, 24, 48, 72 h only, cycle 2 at 4 and 96 h with the
/// kidneys' biological clearance 30 % faster (`SyntheticPatientConfig.cycleKinetics`). Smallest phantom (8 mm
/// voxels), seed 12. Kidneys: 2 % in cycle 1 (issue 15) and 3 % in cycle 2 (measured −0.2 to +0.05 %); the kidney
/// T_eff change is reported and negative (truth −17 %). With the manifest's uncertainty (all independent) liver,
/// spleen and tumours are printed for information (the tumour prior's pull: FewTimePointKineticsTests); with the
/// issue-15 stated model (9.8 % common + 2 % independent) every region is asserted within 3 % (kidneys 2 %).
final class ShortScheduleStudyTests: XCTestCase {
    func testFourPointCycleOneAndFasterKidneyClearanceInCycleTwo() throws {
        let dir = NSTemporaryDirectory() + "rpt-short-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = SyntheticPatientConfig.smallTestPatient(seed: 12, schedule: [SpectCycleSchedule(cycle: 1, timesHours: [4, 24, 48, 72]),
                                                                             SpectCycleSchedule(cycle: 2, timesHours: [4, 96])])
        c.cycleKinetics = [2: ChangedKineticsTests.changed(kidneyClearanceFactor: 1.3, tumour: .none)]
        let patient = try SyntheticPatient.generate(config: c)
        try SyntheticPatientWriter.write(patient, to: dir, ext: ".nii")
        let study = try SyntheticStudyKinetics(manifestPath: dir + "/manifest.yaml")
        let one = study.cycleOne, two = try study.regions(cycle: 2)
        for name in ["liver", "spleen", "tumor_1", "tumor_2", "tumor_3"] {
            let r1 = try XCTUnwrap(one.first { $0.region == name })
            let t1 = try patient.truth.timeIntegratedActivityBqS(region: name, cycle: 1)
            print(String(format: "%@: cycle 1 %+.2f %% (%@)", name, 100 * (r1.tiaBqS / t1 - 1), r1.methodSummary))
        }
        // The image chain's error of each region activity against the analytic truth, split into its mean over the
        // 4 time points (common) and the scatter around it (independent) — what `activity_common_relative_uncertainty`
        // describes (docs/methods/kinetics.md, "Measurement uncertainty in the fit"); and the cycle-1 Ã with the
        // issue-15 stated model (9.8 % common + 2 % independent), asserted within issue 15's 3 % (kidneys 2 %). Measured
        // (seed 12): activity errors per time point within ±0.5 % (sd 0.1–0.4 %), so 2 % independent errs wide; Ã
        // kidneys −0.1 to −0.0 %, liver and spleen −0.4 %, tumours −1.5 to −2.4 %.
        let oneSplit = try study.regions(cycle: 1, analysis: study.analysis(activityRelativeUncertainty: FewTimePointKineticsTests.statedTotal,
                                                                            common: FewTimePointKineticsTests.statedCommon))
        for name in ["kidney_left", "kidney_right", "liver", "spleen", "tumor_1", "tumor_2", "tumor_3"] {
            let r1 = try XCTUnwrap(one.first { $0.region == name })
            let truth = FewTimePointKineticsTests.truth(try PhantomRegion.regions(named: name))
            let errors = r1.points.map { $0.activityBq / truth.activity($0.timeHours) - 1 }
            let mean = errors.reduce(0, +) / Double(errors.count)
            let sd = (errors.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(errors.count - 1)).squareRoot()
            let rs = try XCTUnwrap(oneSplit.first { $0.region == name })
            let t1 = try patient.truth.timeIntegratedActivityBqS(region: name, cycle: 1)
            print(String(format: "%@: activity error per time point %@ (mean %+.1f %%, sd %.1f %%); cycle 1 Ã with 9.8 %% common + 2 %% independent %+.2f %% (%@)",
                         name, errors.map { String(format: "%+.1f %%", 100 * $0) }.joined(separator: ", "), 100 * mean, 100 * sd,
                         100 * (rs.tiaBqS / t1 - 1), rs.methodSummary))
            XCTAssertEqual(rs.tiaBqS / t1, 1, accuracy: name.hasPrefix("kidney") ? 0.02 : 0.03, name)
        }
        for name in ["kidney_left", "kidney_right"] {
            let r1 = try XCTUnwrap(one.first { $0.region == name })
            let r2 = try XCTUnwrap(two.first { $0.region == name })
            let t1 = try patient.truth.timeIntegratedActivityBqS(region: name, cycle: 1)
            let t2 = try patient.truth.timeIntegratedActivityBqS(region: name, cycle: 2)
            print(String(format: "%@: cycle 1 %+.2f %% (%@), cycle 2 %+.2f %% (%@)", name, 100 * (r1.tiaBqS / t1 - 1), r1.methodSummary,
                         100 * (r2.tiaBqS / t2 - 1), r2.methodSummary))
            XCTAssertTrue(r1.method.hasPrefix("MAP biExponentialUptake"), r1.method)
            XCTAssertEqual(r1.tiaBqS / t1, 1, accuracy: 0.02, name)
            XCTAssertEqual(r2.method, "cycle-1 shape, clearance refitted")
            XCTAssertEqual(r2.tiaBqS / t2, 1, accuracy: 0.03, name)
            XCTAssertLessThan(r2.halfLifeChange, 0, name)
        }
    }
}
