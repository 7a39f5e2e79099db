import RPTPhysics

/// Activity unit conversions and Lu-177 constants used by the planner.
public enum ActivityUnits {
    /// Millicuries per gigabecquerel: 1 mCi = 37 MBq exactly (definition of the curie,
    /// 1 Ci = 3.7e10 Bq), so 1 GBq = 1000/37 mCi ≈ 27.027 mCi.
    public static let mCiPerGBq: Double = 1000.0 / 37.0

    /// Converts gigabecquerel to millicurie.
    public static func mCi(fromGBq gbq: Double) -> Double { gbq * mCiPerGBq }

    /// Converts millicurie to gigabecquerel.
    public static func gbq(fromMCi mci: Double) -> Double { mci / mCiPerGBq }

    /// Lu-177 physical half-life (h), from the shipped nuclide data (ICRP Publication 107: 6.647 d = 159.528 h).
    public static var lutetium177HalfLifeHours: Double { Nuclide.lutetium177.halfLifeHours }

    /// Lu-177 physical decay constant (1/h). An effective (physical + biological) decay constant
    /// can never be smaller, so predicted kidney λ_eff values are clipped to at least this.
    public static var lutetium177DecayConstantPerHour: Double { Nuclide.lutetium177.decayConstantPerHour }
}
