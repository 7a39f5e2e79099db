import Foundation
import RPTCommandLine
import RPTWorkflow
import RPTReport
import RPTStore
@testable import RPTStudyReport
import XCTest

/// The report of a tiny synthetic study (see `ReportTestSupport.study`): every image decodes, it
/// renders in Chromium, and its numbers are those of dosimetry.h5, regions.json and plan.json.
final class StudyReportTests: XCTestCase {
    func studyDir() throws -> String { try ReportTestSupport.study.get() }

    /// The parsed report (cached: the report does not change between tests).
    nonisolated(unsafe) static var cachedParse: [String: Any]?

    func parsed() throws -> [String: Any] {
        if let p = Self.cachedParse { return p }
        let dir = try studyDir()
        let p = try XCTUnwrap(try ReportTestSupport.pythonJSON(ReportTestSupport.script, ["html", dir + "/report.html"]) as? [String: Any])
        Self.cachedParse = p
        return p
    }

    func table(_ caption: String, in p: [String: Any]) throws -> (header: [String], rows: [[String]]) {
        let tables = try XCTUnwrap(p["tables"] as? [String: Any])
        let t = try XCTUnwrap(tables[caption] as? [String: Any], "no table '\(caption)' in \(tables.keys.sorted())")
        return (try XCTUnwrap(t["header"] as? [String]), try XCTUnwrap(t["rows"] as? [[String]]))
    }

    /// A printed number parsed back ("—" → NaN; a Dx flagged unreliable, "(12.3) unreliable: …", → 12.3).
    func value(_ text: String) throws -> Double {
        if text == "—" { return .nan }
        if text.hasPrefix("("), text.contains("unreliable"), let close = text.firstIndex(of: ")") {
            return try value(String(text[text.index(after: text.startIndex)..<close]))
        }
        return try XCTUnwrap(Double(text.replacingOccurrences(of: "−", with: "-")), "not a number: '\(text)'")
    }

    /// `printed` is `truth` rounded to `significant` digits (or `decimals` decimals).
    func assertPrinted(_ printed: String, equals truth: Double, significant: Int? = nil, decimals: Int? = nil,
                       _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let x = try value(printed)
        if truth.isNaN { XCTAssertTrue(x.isNaN, "\(what): printed \(printed) for NaN", file: file, line: line); return }
        var tolerance = 1e-12
        if let s = significant, truth != 0 {
            let exponent = floor(log10(abs(truth)))
            tolerance = 0.5 * pow(10, exponent - Double(s - 1)) * 1.0001
            // Rounding may carry into the next decade (9.9996 → 10.00).
            tolerance = max(tolerance, 0.5 * pow(10, floor(log10(abs(x))) - Double(s - 1)) * 1.0001)
        }
        if let d = decimals { tolerance = 0.5 * pow(10, -Double(d)) * 1.0001 }
        XCTAssertEqual(x, truth, accuracy: tolerance, "\(what): printed \(printed), stored \(truth)", file: file, line: line)
    }

