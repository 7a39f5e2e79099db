import Foundation
import RPTCore
import RPTReport
import RPTStudyReport

/// Reporting entry point: the study's dosimetry report as one self-contained HTML file (docs/report.md).
public enum ReportingWorkflow {
    /// Writes the report of the study output folder to `out` (and a PDF beside it when asked, through headless
    /// Chromium); returns the paths written.
    @discardableResult
    /// `showIdentifiers` prints the patient's name, ID and date of birth on every page; `sharedDoseScale` uses one
    /// dose colour scale for all rows of a cycle's dose maps.
    public static func write(studyOutputDir: String, out: String, manifest: String? = nil, plan: String? = nil,
                             pdf: Bool = false, showIdentifiers: Bool = false, sharedDoseScale: Bool = false) throws -> [String] {
        let inputs = try StudyReportInputs.locate(studyOutputDirectory: studyOutputDir, manifestPath: manifest, planPath: plan)
        try StudyReport(inputs: inputs, showIdentifiers: showIdentifiers, sharedDoseScale: sharedDoseScale).write(to: out)
        var written = [out]
        if pdf {
            let pdfPath = (out as NSString).deletingPathExtension + ".pdf"
            try ChromiumPDF.printToPDF(htmlPath: out, pdfPath: pdfPath)
            written.append(pdfPath)
        }
        return written
    }
}
