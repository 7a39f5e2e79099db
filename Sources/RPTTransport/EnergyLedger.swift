/// Where the energy of the simulated histories went, in exact fixed-point sums (see `EnergyTally`).
///
/// emitted = deposited (transported particles, incl. below-cut-off remainders) + escaped (left the
/// grid) + local (emissions below the nuclide-data cut-off, deposited at the decay site) holds per
/// history to rounding; the debug build checks it history by history. With the photon track-length estimator
/// (`PhotonEstimator.trackLength`) `deposited` is what went into the tally, which includes the estimator's
/// scores instead of the photon interactions' electron energies: the balance then holds in expectation (the
/// per-history check uses the analogue energies, `HistoryEnergy.conservationError`).
public struct EnergyLedger: Equatable, Sendable {
    public var emitted: UInt128 = 0
    public var deposited: UInt128 = 0
    public var escaped: UInt128 = 0
    /// Energy of sub-cut-off emissions deposited at the decay site (already included in `deposited`).
    public var localBelowCutoff: UInt128 = 0
    /// Energy deposited in place because the secondary stack was full (should stay 0).
    public var stackOverflow: UInt128 = 0

    public init() {}

    @inline(__always) static func quanta(_ e: Double) -> UInt128 { EnergyTally.quanta(e) }
    static func mev(_ q: UInt128) -> Double { Double(q) * EnergyTally.quantumMeV }

    public var emittedMeV: Double { Self.mev(emitted) }
    public var depositedMeV: Double { Self.mev(deposited) }
    public var escapedMeV: Double { Self.mev(escaped) }
    public var localBelowCutoffMeV: Double { Self.mev(localBelowCutoff) }
    public var stackOverflowMeV: Double { Self.mev(stackOverflow) }

    public static func += (a: inout EnergyLedger, b: EnergyLedger) {
        a.emitted &+= b.emitted; a.deposited &+= b.deposited; a.escaped &+= b.escaped
        a.localBelowCutoff &+= b.localBelowCutoff; a.stackOverflow &+= b.stackOverflow
    }
}

/// Per-history energy bookkeeping in doubles, folded into an `EnergyLedger` at the end of a history.
public struct HistoryEnergy {
    public var emitted = 0.0, deposited = 0.0, escaped = 0.0, local = 0.0, overflow = 0.0
    /// Real (not virtual) photon interactions in this history (for validation tests).
    public var photonInteractions = 0
    /// Track-length estimator only: energy (MeV) the photoelectric and incoherent interactions of this history gave
    /// to electrons and local deposits, which the estimator scores instead (not in `deposited`).
    public var photonKerma = 0.0
    /// Track-length estimator only: energy (MeV) the estimator put in the tally (included in `deposited`).
    public var trackLengthScored = 0.0
    public init() {}
    
    public func fold(into ledger: inout EnergyLedger) {
        ledger.emitted &+= EnergyLedger.quanta(emitted)
        ledger.deposited &+= EnergyLedger.quanta(deposited)
        ledger.escaped &+= EnergyLedger.quanta(escaped)
        ledger.localBelowCutoff &+= EnergyLedger.quanta(local)
        ledger.stackOverflow &+= EnergyLedger.quanta(overflow)
    }

    /// |emitted − deposited − escaped| relative to emitted (deposited includes the local part), with the analogue
    /// energies: the track-length scores replaced by the interactions' electron energies (no change for analogue runs).
    public var conservationError: Double {
        let analogue = deposited - trackLengthScored + photonKerma
        return emitted > 0 ? abs(emitted - analogue - escaped) / emitted : abs(analogue + escaped)
    }
}
