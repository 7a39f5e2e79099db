import RPTCore

/// A uniform grid in ln(E): lookups are arithmetic (no search).
public struct LogEnergyGrid: Sendable, Hashable {
    public let minimumMeV: Double
    public let maximumMeV: Double
    public let count: Int
    public let lnMinimum: Double
    /// 1 / Δln E.
    public let inverseStep: Double

    public init(minimumMeV: Double, maximumMeV: Double, count: Int) {
        precondition(count >= 2 && maximumMeV > minimumMeV && minimumMeV > 0)
        self.minimumMeV = minimumMeV; self.maximumMeV = maximumMeV; self.count = count
        lnMinimum = _log(minimumMeV)
        inverseStep = Double(count - 1) / (_log(maximumMeV) - lnMinimum)
    }

    /// Energy of grid point i (MeV).
    public func energy(_ i: Int) -> Double { _exp(lnMinimum + Double(i) / inverseStep) }

    /// Interval index i and fraction f in [0, 1] such that ln E = (1 − f)·ln Eᵢ + f·ln Eᵢ₊₁; clamped to the grid.
    @inline(__always)
    public func locate(_ energyMeV: Double) -> (Int, Double) {
        let x = (_log(energyMeV) - lnMinimum) * inverseStep
        if x <= 0 { return (0, 0) }
        let i = Int(x)
        if i >= count - 1 { return (count - 2, 1) }
        return (i, x - Double(i))
    }
}
