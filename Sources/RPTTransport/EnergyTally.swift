import CPrefetch
import RPTCore

/// One slot's entry in a worker's `EnergyTally`: the slot, the current history's energy there, and the
/// worker's batch sums, kept together so that a deposit touches one cache line.
struct AccumulatorEntry {
    /// Tally slot (grid voxel or scored region); −1: empty entry.
    var slot: Int
    /// Index of the history that last touched the slot.
    var lastHistory: UInt64
    /// Energy (MeV) deposited by that history so far.
    var pending: Double
    /// Σ over the batch's finished histories of the per-history energy (quanta of `EnergyTally.quantumMeV`).
    var sum: UInt64
    /// Σ over the batch's finished histories of the squared per-history energy (quanta of `squareQuantumMeV2`).
    var sumSquares: UInt64
}

/// A worker's history-by-history energy accumulator, compact (sized by the slots its current batch touched, not
/// by the grid) and flushed into the run's `SharedTally` at the end of every batch.
///
/// Each touched slot keeps the energy deposited by the current history (`pending`, MeV, Double, summed in the
/// fixed order of that one history) and the batch sums of the per-history energy and of its square in integer
/// quanta. The entries live in an open-addressing hash table (linear probing) that doubles when half full, so its
/// size follows the batch's touched slots (a few 10⁵ for 4096 Lu-177 decays: about 1–10 MB per worker).
///
/// The statistics are those of the history-by-history method of Walters, Kawrakow & Rogers, Med. Phys. 29, 2745
/// (2002), with the bookkeeping of Sempau et al. (2000, DPM): each history's energy x in a slot is rounded to
/// q = round(x / 2⁻³² MeV), and its square to ⌈q²·2⁻³²⌉ quanta of 2⁻³² MeV² (exact integer arithmetic, rounded up:
/// < 2.3·10⁻¹⁰ MeV² per history, conservative, negligible beside the square of any deposit above 1 keV). All of this
/// is integer arithmetic on values fixed by the history alone, so the sums are bitwise reproducible.
public struct EnergyTally: ~Copyable {
    /// Fixed-point quantum of energy (MeV): 2⁻³².
    public static let quantumMeV: Double = 0x1p-32
    /// Fixed-point quantum of squared energy (MeV²): 2⁻³².
    public static let squareQuantumMeV2: Double = 0x1p-32

    /// A non-negative energy (MeV) in whole quanta, rounded to nearest (halves up). The conversion from Double
    /// to UInt64 is one instruction; x + ½ truncated avoids a libm `rint` call on baseline x86-64.
    @inline(__always)
    static func quanta(_ energyMeV: Double) -> UInt128 { UInt128(quanta64(energyMeV)) }

    @inline(__always)
    static func quanta64(_ energyMeV: Double) -> UInt64 { UInt64(energyMeV * 0x1p32 + 0.5) }

    /// q² in quanta of `squareQuantumMeV2`: q²·2⁻³² rounded **up** (so a non-zero deposit never contributes a zero
    /// square and the variance is never underestimated; the excess is < 2⁻³² MeV² per history and slot, i.e.
    /// < 2.3·10⁻⁴ of the square of a 1 keV deposit); `overflow` if it exceeds 64 bits (q ≥ 2⁴⁸: over 65 536 MeV in
    /// one slot and history).
    @inline(__always)
    static func squareQuanta(_ q: UInt64) -> (value: UInt64, overflow: Bool) { squareQuanta(q, shift: 32) }

    /// q² (q in quanta of 2⁻³² MeV) in quanta of 2^(shift − 64) MeV², rounded up: shift 32 gives 2⁻³² MeV² (history by
    /// history), 40 gives 2⁻²⁴ MeV² (batch sums, `TallyStatistics.batches`); `overflow` if it exceeds 64 bits.
    @inline(__always)
    static func squareQuanta(_ q: UInt64, shift: UInt64) -> (value: UInt64, overflow: Bool) {
        let (hi, lo) = q.multipliedFullWidth(by: q)
        let v = (hi << (64 &- shift)) | (lo >> shift)
        let dropped = lo & ((1 << shift) &- 1)
        let (r, o) = v.addingReportingOverflow(dropped == 0 ? 0 : 1)
        return (r, hi >> shift != 0 || o)
    }

