import ArgumentParser
import Foundation
import RPTCohort
import RPTCore

/// `rptdose trial-sim --patients N --seed S --out DIR`: a synthetic randomised trial with a stated ground truth.
struct TrialSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial-sim",
        abstract: "Write a synthetic 2:1 randomised trial (study folders, dosimetry summaries, follow-up) for `rptdose cohort` (docs/methods/cohort.md).")

    @Option(help: "Number of patients (1–10000).") var patients: Int
    @Option(help: "Random seed.") var seed: UInt64
    @Option(help: "Output folder (must not exist).", completion: .directory) var out: String

    func run() throws {
        guard (1...10_000).contains(patients) else {
            throw InputError(source: "--patients", value: "\(patients)", reason: "expected 1–10000")
        }
        guard !FileManager.default.fileExists(atPath: out) else {
            throw InputError(source: "--out", value: out, reason: "already exists; choose a new folder")
        }
        let trial = try SyntheticTrial(count: patients, seed: seed)
        let folders = try SyntheticTrialWriter.write(trial, seed: seed, to: out)
        print("wrote \(folders.count) synthetic patients and truth.json to \(out); analyse with: rptdose cohort \(out) --out \(out)/cohort")
    }
}
