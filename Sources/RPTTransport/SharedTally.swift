import CPrefetch
import Foundation
import RPTCore
import Synchronization

/// The one energy tally of a run, shared by all its worker threads: per slot (grid voxel or scored region) the
/// sum over finished histories of the per-history energy, Σq (quanta of `EnergyTally.quantumMeV`), and of its
/// square, Σq² (quanta of `EnergyTally.squareQuantumMeV2`), as two unsigned 64-bit integers side by side —
/// **16 bytes per slot, whatever the number of threads**.
///
/// Workers accumulate a batch of histories in their own compact `EnergyTally` (sized by the voxels the batch
/// touched) and add its sums here with atomic integer additions at the end of the batch. Integer addition is
/// associative and commutative, so the sums are bitwise identical whatever the number of threads, the order in
/// which batches finish or the split into shards and MPI ranks.
///
/// The memory comes from `calloc`, which for large blocks maps zero pages that the system commits only when first
/// written: a run that never deposits in a region of the grid does not pay for it.
///
/// Overflow: Σq of a slot overflows at 2⁶⁴ quanta = 2³² MeV ≈ 4.3·10⁹ MeV (e.g. 2.9·10¹⁰ decays each depositing
/// 0.15 MeV in one voxel or region); Σq² overflows later as long as no history deposits more than 1 MeV in one
/// slot (Σq² ≤ x_max·Σq). An overflow is detected at the addition and reported (`TallyOverflow`), never wrapped
/// silently.
public final class SharedTally: @unchecked Sendable {
    public let slotCount: Int
    /// First scored-region slot (the slots from here to `slotCount` are regions, the ones before grid voxels);
    /// `slotCount` when the caller did not say. Workers keep region slots in a small dense array (`EnergyTally`).
    public let firstRegionSlot: Int
    /// Whether Σq² sums the squares of histories or of batches (systematic source sampling).
    public let statistics: TallyStatistics
    /// Σq of slot v at 2v, Σq² at 2v + 1.
    let words: UnsafeMutablePointer<UInt64>
    private let overflow = Atomic<Bool>(false)

    /// An empty tally of `slotCount` slots, of which those from `firstRegionSlot` on (default: none) are scored
    /// regions; `statistics` says what Σq² sums the squares of.
    public init(slotCount: Int, firstRegionSlot: Int? = nil, statistics: TallyStatistics = .historyByHistory) {
        self.slotCount = slotCount
        self.statistics = statistics
        self.firstRegionSlot = min(max(0, firstRegionSlot ?? slotCount), slotCount)
        guard let raw = calloc(max(1, 2 * slotCount), MemoryLayout<UInt64>.stride) else {
            fatalError("out of memory allocating the energy tally (\(slotCount) slots × 16 bytes)")
        }
        words = raw.bindMemory(to: UInt64.self, capacity: max(1, 2 * slotCount))
    }

    deinit { free(words) }

    /// Adds a worker's batch sums of slot `v` (thread-safe, order-independent).
    @inline(__always)
    func add(slot v: Int, sum: UInt64, squares: UInt64) {
        let p = words + 2 &* v
        let a = rpt_atomic_fetch_add_u64(p, sum)
        let b = rpt_atomic_fetch_add_u64(p + 1, squares)
        if a &+ sum < a || b &+ squares < b { reportOverflow() }
    }

    /// Adds `sums` (a resumed run's, or a round's sums from MPI ranks); call while no worker is adding.
    /// - Throws: `TallyOverflow` if a sum exceeds 64 bits.
    public func add(_ sums: TallySums) throws {
        precondition(sums.slotCount == slotCount)
        guard sums.statistics == statistics else {
            throw InputError(source: "tally sums", field: "statistics", value: sums.statistics.name,
                             reason: "cannot be added to a \(statistics.name) tally")
        }
        var overflow = false
        for v in 0..<slotCount where sums.sum[v] != 0 || sums.sumSquares[v] != 0 {
            let (a, o1) = words[2 * v].addingReportingOverflow(sums.sum[v])
            let (b, o2) = words[2 * v + 1].addingReportingOverflow(sums.sumSquares[v])
            words[2 * v] = a; words[2 * v + 1] = b
            if o1 || o2 { overflow = true }
        }
        if overflow { reportOverflow(); throw TallyOverflow(where: "adding tally sums") }
    }

