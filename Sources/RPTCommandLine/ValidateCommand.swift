import ArgumentParser
import Foundation
import RPTCore
import RPTValidation

/// `rptdose validate`: runs the validation suite and writes a Markdown report with one figure per case.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Run the validation suite (validation/) and write REPORT.md with figures; exits 1 if a case fails.")

    @Flag(help: "Run the reduced quick subset (part of `make test`).") var quick = false
    @Option(name: .customLong("case"), help: "Run only this case (folder name under validation/).") var caseName: String?
    @Option(help: "Output folder for REPORT.md and figures/.", completion: .directory) var report: String
    @Option(help: "Master random seed.") var seed: UInt64 = 20_240_607
    @Option(help: "Worker threads (default: all cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "The project's validation/ folder (default: found from the current folder).", completion: .directory) var validationDir: String?

    func run() throws {
        let vdir = try validationDir ?? ValidationSuite.defaultValidationDirectory()
        let context = ValidationContext(mode: quick ? .quick : .full, seed: seed, threads: threads,
                                        validationDirectory: vdir)
        let cases = try ValidationSuite.cases(named: caseName, mode: context.mode)
        let results = ValidationSuite.run(cases, context: context) { msg in
            FileHandle.standardError.write(Data((msg + "\n").utf8))
        }
        let command = "rptdose validate" + (quick ? " --quick" : "") + (caseName.map { " --case \($0)" } ?? "")
            + " --report \(report) --seed \(seed)"
        let path = try ValidationReport.write(results, context: context, command: command, to: report)
        print("wrote \(path)")
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
