import Foundation
import RPTCore
import RPTDosimetry
import RPTImageIO
import RPTPhantom
import RPTStore
@testable import RPTStudyReport
import RPTTestSupport
import XCTest

/// The report's registration QA figures (one per registered scan, none without registration) and its flags on
/// D2/D50/D98 dominated by Monte Carlo noise (`DVHReliability`, docs/report.md).
final class RegistrationAndDVHReliabilityTests: XCTestCase {
    func parse(_ html: String) throws -> [String: Any] {
        try XCTUnwrap(try ReportTestSupport.pythonJSON(ReportTestSupport.script, ["html", html]) as? [String: Any])
    }

    func table(_ caption: String, in p: [String: Any]) -> (header: [String], rows: [[String]])? {
        guard let t = (p["tables"] as? [String: Any])?[caption] as? [String: Any],
              let h = t["header"] as? [String], let r = t["rows"] as? [[String]] else { return nil }
        return (h, r)
    }

    // MARK: Registration QA

    /// A moving synthetic patient scanned at 4, 24 (reference) and 96 h, registered rigidly: the dosimetry stores
    /// the QA slices of both non-reference scans, and the report shows one QA figure (three panels) and one QA table
    /// row per registered scan. The unregistered demo-like study shows none.
    func testOneRegistrationFigurePerRegisteredScanAndNoneWithoutRegistration() throws {
        let dir = NSTemporaryDirectory() + "rpt-report-registration-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = MovingTestPatient.config(axialSlices: 42, scanHours: [4, 24, 96])
        let p = try MovingTestPatient.generate(c)
        for s in p.spectTimePoints {
            let h = Int(s.timeHours)
            try ImageIO.write(try XCTUnwrap(s.ct), to: dir + "/ct_\(h).mha")
            try ImageIO.write(s.image, to: dir + "/spect_\(h).mha")
        }
        try ImageIO.write(try XCTUnwrap(p.spectTimePoints[1].labels), to: dir + "/labels_24.mha")
        let csv = "label,name\n" + p.labelNames.keys.sorted().map { "\($0),\(p.labelNames[$0]!)" }.joined(separator: "\n") + "\n"
        try csv.write(toFile: dir + "/labels.csv", atomically: true, encoding: .utf8)
        try """
        format_version: 1
        patient: {sex: male, mass_kg: 80, height_cm: 180}
        arm: investigational
        registration: rigid
        region_groups:
          kidney_left: [kidney_left_cortex, kidney_left_medulla]
          kidney_right: [kidney_right_cortex, kidney_right_medulla]
        kidney_regions: [kidney_left, kidney_right]
        cycles:
          - cycle: 1
            administered_activity_gbq: 7.4
            administration_time: 2025-01-06T09:00:00Z
            time_points:
              - {time: 2025-01-06T13:00:00Z, ct: ct_4.mha, spect: {image: spect_4.mha, unit: bq_per_ml}}
              - time: 2025-01-07T09:00:00Z
                ct: ct_24.mha
                spect: {image: spect_24.mha, unit: bq_per_ml}
                labels: {image: labels_24.mha, names: labels.csv}
              - {time: 2025-01-10T09:00:00Z, ct: ct_96.mha, spect: {image: spect_96.mha, unit: bq_per_ml}}

        """.write(toFile: dir + "/manifest.yaml", atomically: true, encoding: .utf8)
        try ReportTestSupport.runCommand(["dosimetry", dir + "/manifest.yaml", "--cycle", "1", "--out", dir + "/cycle-1",
                                          "--method", "ldm", "--quiet"])
        try ReportTestSupport.runCommand(["report", dir, "--out", dir + "/report.html"])

        // dosimetry.h5 holds what the figure needs: three one-slice CTs per registered scan, on one grid.
        let stored = try H5File.read(dir + "/cycle-1/dosimetry.h5") { f in
            try [0, 2].map { n -> (Int, Double, String) in
                let t = "/registration/tp\(n)"
                let r = try f.readVolume(at: t + "/qa_reference_ct").asDouble
                let a = try f.readVolume(at: t + "/qa_ct_registered").asDouble
                _ = try f.readVolume(at: t + "/qa_ct_unregistered")
                XCTAssertTrue(r.grid.isSameGrid(as: a.grid))
                XCTAssertEqual(r.grid.shape.z, 1)
                XCTAssertLessThanOrEqual(max(r.grid.shape.x, r.grid.shape.y), RegistrationQASlices.maximumPixels)
                return (r.voxels.count, try f.doubleAttribute("kidney_centroid_shift_mm", at: t), try f.stringAttribute("status", at: t))
            }
        }
        for (count, shift, status) in stored {
            XCTAssertEqual(count, 60 * 40)
            // The scans moved by up to 12 mm and 3°: the kidneys' shift is a few mm to a few cm, never 0 or absurd.
            XCTAssertGreaterThan(shift, 0.5); XCTAssertLessThan(shift, 60)
            XCTAssertTrue(["pass", "warn"].contains(status))
        }

        let parsed = try parse(dir + "/report.html")
        let text = try XCTUnwrap(parsed["text"] as? String)
        XCTAssertEqual(text.components(separatedBy: RegistrationQASection.figureCaptionPrefix).count - 1, 2,
                       "one QA figure per registered scan (4 h and 96 h)")
        XCTAssertTrue(text.contains("\(RegistrationQASection.figureCaptionPrefix) 1 (4.0 h)"))
        XCTAssertTrue(text.contains("\(RegistrationQASection.figureCaptionPrefix) 3 (96.0 h)"))
        let images = try XCTUnwrap(parsed["images"] as? [[String: Any]])
        let panels = images.filter { ($0["width"] as? Int) == 3 * RegistrationQASection.panelPixels + 2 * RegistrationQASection.gapPixels }
        XCTAssertEqual(panels.count, 2)
        // The overlay panel is coloured (magenta/green) where the CTs differ.
        XCTAssertTrue(panels.allSatisfy { (($0["colors"] as? [String]) ?? []).count > 10 })
        let qa = try XCTUnwrap(table(RegistrationQASection.tableCaption(cycle: 1), in: parsed))
        XCTAssertEqual(qa.rows.map { $0[0] }, ["1", "3"])
        let ncc = try XCTUnwrap(qa.header.firstIndex(of: "NCC"))
        for row in qa.rows {
            let parts = row[ncc].components(separatedBy: " → ").compactMap(Double.init)
            XCTAssertEqual(parts.count, 2, row[ncc])
            XCTAssertGreaterThan(parts[1], parts[0], "the registration improved the CT similarity")
        }

        // Without registration: no QA figure, no QA table.
        let plain = try parse(try ReportTestSupport.study.get() + "/report.html")
        XCTAssertFalse(try XCTUnwrap(plain["text"] as? String).contains(RegistrationQASection.figureCaptionPrefix))
        XCTAssertNil(table(RegistrationQASection.tableCaption(cycle: 1), in: plain))
    }

