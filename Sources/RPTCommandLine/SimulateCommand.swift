import ArgumentParser
import Foundation
import RPTCore
import RPTDosimetry
import RPTPhysics
import RPTTransport
import RPTVolume

/// `rptdose simulate`: Monte Carlo dose from a TIA (or activity) map in a CT or label-map geometry.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Absorbed dose from a time-integrated activity map through CT or label-map voxels (Monte Carlo, or --method vsv|vsv-density|ldm|organ-s).")

    @Option(help: "CT image in Hounsfield units (geometry through the CT calibration).") var ct: String?
    @Option(help: "CT calibration folder (density.csv, materials.csv); default phantoms/scanners/default.")
    var calibration: String?
    @Option(help: "Label map of a computational phantom (geometry through --material-table).") var labels: String?
    @Option(help: "CSV label,material,density_g_cm3 for --labels.") var materialTable: String?
    @Option(help: "Time-integrated activity map (Bq·s per voxel); its grid is the dose grid.") var activity: String
    @Option(help: "Unit of the activity map: bq-s (per voxel) or bq-s-per-ml; required when the file does not state it.")
    var activityUnit: String?
    @Option(help: "Dose grid: activity (the map's grid; the CT is resampled onto it) or ct (the map is moved onto the CT grid, conserving Bq·s).")
    var doseGrid: String = "activity"
    @Option(help: "Radionuclide.") var nuclide: String = "Lu-177"
    @Option(help: "Label map of scored regions (organs, tumours), resampled onto the dose grid by nearest neighbour.")
    var regions: String?
    @Option(help: "CSV label,name naming the --regions labels (default: label_<value>).") var regionNames: String?
    @Option(help: "Region whose uncertainty drives --target-uncertainty.") var roi: String?
    @Option(help: "Run only shard i of n (e.g. 2/8): decays [(i−1)·N/n, i·N/n); combine the shards with `rptdose merge`.") var shard: String?
    @Flag(help: "Continue an interrupted run from its checkpoint (or partial result).") var resume = false
    @Flag(help: "Start afresh even though --out has a resumable checkpoint (which is then discarded).") var overwrite = false
    @Flag(help: "Also write dose to water (stopping-power ratio at the nuclide's mean β energy; docs/methods/transport.md).")
    var doseToWater = false
    @Option(help: "Output HDF5 file.") var out: String
    @OptionGroup var options: RunOptions
    @OptionGroup var methodOptions: DoseMethodOptions

    func run() throws {
        let method = try methodOptions.resolvedMethod()
        let control0 = try options.control()
        let actVolume = try VolumeFiles.readDouble(activity)
        try actVolume.grid.validate(source: activity)
        try actVolume.requireFinite(source: activity)
        var grid = actVolume.grid
        try ResumableOutput.refuseToDiscard(checkpoint: out + ".checkpoint.h5", resume: resume, overwrite: overwrite)
        var weights: [Double]
        let unit = try ActivityMapUnit.resolve(fileUnit: actVolume.unit, option: activityUnit, source: activity)
        switch unit {
        case .becquerelSecond: weights = actVolume.voxels
        case .becquerelSecondPerML: weights = actVolume.voxels.map { $0 * grid.voxelVolumeML }
        }
        let unitWarning = ActivityMapUnit.magnitudeWarning(totalBqS: weights.reduce(0, +), source: activity)
        if let unitWarning { Console.error("warning: " + unitWarning) }
        var gridNote = "activity"
        switch doseGrid {
        case "activity": break
        case "ct":
            guard let ct else { throw InputError(source: "--dose-grid", value: doseGrid, reason: "needs --ct") }
            // Move the decays onto the CT grid conserving each voxel's Bq·s (exact overlaps for aligned grids).
            let ctGrid = try VolumeFiles.read(ct).grid
            try GridOverlap.require(grid, imageSource: activity, inside: ctGrid, referenceSource: "the CT (\(ct))")
            let moved = Volume<Double>(grid: grid, voxels: weights).resampledConservingContent(onto: ctGrid)
            let total = weights.reduce(0, +)
            if total > 0 && moved.contentOutside > 1e-6 * total {
                Console.error(String(format: "warning: %.3g %% of the time-integrated activity lies outside the CT and is dropped",
                                     100 * moved.contentOutside / total))
            }
            weights = moved.volume.voxels.map { max(0, $0) }
            grid = ctGrid
            gridNote = "ct"
        default:
            throw InputError(source: "--dose-grid", value: doseGrid, reason: "valid: activity, ct")
        }
        if let (n, v) = weights.enumerated().first(where: { $0.element < 0 }) {
            let ijk = grid.voxelIndex(n)
            throw InputError(source: activity, field: "voxel (\(ijk.x), \(ijk.y), \(ijk.z))", value: "\(v)",
                             reason: "time-integrated activity must be ≥ 0")
        }
        let world = try Self.buildWorld(ct: ct, calibration: calibration, labels: labels, materialTable: materialTable,
                                        grid: grid, gridSource: activity)
        let scored = try Self.loadRegions(regions, names: regionNames, grid: grid)
        var target: Int? = nil
        if let roi {
            guard let i = scored.firstIndex(where: { $0.name == roi }) else {
                throw InputError(source: "--roi", value: roi, reason: "no such region; regions: "
                                 + (scored.isEmpty ? "(none: pass --regions)" : scored.map(\.name).joined(separator: ", ")))
            }
            target = i
        } else if control0.targetUncertainty != nil {
            throw InputError(source: "--target-uncertainty", reason: "needs --roi NAME (and --regions)")
        }
        var control = control0
        var first: UInt64 = 0
        if let shard {
            guard control.targetUncertainty == nil else {
                throw InputError(source: "--shard", value: shard, reason: "shards need a fixed --decays, not --target-uncertainty")
            }
            let (i, n) = try Self.parseShard(shard)
            first = control.decays * UInt64(i - 1) / UInt64(n)
            let end = control.decays * UInt64(i) / UInt64(n)
            control.decays = end - first
        }
        let nuc = try Nuclide.named(nuclide, source: "--nuclide")
        if method != .mc {
            try runKernelMethod(method, world: world, weights: weights, scored: scored, nuclide: nuc, control: control0)
            return
        }
        let emitter = Emitter.nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false))
        let totalTIA = weights.reduce(0, +)
        let sim = try PreparedSimulation(world: world, source: .voxelMap(weights: weights), emitter: emitter,
                                         settings: options.settings, regions: scored, decaysRepresented: totalTIA,
                                         seed: control.seed, identity: [nuc.name])
        var runner = SimulationRunner(simulation: sim, control: control, out: out, nuclide: nuc.name, quiet: options.quiet,
                                      resume: resume, targetRegion: target, firstDecay: first,
                                      totalDecays: control0.decays,
                                      extraSettings: ["activity_file": activity, "geometry": ct ?? labels ?? "",
                                                      "shard": shard ?? "1/1", "dose_grid": gridNote, "total_tia_bq_s": "\(totalTIA)",
                                                      "method": DoseMethod.mc.rawValue, "activity_unit": unit.rawValue,
                                                      "overwrite": overwrite ? "yes (checkpoint discarded)" : "no",
                                                      "warnings": unitWarning ?? ""])
        if doseToWater {
            let eRef = max(nuc.betaMeanEnergyMeV, 0.01)
            runner.doseToWaterFactors = try DoseToWater.factors(materials: world.materials, referenceEnergyMeV: eRef)
            runner.extraSettings["dose_to_water_reference_energy_mev"] = "\(eRef)"
        }
        let state = try runner.run()
        #if MPI
        if MPICommunicator.isWorkerRank { return }  // rank 0 writes and reports
        #endif
        let result = sim.result(state)
        print("wrote \(out): \(state.decaysDone) decays\(state.partial ? " (partial)" : ""), total TIA \(fmt(totalTIA)) Bq·s")
        for r in result.regions {
            print("  " + r.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + " mean dose \(fmt(r.meanDoseGy)) Gy ± \(fmt(100 * r.relativeUncertainty)) %  (mass \(fmt(r.massG)) g)")
        }
        if state.partial { throw ExitCode(ExitStatus.partialResult) }
    }

    /// `--method ldm|vsv|vsv-density|organ-s`: the dose without (or, organ-s, with per-region) Monte Carlo runs.
    func runKernelMethod(_ method: DoseMethod, world: VoxelWorld, weights: [Double], scored: [ScoredRegion],
                         nuclide nuc: Nuclide, control: RunControl) throws {
        for (flag, used) in [("--shard", shard != nil), ("--resume", resume), ("--dose-to-water", doseToWater),
                             ("--target-uncertainty", control.targetUncertainty != nil)] where used {
            throw InputError(source: flag, value: method.rawValue, reason: "only available with --method mc")
        }
        let quiet = options.quiet
        let result = try MethodDoseCalculator.compute(method: method, world: world, tiaBqS: weights, regions: scored,
                                                      nuclide: nuc, options: methodOptions, control: control,
                                                      settings: options.settings, log: { if !quiet { Console.error($0) } })
        for w in result.warnings { Console.error("warning: " + w) }
        let totalTIA = weights.reduce(0, +)
        try MethodDoseFile.write(result, to: out, nuclide: nuc.name, seed: control.seed,
                                 settings: ["activity_file": activity, "geometry": ct ?? labels ?? "",
                                            "total_tia_bq_s": "\(totalTIA)", "threads": "\(control.threads)"])
        print("wrote \(out): method \(method.rawValue), total TIA \(fmt(totalTIA)) Bq·s")
        for r in result.regions {
            let u = r.relativeUncertainty.isNaN ? "" : " ± \(fmt(100 * r.relativeUncertainty)) %"
            print("  " + r.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + " mean dose \(fmt(r.meanDoseGy)) Gy\(u)  (mass \(fmt(r.massG)) g)")
        }
    }

    static func parseShard(_ s: String) throws -> (Int, Int) {
        let p = s.split(separator: "/").compactMap { Int($0) }
        guard p.count == 2, p[1] >= 1, p[0] >= 1, p[0] <= p[1] else {
            throw InputError(source: "--shard", value: s, reason: "expected i/n with 1 ≤ i ≤ n, e.g. 2/8")
        }
        return (p[0], p[1])
    }

    /// - Parameter gridSource: the file `grid` comes from (the activity map): it must lie where the geometry is
    ///   (`GridOverlap`, the rule of the study manifest too).
    static func buildWorld(ct: String?, calibration: String?, labels: String?, materialTable: String?,
                           grid: Grid3D, gridSource: String = "--activity") throws -> VoxelWorld {
        switch (ct, labels) {
        case (let ct?, nil):
            let cal = try CTCalibration.load(directory: calibration ?? DataPaths.defaultCalibration())
            let hu = try VolumeFiles.readDouble(ct)
            try hu.grid.validate(source: ct)
            try GridOverlap.require(grid, imageSource: gridSource, inside: hu.grid, referenceSource: "the CT (\(ct))")
            return try WorldBuilder.fromCT(hu, calibration: cal, grid: grid, source: ct)
        case (nil, let labels?):
            guard let materialTable else {
                throw InputError(source: "--labels", reason: "needs --material-table CSV (label,material,density_g_cm3)")
            }
            let table = try LabelMaterialTable.load(path: materialTable)
            var l = try VolumeFiles.readDouble(labels)
            try GridOverlap.require(grid, imageSource: gridSource, inside: l.grid, referenceSource: "the label map (\(labels))")
            if !l.grid.isSameGrid(as: grid) { l = l.resampled(onto: grid, mode: .nearest) }
            return try WorldBuilder.fromLabels(l, table: table, source: labels, tableSource: materialTable)
        default:
            throw InputError(source: "geometry", reason: "give exactly one of --ct CT or --labels L --material-table T")
        }
    }

    /// Scored regions from a label map and optional names CSV (label,name).
    static func loadRegions(_ path: String?, names: String?, grid: Grid3D) throws -> [ScoredRegion] {
        guard let path else { return [] }
        var l = try VolumeFiles.readDouble(path)
        if !l.grid.isSameGrid(as: grid) { l = l.resampled(onto: grid, mode: .nearest) }
        let table = try names.map { try LabelTable.load($0).names } ?? [:]
        var byLabel: [Int: [Int]] = [:]
        for (n, v) in l.voxels.enumerated() where v != 0 { byLabel[try LabelValue.integer(v, source: path), default: []].append(n) }
        return byLabel.keys.sorted().map { ScoredRegion(name: table[$0] ?? "label_\($0)", voxels: byLabel[$0]!) }
    }
}
