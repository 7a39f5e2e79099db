import ArgumentParser
import Foundation
import RPTCore
import RPTDosimetry
import RPTPhantom
import RPTPlanner
import RPTTransport
import RPTWorkflow

/// `rptdose demo`: the main job on the built-in synthetic patient, with no input data.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the main job on the built-in synthetic patient (no data needed).")

    @Option(help: "Output folder.", completion: .directory) var out: String = "demo-output"
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Monte Carlo decays of the cycle-1 dosimetry.") var decays: UInt64 = DemoCommand.defaultDecays
    @Option(help: "Worker threads (default: all cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Print no progress.") var quiet = false

    /// Decays of the demo's Monte Carlo: enough for a kidney MC uncertainty of about 1 % (measured, see
    /// docs/methods/dosimetry.md), a few minutes on 2 cores in a release build.
    static let defaultDecays: UInt64 = 400_000

    func run() throws {
        let start = Date()
        var config = SyntheticPatientConfig()
        config.seed = seed
        let patient = try SyntheticPatient.generate(config: config)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let studyDir = out + "/study"
        try SyntheticPatientWriter.write(patient, to: studyDir, ext: ".nii.gz", dosimetryOutputs: [1: "../cycle-1"])
        let h5 = out + "/synthetic-patient.h5"
        try SyntheticPatientWriter.writeHDF5(patient, to: h5, seed: seed)
        print("Synthetic patient (seed \(seed)): CT \(patient.ct.grid.description)")
        print("  \(patient.spectTimePoints.count) SPECT time points, \(patient.bloodSamples.count) blood samples")
        print("  region            mass (g)   true TIA (MBq·h)")
        for n in ["kidney_left", "kidney_right", "liver", "spleen", "red_marrow", "tumor_1", "tumor_2", "tumor_3"] {
            let r = try patient.truth.region(named: n)
            print("  " + n.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "%9.1f   %12.1f", r.massG, r.timeIntegratedActivityBqS / 3.6e9))
        }
        print(String(format: "  written in %.1f s", Date().timeIntervalSince(start)))

        // Cycle-1 dosimetry.
        print("\nCycle-1 dosimetry (\(decays) decays; truth comparison at the end)")
        let manifestPath = studyDir + "/manifest.yaml"
        let request = CycleDosimetryRequest(study: manifestPath, cycle: 1, out: out + "/cycle-1",
                                            control: RunControl(decays: decays, threads: threads), seed: seed)
        guard let result = try ProcessEnvironment.withInterrupts(quiet: quiet, { environment in
            try CycleDosimetryWorkflow.run(request, environment: environment)
        }) else { return }
        print(result.renderTable(), terminator: "")
        if result.partial {  // interrupted: no plan from a partial dosimetry
            Console.error("demo interrupted: the cycle-1 dosimetry is partial; no plan or report was made")
            throw ExitCode(ExitStatus.partialResult)
        }
        print("  region        TIA / true TIA")
        for row in result.rows where row.kind != .redMarrow {
            if let truth = try? patient.truth.region(named: row.region), truth.timeIntegratedActivityBqS > 0 {
                print("  " + row.region.padding(toLength: 14, withPad: " ", startingAt: 0)
                      + String(format: "%6.3f", row.tiaBqS / truth.timeIntegratedActivityBqS))
            }
        }

        // Plans for cycles 2-4.
        let manifest = try StudyManifest.load(path: manifestPath, checkImages: false)
        let plan = try PlanningWorkflow.plan(manifest: manifest, dosimetry: [out + "/cycle-1"], afterCycle: 1,
                                        arm: .investigational, config: .trialDefault)
        try PlanningWorkflow.write(plan, config: .trialDefault, jsonPath: out + "/plan.json", h5Path: out + "/" + PlanStore.fileName)
        print("\nPlan after cycle 1, investigational arm (written to \(out)/plan.json and \(PlanStore.fileName)):")
        print(PlanTextRenderer.render(plan), terminator: "")
        let standard = try PlanningWorkflow.plan(manifest: manifest, dosimetry: [out + "/cycle-1"], afterCycle: 1,
                                            arm: .standard, config: .trialDefault)
        print("\nStandard arm (fixed 7.4 GBq per cycle), predicted doses for comparison:")
        print(PlanTextRenderer.render(standard), terminator: "")
        let report = out + "/report.html"
        try ReportingWorkflow.write(studyOutputDir: out, out: report)
        print("\nDosimetry report: \(report)")
        print(String(format: "\ndone in %.1f s. Results: %@ (dosimetry), %@ (plan), %@ (study), %@ (HDF5), %@ (report)",
                     Date().timeIntervalSince(start), out + "/cycle-1", out + "/plan.json", studyDir, h5, report))
    }
}