    // MARK: Unreliable DVH metrics

    /// The rule's reasoning: independent noise of relative σ on a uniform dose moves D2 and D98 by about ±2.05σ
    /// (so the limit for them is 10 % / 2.05), and does not move D50.
    func testNoiseBroadensTheDVHAsTheRuleAssumes() throws {
        var rng = SystemRandomNumberGenerator()
        let sigma = 0.05, n = 20000
        let doses = (0..<n).map { _ -> Double in
            let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
            return 10 * (1 + sigma * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
        }
        // Percentiles of the sample, independently of the project's DVH.
        let sorted = doses.sorted(by: >)
        let dvh = (d2: sorted[n / 50], d50: sorted[n / 2], d98: sorted[n - n / 50])
        XCTAssertEqual(dvh.d2 / 10 - 1, 2.054 * sigma, accuracy: 0.15 * 2.054 * sigma)
        XCTAssertEqual(dvh.d98 / 10 - 1, -2.054 * sigma, accuracy: 0.15 * 2.054 * sigma)
        XCTAssertEqual(dvh.d50 / 10 - 1, 0, accuracy: 0.01)
        let q = DVHReliability(percent: 2, doses: doses, relativeUncertainties: nil)
        XCTAssertEqual(q.limit, 0.10 / 2.0537, accuracy: 1e-4)
        XCTAssertEqual(DVHReliability(percent: 50, doses: doses, relativeUncertainties: nil).limit, 0.10, accuracy: 1e-12)
    }

    /// Unit cases: low σ and many voxels pass; high σ at the tail flags D2/D98 (and D50 above 10 %); few voxels
    /// flag D2/D98 without voxel uncertainties; zero-dose voxels (σ undefined) count as unreliable.
    func testRuleCases() {
        let doses = (0..<1000).map { 10 + Double($0) / 1000 }
        for x in [2.0, 50, 98] {
            XCTAssertTrue(DVHReliability(percent: x, doses: doses, relativeUncertainties: Array(repeating: 0.01, count: 1000)).reliable)
            XCTAssertFalse(DVHReliability(percent: x, doses: doses, relativeUncertainties: Array(repeating: 0.2, count: 1000)).reliable)
            XCTAssertTrue(DVHReliability(percent: x, doses: doses, relativeUncertainties: nil).reliable)
        }
        let mid = Array(repeating: 0.07, count: 1000)
        XCTAssertFalse(DVHReliability(percent: 2, doses: doses, relativeUncertainties: mid).reliable)
        XCTAssertTrue(DVHReliability(percent: 50, doses: doses, relativeUncertainties: mid).reliable)
        // Only the voxels at the metric's dose level count: noisy cold voxels flag D98, not D2.
        let coldNoisy = doses.map { $0 < 10.1 ? 0.5 : 0.01 }
        XCTAssertTrue(DVHReliability(percent: 2, doses: doses, relativeUncertainties: coldNoisy).reliable)
        XCTAssertFalse(DVHReliability(percent: 98, doses: doses, relativeUncertainties: coldNoisy).reliable)
        let few = Array(doses.prefix(100))
        XCTAssertTrue(DVHReliability(percent: 2, doses: few, relativeUncertainties: nil).tooFewVoxels)
        XCTAssertFalse(DVHReliability(percent: 50, doses: few, relativeUncertainties: nil).tooFewVoxels)
        XCTAssertFalse(DVHReliability(percent: 2, doses: Array(doses.prefix(250)), relativeUncertainties: nil).tooFewVoxels)
        XCTAssertTrue(DVHReliability(percent: 50, doses: doses, relativeUncertainties: Array(repeating: .nan, count: 1000)).tooNoisy)
        // Voxels without a scored dose (0 Gy, stored σ 0) are not "certain".
        let zeros = doses.enumerated().map { $0.offset < 500 ? 0.0 : $0.element }
        XCTAssertTrue(DVHReliability(percent: 98, doses: zeros, relativeUncertainties: Array(repeating: 0, count: 1000)).tooNoisy)
    }

    /// The low-decay study (6000 decays): the kidneys' D2/D98 are flagged in the region table (value in parentheses
    /// with the voxel σ) and in the DVH text. The same study with the noise-free local-deposition dose: no kidney
    /// metric is flagged.
    func testLowDecayRunFlagsAndNoiseFreeRunDoesNot() throws {
        let dir = try ReportTestSupport.study.get()
        let noisy = try parse(dir + "/report.html")
        let (header, rows) = try XCTUnwrap(table(StudyReport.regionTableCaption(cycle: 1), in: noisy))
        let columns = try ["D2 (Gy)", "D50 (Gy)", "D98 (Gy)"].map { try XCTUnwrap(header.firstIndex(of: $0)) }
        let kidneys = rows.filter { $0[0].hasSuffix("kidney") }
        XCTAssertEqual(kidneys.count, 2)
        let record = try CycleDosimetryRecord.load(path: dir + "/cycle-1/dosimetry.h5")
        for row in kidneys {
            for c in [columns[0], columns[2]] {
                XCTAssertTrue(row[c].hasPrefix("(") && row[c].contains("unreliable: voxel σ"), "\(row[0]): '\(row[c])'")
            }
        }
        // The flags follow the rule applied to the stored voxel doses and uncertainties.
        for x in record.regions where x.kind != "red_marrow" {
            let q = record.dvhReliability(of: x.region)
            let row = try XCTUnwrap(rows.first { $0[0] == ClinicalNames.region(x.region) })
            for (i, percent) in [2.0, 50, 98].enumerated() {
                XCTAssertEqual(row[columns[i]].contains("unreliable"), !(q[percent]?.reliable ?? true), "\(x.region) D\(percent)")
            }
        }
        let text = try XCTUnwrap(noisy["text"] as? String)
        XCTAssertTrue(text.contains("is unreliable at this number of decays (6000): σ"), "DVH text names the flagged metrics")

        // Noise-free (local deposition, no voxel uncertainty): the kidneys (hundreds of voxels) are not flagged.
        let clean = NSTemporaryDirectory() + "rpt-report-ldm-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: clean) }
        try ReportTestSupport.runCommand(["dosimetry", dir + "/study/manifest.yaml", "--cycle", "1", "--out", clean + "/cycle-1",
                                          "--method", "ldm", "--quiet"])
        try ReportTestSupport.runCommand(["report", clean, "--manifest", dir + "/study/manifest.yaml", "--out", clean + "/report.html"])
        let quiet = try parse(clean + "/report.html")
        let (h2, r2) = try XCTUnwrap(table(StudyReport.regionTableCaption(cycle: 1), in: quiet))
        XCTAssertEqual(r2.filter { $0[0].hasSuffix("kidney") }.count, 2)
        for row in r2 where row[0].hasSuffix("kidney") {
            for name in ["D2 (Gy)", "D50 (Gy)", "D98 (Gy)"] {
                let cell = row[try XCTUnwrap(h2.firstIndex(of: name))]
                XCTAssertNotNil(Double(cell), "\(row[0]) \(name): '\(cell)' should be a plain number")
            }
        }
        XCTAssertTrue(try XCTUnwrap(quiet["text"] as? String).contains("This dose method gives no voxel uncertainty"))
    }
}
