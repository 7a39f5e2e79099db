import Foundation
import RPTCore
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
    public var decaysRepresented: Double
    public var partial: Bool
    public var nuclide: String
    /// Free settings (physics, cut-offs, accelerations, threads, run time) for provenance.
    public var settings: [String: String]

    public init(fingerprint: String, seed: UInt64, firstDecay: UInt64, plannedEndDecay: UInt64,
                decaysRepresented: Double, partial: Bool, nuclide: String, settings: [String: String]) {
        self.fingerprint = fingerprint; self.seed = seed; self.firstDecay = firstDecay
        self.plannedEndDecay = plannedEndDecay; self.decaysRepresented = decaysRepresented
        self.partial = partial; self.nuclide = nuclide; self.settings = settings
    }
}

/// Reads and writes simulation results (dose, uncertainty, raw tallies) in the HDF5 layout of
/// docs/formats/hdf5.md, section "Simulation results".
public enum SimulationFile {
    public static let group = "/simulation"
    public static let talliesGroup = "/simulation/tallies"

    /// Writes dose, uncertainty, energy per decay, region table, raw tallies and the run record.
    public static func write(to path: String, result: DoseResult, state: SimulationState, record: SimulationRecord,
                             regionNames: [String], extraVolumes: [(String, AnyVolume)] = []) throws {
        try H5File.write(to: path) { f in
            try f.writeVolume(AnyVolume(Volume<Double>(grid: result.grid, voxels: result.doseGy, unit: "Gy")), at: "dose")
            try f.writeVolume(AnyVolume(Volume<Float>(grid: result.grid, voxels: result.relativeUncertainty.map { Float($0) },
                                                      unit: "1")), at: "dose_rel_uncertainty")
            try f.writeVolume(AnyVolume(Volume<Double>(grid: result.grid, voxels: result.energyPerDecayMeV, unit: "MeV")),
                              at: "energy_per_decay")
            for (name, v) in extraVolumes { try f.writeVolume(v, at: name) }
            if !result.regions.isEmpty {
                try f.writeTable(Table(columns: [
                    .init("region", .string(result.regions.map(\.name))),
                    .init("mass_g", .double(result.regions.map(\.massG)), unit: "g"),
                    .init("mean_dose_gy", .double(result.regions.map(\.meanDoseGy)), unit: "Gy"),
                    .init("mc_rel_uncertainty", .double(result.regions.map(\.relativeUncertainty)), unit: "1"),
                ]), at: "mc_regions")
            }
            try writeTallies(f, state: state, regionNames: regionNames)
            try f.createGroup(group)
            let g = group
            try f.setAttribute("fingerprint", .string(record.fingerprint), at: g)
            try f.setAttribute("seed", .uint(record.seed), at: g)
            try f.setAttribute("first_decay", .uint(record.firstDecay), at: g)
            try f.setAttribute("planned_end_decay", .uint(record.plannedEndDecay), at: g)
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
    }

    /// Raw tallies: 128-bit sums split into low and high 64-bit words (HDF5 has no 128-bit integers).
    static func writeTallies(_ f: H5File, state: SimulationState, regionNames: [String]) throws {
        let s = state.sums
        func lo(_ a: [UInt128]) -> [UInt64] { a.map { UInt64(truncatingIfNeeded: $0) } }
        func hi(_ a: [UInt128]) -> [UInt64] { a.map { UInt64(truncatingIfNeeded: $0 >> 64) } }
        let n = s.sum.count
        let opts = H5DatasetOptions.compressed(chunkShape: [min(n, 1 << 16)])
        let t = talliesGroup
        try f.writeDataset(lo(s.sum), shape: [n], at: t + "/sum_lo", options: opts)
        try f.writeDataset(hi(s.sum), shape: [n], at: t + "/sum_hi", options: opts)
        try f.writeDataset(lo(s.sumSquares), shape: [n], at: t + "/sum_squares_lo", options: opts)
        try f.writeDataset(hi(s.sumSquares), shape: [n], at: t + "/sum_squares_hi", options: opts)
        try f.setAttribute("histories", .uint(s.histories), at: t)
        try f.setAttribute("quantum_mev", .double(EnergyTally.quantumMeV), at: t)
        try f.setAttribute("region_names", .strings(regionNames), at: t)
        let l = state.ledger
        try f.writeDataset(lo([l.emitted, l.deposited, l.escaped, l.localBelowCutoff, l.stackOverflow]), shape: [5],
                           at: t + "/ledger_lo")
        try f.writeDataset(hi([l.emitted, l.deposited, l.escaped, l.localBelowCutoff, l.stackOverflow]), shape: [5],
                           at: t + "/ledger_hi")
    }

    /// Reads back the tallies and the run record (for resume and merge).
    public static func read(_ path: String) throws -> (state: SimulationState, record: SimulationRecord, grid: Grid3D) {
        try H5File.read(path) { f in
            guard f.exists(talliesGroup) else {
                throw InputError(source: path, field: talliesGroup, reason: "not an RPTDose simulation result (no raw tallies)")
            }
            let t = talliesGroup
            func join(_ l: String, _ h: String) throws -> [UInt128] {
                let a = try f.readDataset(at: t + "/" + l, as: UInt64.self).values
                let b = try f.readDataset(at: t + "/" + h, as: UInt64.self).values
                return zip(a, b).map { UInt128($0) | (UInt128($1) << 64) }
            }
            let sum = try join("sum_lo", "sum_hi"), sum2 = try join("sum_squares_lo", "sum_squares_hi")
            let ledger = try join("ledger_lo", "ledger_hi")
            var state = SimulationState(voxelCount: sum.count)
            state.sums.sum = sum
            state.sums.sumSquares = sum2
            guard case .uint(let h)? = try f.attributeIfPresent("histories", at: t) else {
                throw InputError(source: path, field: t + "@histories", reason: "missing")
            }
            state.sums.histories = h
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
            let record = SimulationRecord(
                fingerprint: try f.stringAttribute("fingerprint", at: g), seed: try uint("seed"),
                firstDecay: try uint("first_decay"), plannedEndDecay: try uint("planned_end_decay"),
                decaysRepresented: try f.doubleAttribute("decays_represented", at: g), partial: state.partial,
                nuclide: try f.stringAttribute("nuclide", at: g),
                settings: Dictionary(uniqueKeysWithValues: zip(keys, values)))
            let grid = try f.readVolume(at: "dose").grid
            return (state, record, grid)
        }
    }
}
