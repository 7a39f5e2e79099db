/// The per-worker energy tallies of one simulation run, kept alive across its rounds so that a round
/// costs no allocation and no full-grid reduction; sums are gathered only when asked for (a checkpoint,
/// the end, or the few slots a stopping rule needs).
public final class TallyPool: @unchecked Sendable {
    /// One worker's transport state with its tally (a class so that the non-copyable state can live in an array).
    final class WorkerTally {
        var state: TransportState
        init(slots: Int) { state = TransportState(tallySlots: slots) }
    }

    let workers: [WorkerTally]
    public let slotCount: Int

    public init(workers: Int, slotCount: Int) {
        self.slotCount = slotCount
        self.workers = (0..<max(1, workers)).map { _ in WorkerTally(slots: slotCount) }
    }

    public var workerCount: Int { workers.count }

    /// Adds every worker's sums into `totals` (integer sums: order-independent).
    public func accumulate(into totals: inout TallySums) {
        for w in workers { w.state.tally.accumulate(into: &totals) }
    }

    /// Σ over workers of the sum and sum of squares of one slot (quanta, quanta²).
    public func moments(slot: Int) -> (sum: UInt128, sumSquares: UInt128) {
        var s: UInt128 = 0, s2: UInt128 = 0
        for w in workers {
            s &+= w.state.tally.sum(slot: slot)
            s2 &+= w.state.tally.sumSquares(slot: slot)
        }
        return (s, s2)
    }
}
