import ArgumentParser
import Foundation
import RPTCore
import RPTWorkflow

/// `rptdose report`: the study's dosimetry report as one self-contained HTML file (docs/report.md).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the dosimetry report of a study (HTML, optionally PDF; docs/report.md).",
        discussion: """
        STUDY_OUTPUT_DIR holds study/manifest.yaml (or manifest.yaml), cycle-K/dosimetry.h5 (or the manifest's
        dosimetry_outputs) and, optionally, plan.json — the layout of `rptdose demo --out DIR`.
        """)

    @Argument(help: "Study output folder.", completion: .directory) var studyOutputDir: String
    @Option(help: "HTML file to write.", completion: .file()) var out: String = "report.html"
    @Option(help: "Study manifest (default: STUDY_OUTPUT_DIR/study/manifest.yaml, else STUDY_OUTPUT_DIR/manifest.yaml).", completion: .file())
    var manifest: String?
    @Option(help: "Plan JSON (default: the most recent of plan.json beside the manifest and STUDY_OUTPUT_DIR/plan.json).", completion: .file())
    var plan: String?
    @Flag(help: "Also print the report to PDF (same name, .pdf) with headless Chromium.") var pdf = false
    @Flag(help: "Print the patient's name, ID and date of birth (from the manifest) on every page (hidden by default).")
    var showIdentifiers = false
    @Flag(help: "One dose colour scale for all rows of a cycle's dose maps.") var sharedDoseScale = false

    func run() throws {
        let written = try ReportingWorkflow.write(studyOutputDir: studyOutputDir, out: out, manifest: manifest, plan: plan,
                                                  pdf: pdf, showIdentifiers: showIdentifiers, sharedDoseScale: sharedDoseScale)
        for path in written { print("wrote \(path)") }
    }
}
