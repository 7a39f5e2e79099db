import Foundation
import RPTCore
import RPTStore
import RPTTransport
import RPTVolume

/// Runs a prepared simulation the way every command does: progress through the environment, periodic
/// checkpoints next to the output, resume from a checkpoint, a stop request → a valid partial result, and
/// the final HDF5 written atomically.
public struct SimulationRunner {
    public var simulation: PreparedSimulation
    public var control: RunControl
    public var out: String
    public var nuclide: String
    public var environment: RunEnvironment
    public var resume: Bool = false
    public var targetRegion: Int? = nil
    /// Decay range of this run (a shard); default [0, control.decays).
    public var firstDecay: UInt64 = 0
    /// Decays of the whole run this shard belongs to; default firstDecay + control.decays.
    public var totalDecays: UInt64? = nil
    public var extraVolumes: [(String, AnyVolume)] = []
    public var extraSettings: [String: String] = [:]
    /// Per-material D_w/D_m factors; when set, a `dose_to_water` volume is written too.
    public var doseToWaterFactors: [Double]? = nil
    /// Hold an exclusive `OutputLock` on `out` during the run (off when the caller locks a whole folder).
    public var lockOutput = true

    public init(simulation: PreparedSimulation, control: RunControl, out: String, nuclide: String,
                environment: RunEnvironment, resume: Bool = false, targetRegion: Int? = nil, firstDecay: UInt64 = 0,
                totalDecays: UInt64? = nil, extraSettings: [String: String] = [:]) {
        self.simulation = simulation; self.control = control; self.out = out; self.nuclide = nuclide
        self.environment = environment; self.resume = resume; self.targetRegion = targetRegion
        self.firstDecay = firstDecay; self.totalDecays = totalDecays; self.extraSettings = extraSettings
    }

    public var quiet: Bool { environment.quiet }
    public var checkpointPath: String { out + ".checkpoint.h5" }

    func record(_ state: SimulationState) -> SimulationRecord {
        var settings = extraSettings
        let s = simulation.settings
        settings["electron_cutoff_mev"] = "\(s.electronCutoffMeV)"
        settings["photon_cutoff_mev"] = "\(s.photonCutoffMeV)"
        settings["delta_ray_threshold_mev"] = "\(s.deltaRayThresholdMeV)"
        settings["bremsstrahlung_threshold_mev"] = "\(s.bremsstrahlungThresholdMeV)"
        settings["max_energy_loss_fraction"] = "\(s.maxEnergyLossFraction)"
        settings["accelerations"] = s.accelerations.isEmpty ? "none" : s.accelerations.joined(separator: ",")
        settings["photon_estimator"] = s.photonEstimator.rawValue
        settings["source_sampling"] = s.sourceSampling.rawValue
        settings["statistics"] = s.tallyStatistics.name
        if s.sourceSampling == .systematic {
            let batches = s.tallyStatistics.samples(histories: state.decaysDone)
            settings["statistics_batch_decays"] = "\(s.sourceBatchDecays)"
            settings["statistics_batches"] = "\(batches)"
            settings["statistics_relative_sigma_of_sigma"] = String(format: "%.3f", SourceSampling.sigmaOfSigma(batches: batches))
        }
        settings["threads"] = "\(control.threads)"
        settings["target_uncertainty"] = control.targetUncertainty.map { "\($0)" } ?? "none"
        settings.merge(SoftwareInfo.provenanceStrings) { _, software in software }
        return SimulationRecord(fingerprint: simulation.fingerprint.hex, seed: simulation.seed, firstDecay: firstDecay,
                                plannedEndDecay: firstDecay + control.decays,
                                totalDecays: totalDecays ?? firstDecay + control.decays,
                                decaysRepresented: simulation.decaysRepresented, partial: state.partial,
                                nuclide: nuclide, settings: settings)
    }

    /// Name of the per-voxel dose-to-water factor volume written with `dose_to_water`.
    public static let doseToWaterFactorVolume = "dose_to_water_factor"

    /// D_w = D_m × factor, voxel by voxel (the one expression used by `simulate` and `merge`).
    public static func doseToWater(_ doseGy: [Double], _ factor: [Double]) -> [Double] {
        zip(doseGy, factor).map { $0 * $1 }
    }