    /// Records that a sum overflowed (read by `overflowed`).
    func reportOverflow() { overflow.store(true, ordering: .relaxed) }

    /// True if any slot's sum exceeded 64 bits (the tally is then unusable).
    public var overflowed: Bool { overflow.load(ordering: .relaxed) }

    /// Σq and Σq² of slot `v` (call while no worker is adding).
    public func moments(slot v: Int) -> (sum: UInt64, sumSquares: UInt64) { (words[2 * v], words[2 * v + 1]) }

    /// The sums as a `TallySums` for `histories` histories (call while no worker is adding).
    /// - Throws: `TallyOverflow` if a sum overflowed.
    public func sums(histories: UInt64) throws -> TallySums {
        if overflowed { throw TallyOverflow(where: "the run's energy tally") }
        return copy(histories: histories, release: false)
    }

    /// The sums as a `TallySums`, handing the tally's memory back to the system as they are copied: the pages of the
    /// slots already copied are released (`madvise(MADV_DONTNEED)`), so the copy never needs more than a slab on top of
    /// the tally's own pages. The tally reads as zero afterwards: call it once, for the final state, when no worker is
    /// adding and nothing will be added.
    /// - Throws: `TallyOverflow` if a sum overflowed.
    public func takeSums(histories: UInt64) throws -> TallySums {
        if overflowed { throw TallyOverflow(where: "the run's energy tally") }
        return copy(histories: histories, release: true)
    }

    /// Copies the sums into new arrays. Each destination element is read before it is written and written only when it
    /// differs: fresh pages of a large allocation are zero and stay uncommitted where the tally is zero (air, slots no
    /// deposit reached), so the copy costs memory only where deposits landed; whatever the allocation held, every
    /// element ends equal to the tally's.
    private func copy(histories: UInt64, release: Bool) -> TallySums {
        let n = slotCount
        let slab = 1 << 18  // slots per slab: 4 MiB of tally
        let page = max(1, Int(sysconf(Int32(_SC_PAGESIZE))))
        let base = UInt(bitPattern: UnsafeRawPointer(words))
        var releasedUpTo = (base + UInt(page) - 1) / UInt(page) * UInt(page)  // first page wholly inside the block
        var sum: [UInt64] = [], squares: [UInt64] = []
        sum = [UInt64](unsafeUninitializedCapacity: n) { a, countA in
            squares = [UInt64](unsafeUninitializedCapacity: n) { b, countB in
                var v0 = 0
                while v0 < n {
                    let v1 = min(n, v0 + slab)
                    for v in v0..<v1 {
                        let x = words[2 * v], y = words[2 * v + 1]
                        if a[v] != x { a[v] = x }
                        if b[v] != y { b[v] = y }
                    }
                    if release {
                        // Release the whole pages of the copied part (slots < v1).
                        let end = (base + UInt(2 * v1 * MemoryLayout<UInt64>.stride)) / UInt(page) * UInt(page)
                        if end > releasedUpTo {
                            _ = madvise(UnsafeMutableRawPointer(bitPattern: releasedUpTo), Int(end - releasedUpTo),
                                        Int32(MADV_DONTNEED))
                            releasedUpTo = end
                        }
                    }
                    v0 = v1
                }
                countB = n
            }
            countA = n
        }
        var s = TallySums(voxelCount: 0, statistics: statistics)
        s.sum = sum
        s.sumSquares = squares
        s.histories = histories
        return s
    }
}

/// A 64-bit tally sum overflowed: the run deposited more than 2³² MeV (≈ 4.3·10⁹ MeV) in one voxel or region.
public struct TallyOverflow: Error, CustomStringConvertible {
    public var `where`: String
    public init(where w: String) { self.where = w }
    public var description: String {
        "\(self.where): a voxel or region received more than 2^32 MeV (the 64-bit tally limit, "
            + "docs/methods/transport.md); simulate fewer decays (e.g. 10⁹) — the uncertainty is already far below 0.1 %"
    }
}
