/// How decay positions are drawn from a voxel activity map (docs/methods/variance-reduction.md).
public enum SourceSampling: String, Sendable, Hashable, Codable, CaseIterable {
    /// Analogue: every decay picks its voxel independently (alias table). Histories are independent, so the
    /// uncertainty is estimated history by history.
    case analog
    /// Systematic (stratified) sampling in batches of `TransportSettings.sourceBatchDecays` decays, fixed by decay
    /// index: decay k of batch b takes the position (k + u_b)/n of the cumulative activity (one uniform u_b per
    /// batch, from the batch's own random stream), so each voxel receives ⌊n·p⌋ or ⌈n·p⌉ decays per batch instead of
    /// a Poisson-like number. Unbiased (each decay's position is uniform over its 1/n of the activity, and the
    /// batch's n intervals tile it); the histories of a batch are correlated, so the uncertainty comes from the
    /// spread of the batch sums (`TallyStatistics.batches`), which needs ≥ `minimumBatches` batches.
    case systematic

    /// Default decays per batch of systematic sampling: 2¹⁴. Large enough that an organ voxel receives several
    /// decays per batch (the patient15 kidneys: 4545 voxels → 3.6 per voxel; the Poisson part of the count variance
    /// then falls to ⟨f(1 − f)⟩ ≈ 1/6 decay² instead of 3.6), small enough that 30 batches (491 520 decays) are a
    /// short run and a worker's accumulator holds only the slots one batch touches.
    public static let defaultBatchDecays = 16_384

    /// Fewest batches a systematic run may plan: the batch estimate of a variance from B batches has a relative
    /// standard deviation of √(2/(B − 1)), so σ is uncertain by ≈ 1/√(2B) — 13 % at 30 batches (a χ² with B − 1
    /// degrees of freedom; e.g. Walters, Kawrakow & Rogers, Med. Phys. 29, 2745 (2002), on batch statistics).
    public static let minimumBatches = 30

    /// Stream index of batch b's own uniform u_b: (seed, 2⁶³ + b). History h uses (seed, h), and decay indices stay
    /// below 2⁶³ (checked by `SimulationDriver`), so the two never share a stream.
    public static func batchStream(_ b: UInt64) -> UInt64 { (1 << 63) | b }

    /// Relative standard deviation of a σ estimated from `batches` batches, ≈ 1/√(2B).
    public static func sigmaOfSigma(batches: UInt64) -> Double { 1 / (2 * Double(max(batches, 1))).squareRoot() }
}

/// How a tally's second moment is formed, hence how the uncertainty is estimated.
public enum TallyStatistics: Equatable, Sendable, Hashable {
    /// Σ over histories of the squared per-history energy (independent histories).
    case historyByHistory
    /// Σ over batches of the squared per-batch energy; batch b holds the decays [b·size, (b + 1)·size).
    case batches(size: UInt64)

    /// Quantum of the squared energy in `TallySums.sumSquares` (MeV²): 2⁻³² per history; 2⁻²⁴ per batch, because a
    /// batch's energy in one slot is thousands of times a history's (a region holding a whole source of 16 384
    /// Lu-177 decays receives ≈ 2500 MeV per batch: 64-bit Σq² in 2⁻²⁴ MeV² then lasts 1.7·10⁵ batches = 2.8·10⁹ decays,
    /// with an upward bias below 2⁻²⁴ = 6·10⁻⁸ MeV² per batch in the variance — under 0.1 % of the batch variance of a
    /// red-marrow voxel in the patient15 benchmark, `docs/methods/variance-reduction.md`).
    public var squareQuantumMeV2: Double {
        switch self {
        case .historyByHistory: return 0x1p-32
        case .batches: return 0x1p-24
        }
    }

    /// Bits dropped from the 128-bit q² (q in quanta of 2⁻³² MeV) to get `squareQuantumMeV2` quanta.
    var squareShift: UInt64 {
        switch self {
        case .historyByHistory: return 32
        case .batches: return 40
        }
    }

    /// Number of independent samples the second moment sums over for `histories` decays.
    public func samples(histories: UInt64) -> UInt64 {
        switch self {
        case .historyByHistory: return histories
        case .batches(let size): return histories / max(size, 1)
        }
    }

    /// Name written to files ("history-by-history" or "batch").
    public var name: String {
        switch self {
        case .historyByHistory: return "history-by-history"
        case .batches: return "batch"
        }
    }
}
