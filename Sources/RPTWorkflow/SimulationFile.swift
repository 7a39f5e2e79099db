import Foundation
import RPTCore
import RPTStore
import RPTTransport
import RPTVolume

/// What identifies a simulation run in its output file (besides the tallies).
public struct SimulationRecord: Sendable {
    public var fingerprint: String
    public var seed: UInt64
    /// The decay indices [firstDecay, firstDecay + decaysDone) were simulated.
    public var firstDecay: UInt64
    /// The shard's planned range end (exclusive); equals firstDecay + planned decays.
    public var plannedEndDecay: UInt64
    /// Decays of the whole run the shard belongs to (`--decays`): complete means [0, totalDecays) done.
    public var totalDecays: UInt64
    public var decaysRepresented: Double
    public var partial: Bool
    public var nuclide: String
    /// Free settings (physics, cut-offs, accelerations, threads, run time) for provenance.
    public var settings: [String: String]

    /// - Parameter totalDecays: decays of the whole run; default `plannedEndDecay` (an unsharded run).
    public init(fingerprint: String, seed: UInt64, firstDecay: UInt64, plannedEndDecay: UInt64,
                totalDecays: UInt64? = nil,
                decaysRepresented: Double, partial: Bool, nuclide: String, settings: [String: String]) {
        self.fingerprint = fingerprint; self.seed = seed; self.firstDecay = firstDecay
        self.plannedEndDecay = plannedEndDecay; self.totalDecays = totalDecays ?? plannedEndDecay
        self.decaysRepresented = decaysRepresented
        self.partial = partial; self.nuclide = nuclide; self.settings = settings
    }
}

/// Reads and writes simulation results (dose, uncertainty, raw tallies) in the HDF5 layout of
/// docs/formats/hdf5.md, section "Simulation results".
public enum SimulationFile {
    public static let group = "/simulation"
    public static let talliesGroup = "/simulation/tallies"

    /// Writes dose, uncertainty, energy per decay, region table, raw tallies, the masses the dose was
    /// computed from (so that `rptdose merge` can recompute it) and the run record.
    /// - Parameters:
    ///   - voxelMassG: mass of each voxel (g), i fastest.
    ///   - regionMassG: mass of each scored region (g), in the order of `regionNames`.
    public static func write(to path: String, result: DoseResult, state: SimulationState, record: SimulationRecord,
                             regionNames: [String], voxelMassG: [Double], regionMassG: [Double],
                             extraVolumes: [(String, AnyVolume)] = []) throws {
        precondition(voxelMassG.count == result.grid.voxelCount && regionMassG.count == regionNames.count)
        let voxels = VoxelOutputSource(massesG: { range, mass in
            voxelMassG.withUnsafeBufferPointer { m in
                for (k, v) in range.enumerated() { mass[k] = m[v] }
            }
        })
        try write(to: path, state: state, grid: result.grid, record: record, regionNames: regionNames, voxels: voxels,
                  regionMassG: regionMassG, extraVolumes: extraVolumes)
    }

