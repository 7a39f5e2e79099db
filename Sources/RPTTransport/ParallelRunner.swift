import Dispatch
import Foundation
import RPTCore
import Synchronization

/// A flag that asks running workers to stop after their current batch (set from a signal handler
/// or a time limit).
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func request() { flag.store(true, ordering: .relaxed) }
    public var isRequested: Bool { flag.load(ordering: .relaxed) }
}

/// Result of running a range of histories.
public struct RunChunk: Sendable {
    public var sums: TallySums
    public var ledger: EnergyLedger
    /// Histories actually completed: always a prefix of the requested range, so that the result is
    /// exactly "histories [start, end)" whatever stopped the run.
    public var completed: Range<UInt64>
    public var interrupted: Bool
    /// Largest per-history energy-conservation error seen (debug builds only; 0 otherwise).
    public var worstConservationError: Double
}

/// Runs histories in parallel with `DispatchQueue.concurrentPerform`.
///
/// Histories are cut into fixed batches; workers take the next batch from an atomic counter and
/// transport its histories, each with the stream `RandomStream(seed:, stream: history index)`.
/// Each worker accumulates a batch in its compact `EnergyTally` and adds it into the run's one `SharedTally`
/// (in a `TallyPool`) with integer atomic additions when the batch ends, so the result does not depend on the
/// number of workers or on which worker ran which batch, and the tally memory does not grow with the workers.
public enum ParallelRunner {
    /// Bytes of shared tally memory per slot (voxel or region), whatever the number of workers (see `SharedTally`).
    public static let tallyBytesPerSlot = 16

    /// Runs histories `range` with `workers` workers into a fresh tally and returns the chunk with its sums
    /// (for callers that reduce sums themselves, e.g. MPI ranks).
    public static func run<K: HistoryKernel>(
        kernel: K, seed: UInt64, histories range: Range<UInt64>, batchSize: Int = 4096,
        workers: Int, voxelCount: Int, stop: StopFlag? = nil
    ) throws -> RunChunk {
        let pool = TallyPool(workers: workers, slotCount: voxelCount, statistics: kernel.tallyStatistics)
        var chunk = run(kernel: kernel, seed: seed, histories: range, batchSize: batchSize, pool: pool, stop: stop)
        chunk.sums = try pool.shared.sums(histories: chunk.sums.histories)
        return chunk
    }

    /// Runs histories `range` into the shared tally of `pool` (one worker per pool accumulator); the returned
    /// chunk's `sums` are empty — read them from the pool.
    ///
    /// A kernel with systematic source sampling (`sourceBatchDecays` n) runs in its own batches instead of
    /// `batchSize`: `range` must start and end on multiples of n, each batch runs on one worker and is accumulated as
    /// one sample of the tally (`TallyStatistics.batches`).
    public static func run<K: HistoryKernel>(
        kernel: K, seed: UInt64, histories range: Range<UInt64>, batchSize: Int = 4096,
        pool: TallyPool, stop: StopFlag? = nil
    ) -> RunChunk {
        let sourceBatch = kernel.sourceBatchDecays
        precondition(pool.shared.statistics == kernel.tallyStatistics, "tally statistics do not match the kernel's sampling")
        if let n = sourceBatch {
            precondition(range.lowerBound % n == 0 && range.upperBound % n == 0,
                         "systematic source sampling runs whole batches of \(n) decays; got \(range)")
        }
        let batchSize = sourceBatch ?? UInt64(max(1, batchSize))
        let batchCount = Int((UInt64(range.count) + batchSize - 1) / batchSize)
        let nextBatch = Atomic<Int>(0)
        let lock = NSLock()
        var ledger = EnergyLedger()
        var worst = 0.0
        let workers = max(1, min(pool.workerCount, batchCount))
        // The batches handed out are 0..<taken; a worker always finishes a batch it has taken, so the
        // completed set is the prefix of `taken` batches.
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let slot = pool.workers[w]
            var k = kernel
            var myLedger = EnergyLedger()
            var myWorst = 0.0
            while true {
                if let stop, stop.isRequested { break }
                let b = nextBatch.add(1, ordering: .relaxed).oldValue
                if b >= batchCount { break }
                let first = range.lowerBound + UInt64(b) * batchSize
                let last = min(range.upperBound, first + batchSize)
                if sourceBatch != nil {
                    runSystematicBatch(first..<last, kernel: &k, seed: seed, state: &slot.state, ledger: &myLedger,
                                       worst: &myWorst)
                } else {
                    runBatch(first..<last, kernel: &k, seed: seed, state: &slot.state, ledger: &myLedger, worst: &myWorst)
                }
                slot.state.tally.flush()
            }
            lock.lock()
            ledger += myLedger
            worst = max(worst, myWorst)
            lock.unlock()
        }
        let taken = min(nextBatch.load(ordering: .relaxed), batchCount)
        let end = min(range.upperBound, range.lowerBound + UInt64(taken) * batchSize)
        var totals = TallySums(voxelCount: 0)
        totals.histories = end - range.lowerBound
        return RunChunk(sums: totals, ledger: ledger, completed: range.lowerBound..<end,
                        interrupted: end < range.upperBound, worstConservationError: worst)
    }

    /// Runs one batch of systematic source sampling on one worker: decay k of the batch b (decays [b·n, (b + 1)·n))
    /// starts at the quantile (k + u_b)/n of the activity, u_b drawn from the batch's own stream
    /// (`SourceSampling.batchStream`); the accumulator treats the whole batch as one sample, so the tally's Σq² sums
    /// the squares of the batch sums.
    static func runSystematicBatch<K: HistoryKernel>(_ histories: Range<UInt64>, kernel k: inout K, seed: UInt64,
                                                     state: inout TransportState, ledger: inout EnergyLedger,
                                                     worst: inout Double) {
        let n = UInt64(histories.count)
        let b = histories.lowerBound / n
        var batchStream = RandomStream(seed: seed, stream: SourceSampling.batchStream(b))
        let u = batchStream.uniform()
        state.tally.beginHistory(b)
        for h in histories {
            let t = (Double(h - histories.lowerBound) + u) / Double(n)
            state.beginHistoryInBatch(seed: seed, history: h, sourceQuantile: t)
            k.run(history: h, &state)
            state.energy.fold(into: &ledger)
            #if DEBUG
            worst = max(worst, state.energy.conservationError)
            #endif
        }
        state.tally.endHistory()
    }

    /// Runs the histories of one batch on one worker (one access to the worker's state per batch).
    @inline(__always)
    static func runBatch<K: HistoryKernel>(_ histories: Range<UInt64>, kernel k: inout K, seed: UInt64,
                                           state: inout TransportState, ledger: inout EnergyLedger, worst: inout Double) {
        for h in histories {
            state.beginHistory(seed: seed, history: h)
            k.run(history: h, &state)
            state.endHistory()
            state.energy.fold(into: &ledger)
            #if DEBUG
            worst = max(worst, state.energy.conservationError)
            #endif
        }
    }
}
