#if MPI
import Foundation
import RPTCore
import RPTTransport
import RPTWorkflow

/// Spreads a simulation over the MPI ranks of an MPI-launched process (the `DistributedExecution` of
/// `RunEnvironment`); a single rank runs it locally.
/// MPI is started and finished around the whole command (`ProcessEnvironment.withInterrupts`).
struct MPIExecution: DistributedExecution {
    let mpi: MPICommunicator

    var isCoordinator: Bool { mpi.rank == 0 }

    func run(_ runner: SimulationRunner) throws -> SimulationState {
        if mpi.size > 1 { return try runner.runDistributed(mpi) }
        return try runner.runLocal()
    }
}

/// What rank 0 broadcasts before each round: [command, first decay, end decay].
enum DistributedCommand: UInt64 {
    case runRound = 1
    case stop = 2
}

extension SimulationRunner {
    /// Runs the simulation over all MPI ranks.
    ///
    /// Rank 0 drives: it runs the usual `SimulationDriver` loop (round sizes, target uncertainty, time limit,
    /// checkpoints, resume, output), and each round it broadcasts the round's decay range; every rank runs a
    /// contiguous share of it with its own threads, and the integer tallies are summed exactly onto rank 0
    /// (128-bit sums, carries included). All decisions are made on rank 0 from the summed tallies, so all
    /// ranks stop together; the result is bitwise that of one process running the same decays.
    func runDistributed(_ mpi: MPICommunicator) throws -> SimulationState {
        // Every rank must have prepared the same simulation and run control.
        let mine: [UInt64] = [simulation.fingerprint.value, simulation.seed, control.decays, firstDecay,
                              UInt64(control.batchSize)]
        var root = mine
        try mpi.broadcast(&root)
        if root != mine {
            mpi.abort("inputs differ from rank 0's (fingerprint, seed, decays, first decay, batch size: "
                      + "\(mine) here, \(root) on rank 0); give every rank the same files and options")
        }
        let workers = simulation.workerCount(control)
        guard mpi.rank == 0 else {
            while true {
                var command: [UInt64] = [0, 0, 0]
                try mpi.broadcast(&command)
                guard command[0] == DistributedCommand.runRound.rawValue else { break }
                _ = try distributedRound(command[1]..<command[2], workers: workers, mpi)
            }
            return simulation.emptyState()
        }
        // Whatever ends rank 0's loop (goal, target, time limit, error), release the other ranks.
        defer {
            var command: [UInt64] = [DistributedCommand.stop.rawValue, 0, 0]
            do { try mpi.broadcast(&command) } catch { mpi.abort("\(error)") }
        }
        if !quiet {
            Console.error("MPI: \(mpi.size) ranks × \(workers) threads on rank 0")
        }
        return try runLocal(roundRunner: { range, workers, _ in
            do {
                var command = [DistributedCommand.runRound.rawValue, range.lowerBound, range.upperBound]
                try mpi.broadcast(&command)
                return try distributedRound(range, workers: workers, mpi)
            } catch {
                mpi.abort("\(error)")
            }
        })
    }

    /// The share of `range` that rank `rank` of `size` runs: contiguous, in rank order, sizes differing by ≤ 1.
    static func share(of range: Range<UInt64>, rank: Int, size: Int) -> Range<UInt64> {
        let n = UInt128(range.count), s = UInt128(size)
        let a = range.lowerBound + UInt64(n * UInt128(rank) / s)
        let b = range.lowerBound + UInt64(n * UInt128(rank + 1) / s)
        return a..<b
    }

    /// Runs this rank's share of a round and sums all shares onto rank 0. Not interruptible: rounds always
    /// complete, so the decays done stay a prefix of the run's range (stop requests act between rounds).
    func distributedRound(_ range: Range<UInt64>, workers: Int, _ mpi: MPICommunicator) throws -> RunChunk {
        let mine = Self.share(of: range, rank: mpi.rank, size: mpi.size)
        var chunk = simulation.runHistories(mine, control: control, workers: workers)
        precondition(chunk.completed == mine)
        try mpi.reduceSumToRoot(&chunk.sums.sum)
        try mpi.reduceSumToRoot(&chunk.sums.sumSquares)
        let l = chunk.ledger
        var ledger = [l.emitted, l.deposited, l.escaped, l.localBelowCutoff, l.stackOverflow]
        try mpi.reduceSumToRoot(&ledger)
        var histories = [chunk.sums.histories]
        try mpi.reduceSumToRoot(&histories)
        var worst = [chunk.worstConservationError]
        try mpi.reduceMaxToRoot(&worst)
        guard mpi.rank == 0 else { return chunk }
        precondition(histories[0] == UInt64(range.count), "ranks ran \(histories[0]) of \(range.count) decays")
        chunk.sums.histories = histories[0]
        chunk.ledger.emitted = ledger[0]; chunk.ledger.deposited = ledger[1]; chunk.ledger.escaped = ledger[2]
        chunk.ledger.localBelowCutoff = ledger[3]; chunk.ledger.stackOverflow = ledger[4]
        chunk.worstConservationError = worst[0]
        chunk.completed = range
        chunk.interrupted = false
        return chunk
    }
}
#endif
