#if MPI
import CMPIShim
import Foundation
import RPTCore

/// MPI_COMM_WORLD for a distributed run (built only with the package trait MPI).
///
/// Only the main thread calls MPI (MPI_THREAD_FUNNELED); transport threads inside a rank never do.
/// Collectives are blocking and every rank calls them in the same order.
final class MPICommunicator {
    let rank: Int
    let size: Int
    private let comm: MPI_Comm
    private var uint128Type: MPI_Datatype? = nil
    private var uint128Sum: MPI_Op? = nil
    /// Largest element count passed to one MPI call (MPI counts are C ints: < 2³¹). The environment
    /// variable RPTDOSE_MPI_MAX_COUNT lowers it, so that tests exercise the chunking on small grids.
    let maxCount: Int

    /// True when the process was started by an MPI launcher (mpirun/mpiexec, or srun with PMI/PMIx).
    static var launchedByMPI: Bool {
        let env = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"].contains { env[$0] != nil }
    }

    /// The communicator of the running job; nil before `start()` or when not launched by MPI.
    nonisolated(unsafe) static var world: MPICommunicator?

    /// True in ranks other than 0 of a distributed run (which write and print nothing); stays set after `finish()`.
    nonisolated(unsafe) static var isWorkerRank = false

    /// Initialises MPI (once) and returns the world communicator.
    static func start() throws -> MPICommunicator {
        if let w = world { return w }
        var provided: Int32 = 0
        let rc = MPI_Init_thread(nil, nil, rpt_MPI_THREAD_FUNNELED(), &provided)
        guard rc == rpt_MPI_SUCCESS() else {
            throw InputError(source: "MPI", field: "MPI_Init_thread", value: "\(rc)", reason: "MPI could not start")
        }
        guard provided >= rpt_MPI_THREAD_FUNNELED() else {
            throw InputError(source: "MPI", field: "thread support", value: "\(provided)",
                             reason: "the MPI library does not support MPI_THREAD_FUNNELED")
        }
        let w = try MPICommunicator()
        world = w
        isWorkerRank = w.rank != 0
        return w
    }

    private init() throws {
        comm = rpt_MPI_COMM_WORLD()
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(comm, &r)
        MPI_Comm_size(comm, &s)
        rank = Int(r); size = Int(s)
        let limit = Int(ProcessInfo.processInfo.environment["RPTDOSE_MPI_MAX_COUNT"] ?? "") ?? Int(Int32.max)
        maxCount = max(1, min(limit, Int(Int32.max)))
        var t: MPI_Datatype? = nil, op: MPI_Op? = nil
        try check(rpt_make_uint128_sum(&t, &op), "MPI_Op_create (128-bit sum)")
        uint128Type = t; uint128Sum = op
    }

    /// Frees the 128-bit type and operation and finalises MPI.
    func finish() {
        if uint128Sum != nil { MPI_Op_free(&uint128Sum) }
        if uint128Type != nil { MPI_Type_free(&uint128Type) }
        MPI_Finalize()
        Self.world = nil
    }

    /// Stops every rank of the job (after an error that the other ranks cannot see).
    func abort(_ message: String) -> Never {
        Console.error("rank \(rank): \(message)")
        MPI_Abort(comm, 1)
        exit(1)
    }

    private func check(_ rc: Int32, _ what: String) throws {
        guard rc == rpt_MPI_SUCCESS() else {
            throw InputError(source: "MPI rank \(rank)", field: what, value: "\(rc)", reason: "MPI call failed")
        }
    }

    // Buffers are passed to MPI as raw pointers to heap memory that Swift treats as opaque. (Small Swift array
    // literals passed through `withUnsafeMutableBufferPointer` were seen, in release builds, to keep stale
    // elements after MPI wrote them; heap buffers make the writes visible without relying on the optimiser.)

    /// Root's values on every rank (chunked so that no call passes more than `maxCount` elements).
    func broadcast(_ values: inout [UInt64]) throws {
        try withHeapCopy(&values) { p, n in
            var start = 0
            repeat {
                let count = min(maxCount, n - start)
                try check(MPI_Bcast(p + start * 8, Int32(count), rpt_MPI_UINT64_T(), 0, comm), "MPI_Bcast")
                start += count
            } while start < n
        }
    }

    /// Exact sum over ranks of 128-bit integers, into rank 0's `values` (other ranks' arrays are unchanged).
    /// Chunked so that no call passes more than `maxCount` elements.
    func reduceSumToRoot(_ values: inout [UInt128]) throws {
        let n = values.count
        let base = UnsafeMutableRawPointer.allocate(byteCount: max(1, n) * 16, alignment: 16)
        defer { base.deallocate() }
        values.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: n * 16) }
        var start = 0
        while start < n {
            let count = min(maxCount, n - start)
            let p = base + start * 16
            let rc = rank == 0
                ? MPI_Reduce(rpt_MPI_IN_PLACE(), p, Int32(count), uint128Type, uint128Sum, 0, comm)
                : MPI_Reduce(p, nil, Int32(count), uint128Type, uint128Sum, 0, comm)
            try check(rc, "MPI_Reduce (128-bit sum)")
            start += count
        }
        guard rank == 0 else { return }
        values.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: base, byteCount: n * 16) }
    }

    /// Sum over ranks of unsigned 64-bit integers (the caller keeps them far from overflow), on rank 0.
    /// Chunked so that no call passes more than `maxCount` elements.
    func reduceSumToRoot(_ values: inout [UInt64]) throws {
        try withHeapCopy(&values) { p, n in
            var start = 0
            while start < n {
                let count = min(maxCount, n - start)
                let q = p + start * 8
                let rc = rank == 0
                    ? MPI_Reduce(rpt_MPI_IN_PLACE(), q, Int32(count), rpt_MPI_UINT64_T(), rpt_MPI_SUM(), 0, comm)
                    : MPI_Reduce(q, nil, Int32(count), rpt_MPI_UINT64_T(), rpt_MPI_SUM(), 0, comm)
                try check(rc, "MPI_Reduce (64-bit sum)")
                start += count
            }
        }
    }

    /// Maximum over ranks, on rank 0.
    func reduceMaxToRoot(_ values: inout [Double]) throws {
        try reduceBuiltin(&values, type: rpt_MPI_DOUBLE(), op: rpt_MPI_MAX())
    }

    private func reduceBuiltin<T>(_ values: inout [T], type: MPI_Datatype?, op: MPI_Op?) throws {
        precondition(values.count <= maxCount)
        try withHeapCopy(&values) { p, n in
            let rc = rank == 0
                ? MPI_Reduce(rpt_MPI_IN_PLACE(), p, Int32(n), type, op, 0, comm)
                : MPI_Reduce(p, nil, Int32(n), type, op, 0, comm)
            try check(rc, "MPI_Reduce")
        }
    }

    /// Runs `body` on a heap copy of `values` and copies the result back.
    private func withHeapCopy<T>(_ values: inout [T], _ body: (UnsafeMutableRawPointer, Int) throws -> Void) throws {
        let n = values.count
        let buffer = UnsafeMutablePointer<T>.allocate(capacity: max(1, n))
        defer { buffer.deallocate() }
        values.withUnsafeBufferPointer { buffer.initialize(from: $0.baseAddress!, count: n) }
        try body(UnsafeMutableRawPointer(buffer), n)
        values = Array(UnsafeBufferPointer(start: buffer, count: n))
    }
}
#endif