    /// Per-voxel inputs of the result volumes, read a slab of voxels at a time (no full-grid array needed).
    public struct VoxelOutputSource {
        /// Writes the masses (g) of the voxels of a range of flat indices into the buffer (as many values).
        public var massesG: (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void
        /// With dose to water: the D_w/D_m factor of the voxels of a range; nil = no dose to water.
        public var doseToWaterFactors: ((Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void)?

        public init(massesG: @escaping (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void,
                    doseToWaterFactors: ((Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void)? = nil) {
            self.massesG = massesG; self.doseToWaterFactors = doseToWaterFactors
        }
    }

    /// Writes the result as above, computing every volume slab by slab (a few z slices at a time) straight from the
    /// tally sums: dose (float64), relative uncertainty (float32), energy per decay (float64), with `voxels`'
    /// dose-to-water factors also `dose_to_water` and `dose_to_water_factor` (float64), and the voxel masses — no
    /// full-grid copy of any of them. Values are those of `DoseResult`, bit for bit (`DoseResult.voxel`).
    public static func write(to path: String, state: SimulationState, grid: Grid3D, record: SimulationRecord,
                             regionNames: [String], voxels: VoxelOutputSource, regionMassG: [Double],
                             extraVolumes: [(String, AnyVolume)] = []) throws {
        let voxelCount = grid.voxelCount
        precondition(state.sums.slotCount == voxelCount + regionNames.count && regionMassG.count == regionNames.count)
        let histories = state.decaysDone, statistics = state.sums.statistics
        let k = DoseResult.grayPerMeVPerGram(decaysRepresented: record.decaysRepresented)
        let plane = grid.shape.x * grid.shape.y
        var mass: [Double] = [], factor: [Double] = []
        func writeRest(_ f: H5File) throws {
            for (name, v) in extraVolumes { try f.writeVolume(v, at: name) }
            let regions = DoseResult.regionDoses(sums: state.sums, histories: histories, voxelCount: voxelCount,
                                                 decaysRepresented: record.decaysRepresented, regionNames: regionNames,
                                                 regionMassG: regionMassG)
            if !regions.isEmpty {
                try f.writeTable(MCRegionsTable.make(names: regions.map(\.name), massG: regions.map(\.massG),
                                                     meanDoseGy: regions.map(\.meanDoseGy),
                                                     relativeUncertainty: regions.map(\.relativeUncertainty)),
                                 at: MCRegionsTable.path)
            }
            try writeTallies(f, state: state, regionNames: regionNames)
            try f.createGroup(group)
            let g = group
            try f.setAttribute("fingerprint", .string(record.fingerprint), at: g)
            try f.setAttribute("seed", .uint(record.seed), at: g)
            try f.setAttribute("first_decay", .uint(record.firstDecay), at: g)
            try f.setAttribute("planned_end_decay", .uint(record.plannedEndDecay), at: g)
            try f.setAttribute("total_decays", .uint(record.totalDecays), at: g)
            let massChunk = min(max(voxelCount, 1), 1 << 16)
            try f.writeDatasetInSlabs(shape: [voxelCount], at: g + "/voxel_mass_g",
                                      options: .compressed(chunkShape: [massChunk]), slabRows: 16 * massChunk) {
                (range: Range<Int>, out: UnsafeMutableBufferPointer<Double>) in voxels.massesG(range, out)
            }
            try f.writeDataset(regionMassG, shape: [regionMassG.count], at: g + "/region_mass_g")
            try f.setAttribute("decays", .uint(state.decaysDone), at: g)
            try f.setAttribute("decays_represented", .double(record.decaysRepresented), at: g)
            try f.setAttribute("partial", .int(record.partial ? 1 : 0), at: g)
            try f.setAttribute("nuclide", .string(record.nuclide), at: g)
            try f.setAttribute("run_time_s", .double(state.elapsedSeconds), at: g)
            try f.setAttribute("energy_emitted_mev", .double(state.ledger.emittedMeV), at: g)
            try f.setAttribute("energy_deposited_mev", .double(state.ledger.depositedMeV), at: g)
            try f.setAttribute("energy_escaped_mev", .double(state.ledger.escapedMeV), at: g)
            try f.setAttribute("energy_local_below_cutoff_mev", .double(state.ledger.localBelowCutoffMeV), at: g)
            try f.setAttribute("settings_keys", .strings(record.settings.keys.sorted()), at: g)
            try f.setAttribute("settings_values", .strings(record.settings.keys.sorted().map { record.settings[$0]! }), at: g)
            try f.writeProvenance(Provenance(seed: record.seed, settings: record.settings.mapValues { .string($0) }))
        }
        try state.sums.sum.withUnsafeBufferPointer { sum in
            try state.sums.sumSquares.withUnsafeBufferPointer { squares in
                /// One result volume, slab by slab: `value(voxel result or nil, mass, dose-to-water factor)`.
                func volume<T: VoxelScalar & H5Scalar>(_ f: H5File, _ name: String, unit: String, withFactor: Bool = false,
                                                       _ value: ((energyPerDecayMeV: Double, doseGy: Double,
                                                                  relativeUncertainty: Double)?, Double) -> T) throws {
                    try f.writeVolumeInSlabs(grid: grid, unit: unit, at: name) { (slices: Range<Int>, out: UnsafeMutableBufferPointer<T>) in
                        let range = (slices.lowerBound * plane)..<(slices.upperBound * plane)
                        if mass.count < range.count { mass = [Double](repeating: 0, count: range.count) }
                        mass.withUnsafeMutableBufferPointer { voxels.massesG(range, $0) }
                        if withFactor, let fill = voxels.doseToWaterFactors {
                            if factor.count < range.count { factor = [Double](repeating: 0, count: range.count) }
                            factor.withUnsafeMutableBufferPointer { fill(range, $0) }
                        }
                        for (j, v) in range.enumerated() {
                            let x = DoseResult.voxel(sum: sum[v], sumSquares: squares[v], histories: histories,
                                                     statistics: statistics, massG: mass[j], grayPerMeVPerGram: k)
                            out[j] = value(x, withFactor ? factor[j] : 1)
                        }
                    }
                }
                try H5File.write(to: path) { f in
                    try volume(f, "dose", unit: "Gy") { x, _ in x?.doseGy ?? 0 }
                    try volume(f, "dose_rel_uncertainty", unit: "1") { x, _ in Float(x?.relativeUncertainty ?? 0) }
                    try volume(f, "energy_per_decay", unit: "MeV") { x, _ in x?.energyPerDecayMeV ?? 0 }
                    if voxels.doseToWaterFactors != nil {
                        // D_w = D_m × factor (`SimulationRunner.doseToWater`); the factor is kept so that `merge`
                        // recomputes dose to water from the merged dose exactly as one run would.
                        try volume(f, "dose_to_water", unit: "Gy", withFactor: true) { x, w in (x?.doseGy ?? 0) * w }
                        try volume(f, SimulationRunner.doseToWaterFactorVolume, unit: "1", withFactor: true) { _, w in w }
                    }
                    try writeRest(f)
                }
            }
        }
    }

    /// Version of the raw tally layout (`/simulation/tallies@tally_version`): 2 = 64-bit Σq and Σq² with the
    /// squares in quanta of 2⁻³² MeV² (format 1.3); files without it hold the 128-bit tallies of format ≤ 1.2.
    public static let tallyVersion = 2

    /// Raw tallies: 64-bit integer sums (see `TallySums`) and the energy ledger (128-bit, split into low and high
    /// 64-bit words: HDF5 has no 128-bit integers).
    public static func writeTallies(_ f: H5File, state: SimulationState, regionNames: [String]) throws {
        let s = state.sums
        func lo(_ a: [UInt128]) -> [UInt64] { a.map { UInt64(truncatingIfNeeded: $0) } }
        func hi(_ a: [UInt128]) -> [UInt64] { a.map { UInt64(truncatingIfNeeded: $0 >> 64) } }
        let n = s.sum.count
        let opts = H5DatasetOptions.compressed(chunkShape: [min(max(n, 1), 1 << 16)])
        let t = talliesGroup
        try f.writeDataset(s.sum, shape: [n], at: t + "/sum", options: opts)
        try f.writeDataset(s.sumSquares, shape: [n], at: t + "/sum_squares", options: opts)
        try f.setAttribute("tally_version", .uint(UInt64(tallyVersion)), at: t)
        try f.setAttribute("histories", .uint(s.histories), at: t)
        try f.setAttribute("quantum_mev", .double(EnergyTally.quantumMeV), at: t)
        try f.setAttribute("square_quantum_mev2", .double(s.statistics.squareQuantumMeV2), at: t)
        // What sum_squares sums: the squares of histories, or of batch sums (systematic source sampling).
        try f.setAttribute("statistics", .string(s.statistics.name), at: t)
        if case .batches(let size) = s.statistics { try f.setAttribute("statistics_batch_decays", .uint(size), at: t) }
        try f.setAttribute("region_names", .strings(regionNames), at: t)
        let l = state.ledger
        try f.writeDataset(lo([l.emitted, l.deposited, l.escaped, l.localBelowCutoff, l.stackOverflow]), shape: [5],
                           at: t + "/ledger_lo")
        try f.writeDataset(hi([l.emitted, l.deposited, l.escaped, l.localBelowCutoff, l.stackOverflow]), shape: [5],
                           at: t + "/ledger_hi")
    }

    /// Reads back the tallies and the run record (for resume).
    public static func read(_ path: String) throws -> (state: SimulationState, record: SimulationRecord, grid: Grid3D) {
        let p = try readPart(path, masses: false)
        return (p.state, p.record, p.grid)
    }

    /// Reads back everything a merge needs: tallies, run record, grid, region names and, when
    /// `masses` is true, the voxel and region masses (files written before format 1.1 lack them).
    public static func readPart(_ path: String, masses: Bool = true) throws -> SimulationPart {
        try H5File.read(path) { f in
            guard f.exists(talliesGroup) else {
                throw InputError(source: path, field: talliesGroup, reason: "not an RPTDose simulation result (no raw tallies)")
            }
            let t = talliesGroup
            func join(_ l: String, _ h: String) throws -> [UInt128] {
                let a = try f.readDataset(at: t + "/" + l, as: UInt64.self).values
                let b = try f.readDataset(at: t + "/" + h, as: UInt64.self).values
                guard a.count == b.count else {
                    throw InputError(source: path, field: t + "/" + h, value: "\(b.count) values",
                                     reason: "\(l) has \(a.count)")
                }
                return zip(a, b).map { UInt128($0) | (UInt128($1) << 64) }
            }
            let version = try f.attributeIfPresent("tally_version", at: t)
            guard case .uint(let v)? = version, v == UInt64(tallyVersion) else {
                throw InputError(source: path, field: t + "@tally_version", value: version.map { "\($0)" } ?? "absent",
                                 reason: "the raw tallies were written by an older RPTDose (128-bit tallies, format ≤ 1.2) "
                                     + "and cannot be resumed or merged by this version (tally version \(tallyVersion)); "
                                     + "finish them with the RPTDose that wrote them, or re-run the simulation")
            }
            let sum = try f.readDataset(at: t + "/sum", as: UInt64.self).values
            let sum2 = try f.readDataset(at: t + "/sum_squares", as: UInt64.self).values
            let ledger = try join("ledger_lo", "ledger_hi")
            guard sum.count == sum2.count, ledger.count == 5 else {
                throw InputError(source: path, field: t, reason: "tally datasets have inconsistent lengths")
            }
            var state = SimulationState(voxelCount: sum.count)
            state.sums.sum = sum
            state.sums.sumSquares = sum2
            guard case .uint(let h)? = try f.attributeIfPresent("histories", at: t) else {
                throw InputError(source: path, field: t + "@histories", reason: "missing")
            }
            state.sums.histories = h
            // Files without the attribute (before systematic source sampling) hold history-by-history sums.
            switch try f.attributeIfPresent("statistics", at: t)?.asString ?? TallyStatistics.historyByHistory.name {
            case TallyStatistics.historyByHistory.name:
                state.sums.statistics = .historyByHistory
            case "batch":
                guard case .uint(let size)? = try f.attributeIfPresent("statistics_batch_decays", at: t), size > 0 else {
                    throw InputError(source: path, field: t + "@statistics_batch_decays", reason: "missing or 0 for batch statistics")
                }
                state.sums.statistics = .batches(size: size)
            case let other:
                throw InputError(source: path, field: t + "@statistics", value: other,
                                 reason: "expected history-by-history or batch")
            }
            state.ledger.emitted = ledger[0]; state.ledger.deposited = ledger[1]; state.ledger.escaped = ledger[2]
            state.ledger.localBelowCutoff = ledger[3]; state.ledger.stackOverflow = ledger[4]
            let g = group
            func uint(_ name: String) throws -> UInt64 {
                guard case .uint(let v)? = try f.attributeIfPresent(name, at: g) else {
                    throw InputError(source: path, field: g + "@" + name, reason: "missing or not an unsigned integer")
                }
                return v
            }
            state.partial = try f.intAttribute("partial", at: g) != 0
            state.elapsedSeconds = try f.doubleAttribute("run_time_s", at: g)
            let keys = try f.attribute("settings_keys", at: g).asStrings ?? []
            let values = try f.attribute("settings_values", at: g).asStrings ?? []
            let planned = try uint("planned_end_decay")
            let total = try f.attributeIfPresent("total_decays", at: g) == nil ? planned : try uint("total_decays")
            let record = SimulationRecord(
                fingerprint: try f.stringAttribute("fingerprint", at: g), seed: try uint("seed"),
                firstDecay: try uint("first_decay"), plannedEndDecay: planned, totalDecays: total,
                decaysRepresented: try f.doubleAttribute("decays_represented", at: g), partial: state.partial,
                nuclide: try f.stringAttribute("nuclide", at: g),
                settings: Dictionary(keys.indices.map { (keys[$0], $0 < values.count ? values[$0] : "") },
                                     uniquingKeysWith: { a, _ in a }))
            let grid = try f.readVolume(at: "dose").grid
            let regionNames = try f.attributeIfPresent("region_names", at: t)?.asStrings ?? []
            guard sum.count == grid.voxelCount + regionNames.count else {
                throw InputError(source: path, field: t + "/sum", value: "\(sum.count) slots",
                                 reason: "expected \(grid.voxelCount) voxels + \(regionNames.count) regions")
            }
            var voxelMass: [Double] = [], regionMass: [Double] = []
            if masses {
                for name in ["voxel_mass_g", "region_mass_g"] where !f.exists(g + "/" + name) {
                    throw InputError(source: path, field: g + "/" + name,
                                     reason: "missing (written by an RPTDose older than format 1.1); re-run this shard")
                }
                voxelMass = try f.readDataset(at: g + "/voxel_mass_g", as: Double.self).values
                regionMass = try f.readDataset(at: g + "/region_mass_g", as: Double.self).values
                guard voxelMass.count == grid.voxelCount, regionMass.count == regionNames.count else {
                    throw InputError(source: path, field: g + "/voxel_mass_g",
                                     reason: "\(voxelMass.count) voxel and \(regionMass.count) region masses for "
                                         + "\(grid.voxelCount) voxels and \(regionNames.count) regions")
                }
            }
            return SimulationPart(path: path, state: state, record: record, grid: grid, regionNames: regionNames,
                                  voxelMassG: voxelMass, regionMassG: regionMass)
        }
    }
}

/// One simulation result file as read back for resuming or merging.
public struct SimulationPart: Sendable {
    public var path: String
    public var state: SimulationState
    public var record: SimulationRecord
    public var grid: Grid3D
    public var regionNames: [String]
    /// Voxel masses (g), i fastest; empty when not read.
    public var voxelMassG: [Double]
    /// Region masses (g); empty when not read.
    public var regionMassG: [Double]

    /// The decay indices this part holds: [first_decay, first_decay + decays).
    public var decayRange: Range<UInt64> { record.firstDecay..<(record.firstDecay + state.decaysDone) }
}
