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

    @Argument(help: "Study output folder.") var studyOutputDir: String
    @Option(help: "HTML file to write.") var out: String = "report.html"
    @Option(help: "Study manifest (default: STUDY_OUTPUT_DIR/study/manifest.yaml, else STUDY_OUTPUT_DIR/manifest.yaml).")
    var manifest: String?
    @Option(help: "Plan JSON (default: STUDY_OUTPUT_DIR/plan.json, else plan.json beside the manifest, if present).")
    var plan: String?
    @Flag(help: "Also print the report to PDF (same name, .pdf) with headless Chromium.") var pdf = false

    func run() throws {
        let written = try ReportingWorkflow.write(studyOutputDir: studyOutputDir, out: out, manifest: manifest, plan: plan, pdf: pdf)
        for path in written { print("wrote \(path)") }
    }
}