    func testEveryImageIsAPNGDataURIThatDecodes() throws {
        let p = try parsed()
        let images = try XCTUnwrap(p["images"] as? [[String: Any]])
        // 2 kidneys + 3 lesions, three planes each, and zoomed insets (240 × 240 px) of the three lesions,
        // which are under 30 display pixels across on 8 mm voxels; the kidneys are larger and get none.
        XCTAssertEqual(images.count, 15 + 9)
        XCTAssertEqual(images.filter { $0["width"] as? Int == 240 && $0["height"] as? Int == 240 }.count, 9)
        let text = try XCTUnwrap(p["text"] as? String)
        for lesion in 1...3 { XCTAssertTrue(text.contains("Lesion \(lesion), axial, zoomed ×"), "inset of lesion \(lesion)") }
        XCTAssertFalse(text.contains("Left kidney, axial, zoomed"))
        let outlineColours = Set((RGBColor.okabeIto + [.white]).map { "\($0.red),\($0.green),\($0.blue)" })
        var washColours = Set<String>()
        for im in images {
            XCTAssertGreaterThan(im["width"] as? Int ?? 0, 10)
            XCTAssertGreaterThan(im["height"] as? Int ?? 0, 10)
            let colours = Set(im["colors"] as? [String] ?? [])
            XCTAssertFalse(colours.intersection(outlineColours).isEmpty, "region outlines drawn")
            washColours.formUnion(colours.subtracting(outlineColours))
        }
        XCTAssertGreaterThan(washColours.count, 50, "dose wash drawn")
        let html = try String(contentsOfFile: try studyDir() + "/report.html", encoding: .utf8)
        XCTAssertFalse(html.lowercased().contains("<script"), "no JavaScript")
        XCTAssertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "no external resources")
    }

    func testNoPatientIdentifierInTheReport() throws {
        let html = try String(contentsOfFile: try studyDir() + "/report.html", encoding: .utf8)
        XCTAssertFalse(html.contains("synthetic-11"), "the manifest's patient id must not be printed")
        XCTAssertTrue(html.contains("male, 73.0 kg, 176 cm"))
    }

    func testRegionTableEqualsRegionsJSONAndHDF5() throws {
        let dir = try studyDir()
        let (header, rows) = try table(StudyReport.regionTableCaption(cycle: 1), in: try parsed())
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: dir + "/cycle-1/regions.json"))) as? [[String: Any]])
        let h5 = try H5File.read(dir + "/cycle-1/dosimetry.h5") { try $0.readTable(at: "regions") }
        XCTAssertEqual(rows.count, json.count)
        XCTAssertEqual(rows.map { $0[0] }, json.map { ClinicalNames.region($0["region"] as? String ?? "") })
        // Column → (key, scale, significant digits or decimals).
        let columns: [(String, String, Double, Int?, Int?)] = [
            ("Mass (g)", "mass_g", 1, 4, nil), ("TIA (MBq·h)", "tia_bq_s", 1 / 3.6e9, 4, nil),
            ("Mean (Gy)", "mean_dose_gy", 1, 4, nil), ("D2 (Gy)", "d2_gy", 1, 4, nil),
            ("D50 (Gy)", "d50_gy", 1, 4, nil), ("D98 (Gy)", "d98_gy", 1, 4, nil),
            ("Gy/GBq", "dose_per_gbq_gy", 1, 4, nil), ("MC σ (%)", "mc_rel_uncertainty", 100, nil, 2),
            ("Fit σ (%)", "fit_rel_uncertainty", 100, nil, 2), ("Total σ (%)", "combined_rel_uncertainty", 100, nil, 2),
        ]
        var checked = 0
        for (c, key, scale, sig, dec) in columns {
            let col = try XCTUnwrap(header.firstIndex(of: c), c)
            guard case .double(let stored)? = h5[key]?.data else { return XCTFail("\(key) not in dosimetry.h5") }
            for (i, row) in rows.enumerated() {
                let fromJSON = (json[i][key] as? Double) ?? .nan
                // regions.json and dosimetry.h5 agree …
                if fromJSON.isNaN { XCTAssertTrue(stored[i].isNaN) } else { XCTAssertEqual(fromJSON, stored[i], accuracy: 1e-12 * abs(fromJSON)) }
                // … and the report prints them.
                try assertPrinted(row[col], equals: fromJSON * scale, significant: sig, decimals: dec, "\(row[0]) \(c)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testFitTableEqualsHDF5Fits() throws {
        let dir = try studyDir()
        let (header, rows) = try table(StudyReport.fitTableCaption(cycle: 1), in: try parsed())
        let tia = try XCTUnwrap(header.firstIndex(of: "TIA (MBq·h)")), sd = try XCTUnwrap(header.firstIndex(of: "TIA 1σ (MBq·h)"))
        let method = try XCTUnwrap(header.firstIndex(of: "Method"))
        try H5File.read(dir + "/cycle-1/dosimetry.h5") { f in
            let names = Dictionary(uniqueKeysWithValues: try f.members(of: "/fits").map { (ClinicalNames.region($0), $0) })
            for row in rows {
                let g = "/fits/" + (try XCTUnwrap(names[row[0]], row[0]))
                XCTAssertEqual(row[method], StudyReport.methodCell(try RegionFitRecord.read(from: f, group: g, region: names[row[0]]!)))
                XCTAssertTrue(row[method].hasPrefix(ClinicalNames.method(try f.stringAttribute("method", at: g))))
                try assertPrinted(row[tia], equals: try f.doubleAttribute("tia_bq_s", at: g) / 3.6e9, significant: 4, "\(row[0]) TIA")
                try assertPrinted(row[sd], equals: try f.doubleAttribute("tia_standard_uncertainty_bq_s", at: g) / 3.6e9,
                                  significant: 3, "\(row[0]) σ(TIA)")
            }
        }
        XCTAssertGreaterThanOrEqual(rows.count, 12)
    }

    func testPlanTablesEqualPlanJSON() throws {
        let dir = try studyDir()
        let p = try parsed()
        let plan = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: dir + "/plan.json"))) as? [String: Any])
        let given = try XCTUnwrap(plan["given"] as? [[String: Any]]), cycles = try XCTUnwrap(plan["cycles"] as? [[String: Any]])
        // Activities: administered (given) and planned, labelled.
        let (ah, arows) = try table(StudyReport.planActivitiesCaption, in: p)
        XCTAssertEqual(arows.count, given.count + cycles.count)
        let status = try XCTUnwrap(ah.firstIndex(of: "Status")), act = try XCTUnwrap(ah.firstIndex(of: "Activity (GBq)"))
        for (row, entry) in zip(arows, given + cycles) {
            XCTAssertEqual(row[0], "\(entry["cycle"] as? Int ?? -1)")
            try assertPrinted(row[act], equals: entry["activity_gbq"] as? Double ?? .nan, decimals: 2, "cycle \(row[0]) activity")
        }
        XCTAssertEqual(arows.prefix(given.count).map { $0[status] }, given.map { _ in "administered" })
        XCTAssertTrue(arows.dropFirst(given.count).allSatisfy { $0[status] != "administered" })
        // Cumulative organ doses: the point value first, then its 68 % interval around it.
        let (header, rows) = try table(StudyReport.planTableCaption, in: p)
        let withDoses = given + cycles.filter { $0["kidney_dose_gy_cumulative"] is Double }
        XCTAssertEqual(rows.count, withDoses.count)
        let columns: [(String, String)] = [("Kidney dose (Gy)", "kidney_dose_gy_cumulative"),
                                           ("Kidney BED (Gy)", "kidney_bed_gy_cumulative"),
                                           ("Marrow dose (Gy)", "marrow_dose_gy_cumulative")]
        for (row, entry) in zip(rows, withDoses) {
            XCTAssertEqual(row[0], "\(entry["cycle"] as? Int ?? -1)")
            for (c, key) in columns {
                let cell = row[try XCTUnwrap(header.firstIndex(of: c))]
                let parts = cell.split(whereSeparator: { " ()–".contains($0) }).map(String.init)
                XCTAssertEqual(parts.count, 3, cell)
                let v = try value(parts[0]), lo = try value(parts[1]), hi = try value(parts[2])
                try assertPrinted(parts[0], equals: entry[key] as? Double ?? .nan, decimals: 2, "cycle \(row[0]) \(c)")
                XCTAssertLessThanOrEqual(lo, v, cell); XCTAssertGreaterThanOrEqual(hi, v, cell)
            }
            XCTAssertEqual(row.filter { $0.hasSuffix("%") }.count, 3, "three exceedance probabilities")
        }
        let limits = try XCTUnwrap(plan["limits"] as? [String: Any])
        let (lh, lrows) = try table(StudyReport.planLimitsCaption, in: p)
        let limitCol = try XCTUnwrap(lh.firstIndex(of: "Limit (Gy)"))
        for (row, key) in zip(lrows, ["kidney_dose_gy", "kidney_bed_gy", "marrow_dose_gy"]) {
            try assertPrinted(row[limitCol], equals: limits[key] as? Double ?? .nan, decimals: 2, "limit \(key)")
        }
        let last = try XCTUnwrap(withDoses.last)
        try assertPrinted(lrows[0][1], equals: last["kidney_dose_gy_cumulative"] as! Double, decimals: 2, "final kidney dose")
        try assertPrinted(lrows[2][1], equals: last["marrow_dose_gy_cumulative"] as! Double, decimals: 2, "final marrow dose")
        // Lesion doses per cycle.
        let (_, lesionRows) = try table(StudyReport.planLesionCaption, in: p)
        let lastLesions = try XCTUnwrap(last["tumour_doses_gy_cumulative"] as? [[String: Any]])
        XCTAssertFalse(lastLesions.isEmpty)
        for (n, l) in lastLesions.enumerated() {
            try assertPrinted(lesionRows.last![n + 1], equals: l["dose_gy_cumulative"] as! Double, decimals: 1, "lesion \(n + 1)")
        }
    }

    /// The high-MC-uncertainty warning is given exactly for the regions above 5 %.
    func testMonteCarloWarningsFollowTheRegionTable() throws {
        let dir = try studyDir()
        let text = try XCTUnwrap(try parsed()["text"] as? String)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: dir + "/cycle-1/regions.json"))) as? [[String: Any]])
        var warned = 0
        for r in json {
            let name = r["region"] as! String, mc = r["mc_rel_uncertainty"] as? Double ?? 0
            let has = text.contains("Cycle 1, \(ClinicalNames.region(name)): Monte Carlo relative uncertainty")
            XCTAssertEqual(has, mc > 0.05, "\(name): MC \(mc)")
            if has { warned += 1 }
        }
        XCTAssertGreaterThan(warned, 0, "6000 decays leave some regions above 5 %")
    }

    /// Headless Chromium shows the slice images (their dose-wash colours appear on screen, drawn
    /// pixel for pixel) and prints a PDF. Skipped without Chromium unless CI=true.
    func testChromiumRendersTheSlicesAndPrintsPDF() throws {
        guard let chromium = ChromiumPDF.findChromium() else {
            return try ReportTestSupport.skipOrFail("Chromium is not on PATH (apt-get install chromium)")
        }
        let dir = try studyDir()
        let p = try parsed()
        let images = try XCTUnwrap(p["images"] as? [[String: Any]])
        let colours = Array(Set(images.flatMap { $0["colors"] as? [String] ?? [] }).subtracting(
            (RGBColor.okabeIto + [.white]).map { "\($0.red),\($0.green),\($0.blue)" }))
        let shot = dir + "/shot.png"
        try ChromiumPDF.screenshot(htmlPath: dir + "/report.html", pngPath: shot, width: 1280, height: 4000, chromium: chromium)
        let colourList = String(decoding: try JSONSerialization.data(withJSONObject: colours), as: UTF8.self)
        let j = try XCTUnwrap(try ReportTestSupport.pythonJSON(ReportTestSupport.script, ["count", shot, colourList]) as? [String: Any])
        let matching = j["matching"] as? Int ?? 0, nonWhite = j["nonWhite"] as? Int ?? 0, total = j["total"] as? Int ?? 0
        XCTAssertGreaterThan(matching, 2000, "dose-wash pixels of the slice images on screen")
        XCTAssertGreaterThan(nonWhite, total / 10, "the page is not blank")

        try ChromiumPDF.printToPDF(htmlPath: dir + "/report.html", pdfPath: dir + "/report.pdf", chromium: chromium)
        let pdf = try Data(contentsOf: URL(fileURLWithPath: dir + "/report.pdf"))
        XCTAssertEqual(String(decoding: pdf.prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertGreaterThan(pdf.count, 50_000)
    }
}
