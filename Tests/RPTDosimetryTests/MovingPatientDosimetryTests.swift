import Foundation
import RPTCore
import RPTDosimetry
import RPTPhantom
import RPTStore
import RPTTransport
import RPTVolume
import RPTWorkflow
import RPTTestSupport
import XCTest

/// The moving synthetic patient written to disk by `SyntheticPatientWriter` (one CT and label map per scan) and run
/// through `CycleDosimetryWorkflow` (local deposition) with and without registration (docs/methods/registration.md,
/// "Through rptdose dosimetry"). Same phantom as `MovingPatientRegistrationTests` (60 × 40 × 54 voxels of 6 mm, SPECT
/// without blur or count noise, scans at 4, 24, 48, 96 h, repositioning ≤ 12 mm and 3°, deformation ≤ 5 mm), with
/// each scan's segmentation at 2 mm (a CT segmentation finer than the SPECT) and the geometric transfer matrix, so
/// the registered scans are measured in their own frames with the reference labels propagated.
/// Measured: kidney Ã registered −1.90 % (left), −1.40 % (right) — the issue-16 target of 2 % is met here — ideal
/// (each scan's own segmentation) −0.04 %, unregistered −12.7 % and −24.1 %. Takes ≈ 1 min of CPU in a debug build
/// (three workflow runs with 2 mm label maps, elastix), over the 20 s guideline.
final class MovingPatientDosimetryTests: XCTestCase {
    static func config() -> SyntheticPatientConfig {
        MovingTestPatient.config()
    }

    func run(_ manifest: String, out: String) throws -> CycleDosimetryResult {
        var request = CycleDosimetryRequest(study: manifest, cycle: 1, out: out, control: RunControl(decays: 1, threads: 1), seed: 1)
        request.method = DoseMethodConfiguration(method: .ldm)
        return try XCTUnwrap(try CycleDosimetryWorkflow.run(request, environment: RunEnvironment(quiet: true)))
    }

