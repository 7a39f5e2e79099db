import Foundation
import RPTCore
import RPTDosimetry
import RPTPhantom
import RPTStore
import RPTTransport
import RPTWorkflow
import RPTTestSupport
import XCTest

/// The moving synthetic patient written to disk by `SyntheticPatientWriter` (one CT and label map per scan) and run
/// through `CycleDosimetryWorkflow` (local deposition) with and without registration (docs/methods/registration.md,
/// "End to end"). Same phantom as `MovingPatientRegistrationTests` (60 × 40 × 54 voxels of 6 mm, SPECT without
/// blur or count noise, scans at 4, 24, 48, 96 h, repositioning ≤ 12 mm and 3°, deformation ≤ 5 mm), so the
/// bounds are those that test established for the registration alone.
final class MovingPatientDosimetryTests: XCTestCase {
    static func config() -> SyntheticPatientConfig {
        MovingTestPatient.config()
    }

    func run(_ manifest: String, out: String) throws -> CycleDosimetryResult {
        var request = CycleDosimetryRequest(study: manifest, cycle: 1, out: out, control: RunControl(decays: 1, threads: 1), seed: 1)
        request.method = DoseMethodConfiguration(method: .ldm)
        return try XCTUnwrap(try CycleDosimetryWorkflow.run(request, environment: RunEnvironment(quiet: true)))
    }

    /// Registered (rigid + B-spline) kidney Ã within 10 % of the truth; each scan's own true segmentation (the ideal
    /// registration) within 7 %; one segmentation used unregistered on every scan at least 5 points worse than
    /// registered (the bounds of MovingPatientRegistrationTests), and each moved scan's kidney activity closer to the
    /// truth registered than unregistered. The kidney doses (local deposition: dose ∝ Ã in the same mask) follow.
    func testRegistrationRemovesMostOfTheMotionErrorInTheKidneyDose() throws {
        let dir = NSTemporaryDirectory() + "rpt-moving-dosimetry-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try SyntheticPatient.generate(config: Self.config())
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
        let registered = try run(dir + "/manifest.yaml", out: dir + "/registered")

        // Each scan's own true segmentation, unregistered: the ideal registration (the writer's labels).
        let text = try String(contentsOfFile: dir + "/manifest.yaml", encoding: .utf8)
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
            print(String(format: "%@ Ã vs truth: registered %+.1f %%, ideal (own segmentation per scan) %+.1f %%, unregistered %+.1f %%",
                         name, 100 * eReg, 100 * eIdeal, 100 * eNone))
            XCTAssertLessThan(abs(eReg), 0.10, name)
            XCTAssertLessThan(abs(eIdeal), 0.07, name)
            // Registered ÷ ideal − 1 is printed, not asserted: measured −2.8 % (left) and −3.7 % (right) here, against
            // −2.9 % and −3.0 % (bound 3.5 %) in MovingPatientRegistrationTests' own fit (see the doc, "Not done").
            print(String(format: "%@ Ã registered ÷ ideal − 1: %+.1f %%", name, 100 * (try row(registered).tiaBqS / row(ideal).tiaBqS - 1)))
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
