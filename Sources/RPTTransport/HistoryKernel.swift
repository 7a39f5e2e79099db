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
}
