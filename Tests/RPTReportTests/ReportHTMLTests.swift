import Foundation
import RPTCore
import RPTKinetics
import RPTVolume
import XCTest
import RPTKernels
@testable import RPTReport

/// Builds a small complete report (used by these tests and by the Chromium tests).
enum SampleReport {
    /// A solid magenta 160×120 image, easy to find in a screenshot.
    static let markerImage = RasterImage(width: 160, height: 120, channels: .rgb, fill: [255, 0, 255])

    static func make() throws -> (document: ReportDocument, pngs: [Data]) {
        let grid = Grid3D(shape: SIMD3(24, 20, 10), spacing: SIMD3(2, 2, 4), origin: SIMD3(-23, -19, -18))
        var ct = Volume<Int16>(grid: grid, repeating: -1000, unit: "HU")
        var dose = Volume<Double>(grid: grid, repeating: 0, unit: "Gy")
        var labels = Volume<UInt16>(grid: grid, repeating: 0, unit: "label")
        for k in 0..<10 { for j in 2..<18 { for i in 2..<22 {
            ct[i, j, k] = 40
            if (8..<14).contains(i) && (6..<12).contains(j) { labels[i, j, k] = 2; dose[i, j, k] = 12 - Double(abs(i - 10)) }
        } } }
        let renderer = try SliceRenderer(ct: ct, dose: dose, labels: labels)
        let options = SliceRenderOptions(dose: DoseOverlayStyle(lowerGy: 1, upperGy: 12),
                                         outlines: [RegionOutlineStyle(label: 2, name: "Left kidney", color: .distinct(0))])
        let slice = renderer.render(.axial, through: renderer.maximumDosePoint!, options: options)
        let figure = try SliceFigure(slice: slice, caption: "Axial dose <wash> & kidney outline", displayWidth: 240)
        let image = try ReportImage(image: markerImage, caption: "Marker image", altText: "magenta marker")
        let tac = try TimeActivityChart(title: "Kidney time-activity", series: [TimeActivitySeries(
            name: "Kidneys", color: .distinct(4),
            points: [TimeActivityPoint(timeH: 4, activityMBq: 120, sigmaMBq: 9), TimeActivityPoint(timeH: 24, activityMBq: 95, sigmaMBq: 7),
                     TimeActivityPoint(timeH: 96, activityMBq: 40, sigmaMBq: 4), TimeActivityPoint(timeH: 168, activityMBq: 16, sigmaMBq: 2)],
            curve: TimeActivitySeries.sampledCurve(from: 0, to: 170) { 130 * exp(-0.0125 * $0) })],
            activityScale: .logarithmic).svg()
        let dvh = try DVHChart(title: "Cumulative DVH", curves: [
            (try CumulativeDVH(region: "Left kidney", doses: dose.voxels.enumerated().filter { labels.voxels[$0.offset] == 2 }.map(\.element)),
             RGBColor.distinct(0))]).svg()
        let bars = try BarChart(title: "Doses vs limits", items: [BarChartItem(label: "Kidneys", value: 18, limit: 23)]).svg()
        let table = ReportTable(caption: "Absorbed doses", header: ["Region", "Mass", "Dose"], rows: [
            ["Kidneys", .number(312.456, .fixed(1), unit: "g"), .measurement(3.456, uncertainty: 0.21, .fixed(2), unit: "Gy")],
            ["Tumour <1>", .number(41.2, .fixed(1), unit: "g"), .number(.nan, .fixed(2))],
        ])
        let doc = ReportDocument(
            title: "Lu-177 DOTATATE dosimetry <cycle 1> & review",
            subtitle: "Synthetic test patient",
            metadata: [ReportField("Patient ID", "SYN-001"), ReportField("Administered activity", "7400 MBq")],
            warnings: ["Blood sample at 96 h missing — marrow dose extrapolated"],
            sections: [
                ReportSection(heading: "Images", blocks: [.slice(figure), .image(image)]),
                ReportSection(heading: "Doses", blocks: [.paragraph("Doses are mean absorbed doses."), .table(table),
                                                          .svg(tac, caption: "Time-activity, log scale"),
                                                          .svg(dvh, caption: nil),
                                                          .svg(bars, caption: "Organ doses"),
                                                          .warnings(["Kidney dose uses the S-value fallback"])]),
            ],
            footer: "RPTDose test report")
        return (doc, [figure.png, image.png])
    }
}

