import Foundation
import RPTCore
import RPTDosimetry
import RPTPhysics
import RPTTransport
import RPTVolume

/// What `rptdose simulate` is asked to do: an absorbed-dose calculation from a time-integrated activity map
/// through a CT (or label-map) geometry, by the Monte Carlo or a kernel method.
public struct SimulationRequest {
    /// CT in HU (geometry through `calibration`), or nil with `labels` + `materialTable`.
    public var ct: String?
    public var calibration: String?
    public var labels: String?
    public var materialTable: String?
    /// Time-integrated activity map; its grid is the dose grid unless `doseGrid` is "ct".
    public var activity: String
    /// "bq-s" (per voxel) or "bq-s-per-ml"; nil: the unit the file states (required when it states none).
    public var activityUnit: String?
    /// "activity" or "ct".
    public var doseGrid: String = "activity"
    public var nuclide: String = "Lu-177"
    /// Label maps of scored regions (several for overlapping regions; a .seg.nrrd brings its segments).
    public var regions: [String] = []
    /// Names CSV of the i-th region map (`ScoringRegionSet`).
    public var regionNames: [String] = []
    /// Region whose uncertainty drives a target uncertainty.
    public var roi: String?
    /// "i/n": run only shard i of n.
    public var shard: String?
    public var resume: Bool = false
    /// Start afresh although `out` has a resumable checkpoint (which is discarded; recorded in provenance).
    public var overwrite: Bool = false
    public var doseToWater: Bool = false
    public var out: String
    public var control: RunControl
    public var seed: UInt64
    public var settings: TransportSettings = TransportSettings()
    public var method: DoseMethodConfiguration = DoseMethodConfiguration()

    public init(activity: String, out: String, control: RunControl, seed: UInt64) {
        self.activity = activity; self.out = out; self.control = control; self.seed = seed
    }
}

/// What a simulation produced, for printing.
public struct SimulationOutcome {
    public var method: DoseMethod
    public var out: String
    public var decaysDone: UInt64
    public var partial: Bool
    public var totalTIABqS: Double
    /// Region name, mass (g), mean dose (Gy) and relative uncertainty (NaN where the method has none).
    public var regions: [(name: String, massG: Double, meanDoseGy: Double, relativeUncertainty: Double)]
    /// False on the processes of a distributed run that do not write results.
    public var wroteResults: Bool
}

