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
        func rel(_ slot: Int) -> Double? {
            let m = tally.moments(slot: slot)
            return Self.relativeUncertainty(sum: m.sum, sumSquares: m.sumSquares, histories: histories)
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

    /// Relative standard error of the mean energy per history from integer sums.
    static func relativeUncertainty(sum: UInt64, sumSquares: UInt64, histories: UInt64) -> Double? {
        guard histories > 1, sum != 0 else { return nil }
        let m = TallySums.meanAndStandardError(sum: sum, sumSquares: sumSquares, histories: histories)
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
        let start = Date()
        var lastCheckpoint = start
        let workers = control.threads
        // The run's one tally, holding the resumed sums and everything since; this process's workers add into it,
        // an external round runner returns sums that are added into it.
        let tally = SharedTally(slotCount: voxelCount + regionCount, firstRegionSlot: voxelCount)
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