final class ReportHTMLTests: XCTestCase {
    /// Python html.parser: checks that every non-void element is closed in order, and lists <img>
    /// sources, table cells, titles and the text of warning items.
    static let htmlScript = #"""
    import sys, json
    from html.parser import HTMLParser
    VOID = {'area','base','br','col','embed','hr','img','input','link','meta','source','track','wbr'}
    class P(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack, self.errors, self.imgs, self.cells, self.title, self.h1 = [], [], [], [], '', ''
            self.svgs, self.in_td, self.in_title, self.in_h1, self.li, self.in_li = 0, False, False, False, [], False
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == 'img': self.imgs.append(a.get('src', ''))
            if tag == 'svg': self.svgs += 1
            if tag == 'td': self.in_td = True; self.cells.append('')
            if tag == 'title' and not self.stack[-1:] == ['svg']: self.in_title = 'svg' not in self.stack
            if tag == 'h1': self.in_h1 = True
            if tag == 'li': self.in_li = True; self.li.append('')
            if tag not in VOID: self.stack.append(tag)
        def handle_startendtag(self, tag, attrs):
            if tag not in VOID and tag not in ('rect', 'line', 'circle', 'polyline'): self.errors.append('self-closed ' + tag)
        def handle_endtag(self, tag):
            if tag in VOID: return
            if not self.stack or self.stack[-1] != tag:
                self.errors.append('unbalanced </%s> with open %s' % (tag, self.stack[-3:])); return
            self.stack.pop()
            if tag == 'td': self.in_td = False
            if tag == 'title': self.in_title = False
            if tag == 'h1': self.in_h1 = False
            if tag == 'li': self.in_li = False
        def handle_data(self, d):
            if self.in_td: self.cells[-1] += d
            if self.in_title: self.title += d
            if self.in_h1: self.h1 += d
            if self.in_li: self.li[-1] += d
    text = sys.stdin.read()
    p = P(); p.feed(text); p.close()
    if p.stack: p.errors.append('unclosed ' + ' '.join(p.stack))
    print(json.dumps({'errors': p.errors, 'imgs': p.imgs, 'cells': p.cells, 'title': p.title, 'h1': p.h1,
                      'svgs': p.svgs, 'li': p.li, 'doctype': text.startswith('<!DOCTYPE html>'),
                      'script': '<script' in text.lower(), 'external': ('http://' in text.replace('http://www.w3.org/2000/svg', ''))}))
    """#

    func testReportIsSelfContainedWellFormedAndEmbedsEveryImage() throws {
        let (doc, pngs) = try SampleReport.make()
        let dir = try TestSupport.temporaryFolder(self)
        let path = dir.appendingPathComponent("report.html").path
        try doc.write(to: path)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(html, doc.html())
        let j = try TestSupport.pythonJSON(Self.htmlScript, stdin: Data(html.utf8)) as! [String: Any]
        XCTAssertEqual(j["errors"] as! [String], [])
        XCTAssertEqual(j["doctype"] as? Bool, true)
        XCTAssertEqual(j["script"] as? Bool, false, "no JavaScript")
        XCTAssertEqual(j["external"] as? Bool, false, "no external resources")
        let imgs = j["imgs"] as! [String]
        XCTAssertEqual(imgs.count, pngs.count)
        for (src, png) in zip(imgs, pngs) {
            XCTAssertTrue(src.hasPrefix("data:image/png;base64,"))
            XCTAssertEqual(Data(base64Encoded: String(src.dropFirst("data:image/png;base64,".count))), png)
        }
        // Four inline SVGs: the slice's colour bar, the time-activity, DVH and bar charts.
        XCTAssertEqual(j["svgs"] as? Int, 4)
        // Text survives escaping; numbers are formatted as asked.
        XCTAssertEqual(j["title"] as? String, "Lu-177 DOTATATE dosimetry <cycle 1> & review")
        XCTAssertEqual(j["h1"] as? String, "Lu-177 DOTATATE dosimetry <cycle 1> & review")
        let cells = j["cells"] as! [String]
        for expected in ["SYN-001", "7400 MBq", "312.5 g", "3.46 ± 0.21 Gy", "Tumour <1>", "—"] {
            XCTAssertTrue(cells.contains(expected), "missing cell \(expected) in \(cells)")
        }
        let items = j["li"] as! [String]
        XCTAssertTrue(items.contains("Blood sample at 96 h missing — marrow dose extrapolated"))
        XCTAssertTrue(items.contains("Kidney dose uses the S-value fallback"))
        XCTAssertTrue(items.contains { $0.contains("Left kidney") }, "region legend")
        XCTAssertTrue(html.contains("class=\"num\""), "numeric columns right-aligned")
        // No leftover temporary file from the atomic write.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["report.html"])
    }

    func testWritingIntoAMissingFolderFails() throws {
        let doc = ReportDocument(title: "t")
        XCTAssertThrowsError(try doc.write(to: "/nonexistent-folder-rpt/report.html")) {
            XCTAssertTrue($0 is InputError, "\($0)")
        }
    }

    func testMissingChromiumGivesAnInstallHint() throws {
        XCTAssertNil(ChromiumPDF.findChromium(environment: ["PATH": "/nonexistent-rpt-bin"]))
        let dir = try TestSupport.temporaryFolder(self)
        let html = dir.appendingPathComponent("r.html").path
        try ReportDocument(title: "t").write(to: html)
        XCTAssertThrowsError(try ChromiumPDF.printToPDF(htmlPath: html, pdfPath: dir.appendingPathComponent("r.pdf").path,
                                                        environment: ["PATH": "/nonexistent-rpt-bin"])) {
            XCTAssertTrue("\($0)".contains("apt-get install chromium"), "\($0)")
        }
    }
}
