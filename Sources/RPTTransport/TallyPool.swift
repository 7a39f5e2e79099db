/// The tallies of one simulation run, kept alive across its rounds: the run's `SharedTally` (16 bytes per slot)
/// and one compact accumulator per worker (sized by the slots a batch touches, not by the grid), so that a
/// round costs no allocation and the tally memory does not grow with the number of threads.
public final class TallyPool: @unchecked Sendable {
    /// One worker's transport state with its accumulator (a class so that the non-copyable state can live in an array).
    final class WorkerTally {
        var state: TransportState
        init(shared: SharedTally) { state = TransportState(tally: shared) }
    }

    public let shared: SharedTally
    let workers: [WorkerTally]
    public var slotCount: Int { shared.slotCount }

    /// A pool of `workers` accumulators flushing into `shared`.
    public init(workers: Int, shared: SharedTally) {
        self.shared = shared
        self.workers = (0..<max(1, workers)).map { _ in WorkerTally(shared: shared) }
    }

    /// A pool with a fresh, empty shared tally of `slotCount` slots.
    public convenience init(workers: Int, slotCount: Int, statistics: TallyStatistics = .historyByHistory) {
        self.init(workers: workers, shared: SharedTally(slotCount: slotCount, statistics: statistics))
    }

    public var workerCount: Int { workers.count }
}
