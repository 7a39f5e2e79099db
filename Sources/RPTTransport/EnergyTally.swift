import CPrefetch
import RPTCore

/// One voxel's tally state in an `EnergyTally`, kept together so that a deposit touches one cache line
/// and finishing the history at most two (separate arrays cost five lines per voxel and history, which
/// dominated the photon tallies of a large grid).
struct VoxelTallySlot {
    /// Index of the history that last touched the voxel (`UInt64.max`: none).
    var lastHistory: UInt64
    /// Energy (MeV) deposited by that history so far.
    var pending: Double
    /// Σ over finished histories of the per-history energy, in quanta.
    var sum: UInt128
    /// Σ over finished histories of the squared per-history energy, in quanta².
    var sumSquares: UInt128
}

/// History-by-history energy tally for one worker, with exact (order-independent) accumulation.
///
/// Each voxel keeps the energy deposited by the current history (`pending`, MeV, Double, summed in the
/// fixed order of that one history), the index of the history that last touched it, and integer sums
/// over finished histories of the per-history energy and of its square, in fixed-point quanta of
/// `quantumMeV`. Integer addition is associative, so the totals are bitwise identical whatever the
/// number of threads, the assignment of batches to threads, or the split into shards — the basis of
/// RPTDose's reproducibility. This is the history-by-history variance method of Walters, Kawrakow &
/// Rogers, Med. Phys. 29, 2745 (2002), with the bookkeeping of Sempau et al. (2000, DPM).
///
/// Memory: 8 (last history) + 8 (pending) + 16 + 16 (sums) = 48 bytes per voxel per worker, stored
/// voxel by voxel (`VoxelTallySlot`).
/// Quantisation: a per-history voxel energy is rounded to the nearest 2⁻³² MeV (2.3·10⁻¹⁰ MeV); the
/// sums are 128-bit, so no realistic run overflows (2⁹⁶ MeV per voxel).
public struct EnergyTally: ~Copyable {
    /// Fixed-point quantum (MeV): 2⁻³².
    public static let quantumMeV: Double = 0x1p-32
    public let voxelCount: Int

    /// A non-negative energy (MeV) in whole quanta, rounded to nearest (halves up). Goes through UInt64
    /// (energies below 2³² MeV), whose conversion from Double is one instruction, unlike the generic
    /// conversion to UInt128; x + ½ truncated avoids a libm `rint` call on baseline x86-64.
    @inline(__always)
    static func quanta(_ energyMeV: Double) -> UInt128 {
        UInt128(UInt64(energyMeV * 0x1p32 + 0.5))
    }

    let slots: UnsafeMutablePointer<VoxelTallySlot>
    /// Voxels touched by the current history (so finishing a history costs O(touched), not O(grid)).
    let touched: UnsafeMutablePointer<Int32>
    var touchedCount: Int = 0
    let touchedCapacity: Int
    var currentHistory: UInt64 = .max

    public init(voxelCount: Int, touchedCapacity: Int = 1 << 16) {
        self.voxelCount = voxelCount
        slots = LargeAllocation.allocate(VoxelTallySlot.self, count: voxelCount)
        slots.initialize(repeating: VoxelTallySlot(lastHistory: .max, pending: 0, sum: 0, sumSquares: 0), count: voxelCount)
        self.touchedCapacity = touchedCapacity
        touched = .allocate(capacity: touchedCapacity)
    }

    deinit {
        LargeAllocation.deallocate(slots)
        touched.deallocate()
    }

    /// Σ of the per-history energy in slot `v` over finished histories (quanta).
    public func sum(slot v: Int) -> UInt128 { slots[v].sum }
    /// Σ of the squared per-history energy in slot `v` over finished histories (quanta²).
    public func sumSquares(slot v: Int) -> UInt128 { slots[v].sumSquares }

    /// Starts history `h` (histories must start in increasing order within a worker; any order across workers).
    @inline(__always)
    public mutating func beginHistory(_ h: UInt64) {
        currentHistory = h
        touchedCount = 0
    }

