import RPTCore

/// Everything a Monte Carlo history changes, held in one value per worker and passed `inout` to every
/// transport event: the history's random stream, the worker's energy tally, its particle stack (secondaries
/// waiting to be transported) and the history's energy bookkeeping.
///
/// The worker keeps one state across histories: `beginHistory` gives it the history's own random stream
/// (seed, history index) and a fresh energy account, `endHistory` moves the history's deposits into the
/// accumulator's exact integer sums (flushed into the shared tally at the end of each batch).
public struct TransportState: ~Copyable {
    /// The current history's counter-based random stream.
    public var rng: RandomStream
    /// The worker's history-by-history energy accumulator (voxels, then scored regions), flushed into the run's
    /// shared tally at the end of every batch.
    public var tally: EnergyTally
    /// Particles waiting to be transported.
    public var stack: ParticleStack
    /// Energy emitted, deposited, escaped … by the current history (conservation bookkeeping).
    public var energy: HistoryEnergy
    /// Systematic source sampling: the current decay's position (k + u_b)/n in the cumulative activity, in [0, 1)
    /// (set by `ParallelRunner` for kernels with a `sourceBatchDecays`; NaN otherwise).
    public var sourceQuantile: Double = .nan

    /// A worker's state accumulating into `shared`.
    public init(tally shared: SharedTally) {
        rng = RandomStream(seed: 0, stream: 0)
        tally = EnergyTally(shared: shared)
        stack = ParticleStack()
        energy = HistoryEnergy()
    }

    /// A worker's state with its own shared tally of `tallySlots` slots (single-threaded tests and validation).
    public init(tallySlots: Int) {
        self.init(tally: SharedTally(slotCount: tallySlots))
    }

    /// Starts history `h` of the run with master seed `seed`.
    @inline(__always)
    public mutating func beginHistory(seed: UInt64, history h: UInt64) {
        rng = RandomStream(seed: seed, stream: h)
        energy = HistoryEnergy()
        tally.beginHistory(h)
    }

    /// Starts history `h` inside a batch of systematic source sampling: its own random stream and energy account, but
    /// the tally keeps accumulating the batch (one "history" of the accumulator per batch, `ParallelRunner`).
    @inline(__always)
    mutating func beginHistoryInBatch(seed: UInt64, history h: UInt64, sourceQuantile t: Double) {
        rng = RandomStream(seed: seed, stream: h)
        energy = HistoryEnergy()
        sourceQuantile = t
    }

    /// Ends the current history: its deposits go into the tally's integer sums.
    @inline(__always)
    public mutating func endHistory() {
        tally.endHistory()
    }
}
