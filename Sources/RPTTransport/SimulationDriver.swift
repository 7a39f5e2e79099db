import Foundation
import RPTCore

/// Runs one round: the histories of a range, with this many local worker threads; returns their exact sums.
/// Called once per round (seconds of work), never per history.
public typealias RoundRunner = (_ histories: Range<UInt64>, _ workers: Int, _ stop: StopFlag?) -> RunChunk

/// Runs a simulation in rounds until its goal, reporting progress and calling a checkpoint hook.
///
/// The result depends only on the seed and on the number of decays completed: decays [0, N) of the
/// range, each with its own random stream, summed exactly (see `EnergyTally`). Round sizes, thread
/// counts, interruptions and resumptions therefore never change the result for a given N.
public struct SimulationDriver<Kernel: HistoryKernel> {
    public var kernel: Kernel
    /// Number of real voxels in the tally grid.
    public var voxelCount: Int
    /// Number of regions scored as virtual voxels after the grid (see `RegionScoring`).
    public var regionCount: Int
    /// Region whose uncertainty drives `RunControl.targetUncertainty`, if any.
    public var targetRegion: Int?
    /// Voxel indices of the target region (for the median-voxel criterion).
    public var targetRegionVoxels: [Int]
    /// First decay index of this run's range (shards start elsewhere than 0).
    public var firstDecay: UInt64
    /// Master seed of the random streams (the simulation's, see `PreparedSimulation.seed`).
    public var seed: UInt64
    /// Runs one round of histories in place of `ParallelRunner.run` on this process (e.g. spread over MPI
    /// ranks); nil = this process's threads. It must return the sums of exactly the `completed` prefix.
    public var roundRunner: RoundRunner?
    /// Decays of the whole run this range belongs to (a shard's run; default: this range alone): systematic source
    /// sampling needs ≥ `SourceSampling.minimumBatches` batches in the whole run.
    public var totalDecays: UInt64?

    public init(kernel: Kernel, voxelCount: Int, regionCount: Int, targetRegion: Int? = nil,
                targetRegionVoxels: [Int] = [], firstDecay: UInt64 = 0, seed: UInt64) {
        self.kernel = kernel; self.voxelCount = voxelCount; self.regionCount = regionCount
        self.targetRegion = targetRegion; self.targetRegionVoxels = targetRegionVoxels; self.firstDecay = firstDecay
        self.seed = seed
    }

    /// Current relative uncertainty for the stopping rule (nil when it cannot be computed yet), from the run's
    /// shared tally (resumed sums included), reading only the slots the rule needs.
    func currentUncertainty(tally: SharedTally, histories: UInt64, criterion: UncertaintyCriterion) -> Double? {
        guard histories > 1 else { return nil }
        let statistics = tally.statistics
        // Batch statistics: no σ to stop on before the minimum number of batches (it would be too uncertain itself).
        if case .batches = statistics, statistics.samples(histories: histories) < UInt64(SourceSampling.minimumBatches) {
            return nil
        }
        func rel(_ slot: Int) -> Double? {
            let m = tally.moments(slot: slot)
            return Self.relativeUncertainty(sum: m.sum, sumSquares: m.sumSquares, histories: histories,
                                            statistics: statistics)
        }
        switch criterion {
        case .roiMean:
            guard let r = targetRegion else { return nil }
            return rel(voxelCount + r)
        case .roiMedianVoxel:
            guard !targetRegionVoxels.isEmpty else { return nil }
            var u = targetRegionVoxels.map { rel($0) ?? .infinity }
            u.sort()
            return u[u.count / 2]
        }
    }

    /// Refuses a systematic-sampling run whose batches would not be whole or too few: the start, the decay count and a
    /// resumed count must be multiples of the batch size n, the run must plan ≥ `SourceSampling.minimumBatches`
    /// batches, decay indices must stay below 2⁶³ (`SourceSampling.batchStream`), and rounds may not be split over
    /// processes (MPI ranks cut rounds at arbitrary decays).
    static func checkSystematicRun(batch n: UInt64, firstDecay: UInt64, control: RunControl, totalDecays: UInt64?,
                                   resumedDecays: UInt64, external: Bool) throws {
        let source = "--source-sampling systematic"
        if external {
            throw InputError(source: source, reason: "not available with MPI ranks yet; run the ranks as shards "
                                 + "(`simulate --shard i/n`, then `rptdose merge`)")
        }
        for (what, value) in [("first decay", firstDecay), ("--decays", control.decays), ("decays resumed", resumedDecays)]
        where value % n != 0 {
            let down = value / n * n, up = down + n
            throw InputError(source: source, field: what, value: "\(value)",
                             reason: "decays run in whole batches of \(n): use a multiple of \(n) (e.g. \(down > 0 ? "\(down) or " : "")\(up))")
        }
        let planned = max(totalDecays ?? control.decays, control.decays)
        let batches = planned / n
        if batches < UInt64(SourceSampling.minimumBatches) {
            let least = UInt64(SourceSampling.minimumBatches) * n
            throw InputError(source: source, field: "--decays", value: "\(planned)",
                             reason: "\(batches) batches of \(n) decays: the uncertainty is estimated from the spread of the "
                                 + "batches and needs ≥ \(SourceSampling.minimumBatches) (σ is then uncertain by ≈ 1/√(2B) "
                                 + "≈ 13 %): use ≥ \(least) decays")
        }
        guard control.decays <= 1 << 63, firstDecay <= (1 << 63) - control.decays else {
            throw InputError(source: source, field: "decay indices", value: "\(firstDecay)+\(control.decays)",
                             reason: "must stay below 2^63")
        }
    }

