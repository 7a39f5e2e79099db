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
    /// (64-bit sums of the touched blocks only, checked against overflow: `reduceTallies`). All decisions are made on rank 0 from the summed tallies, so all
    /// ranks stop together; the result is bitwise that of one process running the same decays.
    func runDistributed(_ mpi: MPICommunicator) throws -> SimulationState {
        // Every rank refuses alike (before any communication): ranks cut rounds at arbitrary decays, batches must be whole.
        if simulation.settings.sourceSampling == .systematic {
            throw InputError(source: "--source-sampling systematic", reason: "not available over MPI ranks yet; run the "
                                 + "ranks as shards (`simulate --shard i/n`) and `rptdose merge` them")
        }
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

    /// Slots per block of the sparse tally reduction (a block is sent only if some rank deposited in it).
    static let reductionBlockSlots = 4096

    /// Sums the ranks' round tallies onto rank 0, sending only the blocks of `reductionBlockSlots` slots in which
    /// some rank deposited energy: one flag per block (8 bytes per 4096 slots) is summed and broadcast, then the
    /// touched blocks' Σq and Σq² (16 bytes per slot) are summed — the volume follows the touched part of the
    /// grid, not the grid (docs/methods/scale-out.md).
    /// - Throws: `TallyOverflow` if the 64-bit sum over ranks could exceed 64 bits (checked on every rank
    ///   before summing: its largest value times the number of ranks stays below 2⁶⁴).
    func reduceTallies(_ sums: inout TallySums, _ mpi: MPICommunicator) throws {
        let n = sums.slotCount, block = Self.reductionBlockSlots
        let blocks = (n + block - 1) / block
        var flags = [UInt64](repeating: 0, count: blocks + 1)
        var largest: UInt64 = 0
        for b in 0..<blocks {
            for v in (b * block)..<min(n, (b + 1) * block) where sums.sum[v] != 0 || sums.sumSquares[v] != 0 {
                flags[b] = 1
                largest = max(largest, sums.sum[v], sums.sumSquares[v])
            }
        }
        // Last flag: ranks whose sums could overflow when added over all ranks.
        flags[blocks] = Double(largest) * Double(mpi.size) >= 0x1p64 ? 1 : 0
        try mpi.reduceSumToRoot(&flags)
        try mpi.broadcast(&flags)
        if flags[blocks] != 0 { throw TallyOverflow(where: "the MPI reduction of a round's tallies") }
        let touched = (0..<blocks).filter { flags[$0] != 0 }
        var packed: [UInt64] = []
        packed.reserveCapacity(touched.count * block * 2)
        for b in touched {
            let r = (b * block)..<min(n, (b + 1) * block)
            packed += sums.sum[r]
            packed += sums.sumSquares[r]
        }
        try mpi.reduceSumToRoot(&packed)
        guard mpi.rank == 0 else { return }
        var k = 0
        for b in touched {
            let r = (b * block)..<min(n, (b + 1) * block)
            sums.sum.replaceSubrange(r, with: packed[k..<(k + r.count)]); k += r.count
            sums.sumSquares.replaceSubrange(r, with: packed[k..<(k + r.count)]); k += r.count
        }
    }

    /// Runs this rank's share of a round and sums all shares onto rank 0. Not interruptible: rounds always
    /// complete, so the decays done stay a prefix of the run's range (stop requests act between rounds).
    func distributedRound(_ range: Range<UInt64>, workers: Int, _ mpi: MPICommunicator) throws -> RunChunk {
        let mine = Self.share(of: range, rank: mpi.rank, size: mpi.size)
        var chunk = try simulation.runHistories(mine, control: control, workers: workers)
        precondition(chunk.completed == mine)
        try reduceTallies(&chunk.sums, mpi)
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
