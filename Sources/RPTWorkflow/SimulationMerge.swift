import RPTCore
import RPTStore
import RPTTransport
import RPTVolume

/// The result of merging simulation parts (shards, partial runs, earlier merges) of one simulation.
public struct MergedSimulation: Sendable {
    /// Summed tallies and energy ledger; `state.partial` is true unless [0, total_decays) is covered.
    public var state: SimulationState
    public var record: SimulationRecord
    public var grid: Grid3D
    public var regionNames: [String]
    public var voxelMassG: [Double]
    public var regionMassG: [Double]
    /// The decay indices held: the union of the parts' ranges, contiguous.
    public var decayRange: Range<UInt64>

    /// Dose and uncertainties recomputed from the summed tallies and the stored masses, exactly as
    /// `PreparedSimulation.result` computes them for a single run.
    public func result() -> DoseResult {
        DoseResult(state: state, grid: grid, voxelMassG: voxelMassG, decaysRepresented: record.decaysRepresented,
                   regionNames: regionNames, regionMassG: regionMassG)
    }
}

/// Adds up the raw integer tallies of simulation parts.
///
/// Each part holds the decays [first_decay, first_decay + decays); every decay has its own random stream
/// and the tallies are integer sums, so the merged tallies — and the dose recomputed from them — are
/// bitwise identical to those of one run over the union of the ranges. Parts must come from the same
/// simulation (same fingerprint) and their ranges must neither overlap nor leave gaps between them.
public enum SimulationMerge {
    public static func merge(_ parts: [SimulationPart]) throws -> MergedSimulation {
        guard let first = parts.first else {
            throw InputError(source: "merge", field: "parts", reason: "give at least one simulation result file")
        }
        try checkSameSimulation(parts)
        // Fixed order: by first decay (then by file name, for empty parts).
        let ordered = parts.sorted {
            ($0.record.firstDecay, $0.path) < ($1.record.firstDecay, $1.path)
        }
        let filled = ordered.filter { $0.state.decaysDone > 0 }
        try checkCoverage(filled)
        var state = SimulationState(voxelCount: first.state.sums.sum.count)
        state.sums.statistics = first.state.sums.statistics  // equal in every part (same fingerprint, same settings)
        for p in ordered {
            try state.sums.add(p.state.sums)
            state.ledger += p.state.ledger
            state.elapsedSeconds += p.state.elapsedSeconds
        }
        let lo = filled.first?.decayRange.lowerBound ?? 0
        let hi = filled.last?.decayRange.upperBound ?? 0
        precondition(state.decaysDone == hi - lo)
        let total = parts.map(\.record.totalDecays).max()!
        state.partial = !(lo == 0 && hi >= total)
        var settings = first.record.settings
        settings["shard"] = "merged"
        settings["merged_parts"] = filled.map { "\(fileName($0.path)) \(show($0.decayRange))" }.joined(separator: "; ")
        let record = SimulationRecord(
            fingerprint: first.record.fingerprint, seed: first.record.seed, firstDecay: lo,
            plannedEndDecay: max(total, hi), totalDecays: total, decaysRepresented: first.record.decaysRepresented,
            partial: state.partial, nuclide: first.record.nuclide, settings: settings)
        return MergedSimulation(state: state, record: record, grid: first.grid, regionNames: first.regionNames,
                                voxelMassG: first.voxelMassG, regionMassG: first.regionMassG, decayRange: lo..<hi)
    }

    /// Same fingerprint, and (belt and braces) the same grid, regions, masses and scaling.
    public static func checkSameSimulation(_ parts: [SimulationPart]) throws {
        let first = parts[0]
        let prints = Set(parts.map(\.record.fingerprint))
        if prints.count > 1 {
            let list = parts.map { "\($0.path): \($0.record.fingerprint)" }.joined(separator: ", ")
            throw InputError(source: "merge", field: "/simulation@fingerprint", value: list,
                             reason: "the files come from different simulations (inputs, settings or seed differ); "
                                 + "only shards of one simulation can be merged")
        }
        for p in parts.dropFirst() {
            func refuse(_ field: String, _ reason: String) -> InputError {
                InputError(source: p.path, field: field, reason: reason + " than \(first.path)")
            }
            guard p.grid.isSameGrid(as: first.grid, toleranceMM: 0) else { throw refuse("dose grid", "has another grid") }
            guard p.regionNames == first.regionNames else {
                throw refuse("/simulation/tallies@region_names", "has other scored regions")
            }
            guard p.voxelMassG == first.voxelMassG, p.regionMassG == first.regionMassG else {
                throw refuse("/simulation/voxel_mass_g", "has other voxel or region masses")
            }
            guard p.record.decaysRepresented.bitPattern == first.record.decaysRepresented.bitPattern else {
                throw refuse("/simulation@decays_represented", "scales to another number of decays")
            }
        }
    }

    /// Ranges sorted by start must follow each other exactly: no overlap, no gap.
    public static func checkCoverage(_ ordered: [SimulationPart]) throws {
        for (a, b) in zip(ordered, ordered.dropFirst()) {
            let ra = a.decayRange, rb = b.decayRange
            if rb.lowerBound < ra.upperBound {
                let overlap = max(ra.lowerBound, rb.lowerBound)..<min(ra.upperBound, rb.upperBound)
                throw InputError(source: "merge", field: "decay ranges",
                                 value: "\(a.path) \(show(ra)), \(b.path) \(show(rb))",
                                 reason: "the parts overlap on decays \(show(overlap)); each decay may be counted once")
            }
            if rb.lowerBound > ra.upperBound {
                var hint = "run the missing shard and merge again"
                if a.state.partial && a.record.plannedEndDecay > ra.upperBound {
                    hint = "\(a.path) is a partial shard (planned \(show(a.record.firstDecay..<a.record.plannedEndDecay))); "
                        + "complete it with `rptdose simulate ... --resume` and merge again"
                }
                throw InputError(source: "merge", field: "decay ranges",
                                 value: "\(a.path) \(show(ra)), \(b.path) \(show(rb))",
                                 reason: "decays \(show(ra.upperBound..<rb.lowerBound)) are missing between them; " + hint)
            }
        }
    }

    public static func show(_ r: Range<UInt64>) -> String { "[\(r.lowerBound), \(r.upperBound))" }
    public static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
