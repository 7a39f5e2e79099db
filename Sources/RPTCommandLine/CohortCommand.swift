import ArgumentParser
import Foundation
import RPTCohort
import RPTCore
import RPTPlanner

/// `rptdose cohort DIR... --out DIR`: the trial's endpoints over many patients' study folders.
struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort",
        abstract: "Trial endpoints over a cohort: ORR at 6 months, time to progression, toxicity, dose–effect fits (docs/methods/cohort.md).",
        discussion: """
        Each DIR is a study folder (study.yaml with dosimetry_outputs, and followup.csv in the REDCap layout of
        docs/formats/followup-redcap.md) or a folder of study folders (e.g. a trial-sim output). Writes CSV tables,
        cohort.sqlite and cohort.html into --out (formats: docs/formats/cohort.md).
        """)

    @Argument(help: "Study folders, or folders holding study folders.", completion: .directory) var studies: [String]
    @Option(help: "Output folder (replaced as a whole when the analysis succeeds).", completion: .directory) var out: String
    @Option(help: "Protocol configuration YAML for the RECIST settings (response_assessment; default: the built-in trial protocol).",
            completion: .file()) var config: String?

    func run() throws {
        let patients = try CohortStudyLoader.studyFolders(studies).map(CohortStudyLoader.load)
        guard !patients.isEmpty else { throw InputError(source: "cohort", reason: "no patients") }
        // The cohort only reads the response settings; it plans nothing, so a research override needs no acknowledgement here.
        let protocolConfig = try config.map { try ProtocolConfig.load(path: $0, researchOverride: true) } ?? .trialDefault
        let analysis = CohortAnalysis(patients, responseAssessment: protocolConfig.responseAssessment)
        try CohortReport.write(analysis, to: out)
        for a in analysis.arms {
            let r = a.responseAt6Months!
            print("\(a.arm.rawValue): \(a.patients) patients, ORR at 6 months \(r.count)/\(r.total) (95 % CI \(String(format: "%.1f–%.1f", 100 * r.lower, 100 * r.upper)) %)")
        }
        print(analysis.recistTargetSummary)
        print("wrote \(out)/cohort.html, \(out)/\(CohortReport.databaseName) and CSV tables")
    }
}
