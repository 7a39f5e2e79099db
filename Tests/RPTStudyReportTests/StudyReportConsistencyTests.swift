import Foundation
import RPTCore
import RPTCommandLine
import RPTWorkflow
import RPTDosimetry
import RPTPlanner
import RPTReport
@testable import RPTStudyReport
import RPTTestSupport
import XCTest

/// One number, one source: the DVH chart and the region table agree; the plan shown is the newest one
/// of this study and a stale or foreign plan is bannered or refused; no code identifier is visible.
final class StudyReportConsistencyTests: XCTestCase {
    func studyDir() throws -> String { try ReportTestSupport.study.get() }

    /// Reads every DVH chart of the report with Python's xml.etree (independent of the Swift SVG writer):
    /// maps each region's polyline back to data through the chart's own labelled grid lines and returns
    /// the dose where it crosses 98 %, 50 % and 2 %, per legend label.
    static let dvhScript = #"""
    import sys, re, json, xml.etree.ElementTree as ET
    html = open(sys.argv[1], encoding='utf-8').read()
    ns = '{http://www.w3.org/2000/svg}'
    out = {}
    for m in re.finditer(r'<svg.*?</svg>', html, re.S):
        root = ET.fromstring(m.group(0))
        polys, legend, vg, hg, xt, yt = [], [], [], [], [], []
        for e in root.iter():
            tag, cls = e.tag[len(ns):], e.get('class', '')
            if tag == 'polyline' and cls == 'dvh':
                polys.append([[float(v) for v in p.split(',')] for p in e.get('points').split()])
            elif tag == 'text' and cls == 'legend-label': legend.append(e.text)
            elif tag == 'text' and cls == 'tick-label x': xt.append(float(e.text.replace('\u2212', '-')))
            elif tag == 'text' and cls == 'tick-label y': yt.append(float(e.text.replace('\u2212', '-')))
            elif tag == 'line' and cls == 'grid':
                x1, y1, x2, y2 = (float(e.get(k)) for k in ('x1', 'y1', 'x2', 'y2'))
                (vg if x1 == x2 else hg).append(x1 if x1 == x2 else y1)
        if not polys: continue
        def dose(px): return xt[0] + (px - vg[0]) / (vg[-1] - vg[0]) * (xt[-1] - xt[0])
        def vol(py): return yt[0] + (py - hg[0]) / (hg[-1] - hg[0]) * (yt[-1] - yt[0])
        for name, pts in zip(legend, polys):
            data = [(dose(x), vol(y)) for x, y in pts]
            res = {'pixelGy': (xt[-1] - xt[0]) / abs(vg[-1] - vg[0])}
            for x in (98, 50, 2):
                for (d0, v0), (d1, v1) in zip(data, data[1:]):
                    if v0 >= x >= v1 and v0 != v1:
                        res['D%d' % x] = d0 + (d1 - d0) * (v0 - x) / (v0 - v1); break
            out[name] = res
    print(json.dumps(out))
    """#

    /// The text a reader sees: every text node outside <style>, <script> and <title>, one per line.
    static let visibleTextScript = #"""
    import sys, json, html.parser
    class P(html.parser.HTMLParser):
        def __init__(self): super().__init__(); self.skip = 0; self.out = []
        def handle_starttag(self, tag, attrs):
            if tag in ('style', 'script', 'title'): self.skip += 1
        def handle_endtag(self, tag):
            if tag in ('style', 'script', 'title'): self.skip -= 1
        def handle_data(self, data):
            if not self.skip: self.out.append(data)
    p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read()); p.close()
    print(json.dumps({'text': '\n'.join(p.out)}))
    """#

    func testDVHChartAndRegionTableAgree() throws {
        let dir = try studyDir()
        let chart = try XCTUnwrap(try ReportTestSupport.pythonJSON(Self.dvhScript, [dir + "/report.html"]) as? [String: [String: Double]])
        let p = try XCTUnwrap(try ReportTestSupport.pythonJSON(ReportTestSupport.script, ["html", dir + "/report.html"]) as? [String: Any])
        let t = try XCTUnwrap((p["tables"] as? [String: Any])?[StudyReport.regionTableCaption(cycle: 1)] as? [String: Any])
        let header = try XCTUnwrap(t["header"] as? [String]), rows = try XCTUnwrap(t["rows"] as? [[String]])
        var compared = 0
        for row in rows {
            guard let c = chart[row[0]] else { continue }
            for key in ["D98", "D50", "D2"] {
                // A Dx flagged unreliable is printed "(value) unreliable: …".
                var cell = row[try XCTUnwrap(header.firstIndex(of: "\(key) (Gy)"))]
                if cell.hasPrefix("("), let close = cell.firstIndex(of: ")") { cell = String(cell[cell.index(after: cell.startIndex)..<close]) }
                guard let printed = Double(cell) else { continue }
                let fromChart = try XCTUnwrap(c[key], "\(row[0]) \(key) on the chart")
                // Table: 4 significant digits; chart: SVG coordinates to 0.01 px.
                let tolerance = 0.5 * pow(10, floor(log10(abs(printed))) - 3) * 1.001 + 0.011 * c["pixelGy"]!
                XCTAssertEqual(fromChart, printed, accuracy: tolerance, "\(row[0]) \(key): chart vs table")
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 3 * 10, "kidneys, lesions and organs compared")
        XCTAssertNotNil(chart["Lesion 1"])
    }

    /// Visible text of the report holds no camelCase or snake_case identifier from the code (file
    /// paths and command lines, which are the user's, excepted).
    func testNoCodeIdentifierInVisibleText() throws {
        let dir = try studyDir()
        let text = try XCTUnwrap((try ReportTestSupport.pythonJSON(Self.visibleTextScript, [dir + "/report.html"]) as? [String: String])?["text"])
        let words = text.split(whereSeparator: { $0.isWhitespace || "(),;:'\"".contains($0) }).map(String.init)
        let camel = try NSRegularExpression(pattern: "^[a-z]+[A-Z][A-Za-z]*$")
        let snake = try NSRegularExpression(pattern: "^[A-Za-z]+(_[A-Za-z0-9]+)+$")
        var found: [String] = []
        for w in words where !w.contains("/") && !w.hasPrefix("--") {
            let r = NSRange(w.startIndex..., in: w)
            if camel.firstMatch(in: w, range: r) != nil || snake.firstMatch(in: w, range: r) != nil { found.append(w) }
        }
        XCTAssertEqual(Set(found), [], "code identifiers in the report's visible text")
        XCTAssertTrue(text.contains("Lu-177 DOTATATE"))
        // Identifiers are hidden by default, with a line to fill in.
        XCTAssertTrue(text.contains("Name: ________________"))
    }

    /// A plan of this study re-made later is the one reported (wherever `plan` wrote it); a plan older
    /// than the dosimetry is bannered; a plan of another manifest is refused.
    func testPlanIsTheNewestAndStaleOrForeignPlansAreFlagged() throws {
        let src = try studyDir()
        let fm = FileManager.default
        let dir = NSTemporaryDirectory() + "rpt-plan-check-\(UUID().uuidString)"
        try fm.copyItem(atPath: src, toPath: dir)
        defer { try? fm.removeItem(atPath: dir) }
        let manifest = try StudyManifest.load(path: dir + "/study/manifest.yaml", checkImages: false)
        // An old plan at the top (as the demo wrote), a newer one where `rptdose plan` writes.
        var old = try StudyPlanning.plan(manifest: manifest, outputs: [1: dir + "/cycle-1"], afterCycle: 1, arm: .investigational,
                                         config: .trialDefault, now: Date(timeIntervalSinceNow: -7200))
        old.notes.append("OLD PLAN")
        try old.writeJSON(to: dir + "/plan.json")
        let new = try StudyPlanning.plan(manifest: manifest, outputs: [1: dir + "/cycle-1"], afterCycle: 1, arm: .investigational,
                                         config: .trialDefault)
        try new.writeJSON(to: dir + "/study/plan.json")
        let inputs = try StudyReportInputs.locate(studyOutputDirectory: dir)
        XCTAssertEqual(inputs.planPath, dir + "/study/plan.json")
        XCTAssertEqual(inputs.otherPlans, [dir + "/plan.json"])
        XCTAssertEqual(try StudyReportInputs.loadPlan(inputs.planPath!), new)
        func check(_ plan: Plan, _ path: String) -> PlanCheck {
            PlanCheck.check(plan, planPath: path, manifest: inputs.manifest, dosimetryFiles: inputs.dosimetryFiles)
        }
        XCTAssertEqual(check(new, inputs.planPath!), PlanCheck(refusal: nil, warnings: []))
        // Stale: the dosimetry was rewritten after the plan was made.
        let stale = check(old, dir + "/plan.json")
        XCTAssertNil(stale.refusal)
        XCTAssertEqual(stale.warnings.count, 1)
        XCTAssertTrue(stale.warnings[0].contains("is older than the dosimetry of cycle 1"), stale.warnings[0])
        // A later cycle measured since the plan.
        let later = PlanCheck.check(new, planPath: "p", manifest: inputs.manifest,
                                    dosimetryFiles: inputs.dosimetryFiles.merging([2: dir + "/cycle-1/dosimetry.h5"]) { a, _ in a })
        XCTAssertTrue(later.warnings.contains { $0.contains("cycle 2 has dosimetry since") }, "\(later.warnings)")
        // Foreign: a plan made for another manifest is refused and its section shows only the refusal.
        var foreign = new
        foreign.provenance!.manifestPath = "/elsewhere/manifest.yaml"
        let f = check(foreign, "foreign.json")
        XCTAssertTrue(f.refusal?.contains("was made for the manifest /elsewhere/manifest.yaml") ?? false, "\(f)")
        let section = try PlanReportSection.section(foreign, check: f, administered: [:])
        XCTAssertEqual(section.blocks.count, 1)
        // No provenance: bannered.
        var bare = new
        bare.provenance = nil
        XCTAssertTrue(check(bare, "bare.json").warnings.first?.contains("cannot be checked") ?? false)
    }

    /// With --show-identifiers the manifest's name, ID and date of birth are printed (body and page header).
    func testIdentifiersPrintedOnlyWhenAsked() throws {
        let src = try studyDir()
        let dir = NSTemporaryDirectory() + "rpt-ident-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: src, toPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/study/manifest.yaml"
        var yaml = try String(contentsOfFile: path, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "patient:\n", with: "patient:\n  name: \"Doe^Jane\"\n  birth_date: 1961-04-30\n")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let inputs = try StudyReportInputs.locate(studyOutputDirectory: dir)
        XCTAssertEqual(StudyReport(inputs: inputs, showIdentifiers: true).identification(hand: false),
                       "Name: Doe^Jane · ID: \(inputs.manifest.patient.id) · Date of birth: 1961-04-30")
        let hidden = StudyReport(inputs: inputs).identification(hand: true)
        XCTAssertFalse(hidden.contains("Doe^Jane") || hidden.contains("1961-04-30") || hidden.contains(inputs.manifest.patient.id))
        XCTAssertTrue(hidden.hasPrefix("Name: ________________ · ID: ________________ · Date of birth: ________________"))
        // The page header carries it on every page (CSS string, escaped).
        let css = ReportHTML.pageBoxes(ReportDocument(title: "t", pageHeader: "Name: \"Doe\" <x>"))
        XCTAssertTrue(css.contains("@top-left { content: \"Name: \\22 Doe\\22  \\3c x\\3e \";"), css)
        XCTAssertTrue(css.contains("counter(page) \" of \" counter(pages)"))
        // The software's commit (RPTDOSE_GIT_COMMIT) is printed, shortened to 12 characters.
        setenv("RPTDOSE_GIT_COMMIT", "0123456789abcdef0123456789abcdef01234567", 1)
        defer { unsetenv("RPTDOSE_GIT_COMMIT") }
        XCTAssertEqual(StudyReport.softwareIdentity, "\(RPTDoseVersion.string), commit 0123456789ab")
        // An impossible date of birth is refused.
        try yaml.replacingOccurrences(of: "1961-04-30", with: "1961-02-30").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StudyManifest.load(path: path, checkImages: false)) { XCTAssertTrue("\($0)".contains("birth_date"), "\($0)") }
    }

    /// Printed in the real headless Chromium (scripts/report_print_check.py): on A4 and US Letter every
    /// table, chart and image is within the text width (DOM measured in print emulation), and every PDF
    /// page shows "Page i of N" and, with --show-identifiers, the patient ID.
    func testPrintedReportFitsA4AndLetterWithPageNumbersAndIdentifiers() throws {
        guard ChromiumPDF.findChromium() != nil else {
            return try ReportTestSupport.skipOrFail("Chromium is not on PATH (apt-get install chromium)")
        }
        guard (try? ReportTestSupport.run([ExternalProcess.pythonInterpreter, "-c", "import pypdf"]))?.status == 0 else {
            return try ReportTestSupport.skipOrFail("pypdf is not installed (pip install pypdf)")
        }
        let dir = try studyDir()
        let inputs = try StudyReportInputs.locate(studyOutputDirectory: dir)
        let html = dir + "/report-identified.html"
        try StudyReport(inputs: inputs, showIdentifiers: true).write(to: html)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/report_print_check.py").path
        let r = try ReportTestSupport.run([ExternalProcess.pythonInterpreter, script, html, "--expect", "ID: \(inputs.manifest.patient.id)"])
        let out = String(decoding: r.stdout, as: UTF8.self)
        XCTAssertEqual(r.status, 0, out + r.stderr)
        let j = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        let papers = try XCTUnwrap(j["papers"] as? [String: [String: Any]])
        for paper in ["A4", "Letter"] {
            let p = try XCTUnwrap(papers[paper])
            XCTAssertGreaterThan(p["measured"] as? Int ?? 0, 20, "\(paper): tables and figures measured")
            XCTAssertGreaterThan(p["pages"] as? Int ?? 0, 3)
            XCTAssertEqual(p["pagesOK"] as? Int, p["pages"] as? Int, paper)
        }
    }

    /// --shared-dose-scale: every row of a cycle's dose maps uses the highest D2 of the structures;
    /// otherwise each row its own D2.
    func testSharedDoseScaleAcrossRows() throws {
        let inputs = try StudyReportInputs.locate(studyOutputDirectory: try studyDir())
        let record = try CycleDosimetryRecord.load(path: inputs.dosimetryFiles[1]!)
        let cycle = try XCTUnwrap(inputs.manifest.cycle(1))
        let names = ["kidney_left", "tumor_1"]
        let d2 = names.map { record.region($0)!.d2Gy }
        let own = try DoseSliceGallery.rows(record: record, manifest: inputs.manifest, cycle: cycle, structures: names)
        XCTAssertEqual(own.map(\.style.upperGy), d2)
        let shared = try DoseSliceGallery.rows(record: record, manifest: inputs.manifest, cycle: cycle, structures: names,
                                               sharedScale: true)
        XCTAssertEqual(shared.map(\.style.upperGy), [d2.max()!, d2.max()!])
        XCTAssertEqual(shared.map(\.style.lowerGy), [d2.max()! * DoseSliceGallery.lowerFraction, d2.max()! * DoseSliceGallery.lowerFraction])
    }

    /// Identifiers missing from the manifest come from the reference CT's DICOM header (written here by
    /// pydicom); a manifest value that differs from the header is a warning, naming the values only when
    /// identifiers are shown.
    func testIdentifiersFromDicomAndConflicts() throws {
        let src = try studyDir()
        let dir = NSTemporaryDirectory() + "rpt-ident-dicom-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dcm = dir + "/ct.dcm"
        let script = """
        import sys, pydicom
        from pydicom.dataset import Dataset, FileMetaDataset
        from pydicom.uid import ExplicitVRLittleEndian, generate_uid, CTImageStorage
        meta = FileMetaDataset(); meta.MediaStorageSOPClassUID = CTImageStorage
        meta.MediaStorageSOPInstanceUID = generate_uid(); meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset(); ds.file_meta = meta; ds.preamble = b'\\0' * 128
        ds.SOPClassUID = CTImageStorage; ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID; ds.Modality = 'CT'
        ds.PatientName = 'DOE^JANE'; ds.PatientID = 'D-123'; ds.PatientBirthDate = '19610430'
        ds.save_as(sys.argv[1], enforce_file_format=True)
        """
        let r = try ReportTestSupport.run([ExternalProcess.pythonInterpreter, "-c", script, dcm])
        guard r.status == 0 else { return try ReportTestSupport.skipOrFail("pydicom could not write the test file: \(r.stderr)") }
        var yaml = try String(contentsOfFile: src + "/study/manifest.yaml", encoding: .utf8)
        let ct = try XCTUnwrap(yaml.range(of: #"ct: [^\n]*"#, options: .regularExpression))
        yaml.replaceSubrange(ct, with: "ct: " + dcm)
        // Relative image paths still resolve: the manifest stays in the study folder.
        let path = src + "/study/manifest-dicom-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let manifest = try StudyManifest.load(path: path, checkImages: false)
        let shown = PatientIdentification.from(manifest: manifest, reveal: true)
        XCTAssertEqual(shown.name, "DOE^JANE")
        XCTAssertEqual(shown.birthDate, "1961-04-30")
        XCTAssertEqual(shown.id, manifest.patient.id, "the manifest's value is kept")
        XCTAssertEqual(shown.conflicts.count, 1)
        XCTAssertTrue(shown.conflicts[0].contains("patient ID") && shown.conflicts[0].contains("D-123"), shown.conflicts[0])
        let hidden = PatientIdentification.from(manifest: manifest, reveal: false)
        XCTAssertEqual(hidden.conflicts.count, 1)
        XCTAssertFalse(hidden.conflicts[0].contains("D-123") || hidden.conflicts[0].contains(manifest.patient.id))
    }
}