    /// Relative standard error of the mean energy per history from integer sums.
    static func relativeUncertainty(sum: UInt64, sumSquares: UInt64, histories: UInt64,
                                    statistics: TallyStatistics = .historyByHistory) -> Double? {
        guard histories > 1, sum != 0 else { return nil }
        let m = TallySums.meanAndStandardError(sum: sum, sumSquares: sumSquares, histories: histories,
                                               statistics: statistics)
        return m.standardError / m.mean
    }

    /// Runs from `state` (empty or resumed) until the goal in `control`, a stop request, or the time limit.
    /// - Parameters:
    ///   - progress: called after every round (on the calling thread).
    ///   - checkpoint: called with the state at least every `checkpointIntervalSeconds`, and at the end.
    public func run(from initial: SimulationState, control: RunControl, stop: StopFlag? = nil,
                    progress: (RunProgress) -> Void = { _ in },
                    checkpoint: (SimulationState) throws -> Void = { _ in }) throws -> SimulationState {
        var base = initial
        // Empty sums (no slots, no histories) stand for a fresh run without allocating a full zero array.
        precondition(base.sums.slotCount == voxelCount + regionCount || (base.sums.slotCount == 0 && base.decaysDone == 0),
                     "resumed tallies do not match the grid and regions")
        let sourceBatch = kernel.sourceBatchDecays
        if let n = sourceBatch {
            try Self.checkSystematicRun(batch: n, firstDecay: firstDecay, control: control, totalDecays: totalDecays,
                                        resumedDecays: base.decaysDone, external: roundRunner != nil)
        }
        let start = Date()
        var lastCheckpoint = start
        let workers = control.threads
        // The run's one tally, holding the resumed sums and everything since; this process's workers add into it,
        // an external round runner returns sums that are added into it.
        let tally = SharedTally(slotCount: voxelCount + regionCount, firstRegionSlot: voxelCount,
                                statistics: kernel.tallyStatistics)
        if base.decaysDone > 0 { try tally.add(base.sums) }
        let pool: TallyPool? = roundRunner == nil ? TallyPool(workers: workers, shared: tally) : nil
        var done = base.decaysDone
        var ledger = base.ledger
        var elapsedBefore = base.elapsedSeconds
        base.sums = TallySums(voxelCount: 0)  // now held by `tally`
        var rate = 0.0
        var interrupted = false
        /// The full state: the shared tally's sums (`final`: moved out of the tally, which is then spent).
        func snapshot(partial: Bool, final: Bool = false) throws -> SimulationState {
            var s = base
            s.sums = final ? try tally.takeSums(histories: done) : try tally.sums(histories: done)
            s.ledger = ledger
            s.partial = partial
            s.elapsedSeconds = elapsedBefore
            return s
        }
        func uncertainty() -> Double? {
            control.targetUncertainty == nil ? nil
                : currentUncertainty(tally: tally, histories: done, criterion: control.criterion)
        }
        while done < control.decays {
            let elapsed = Date().timeIntervalSince(start)
            if let limit = control.maxTimeSeconds, elapsed >= limit { break }
            if stop?.isRequested == true { break }
            if let target = control.targetUncertainty, let u = uncertainty(), u <= target { break }
            // Size the next round: about 10 s of work (bounded by the goal and the time limit), and in
            // target mode no more than the estimate of what the target still needs.
            var size = UInt64(control.batchSize * workers * 8)
            if rate > 0 {
                size = UInt64(max(Double(control.batchSize * workers), rate * 10))
                if let limit = control.maxTimeSeconds {
                    size = min(size, UInt64(max(Double(control.batchSize), rate * (limit - elapsed))))
                }
            }
            if let target = control.targetUncertainty, let u = uncertainty(), u > 0 {
                let needed = Double(done) * (u / target) * (u / target) - Double(done)
                size = min(size, UInt64(max(needed * 1.1, Double(control.batchSize * workers))))
            }
            if let n = sourceBatch { size = (size + n - 1) / n * n }  // whole batches (decays and start are multiples of n)
            size = min(size, control.decays - done)
            let lo = firstDecay + done
            let t0 = Date()
            let chunk: RunChunk
            if let roundRunner {
                // An external runner (MPI ranks) returns its round's sums already reduced.
                chunk = roundRunner(lo..<(lo + size), workers, stop)
                try tally.add(chunk.sums)
            } else {
                chunk = ParallelRunner.run(kernel: kernel, seed: seed, histories: lo..<(lo + size),
                                           batchSize: control.batchSize, pool: pool!, stop: stop)
            }
            let dt = Date().timeIntervalSince(t0)
            done += UInt64(chunk.completed.count)
            ledger += chunk.ledger
            elapsedBefore += dt
            #if DEBUG
            precondition(chunk.worstConservationError < 1e-9,
                         "energy not conserved in a history: relative error \(chunk.worstConservationError)")
            #endif
            if dt > 0 { rate = Double(chunk.completed.count) / dt }
            progress(RunProgress(decaysDone: done, decaysGoal: control.decays, decaysPerSecond: rate,
                                 elapsedSeconds: Date().timeIntervalSince(start), uncertainty: uncertainty()))
            if chunk.interrupted { interrupted = true; break }
            if Date().timeIntervalSince(lastCheckpoint) >= control.checkpointIntervalSeconds {
                try checkpoint(try snapshot(partial: true))
                lastCheckpoint = Date()
            }
        }
        var goalReached = done >= control.decays
        if !goalReached, !interrupted, let t = control.targetUncertainty, let u = uncertainty() { goalReached = u <= t }
        let final = try snapshot(partial: !goalReached, final: true)
        try checkpoint(final)
        return final
    }
}
