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
    /// Runs one round of histories in place of `ParallelRunner.run` on this process (e.g. spread over MPI
    /// ranks); nil = this process's threads. It must return the sums of exactly the `completed` prefix.
    public var roundRunner: RoundRunner?

    public init(kernel: Kernel, voxelCount: Int, regionCount: Int, targetRegion: Int? = nil,
                targetRegionVoxels: [Int] = [], firstDecay: UInt64 = 0) {
        self.kernel = kernel; self.voxelCount = voxelCount; self.regionCount = regionCount
        self.targetRegion = targetRegion; self.targetRegionVoxels = targetRegionVoxels; self.firstDecay = firstDecay
    }

    /// Current relative uncertainty for the stopping rule (nil when it cannot be computed yet).
    public func currentUncertainty(_ state: SimulationState, criterion: UncertaintyCriterion) -> Double? {
        guard state.decaysDone > 1 else { return nil }
        switch criterion {
        case .roiMean:
            guard let r = targetRegion else { return nil }
            return Self.relativeUncertainty(state.sums, index: voxelCount + r)
        case .roiMedianVoxel:
            var u: [Double] = []
            u.reserveCapacity(targetRegionVoxels.count)
            for v in targetRegionVoxels {
                u.append(Self.relativeUncertainty(state.sums, index: v) ?? .infinity)
            }
            guard !u.isEmpty else { return nil }
            u.sort()
            return u[u.count / 2]
        }
    }

    /// Relative standard error of the mean energy per history in tally slot `index`.
    static func relativeUncertainty(_ s: TallySums, index: Int) -> Double? {
        let n = Double(s.histories)
        guard s.histories > 1, s.sum[index] != 0 else { return nil }
        let q = EnergyTally.quantumMeV
        let sum = Double(s.sum[index]) * q, sum2 = Double(s.sumSquares[index]) * q * q
        let mean = sum / n
        let variance = max(0, (sum2 - sum * mean) / (n - 1))
        return (variance / n).squareRoot() / mean
    }

    /// Runs from `state` (empty or resumed) until the goal in `control`, a stop request, or the time limit.
    /// - Parameters:
    ///   - progress: called after every round (on the calling thread).
    ///   - checkpoint: called with the state at least every `checkpointIntervalSeconds`, and at the end.
    public func run(from initial: SimulationState, control: RunControl, stop: StopFlag? = nil,
                    progress: (RunProgress) -> Void = { _ in },
                    checkpoint: (SimulationState) throws -> Void = { _ in }) throws -> SimulationState {
        var state = initial
        let start = Date()
        var lastCheckpoint = start
        let workers = ParallelRunner.workerCount(threads: control.threads, voxelCount: voxelCount + regionCount,
                                                 memoryBudgetBytes: control.tallyMemoryBudgetBytes)
        var rate = 0.0
        var roundSize = UInt64(max(control.batchSize * workers * 4, 1))
        while state.decaysDone < control.decays {
            let elapsed = Date().timeIntervalSince(start)
            if let limit = control.maxTimeSeconds, elapsed >= limit { break }
            if stop?.isRequested == true { break }
            if let target = control.targetUncertainty,
               let u = currentUncertainty(state, criterion: control.criterion), u <= target { break }
            // Size the next round: about 10 s of work (bounded by the goal and the time limit), and in
            // target mode no more than the estimate of what the target still needs.
            var size = roundSize
            if rate > 0 {
                size = UInt64(max(Double(control.batchSize * workers), rate * 10))
                if let limit = control.maxTimeSeconds {
                    size = min(size, UInt64(max(Double(control.batchSize), rate * (limit - elapsed))))
                }
            }
            if let target = control.targetUncertainty,
               let u = currentUncertainty(state, criterion: control.criterion), u > 0 {
                let needed = Double(state.decaysDone) * (u / target) * (u / target) - Double(state.decaysDone)
                size = min(size, UInt64(max(needed * 1.1, Double(control.batchSize * workers))))
            }
            size = min(size, control.decays - state.decaysDone)
            let lo = firstDecay + state.decaysDone
            let t0 = Date()
            let chunk = roundRunner.map { $0(lo..<(lo + size), workers, stop) }
                ?? ParallelRunner.run(kernel: kernel, seed: control.seed, histories: lo..<(lo + size),
                                      batchSize: control.batchSize, workers: workers,
                                      voxelCount: voxelCount + regionCount, stop: stop)
            let dt = Date().timeIntervalSince(t0)
            state.sums += chunk.sums
            state.ledger += chunk.ledger
            state.elapsedSeconds += dt
            #if DEBUG
            precondition(chunk.worstConservationError < 1e-9,
                         "energy not conserved in a history: relative error \(chunk.worstConservationError)")
            #endif
            if dt > 0 { rate = Double(chunk.completed.count) / dt }
            roundSize = size
            progress(RunProgress(decaysDone: state.decaysDone, decaysGoal: control.decays, decaysPerSecond: rate,
                                 elapsedSeconds: Date().timeIntervalSince(start),
                                 uncertainty: control.targetUncertainty == nil ? nil
                                     : currentUncertainty(state, criterion: control.criterion)))
            if chunk.interrupted { break }
            if Date().timeIntervalSince(lastCheckpoint) >= control.checkpointIntervalSeconds {
                try checkpoint(state)
                lastCheckpoint = Date()
            }
        }
        let goalReached: Bool = {
            if state.decaysDone >= control.decays { return true }
            if let t = control.targetUncertainty, let u = currentUncertainty(state, criterion: control.criterion) {
                return u <= t
            }
            return false
        }()
        state.partial = !goalReached
        try checkpoint(state)
        return state
    }
}