/// Runs `simulate`: reads and checks the inputs, builds the world and the scored regions, and runs the
/// Monte Carlo (with checkpoints, resume, shards, MPI) or a kernel method, writing `request.out`.
public enum SimulationWorkflow {
    public static func run(_ request: SimulationRequest, environment: RunEnvironment) throws -> SimulationOutcome {
        let r = request
        let started = Date()
        // Wall time of each set-up phase, logged with the set-up time (benchmarks/RESULTS.md quotes them).
        var phases: [String] = [], phaseStart = started
        func phase(_ name: String) {
            phases.append(String(format: "%@ %.2f s", name, Date().timeIntervalSince(phaseStart))); phaseStart = Date()
        }
        let actVolume = try VolumeFiles.readDouble(r.activity)
        try actVolume.grid.validate(source: r.activity)
        try actVolume.requireFinite(source: r.activity)
        var grid = actVolume.grid
        try ResumableOutput.refuseToDiscard(checkpoint: r.out + ".checkpoint.h5", resume: r.resume, overwrite: r.overwrite)
        var weights: [Double]
        let unit = try ActivityMapUnit.resolve(fileUnit: actVolume.unit, option: r.activityUnit, source: r.activity)
        switch unit {
        case .becquerelSecond: weights = actVolume.voxels
        case .becquerelSecondPerML: weights = actVolume.voxels.map { $0 * grid.voxelVolumeML }
        }
        let unitWarning = ActivityMapUnit.magnitudeWarning(totalBqS: weights.reduce(0, +), source: r.activity)
        if let unitWarning { environment.warn(unitWarning) }
        phase("activity map")
        var gridNote = "activity"
        var ctVolume: AnyVolume? = nil  // read once (in its stored voxel type), for the dose grid and the world
        var activityGrid: Grid3D? = nil  // set when the decays move onto the CT grid (after the world is built)
        switch r.doseGrid {
        case "activity": break
        case "ct":
            guard let ct = r.ct else { throw InputError(source: "--dose-grid", value: r.doseGrid, reason: "needs --ct") }
            ctVolume = try VolumeFiles.read(ct)
            phase("CT read")
            let ctGrid = ctVolume!.grid
            try GridOverlap.require(grid, imageSource: r.activity, inside: ctGrid, referenceSource: "the CT (\(ct))")
            activityGrid = grid
            grid = ctGrid
            gridNote = "ct"
            phase("CT grid check")
        default:
            throw InputError(source: "--dose-grid", value: r.doseGrid, reason: "valid: activity, ct")
        }
        var world: VoxelWorld? = try SimulationInputs.buildWorld(ct: r.ct, calibration: r.calibration, labels: r.labels,
                                                                 materialTable: r.materialTable, grid: grid,
                                                                 gridSource: r.activity, ctVolume: ctVolume)
        ctVolume = nil  // the world holds what transport needs; free the CT before the run
        phase("world")
        if let activityGrid {
            // Move the decays onto the CT grid conserving each voxel's Bq·s (exact overlaps for aligned grids) — after
            // the CT is freed, so that the CT and the map on its grid (8 bytes per voxel each) never coexist.
            do {
                let moved = Volume<Double>(grid: activityGrid, voxels: weights).resampledConservingContent(onto: grid)
                let total = weights.reduce(0, +)
                if total > 0 && moved.contentOutside > 1e-6 * total {
                    environment.warn(String(format: "%.3g %% of the time-integrated activity lies outside the CT and is dropped",
                                            100 * moved.contentOutside / total))
                }
                weights = moved.volume.voxels
            }
            // max(0, x) in place (`moved` is gone, so no copy): round-off below zero becomes 0.
            weights.withUnsafeMutableBufferPointer { w in for n in w.indices where !(w[n] >= 0) { w[n] = 0 } }
            phase("activity onto the CT grid")
        }
        if let (n, v) = weights.enumerated().first(where: { $0.element < 0 }) {
            let ijk = grid.voxelIndex(n)
            throw InputError(source: r.activity, field: "voxel (\(ijk.x), \(ijk.y), \(ijk.z))", value: "\(v)",
                             reason: "time-integrated activity must be ≥ 0")
        }
        let scored = try SimulationInputs.loadRegions(r.regions, names: r.regionNames, grid: grid)
        phase("regions")
        var target: Int? = nil
        if let roi = r.roi {
            guard let i = scored.firstIndex(where: { $0.name == roi }) else {
                throw InputError(source: "--roi", value: roi, reason: "no such region; regions: "
                                 + (scored.isEmpty ? "(none: pass --regions)" : scored.map(\.name).joined(separator: ", ")))
            }
            target = i
        } else if r.control.targetUncertainty != nil {
            throw InputError(source: "--target-uncertainty", reason: "needs --roi NAME (and --regions)")
        }
        var control = r.control
        // Systematic source sampling runs whole batches: the decays are rounded up to whole batches, shards cut
        // between batches (same decays, hence the same bits, for any split).
        let batchUnit = r.settings.sourceSampling == .systematic ? UInt64(r.settings.sourceBatchDecays) : 1
        if control.decays % batchUnit != 0 {
            let rounded = (control.decays / batchUnit + 1) * batchUnit
            environment.log("--source-sampling systematic runs whole batches of \(batchUnit) decays: --decays \(control.decays) "
                            + "rounded up to \(rounded)")
            control.decays = rounded
        }
        let totalDecays = control.decays
        var first: UInt64 = 0
        if let shard = r.shard {
            guard control.targetUncertainty == nil else {
                throw InputError(source: "--shard", value: shard, reason: "shards need a fixed --decays, not --target-uncertainty")
            }
            let (i, n) = try SimulationInputs.parseShard(shard)
            let batches = control.decays / batchUnit
            first = batches * UInt64(i - 1) / UInt64(n) * batchUnit
            let end = batches * UInt64(i) / UInt64(n) * batchUnit
            control.decays = end - first
        }
        let nuc = try Nuclide.named(r.nuclide, source: "--nuclide")
        let totalTIA = weights.reduce(0, +)
        let geometry = r.ct ?? r.labels ?? ""
        if r.method.method != .mc {
            for (flag, used) in [("--shard", r.shard != nil), ("--resume", r.resume), ("--dose-to-water", r.doseToWater),
                                 ("--target-uncertainty", r.control.targetUncertainty != nil)] where used {
                throw InputError(source: flag, value: r.method.method.rawValue, reason: "only available with --method mc")
            }
            let result = try MethodDoseCalculator.compute(method: r.method.method, world: world!, tiaBqS: weights,
                                                          regions: scored, nuclide: nuc, options: r.method,
                                                          control: r.control, seed: r.seed, settings: r.settings,
                                                          log: environment.log)
            for w in result.warnings { environment.warn(w) }
            try MethodDoseFile.write(result, to: r.out, nuclide: nuc.name, seed: r.seed,
                                     settings: ["activity_file": r.activity, "geometry": geometry,
                                                "total_tia_bq_s": "\(totalTIA)", "threads": "\(r.control.threads)"])
            return SimulationOutcome(method: r.method.method, out: r.out, decaysDone: result.decays, partial: false,
                                     totalTIABqS: totalTIA,
                                     regions: result.regions.map { ($0.name, $0.massG, $0.meanDoseGy, $0.relativeUncertainty) },
                                     wroteResults: true)
        }
        let emitter = Emitter.nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false))
        let sim = try PreparedSimulation(world: world!, source: .voxelMap(weights: weights), emitter: emitter,
                                         settings: r.settings, regions: scored, decaysRepresented: totalTIA,
                                         seed: r.seed, identity: [nuc.name])
        // The simulation keeps what the run needs (2-byte medium indices, the source's alias table): free the world's
        // per-voxel arrays (5 bytes per voxel) and the map on the dose grid (8 bytes per voxel) before the run.
        world = nil
        weights = []
        phase("transport tables")
        environment.log(String(format: "set-up %.1f s: %d voxels on the dose grid, %d scored region(s)",
                               Date().timeIntervalSince(started), grid.voxelCount, scored.count))
        environment.log("set-up phases: " + phases.joined(separator: ", "))
        var runner = SimulationRunner(simulation: sim, control: control, out: r.out, nuclide: nuc.name,
                                      environment: environment, resume: r.resume, targetRegion: target, firstDecay: first,
                                      totalDecays: totalDecays,
                                      extraSettings: ["activity_file": r.activity, "geometry": geometry,
                                                      "shard": r.shard ?? "1/1", "dose_grid": gridNote,
                                                      "total_tia_bq_s": "\(totalTIA)", "method": DoseMethod.mc.rawValue,
                                                      "activity_unit": unit.rawValue,
                                                      "overwrite": r.overwrite ? "yes (checkpoint discarded)" : "no",
                                                      "warnings": unitWarning ?? ""])
        if r.doseToWater {
            let eRef = max(nuc.betaMeanEnergyMeV, 0.01)
            runner.doseToWaterFactors = try DoseToWater.factors(materials: sim.materials, referenceEnergyMeV: eRef)
            runner.extraSettings["dose_to_water_reference_energy_mev"] = "\(eRef)"
        }
        let state = try runner.run()
        let regionDoses = sim.regionDoses(state)  // no full-grid result arrays
        return SimulationOutcome(method: .mc, out: r.out, decaysDone: state.decaysDone, partial: state.partial,
                                 totalTIABqS: totalTIA,
                                 regions: regionDoses.map { ($0.name, $0.massG, $0.meanDoseGy, $0.relativeUncertainty) },
                                 wroteResults: environment.writesResults)
    }
}
