import ArgumentParser
import Foundation
import RPTCore
import RPTDosimetry
import RPTPhysics
import RPTTransport

/// `rptdose dosimetry`: one cycle of a study, from images and blood samples to region doses.
struct DosimetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dosimetry",
        abstract: "Per-cycle organ, tumour and red-marrow doses of a study (manifest: docs/formats/study-manifest.md).")

    @Argument(help: "Study manifest (YAML).") var study: String
    @Option(help: "Cycle number.") var cycle: Int
    @Option(help: "Output folder (dosimetry.h5, regions.csv, regions.json, summary.json).") var out: String
    @Option(help: "TIA map for the transport: hybrid or voxel.") var tiaMap: String = TIAMapMethod.hybrid.rawValue
    @Option(help: "Reduced-time-point method for cycles with < 4 scans: cycle1_shape, two_point, hanscheid, madsen (default: the manifest's, else cycle1_shape).")
    var reducedMethod: String?
    @Option(help: "CT calibration folder (density.csv, materials.csv); default phantoms/scanners/default.")
    var calibration: String?
    @Flag(help: "Continue an interrupted Monte Carlo run from its checkpoint.") var resume = false
    @Flag(help: "Start afresh even though an interrupted run of this output left a resumable checkpoint (discarded).")
    var overwrite = false
    @OptionGroup var options: RunOptions
    @OptionGroup var methodOptions: DoseMethodOptions

    func run() throws {
        let result = try Self.run(study: study, cycle: cycle, out: out, tiaMap: tiaMap, reducedMethod: reducedMethod,
                                  calibration: calibration, resume: resume, overwrite: overwrite, options: options,
                                  methodOptions: methodOptions)
        if result.partial { throw ExitCode(ExitStatus.partialResult) }
    }

    /// Runs the dosimetry of one cycle and prints its region table; returns the result. The output folder is
    /// locked for the run and replaced as a whole at the end (`StagedFolder`); a partial (interrupted) result
    /// stays in the staging folder for `--resume`, and the previous result in `out` stays intact.
    static func run(study: String, cycle: Int, out: String, tiaMap: String = "hybrid", reducedMethod: String? = nil,
                    calibration: String? = nil, resume: Bool = false, overwrite: Bool = false, options: RunOptions,
                    methodOptions: DoseMethodOptions? = nil) throws -> CycleDosimetryResult {
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: out).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        let lock = try OutputLock(output: out)
        defer { lock.release() }
        let stagingMC = StagedFolder.stagingPath(for: out) + "/simulation.h5"
        try ResumableOutput.refuseToDiscard(checkpoint: stagingMC + ".checkpoint.h5", resume: resume, overwrite: overwrite)
        let staged = try StagedFolder(target: out, keepExisting: resume)
        do {
            let result = try runStaged(study: study, cycle: cycle, out: out, staged: staged, tiaMap: tiaMap,
                                       reducedMethod: reducedMethod, calibration: calibration, resume: resume,
                                       overwrite: overwrite, options: options, methodOptions: methodOptions)
            if result.partial {
                Console.error("partial result kept in \(staged.staging) (\(out) is unchanged); continue it with --resume")
            } else {
                try staged.commit()
            }
            return result
        } catch {
            // Keep an interrupted Monte Carlo run's checkpoint for --resume; otherwise leave nothing behind.
            if !FileManager.default.fileExists(atPath: staged.file("simulation.h5.checkpoint.h5")) { staged.discard() }
            throw error
        }
    }

    static func runStaged(study: String, cycle: Int, out: String, staged: StagedFolder, tiaMap: String,
                          reducedMethod: String?, calibration: String?, resume: Bool, overwrite: Bool = false,
                          options: RunOptions, methodOptions: DoseMethodOptions?) throws -> CycleDosimetryResult {
        let doseMethod = try methodOptions?.resolvedMethod() ?? .mc
        guard let method = TIAMapMethod(rawValue: tiaMap) else {
            throw InputError(source: "--tia-map", value: tiaMap, reason: "valid: " + TIAMapMethod.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var reduced: ReducedMethodChoice?
        if let reducedMethod {
            guard let m = ReducedMethodChoice(rawValue: reducedMethod) else {
                throw InputError(source: "--reduced-method", value: reducedMethod,
                                 reason: "valid: " + ReducedMethodChoice.allCases.map(\.rawValue).joined(separator: ", "))
            }
            reduced = m
        }
        var control = try options.control()
        if control.targetUncertainty != nil && control.criterion != .roiMean {
            throw InputError(source: "--criterion", value: control.criterion.rawValue, reason: "dosimetry supports roi-mean only")
        }
        let manifest = try StudyManifest.load(path: study)
        let cal = try CTCalibration.load(directory: calibration ?? DataPaths.defaultCalibration())
        let quiet = options.quiet
        let setup = try CycleDosimetrySetup.prepare(manifest: manifest, cycleNumber: cycle, calibration: cal,
                                                    options: DosimetryOptions(tiaMap: method, reducedMethod: reduced),
                                                    progress: { if !quiet { Console.error($0) } })
        if doseMethod != .mc, let methodOptions {
            return try runKernelMethod(doseMethod, setup: setup, methodOptions: methodOptions, control: control,
                                       options: options, resume: resume, study: study, cycle: cycle, out: out,
                                       staging: staged.staging, tiaMap: method)
        }
        let sim = try setup.simulation(settings: options.settings, seed: control.seed)
        // With a target uncertainty, the kidney (first kidney region present) drives the stopping rule.
        var target: Int?
        if control.targetUncertainty != nil {
            target = sim.regions.firstIndex { manifest.kidneyRegions.contains($0.name) }
            guard target != nil else {
                throw InputError(source: "--target-uncertainty", reason: "needs a kidney region (kidney_regions) in the label map")
            }
        }
        control.decays = max(control.decays, 1)
        let mcPath = staged.file("simulation.h5")
        var runner = SimulationRunner(simulation: sim, control: control, out: mcPath, nuclide: setup.nuclide.name,
                                      quiet: quiet, resume: resume, targetRegion: target,
                                      extraSettings: ["manifest": study, "cycle": "\(cycle)", "tia_map": method.rawValue,
                                                      "total_tia_bq_s": "\(setup.sourceTIABqS)"])
        runner.lockOutput = false  // the whole output folder is locked
        if !quiet { Console.error("cycle \(cycle): Monte Carlo, \(control.decays) decays on \(control.threads) thread(s)") }
        let state = try runner.run()
        let result = try CycleDosimetryResult.make(setup: setup, dose: sim.result(state))
        try DosimetryOutputWriter.write(result, setup: setup, to: staged.staging, seed: control.seed,
                                        settings: ["fingerprint": sim.fingerprint.hex, "decays": "\(state.decaysDone)",
                                                   "threads": "\(control.threads)", "tia_map": method.rawValue, "method": "mc",
                                                   "monte_carlo_file": out + "/simulation.h5",
                                                   "overwrite": overwrite ? "yes (an interrupted run's checkpoint was discarded)" : "no"])
        print(result.renderTable(), terminator: "")
        if !state.partial { print("wrote \(out)/{dosimetry.h5, regions.csv, regions.json, summary.json, simulation.h5}") }
        return result
    }

    /// The cycle's dosimetry with `--method ldm|vsv|vsv-density|organ-s` on the same TIA map, CT world and regions.
    static func runKernelMethod(_ doseMethod: DoseMethod, setup: CycleDosimetrySetup, methodOptions: DoseMethodOptions,
                                control: RunControl, options: RunOptions, resume: Bool, study: String, cycle: Int,
                                out: String, staging: String, tiaMap: TIAMapMethod) throws -> CycleDosimetryResult {
        for (flag, used) in [("--resume", resume), ("--target-uncertainty", control.targetUncertainty != nil)] where used {
            throw InputError(source: flag, value: doseMethod.rawValue, reason: "only available with --method mc")
        }
        let quiet = options.quiet
        if !quiet { Console.error("cycle \(cycle): dose by --method \(doseMethod.rawValue)") }
        let dose = try MethodDoseCalculator.compute(method: doseMethod, world: setup.world, tiaBqS: setup.tiaMap.tiaBqS,
                                                    regions: setup.scoredRegions, nuclide: setup.nuclide,
                                                    options: methodOptions, control: control, settings: options.settings,
                                                    log: { if !quiet { Console.error($0) } })
        var result = try CycleDosimetryResult.make(
            setup: setup, doseGy: dose.dose.voxels, relativeUncertainty: dose.relativeUncertainty?.voxels.map(Double.init),
            regionDoses: dose.regions.map { ($0.name, $0.massG, $0.meanDoseGy, $0.relativeUncertainty) },
            decays: dose.decays, partial: false, method: doseMethod.rawValue)
        result.notes.append(contentsOf: dose.warnings)
        var settings = dose.settings
        settings["tia_map"] = tiaMap.rawValue
        settings["threads"] = "\(control.threads)"
        try DosimetryOutputWriter.write(result, setup: setup, to: staging, seed: control.seed, settings: settings)
        print(result.renderTable(), terminator: "")
        print("wrote \(out)/{dosimetry.h5, regions.csv, regions.json, summary.json} (method \(doseMethod.rawValue))")
        return result
    }
}