    /// Starts loading voxel v's slot into the cache ahead of a likely `deposit` (a hint; no effect on results).
    @inline(__always)
    public func prefetch(voxel v: Int) { rpt_prefetch_for_write(slots + v) }

    /// Adds `energyMeV` deposited by the current history in voxel `v`.
    @inline(__always)
    public mutating func deposit(_ energyMeV: Double, voxel v: Int) {
        let slot = slots + v
        if slot.pointee.lastHistory != currentHistory {
            slot.pointee.lastHistory = currentHistory
            slot.pointee.pending = energyMeV
            if touchedCount < touchedCapacity {
                touched[touchedCount] = Int32(v)
                touchedCount += 1
            } else {
                // Extremely long history: flush now and restart this voxel's pending value.
                flush(slot)
                slot.pointee.pending = energyMeV
            }
        } else {
            slot.pointee.pending += energyMeV
        }
    }

    /// Moves a slot's pending energy into its integer sums.
    @inline(__always)
    func flush(_ slot: UnsafeMutablePointer<VoxelTallySlot>) {
        let q = EnergyTally.quanta(slot.pointee.pending)
        slot.pointee.sum &+= q
        slot.pointee.sumSquares &+= q &* q
        slot.pointee.pending = 0
    }

    /// Moves the current history's pending energies into the integer sums.
    @inline(__always)
    public mutating func endHistory() {
        for t in 0..<touchedCount {
            flush(slots + Int(touched[t]))
        }
        touchedCount = 0
    }

    /// Adds this worker's integer sums into `totals` (order-independent).
    public func accumulate(into totals: inout TallySums) {
        precondition(totals.sum.count == voxelCount)
        totals.sum.withUnsafeMutableBufferPointer { s in
            totals.sumSquares.withUnsafeMutableBufferPointer { s2 in
                for v in 0..<voxelCount {
                    s[v] &+= slots[v].sum
                    s2[v] &+= slots[v].sumSquares
                }
            }
        }
    }

    /// Clears the integer sums (after they have been accumulated).
    public mutating func resetSums() {
        for v in 0..<voxelCount {
            slots[v].sum = 0
            slots[v].sumSquares = 0
        }
    }
}

/// Integer tally sums over many histories: what shards write and merge adds up.
public struct TallySums: Equatable, Sendable {
    /// Σ over histories of the per-history voxel energy, in quanta of `EnergyTally.quantumMeV`.
    public var sum: [UInt128]
    /// Σ over histories of the squared per-history voxel energy, in quanta².
    public var sumSquares: [UInt128]
    /// Number of histories (decays) included.
    public var histories: UInt64

    public init(voxelCount: Int) {
        sum = [UInt128](repeating: 0, count: voxelCount)
        sumSquares = [UInt128](repeating: 0, count: voxelCount)
        histories = 0
    }

    public static func += (a: inout TallySums, b: TallySums) {
        precondition(a.sum.count == b.sum.count)
        for v in 0..<a.sum.count { a.sum[v] &+= b.sum[v]; a.sumSquares[v] &+= b.sumSquares[v] }
        a.histories += b.histories
    }

    /// Mean energy per history in each voxel (MeV) and its standard error (MeV), from
    /// s² = (Σx² − (Σx)²/N) / (N − 1), σ_mean = s / √N.
    public func meanEnergyPerHistory() -> (mean: [Double], standardError: [Double]) {
        let n = Double(histories)
        var mean = [Double](repeating: 0, count: sum.count)
        var se = [Double](repeating: 0, count: sum.count)
        guard histories > 0 else { return (mean, se) }
        let q = EnergyTally.quantumMeV
        for v in 0..<sum.count where sum[v] != 0 {
            let s = Double(sum[v]) * q
            let s2 = Double(sumSquares[v]) * q * q
            let m = s / n
            mean[v] = m
            if histories > 1 {
                let variance = max(0, (s2 - s * m) / (n - 1))
                se[v] = (variance / n).squareRoot()
            }
        }
        return (mean, se)
    }
}