    /// Number of tally slots (grid voxels, then scored regions).
    public let voxelCount: Int
    let shared: SharedTally
    /// Bits dropped from q² (`TallyStatistics.squareShift` of the shared tally).
    let squareShift: UInt64
    var entries: UnsafeMutablePointer<AccumulatorEntry>
    var capacity: Int
    /// 64 − log₂(capacity): the hash keeps the top bits of a multiplicative (Fibonacci) hash.
    var shift: UInt64
    /// Entries in use (so that a flush costs O(touched), not O(capacity)).
    var occupied: UnsafeMutablePointer<Int32>
    var occupiedCount = 0
    /// Entries touched by the current history.
    var touched: UnsafeMutablePointer<Int32>
    var touchedCount = 0
    var currentHistory: UInt64 = .max
    var overflowed = false
    /// Scored-region slots (`shared.firstRegionSlot` ..< `voxelCount`): few, and touched by most histories, so they
    /// live in a dense array indexed by `slot − firstRegionSlot` instead of the hash table (no hashing or probing
    /// for the second deposit of every region voxel's deposit).
    let firstRegionSlot: Int
    let regionEntries: UnsafeMutablePointer<AccumulatorEntry>
    /// Region entries touched by the current history (each at most once: `lastHistory`).
    let regionTouched: UnsafeMutablePointer<Int32>
    var regionTouchedCount = 0

    /// A worker accumulator flushing into `shared`; `initialCapacity` entries (a power of two) to start with.
    public init(shared: SharedTally, initialCapacity: Int = 1 << 14) {
        self.shared = shared
        voxelCount = shared.slotCount
        squareShift = shared.statistics.squareShift
        var c = 16
        while c < initialCapacity { c <<= 1 }
        capacity = c
        shift = UInt64(64 - c.trailingZeroBitCount)
        (entries, occupied, touched) = Self.allocate(c)
        firstRegionSlot = shared.firstRegionSlot
        let regions = max(1, shared.slotCount - shared.firstRegionSlot)
        regionEntries = .allocate(capacity: regions)
        for k in 0..<regions {
            (regionEntries + k).initialize(to: AccumulatorEntry(slot: firstRegionSlot + k, lastHistory: .max, pending: 0,
                                                                sum: 0, sumSquares: 0))
        }
        regionTouched = .allocate(capacity: regions)
    }

    static func allocate(_ c: Int) -> (UnsafeMutablePointer<AccumulatorEntry>, UnsafeMutablePointer<Int32>,
                                       UnsafeMutablePointer<Int32>) {
        let e = UnsafeMutablePointer<AccumulatorEntry>.allocate(capacity: c)
        e.initialize(repeating: AccumulatorEntry(slot: -1, lastHistory: .max, pending: 0, sum: 0, sumSquares: 0), count: c)
        return (e, .allocate(capacity: c), .allocate(capacity: c))
    }

    deinit {
        entries.deallocate(); occupied.deallocate(); touched.deallocate()
        regionEntries.deallocate(); regionTouched.deallocate()
    }

    /// Home entry of slot `v`.
    @inline(__always)
    func home(_ v: Int) -> Int { Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: v) &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Starts history `h` (histories must start in increasing order within a worker; any order across workers).
    @inline(__always)
    public mutating func beginHistory(_ h: UInt64) {
        currentHistory = h
        touchedCount = 0
    }

    /// Starts loading slot v's home entry into the cache ahead of a likely `deposit` (a hint; no effect on results).
    @inline(__always)
    public func prefetch(voxel v: Int) { rpt_prefetch_for_write(entries + home(v)) }

    /// Adds `energyMeV` deposited by the current history in slot `v`.
    @inline(__always)
    public mutating func deposit(_ energyMeV: Double, voxel v: Int) {
        if v >= firstRegionSlot {
            depositRegion(energyMeV, entry: regionEntries + (v &- firstRegionSlot))
            return
        }
        let mask = capacity &- 1
        var i = home(v)
        while true {
            let e = entries + i
            if e.pointee.slot == v {
                if e.pointee.lastHistory == currentHistory {
                    e.pointee.pending += energyMeV
                } else {
                    e.pointee.lastHistory = currentHistory
                    e.pointee.pending = energyMeV
                    touched[touchedCount] = Int32(truncatingIfNeeded: i)
                    touchedCount &+= 1
                }
                return
            }
            if e.pointee.slot < 0 {
                insert(energyMeV, slot: v, at: i)
                return
            }
            i = (i &+ 1) & mask
        }
    }

