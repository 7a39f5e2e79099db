import RPTCore

/// Transports one complete history (a decay with all its emissions and secondaries).
///
/// Implementations are value types holding unsafe pointers to read-only tables; the driver makes
/// one copy per worker and calls `run` for each history with the worker's `TransportState`, whose random
/// stream is that history's own.
/// The protocol is used only as a generic constraint (specialised at compile time), never as an
/// existential.
public protocol HistoryKernel {
    mutating func run(history: UInt64, _ state: inout TransportState)
    /// Decays per batch when the kernel samples its sources systematically (`SourceSampling.systematic`): histories
    /// must then run in whole batches [b·n, (b + 1)·n), each on one worker with `TransportState.sourceQuantile` set,
    /// and the tally's statistics are per batch. nil (the default): independent histories.
    var sourceBatchDecays: UInt64? { get }
}

extension HistoryKernel {
    public var sourceBatchDecays: UInt64? { nil }

    /// The statistics the tally of this kernel's histories must use.
    public var tallyStatistics: TallyStatistics { sourceBatchDecays.map { .batches(size: $0) } ?? .historyByHistory }
}
