import Foundation
import RPTCore
import RPTDosimetry
import RPTPhysics
import RPTTransport

/// What `rptdose dosimetry` is asked to do: one cycle of a study, from images and blood samples to
/// region doses.
public struct CycleDosimetryRequest {
    /// Study manifest (YAML).
    public var study: String
    public var cycle: Int
    /// Output folder (dosimetry.h5, regions.csv, regions.json, summary.json, simulation.h5 for the MC).
    public var out: String
    public var tiaMap: TIAMapMethod = .hybrid
    /// Reduced-time-point method for cycles with < 4 scans (nil: the manifest's, else cycle1_shape).
    public var reducedMethod: ReducedMethodChoice?
    /// CT calibration folder (nil: the shipped default).
    public var calibration: String?
    public var resume: Bool = false
    /// Start afresh although an interrupted run left a resumable checkpoint (discarded; recorded in provenance).
    public var overwrite: Bool = false
    public var control: RunControl
    public var seed: UInt64
    public var settings: TransportSettings = TransportSettings()
    public var method: DoseMethodConfiguration = DoseMethodConfiguration()

    public init(study: String, cycle: Int, out: String, control: RunControl, seed: UInt64) {
        self.study = study; self.cycle = cycle; self.out = out; self.control = control; self.seed = seed
    }
}

