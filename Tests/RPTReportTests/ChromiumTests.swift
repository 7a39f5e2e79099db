import Foundation
import XCTest
@testable import RPTReport

/// Loads a report in headless Chromium: the embedded images must actually display, and printing
/// must give a PDF. Skipped without Chromium unless CI=true.
final class ChromiumTests: XCTestCase {
    private func chromium() throws -> String {
        guard let path = ChromiumPDF.findChromium() else {
            try TestSupport.skipOrFail("Chromium is not on PATH (apt-get install chromium)")
            return ""
        }
        return path
    }

    func testScreenshotShowsTheEmbeddedImageAndPDFPrints() throws {
        let program = try chromium()
        let (doc, _) = try SampleReport.make()
        // Put the magenta image first so it is inside the screenshot window.
        var first = doc
        first.sections.insert(ReportSection(heading: "Marker", blocks: [
            .image(try ReportImage(image: SampleReport.markerImage, altText: "marker"))]), at: 0)
        // RPTREPORT_PREVIEW_DIR=/some/folder keeps the HTML, screenshot and PDF there for a look.
        let keep = ProcessInfo.processInfo.environment["RPTREPORT_PREVIEW_DIR"]
        let dir = try keep.map { URL(fileURLWithPath: $0) } ?? TestSupport.temporaryFolder(self)
        let html = dir.appendingPathComponent("report.html").path
        try first.write(to: html)
        let shot = dir.appendingPathComponent("shot.png").path
        try ChromiumPDF.screenshot(htmlPath: html, pngPath: shot, width: 700, height: 900, chromium: program)
        let j = try TestSupport.pythonJSON(TestSupport.pngDecoderScript, ["count", shot, "255", "0", "255", "12"])
            as! [String: Any]
        let total = j["total"] as! Int, matching = j["matching"] as! Int, nonWhite = j["nonWhite"] as! Int
        // The 160×120 magenta image is displayed (device scale factor 1 → 19 200 pixels; allow for
        // edge anti-aliasing), and the page is not blank.
        XCTAssertGreaterThan(matching, 160 * 120 * 9 / 10, "magenta pixels \(matching) of \(total)")
        XCTAssertGreaterThan(nonWhite, matching + 1000, "text and other content drawn")

        let pdf = dir.appendingPathComponent("report.pdf").path
        try ChromiumPDF.printToPDF(htmlPath: html, pdfPath: pdf, chromium: program)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        XCTAssertEqual(String(decoding: bytes.prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertGreaterThan(bytes.count, 10_000)
    }
}