    /// Registered (rigid + B-spline) kidney Ã within 2.5 % of the truth; each scan's own true segmentation (the ideal
    /// registration) within 1 %; one segmentation used unregistered on every scan at least 5 points worse than
    /// registered (the bounds of MovingPatientRegistrationTests), and each moved scan's kidney activity closer to the
    /// truth registered than unregistered. The kidney doses (local deposition: dose ∝ Ã in the same mask) follow.
    func testRegistrationRemovesMostOfTheMotionErrorInTheKidneyDose() throws {
        let dir = NSTemporaryDirectory() + "rpt-moving-dosimetry-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try MovingTestPatient.generate(Self.config())
        let files = try SyntheticPatientWriter.write(p, to: dir, ext: ".nii", registration: "deformable")
        for h in [4.0, 24, 48, 96] {
            XCTAssertTrue(files.contains(dir + "/" + SyntheticPatientWriter.ctStem(cycle: 1, timeHours: h) + ".nii"))
            XCTAssertTrue(files.contains(dir + "/" + SyntheticPatientWriter.labelsStem(cycle: 1, timeHours: h) + ".nii"))
        }
        let manifest = try StudyManifest.load(path: dir + "/manifest.yaml")
        XCTAssertEqual(manifest.registration, .deformable)
        XCTAssertEqual(manifest.cycles[0].timePoints.map(\.ct).map { URL(fileURLWithPath: $0).lastPathComponent },
                       ["ct_c1_004h.nii", "ct_c1_024h.nii", "ct_c1_048h.nii", "ct_c1_096h.nii"])
        XCTAssertEqual(manifest.cycles[0].referenceIndex, 1)
        // A CT segmentation finer than the SPECT: each scan's labels at the 2 mm the scans are made from, and the
        // geometric transfer matrix (the phantom's SPECT has no blur; 1 mm is the smallest FWHM the manifest takes,
        // its kernel on 6 mm voxels is the identity to 1e-12).
        var text = try String(contentsOfFile: dir + "/manifest.yaml", encoding: .utf8)
        for s in p.spectTimePoints {
            let stem = SyntheticPatientWriter.labelsStem(cycle: 1, timeHours: s.timeHours)
            let fine = try XCTUnwrap(s.subVoxelLabels)
            XCTAssertEqual(fine.grid.spacing.x, 2, accuracy: 1e-9)
            try VolumeFiles.write(AnyVolume(fine), to: dir + "/" + stem + "_2mm.nii", volume: stem)
            text = text.replacingOccurrences(of: stem + ".nii", with: stem + "_2mm.nii")
        }
        text = text.replacingOccurrences(of: "activity_relative_uncertainty:", with: "spect_resolution_fwhm_mm: 1\nactivity_relative_uncertainty:")
        try text.write(toFile: dir + "/manifest.yaml", atomically: true, encoding: .utf8)
        let registered = try run(dir + "/manifest.yaml", out: dir + "/registered")

        // Each scan's own true segmentation, unregistered: the ideal registration.
        try text.replacingOccurrences(of: "registration: deformable", with: "registration: none")
            .write(toFile: dir + "/ideal.yaml", atomically: true, encoding: .utf8)
        let ideal = try run(dir + "/ideal.yaml", out: dir + "/ideal")
        // One segmentation (the reference scan's) on every scan, unregistered: the error registration prevents.
        var single = text.replacingOccurrences(of: "registration: deformable", with: "registration: none")
        for h in [4.0, 48, 96] {
            single = single.replacingOccurrences(of: SyntheticPatientWriter.labelsStem(cycle: 1, timeHours: h),
                                                 with: SyntheticPatientWriter.labelsStem(cycle: 1, timeHours: 24))
        }
        try single.write(toFile: dir + "/single.yaml", atomically: true, encoding: .utf8)
        let unregistered = try run(dir + "/single.yaml", out: dir + "/unregistered")

        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: XCTUnwrap(FileManager.default.contents(atPath: dir + "/registered/summary.json"))) as? [String: Any])
        let records = try XCTUnwrap((summary["registration"] as? [String: Any])?["time_points"] as? [[String: Any]])
        XCTAssertEqual(records.count, 3, "the three non-reference scans are registered")
        XCTAssertEqual((summary["registration"] as? [String: Any])?["region_activity"] as? String, RegionActivities.ownFrame,
                       "registered scans' region activities are measured in their own frames")
        XCTAssertEqual(summary["partial_volume_correction"] as? String, "geometric transfer matrix, FWHM 1.0 mm")

        for name in ["kidney_left", "kidney_right"] {
            let truth = try p.truth.timeIntegratedActivityBqS(region: name, cycle: 1)
            func row(_ r: CycleDosimetryResult) throws -> RegionDoseRow { try XCTUnwrap(r.rows.first { $0.region == name }) }
            let eReg = try row(registered).tiaBqS / truth - 1
            let eIdeal = try row(ideal).tiaBqS / truth - 1
            let eNone = try row(unregistered).tiaBqS / truth - 1
            // The activity per scan (dosimetry.h5 /fits) against the truth: what the registration changes, before the fit.
            let labels = Set(try PhantomRegion.regions(named: name).map(\.label))
            let trueActivity = p.truth.timePoints.map { $0.activityBqByLabel.filter { labels.contains($0.key) }.values.reduce(0, +) }
            func pointErrors(_ out: String) throws -> [Double] {
                let a = try H5File.read(dir + "/" + out + "/dosimetry.h5") { try $0.doublesAttribute("activity_bq", at: "/fits/" + name) }
                return zip(a, trueActivity).map { $0 / $1 - 1 }
            }
            for out in ["registered", "ideal", "unregistered"] {
                print(name, out, "activity error per scan (%):", try pointErrors(out).map { String(format: "%+.1f", 100 * $0) }.joined(separator: ", "))
            }
            print(String(format: "%@ Ã vs truth: registered %+.2f %%, ideal (own segmentation per scan) %+.2f %%, unregistered %+.2f %%",
                         name, 100 * eReg, 100 * eIdeal, 100 * eNone))
            // The bounds of MovingPatientRegistrationTests (same phantom, registration and measurement).
            XCTAssertLessThan(abs(eReg), 0.025, name)
            XCTAssertLessThan(abs(eIdeal), 0.01, name)
            // Per scan: the reference scan (24 h) is the same in all three; every other one is closer to the truth registered.
            let (reg, none) = (try pointErrors("registered"), try pointErrors("unregistered"))
            XCTAssertEqual(reg[1], none[1], accuracy: 1e-9, name)
            for n in [0, 2, 3] { XCTAssertLessThan(abs(reg[n]), abs(none[n]), "\(name) scan \(n)") }
            XCTAssertGreaterThan(abs(eNone), abs(eReg) + 0.05, name)
            // The same mask (the reference scan's) for registered and unregistered: the doses differ as the Ã do.
            let doseRatio = try row(registered).meanDoseGy / row(unregistered).meanDoseGy
            XCTAssertEqual(doseRatio, try row(registered).tiaBqS / row(unregistered).tiaBqS, accuracy: 0.01 * doseRatio, name)
            XCTAssertEqual(try row(registered).massG, try row(unregistered).massG, accuracy: 1e-9, name)
        }
    }
}