    /// Adds `energyMeV` to a scored region's dense entry.
    @inline(__always)
    mutating func depositRegion(_ energyMeV: Double, entry e: UnsafeMutablePointer<AccumulatorEntry>) {
        if e.pointee.lastHistory == currentHistory {
            e.pointee.pending += energyMeV
        } else {
            e.pointee.lastHistory = currentHistory
            e.pointee.pending = energyMeV
            regionTouched[regionTouchedCount] = Int32(truncatingIfNeeded: e - regionEntries)
            regionTouchedCount &+= 1
        }
    }

    /// Fills the empty entry `i` with slot `v` (first deposit of the batch there); doubles the table when half full.
    @inline(never)
    mutating func insert(_ energyMeV: Double, slot v: Int, at i: Int) {
        entries[i] = AccumulatorEntry(slot: v, lastHistory: currentHistory, pending: energyMeV, sum: 0, sumSquares: 0)
        occupied[occupiedCount] = Int32(truncatingIfNeeded: i)
        occupiedCount += 1
        touched[touchedCount] = Int32(truncatingIfNeeded: i)
        touchedCount += 1
        if occupiedCount * 2 > capacity { grow() }
    }

    /// Doubles the table, re-inserting every entry (the current history's touched list is rebuilt from the
    /// entries it touched).
    mutating func grow() {
        let (oldEntries, oldOccupied, oldTouched) = (entries, occupied, touched)
        let oldCount = occupiedCount
        capacity *= 2
        shift -= 1
        (entries, occupied, touched) = Self.allocate(capacity)
        occupiedCount = 0
        touchedCount = 0
        let mask = capacity - 1
        for k in 0..<oldCount {
            let old = oldEntries[Int(oldOccupied[k])]
            var i = home(old.slot)
            while entries[i].slot >= 0 { i = (i + 1) & mask }
            entries[i] = old
            occupied[occupiedCount] = Int32(i); occupiedCount += 1
            if old.lastHistory == currentHistory { touched[touchedCount] = Int32(i); touchedCount += 1 }
        }
        oldEntries.deallocate(); oldOccupied.deallocate(); oldTouched.deallocate()
    }

    /// Moves the current history's pending energies into the batch sums.
    @inline(__always)
    public mutating func endHistory() {
        for t in 0..<touchedCount { finishHistory(entries + Int(touched[t])) }
        touchedCount = 0
        for t in 0..<regionTouchedCount { finishHistory(regionEntries + Int(regionTouched[t])) }
        regionTouchedCount = 0
    }

    /// Adds the current history's pending energy of entry `e` (and its square) to the entry's batch sums.
    @inline(__always)
    mutating func finishHistory(_ e: UnsafeMutablePointer<AccumulatorEntry>) {
        let q = Self.quanta64(e.pointee.pending)
        let (sq, big) = Self.squareQuanta(q, shift: squareShift)
        let (s, o1) = e.pointee.sum.addingReportingOverflow(q)
        let (s2, o2) = e.pointee.sumSquares.addingReportingOverflow(sq)
        e.pointee.sum = s
        e.pointee.sumSquares = s2
        e.pointee.pending = 0
        if big || o1 || o2 { overflowed = true }
    }

    /// Adds the batch sums into the shared tally and empties the table (call between histories, at the end of
    /// every batch).
    public mutating func flush() {
        if overflowed { shared.reportOverflow(); overflowed = false }
        for k in 0..<occupiedCount {
            let e = entries + Int(occupied[k])
            if e.pointee.sum != 0 || e.pointee.sumSquares != 0 {
                shared.add(slot: e.pointee.slot, sum: e.pointee.sum, squares: e.pointee.sumSquares)
            }
            e.pointee = AccumulatorEntry(slot: -1, lastHistory: .max, pending: 0, sum: 0, sumSquares: 0)
        }
        occupiedCount = 0
        touchedCount = 0
        for k in 0..<(voxelCount - firstRegionSlot) {
            let e = regionEntries + k
            if e.pointee.sum != 0 || e.pointee.sumSquares != 0 {
                shared.add(slot: e.pointee.slot, sum: e.pointee.sum, squares: e.pointee.sumSquares)
            }
            e.pointee.lastHistory = .max; e.pointee.pending = 0; e.pointee.sum = 0; e.pointee.sumSquares = 0
        }
        regionTouchedCount = 0
    }
}

