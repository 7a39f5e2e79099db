import ArgumentParser
import Foundation
import RPTCohort
import RPTCore
import RPTPlanner

/// `rptdose trial-sim --patients N --seed S --out DIR`: a synthetic randomised trial with a stated ground truth.
struct TrialSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial-sim",
        abstract: "Write a synthetic 2:1 randomised trial (study folders, dosimetry summaries, follow-up) for `rptdose cohort` (docs/methods/cohort.md).")

    @Option(help: "Number of patients (1–10000).") var patients: Int
    @Option(help: "Random seed.") var seed: UInt64
    @Option(help: "Output folder (must not exist).", completion: .directory) var out: String
    @Option(help: "Protocol configuration YAML for planning and dose modifications (default: the built-in trial protocol).",
            completion: .file()) var config: String?
    @Flag(help: "Acknowledge the protocol file's research_override of the label activities.") var researchOverride = false

    func run() throws {
        guard (1...10_000).contains(patients) else {
            throw InputError(source: "--patients", value: "\(patients)", reason: "expected 1–10000")
        }
        guard !FileManager.default.fileExists(atPath: out) else {
            throw InputError(source: "--out", value: out, reason: "already exists; choose a new folder")
        }
        let protocolConfig = try config.map { try ProtocolConfig.load(path: $0, researchOverride: researchOverride) } ?? .trialDefault
        let trial = try SyntheticTrial(count: patients, seed: seed, protocolConfig: protocolConfig)
        let folders = try SyntheticTrialWriter.write(trial, seed: seed, to: out)
        print("wrote \(folders.count) synthetic patients and truth.json to \(out); analyse with: rptdose cohort \(out) --out \(out)/cohort")
    }
}
