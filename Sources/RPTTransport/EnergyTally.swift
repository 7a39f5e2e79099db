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
/// Memory: 8 (pending) + 8 (last history) + 16 + 16 (sums) = 48 bytes per voxel per worker.
/// Quantisation: a per-history voxel energy is rounded to the nearest 2⁻³² MeV (2.3·10⁻¹⁰ MeV); the
/// sums are 128-bit, so no realistic run overflows (2⁹⁶ MeV per voxel).
public struct EnergyTally: ~Copyable {
    /// Fixed-point quantum (MeV): 2⁻³².
    public static let quantumMeV: Double = 0x1p-32
    public let voxelCount: Int
    let pending: UnsafeMutablePointer<Double>
    let lastHistory: UnsafeMutablePointer<UInt64>
    let sum: UnsafeMutablePointer<UInt128>
    let sumSquares: UnsafeMutablePointer<UInt128>
    /// Voxels touched by the current history (so finishing a history costs O(touched), not O(grid)).
    let touched: UnsafeMutablePointer<Int32>
    var touchedCount: Int = 0
    let touchedCapacity: Int
    var currentHistory: UInt64 = .max

    public init(voxelCount: Int, touchedCapacity: Int = 1 << 16) {
        self.voxelCount = voxelCount
        pending = .allocate(capacity: voxelCount); pending.initialize(repeating: 0, count: voxelCount)
        lastHistory = .allocate(capacity: voxelCount); lastHistory.initialize(repeating: .max, count: voxelCount)
        sum = .allocate(capacity: voxelCount); sum.initialize(repeating: 0, count: voxelCount)
        sumSquares = .allocate(capacity: voxelCount); sumSquares.initialize(repeating: 0, count: voxelCount)
        self.touchedCapacity = touchedCapacity
        touched = .allocate(capacity: touchedCapacity)
    }

    deinit {
        pending.deallocate(); lastHistory.deallocate(); sum.deallocate(); sumSquares.deallocate()
        touched.deallocate()
    }

    /// Starts history `h` (histories must start in increasing order within a worker; any order across workers).
    
    public mutating func beginHistory(_ h: UInt64) {
        currentHistory = h
        touchedCount = 0
    }

    /// Adds `energyMeV` deposited by the current history in voxel `v`.
    
    public mutating func deposit(_ energyMeV: Double, voxel v: Int) {
        if lastHistory[v] != currentHistory {
            lastHistory[v] = currentHistory
            pending[v] = energyMeV
            if touchedCount < touchedCapacity {
                touched[touchedCount] = Int32(v)
                touchedCount += 1
            } else {
                // Extremely long history: flush now and restart this voxel's pending value.
                flushVoxel(v, keepHistory: true)
                pending[v] = energyMeV
            }
        } else {
            pending[v] += energyMeV
        }
    }
    
    mutating func flushVoxel(_ v: Int, keepHistory: Bool) {
        let q = UInt128((pending[v] / EnergyTally.quantumMeV).rounded())
        sum[v] &+= q
        sumSquares[v] &+= q &* q
        pending[v] = 0
    }

    /// Moves the current history's pending energies into the integer sums.
    
    public mutating func endHistory() {
        for t in 0..<touchedCount {
            let v = Int(touched[t])
            let q = UInt128((pending[v] / EnergyTally.quantumMeV).rounded())
            sum[v] &+= q
            sumSquares[v] &+= q &* q
            pending[v] = 0
        }
        touchedCount = 0
    }

    /// Adds this worker's integer sums into `totals` (order-independent).
    public func accumulate(into totals: inout TallySums) {
        precondition(totals.sum.count == voxelCount)
        totals.sum.withUnsafeMutableBufferPointer { s in
            totals.sumSquares.withUnsafeMutableBufferPointer { s2 in
                for v in 0..<voxelCount {
                    s[v] &+= sum[v]
                    s2[v] &+= sumSquares[v]
                }
            }
        }
    }

    /// Clears the integer sums (after they have been accumulated).
    public mutating func resetSums() {
        sum.update(repeating: 0, count: voxelCount)
        sumSquares.update(repeating: 0, count: voxelCount)
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