/// Integer tally sums over many histories: what checkpoints and shards write, merge adds up and MPI ranks reduce.
/// 16 bytes per slot.
public struct TallySums: Equatable, Sendable {
    /// Σ over histories of the per-history slot energy, in quanta of `EnergyTally.quantumMeV`.
    public var sum: [UInt64]
    /// Σ over histories of the squared per-history slot energy, in quanta of `EnergyTally.squareQuantumMeV2`.
    public var sumSquares: [UInt64]
    /// Number of histories (decays) included.
    public var histories: UInt64
    /// What `sumSquares` sums the squares of: histories, or batches of systematic source sampling.
    public var statistics: TallyStatistics

    public init(voxelCount: Int, statistics: TallyStatistics = .historyByHistory) {
        sum = [UInt64](repeating: 0, count: voxelCount)
        sumSquares = [UInt64](repeating: 0, count: voxelCount)
        histories = 0
        self.statistics = statistics
    }

    /// Number of slots (voxels, then regions).
    public var slotCount: Int { sum.count }

    /// Adds `b` (exact integer sums).
    /// - Throws: `TallyOverflow` if a sum exceeds 64 bits.
    public mutating func add(_ b: TallySums) throws {
        precondition(sum.count == b.sum.count)
        guard statistics == b.statistics else {
            throw InputError(source: "tally sums", field: "statistics", value: "\(b.statistics)",
                             reason: "cannot be added to sums with \(statistics) statistics (analogue and systematic "
                                 + "source sampling, or batch sizes, mixed)")
        }
        var overflow = false
        sum.withUnsafeMutableBufferPointer { s in
            sumSquares.withUnsafeMutableBufferPointer { s2 in
                for v in 0..<s.count {
                    let (x, o1) = s[v].addingReportingOverflow(b.sum[v])
                    let (y, o2) = s2[v].addingReportingOverflow(b.sumSquares[v])
                    s[v] = x; s2[v] = y
                    if o1 || o2 { overflow = true }
                }
            }
        }
        if overflow { throw TallyOverflow(where: "adding tally sums") }
        histories += b.histories
    }

    /// Mean energy per history in each slot (MeV) and its standard error (MeV), from
    /// s² = (Σx² − (Σx)²/N) / (N − 1), σ_mean = s / √N.
    public func meanEnergyPerHistory() -> (mean: [Double], standardError: [Double]) {
        var mean = [Double](repeating: 0, count: sum.count)
        var se = [Double](repeating: 0, count: sum.count)
        guard histories > 0 else { return (mean, se) }
        for v in 0..<sum.count where sum[v] != 0 {
            let m = Self.meanAndStandardError(sum: sum[v], sumSquares: sumSquares[v], histories: histories,
                                              statistics: statistics)
            mean[v] = m.mean
            se[v] = m.standardError
        }
        return (mean, se)
    }

    /// Mean (MeV) and standard error of the mean (MeV) of one slot from its integer sums over `histories`
    /// histories: s² = (Σx² − (Σx)²/N) / (N − 1) (unbiased), σ_mean = s / √N; 0 for N ≤ 1.
    ///
    /// With `.batches(size: n)` the squares are those of the B = N/n batch sums x_b: the mean per decay is still
    /// Σx_b / N, and σ_mean = √(s_b² · B) / N with s_b² = (Σx_b² − (Σx_b)²/B) / (B − 1), the unbiased variance of
    /// the (independent, identically distributed) batch sums; 0 for B ≤ 1.
    @inline(__always)
    public static func meanAndStandardError(sum: UInt64, sumSquares: UInt64, histories: UInt64,
                                            statistics: TallyStatistics)
        -> (mean: Double, standardError: Double) {
        let n = Double(histories)
        let s = Double(sum) * EnergyTally.quantumMeV
        let s2 = Double(sumSquares) * statistics.squareQuantumMeV2
        let m = s / n
        guard case .batches = statistics else {
            guard histories > 1 else { return (m, 0) }
            let variance = max(0, (s2 - s * m) / (n - 1))
            return (m, (variance / n).squareRoot())
        }
        let batches = statistics.samples(histories: histories)
        guard batches > 1 else { return (m, 0) }
        let b = Double(batches)
        let variance = max(0, (s2 - s * (s / b)) / (b - 1))  // of one batch sum (MeV²)
        return (m, (variance * b).squareRoot() / n)
    }
}