/// A cycle's dosimetry end to end: manifest → region activities and fits → TIA map → dose (Monte Carlo
/// with checkpoints and resume, or a kernel method) → region doses, DVHs, marrow dose → output folder.
public enum CycleDosimetryWorkflow {
    /// Runs the dosimetry of one cycle and writes its output folder; returns the result, or nil on the
    /// processes of a distributed run that do not write results.
    ///
    /// The output folder is locked for the run (`OutputLock`: a second run into it is refused) and built beside
    /// the target (`StagedFolder`), then moved into place as a whole: a failed run leaves the previous result
    /// intact; an interrupted (partial) Monte Carlo run stays in the staging folder for `--resume`. In an MPI run
    /// only the coordinating process (rank 0) locks, stages and writes; the other ranks run their share of the
    /// decays and touch no file.
    @discardableResult
    public static func run(_ request: CycleDosimetryRequest, environment: RunEnvironment) throws -> CycleDosimetryResult? {
        if !environment.writesResults {
            return try runStaged(request, into: StagedFolder.stagingPath(for: request.out), environment: environment)
        }
        let r = request
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: r.out).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        let lock = try OutputLock(output: r.out)
        defer { lock.release() }
        let stagingMC = StagedFolder.stagingPath(for: r.out) + "/simulation.h5"
        try ResumableOutput.refuseToDiscard(checkpoint: stagingMC + ".checkpoint.h5", resume: r.resume, overwrite: r.overwrite)
        let staged = try StagedFolder(target: r.out, keepExisting: r.resume)
        do {
            let result = try runStaged(r, into: staged.staging, environment: environment)
            if let result, result.partial {
                environment.warn("partial result kept in \(staged.staging) (\(r.out) is unchanged); continue it with --resume")
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

    /// The dosimetry written into `folder` (the staging folder); on an MPI rank that does not write results,
    /// only its share of the Monte Carlo decays (nothing for a kernel method, which rank 0 computes alone).
    static func runStaged(_ request: CycleDosimetryRequest, into folder: String,
                          environment: RunEnvironment) throws -> CycleDosimetryResult? {
        let r = request
        var control = r.control
        if control.targetUncertainty != nil && control.criterion != .roiMean {
            throw InputError(source: "--criterion", value: control.criterion.rawValue, reason: "dosimetry supports roi-mean only")
        }
        let manifest = try StudyManifest.load(path: r.study)
        let cal = try CTCalibration.load(directory: r.calibration ?? DataPaths.defaultCalibration())
        let setup = try CycleDosimetrySetup.prepare(manifest: manifest, cycleNumber: r.cycle, calibration: cal,
                                                    options: DosimetryOptions(tiaMap: r.tiaMap, reducedMethod: r.reducedMethod),
                                                    progress: environment.log)
        if r.method.method != .mc {
            guard environment.writesResults else { return nil }
            return try runKernelMethod(r, setup: setup, into: folder, environment: environment)
        }
        let sim = try setup.simulation(settings: r.settings, seed: r.seed)
        // With a target uncertainty, the kidney (first kidney region present) drives the stopping rule.
        var target: Int?
        if control.targetUncertainty != nil {
            target = sim.regions.firstIndex { manifest.kidneyRegions.contains($0.name) }
            guard target != nil else {
                throw InputError(source: "--target-uncertainty", reason: "needs a kidney region (kidney_regions) in the label map")
            }
        }
        control.decays = max(control.decays, 1)
        if environment.writesResults {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let mcPath = folder + "/simulation.h5"
        var runner = SimulationRunner(simulation: sim, control: control, out: mcPath, nuclide: setup.nuclide.name,
                                      environment: environment, resume: r.resume, targetRegion: target,
                                      extraSettings: ["manifest": r.study, "cycle": "\(r.cycle)", "tia_map": r.tiaMap.rawValue,
                                                      "total_tia_bq_s": "\(setup.sourceTIABqS)"])
        runner.lockOutput = false  // the whole output folder is locked
        environment.log("cycle \(r.cycle): Monte Carlo, \(control.decays) decays on \(control.threads) thread(s)")
        let state = try runner.run()
        guard environment.writesResults else { return nil }
        let result = try CycleDosimetryResult.make(setup: setup, dose: sim.result(state))
        try DosimetryOutputWriter.write(result, setup: setup, to: folder, seed: r.seed,
                                        settings: ["fingerprint": sim.fingerprint.hex, "decays": "\(state.decaysDone)",
                                                   "threads": "\(control.threads)", "tia_map": r.tiaMap.rawValue, "method": "mc",
                                                   "monte_carlo_file": r.out + "/simulation.h5",
                                                   "overwrite": r.overwrite ? "yes (an interrupted run's checkpoint was discarded)" : "no"])
        return result
    }

    /// A cycle given without imaging (`imaged: false` in the manifest): its doses predicted from the earlier
    /// cycles' dosimetry (`PredictedCycleDosimetry`) and written into `request.out` as a whole (locked, staged,
    /// then moved into place, like a measured cycle's folder); returns the text to print, or nil when the cycle is
    /// imaged (then `run` does its dosimetry). On an MPI rank that does not write results nothing is written and
    /// the text is empty.
    public static func predictIfNotImaged(_ request: CycleDosimetryRequest, environment: RunEnvironment) throws -> String? {
        let r = request
        guard let (prediction, manifest) = try PredictedCycleDosimetry.predictionIfNotImaged(study: r.study, cycle: r.cycle,
                                                                                            out: r.out) else { return nil }
        if r.resume {
            throw InputError(source: "--resume", value: "cycle \(r.cycle)",
                             reason: "cycle \(r.cycle) is not imaged (imaged: false): there is no Monte Carlo run to resume")
        }
        guard environment.writesResults else { return "" }
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: r.out).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        let lock = try OutputLock(output: r.out)
        defer { lock.release() }
        let staged = try StagedFolder(target: r.out, keepExisting: false)
        do {
            try prediction.write(to: staged.staging, manifest: manifest)
            try staged.commit()
        } catch {
            staged.discard()
            throw error
        }
        return prediction.renderTable() + "wrote \(r.out)/{summary.json, regions.json} (predicted, no images)\n"
    }

    /// The cycle's dosimetry with a kernel method (ldm, vsv, vsv-density, organ-s) on the same TIA map, CT world
    /// and regions.
    static func runKernelMethod(_ r: CycleDosimetryRequest, setup: CycleDosimetrySetup, into folder: String,
                                environment: RunEnvironment) throws -> CycleDosimetryResult {
        let doseMethod = r.method.method
        for (flag, used) in [("--resume", r.resume), ("--target-uncertainty", r.control.targetUncertainty != nil)] where used {
            throw InputError(source: flag, value: doseMethod.rawValue, reason: "only available with --method mc")
        }
        environment.log("cycle \(r.cycle): dose by --method \(doseMethod.rawValue)")
        let dose = try MethodDoseCalculator.compute(method: doseMethod, world: setup.world, tiaBqS: setup.tiaMap.tiaBqS,
                                                    regions: setup.scoredRegions, nuclide: setup.nuclide,
                                                    options: r.method, control: r.control, seed: r.seed,
                                                    settings: r.settings, log: environment.log)
        var result = try CycleDosimetryResult.make(
            setup: setup, doseGy: dose.dose.voxels, relativeUncertainty: dose.relativeUncertainty?.voxels.map(Double.init),
            regionDoses: dose.regions.map { ($0.name, $0.massG, $0.meanDoseGy, $0.relativeUncertainty) },
            decays: dose.decays, partial: false, method: doseMethod.rawValue)
        result.notes.append(contentsOf: dose.warnings)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var settings = dose.settings
        settings["tia_map"] = r.tiaMap.rawValue
        settings["threads"] = "\(r.control.threads)"
        try DosimetryOutputWriter.write(result, setup: setup, to: folder, seed: r.seed, settings: settings)
        return result
    }
}