    func write(_ state: SimulationState, to path: String) throws {
        // Slab by slab from the tally sums: masses and dose-to-water factors from the medium table, no full-grid arrays.
        let sim = simulation
        var factors: ((Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void)? = nil
        if let f = doseToWaterFactors {
            factors = { range, out in for (k, v) in range.enumerated() { out[k] = f[Int(sim.medium(ofVoxel: v).material)] } }
        }
        try SimulationFile.write(to: path, state: state, grid: sim.grid, record: record(state),
                                 regionNames: sim.regions.map(\.name),
                                 voxels: .init(massesG: { sim.voxelMassesG($0, into: $1) }, doseToWaterFactors: factors),
                                 regionMassG: sim.regionMassesG, extraVolumes: extraVolumes)
    }

    /// Runs to the goal and writes `out`; returns the final state. With a distributed execution in the
    /// environment (MPI), spreads the decays over the processes; only the coordinating process writes `out`.
    @discardableResult
    public func run() throws -> SimulationState {
        if let d = environment.distributed { return try d.run(self) }
        return try runLocal()
    }

    /// Runs on this process (or, with `roundRunner`, as the driving rank of a distributed run) and writes `out`.
    public func runLocal(roundRunner: RoundRunner? = nil) throws -> SimulationState {
        let lock = lockOutput ? try OutputLock(output: out) : nil
        defer { lock?.release() }
        var initial: SimulationState? = nil
        if resume {
            let from = FileManager.default.fileExists(atPath: checkpointPath) ? checkpointPath : out
            guard FileManager.default.fileExists(atPath: from) else {
                throw InputError(source: "--resume", value: out, reason: "no checkpoint (\(checkpointPath)) or result to resume")
            }
            let (state, rec, _) = try SimulationFile.read(from)
            guard rec.fingerprint == simulation.fingerprint.hex else {
                throw InputError(source: from, field: "/simulation@fingerprint", value: rec.fingerprint,
                                 reason: "belongs to a different simulation (inputs, settings or seed differ; expected \(simulation.fingerprint.hex))")
            }
            guard rec.firstDecay == firstDecay else {
                throw InputError(source: from, field: "/simulation@first_decay", value: "\(rec.firstDecay)",
                                 reason: "this run starts at decay \(firstDecay)")
            }
            // Resuming never shrinks a run: the file already holds more decays than this run asks for.
            guard state.decaysDone <= control.decays else {
                throw InputError(source: from, field: "decays done", value: "\(state.decaysDone)",
                                 reason: "exceeds --decays \(control.decays) of this run: resume with --decays ≥ \(state.decaysDone)")
            }
            initial = state
            environment.log("resuming from \(from): \(state.decaysDone) decays done")
        }
        let stop = environment.stop
        let reporter = ProgressReporter(quiet: quiet)
        let final = try simulation.run(from: initial, control: control, targetRegion: targetRegion,
                                       firstDecay: firstDecay, totalDecays: totalDecays, stop: stop, roundRunner: roundRunner,
                                       progress: reporter.report, checkpoint: { s in
                                           if s.partial || s.decaysDone < control.decays { try write(s, to: checkpointPath) }
                                       })
        reporter.finish()
        if case .batches(let n) = final.sums.statistics {
            let b = final.sums.statistics.samples(histories: final.decaysDone)
            if b < UInt64(SourceSampling.minimumBatches) {
                environment.warn("the uncertainties come from only \(b) batches of \(n) decays (the run stopped early): "
                                 + String(format: "they are themselves uncertain by ≈ %.0f %% (1/√(2B)); ", 100 * SourceSampling.sigmaOfSigma(batches: b))
                                 + "continue with --resume to reach \(SourceSampling.minimumBatches) batches")
            } else {
                environment.log(String(format: "uncertainties from %llu batches of %llu decays (systematic source sampling; "
                                       + "σ itself uncertain by ≈ %.0f %%)", b, n, 100 * SourceSampling.sigmaOfSigma(batches: b)))
            }
        }
        try write(final, to: out)
        if !final.partial { try? FileManager.default.removeItem(atPath: checkpointPath) }
        if final.partial {
            environment.log("partial result written to \(out) (\(final.decaysDone) decays); continue it with --resume")
        }
        return final
    }
}
