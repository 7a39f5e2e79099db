import RPTCore

/// Time-integrated activity Ã = ∫₀^∞ A(t) dt (number of decays) with its standard uncertainty.
public struct TimeIntegratedActivity: Sendable, Equatable {
    /// Ã in Bq·s (= number of decays).
    public var valueBqS: Double
    /// Standard uncertainty of Ã (Bq·s); NaN when it could not be propagated.
    public var standardUncertaintyBqS: Double

    public init(valueBqS: Double, standardUncertaintyBqS: Double) {
        self.valueBqS = valueBqS
        self.standardUncertaintyBqS = standardUncertaintyBqS
    }

    /// Ã in Bq·h.
    public var valueBqH: Double { valueBqS / Units.secondsPerHour }
    /// Standard uncertainty in Bq·h.
    public var standardUncertaintyBqH: Double { standardUncertaintyBqS / Units.secondsPerHour }
    /// Relative standard uncertainty σ/Ã.
    public var relativeUncertainty: Double { standardUncertaintyBqS / valueBqS }

    /// Residence time τ = Ã / A_admin in seconds (also called time-integrated activity coefficient).
    public func residenceTimeSeconds(administeredActivityBq: Double,
                                     source: String = "administered activity") throws -> Double {
        guard administeredActivityBq.isFinite, administeredActivityBq > 0 else {
            throw InputError(source: source, field: "administeredActivityBq", value: "\(administeredActivityBq)",
                             reason: "administered activity must be a finite number > 0 Bq")
        }
        return valueBqS / administeredActivityBq
    }

    /// Residence time τ = Ã / A_admin in hours.
    public func residenceTimeHours(administeredActivityBq: Double,
                                   source: String = "administered activity") throws -> Double {
        try residenceTimeSeconds(administeredActivityBq: administeredActivityBq, source: source) / Units.secondsPerHour
    }
}

/// An effective decay constant λ_eff (physical + biological) with its standard uncertainty.
public struct EffectiveDecay: Sendable, Equatable {
    /// λ_eff (1/s).
    public var decayConstantPerSecond: Double
    /// Standard uncertainty of λ_eff (1/s); NaN when unavailable.
    public var standardUncertaintyPerSecond: Double

    public init(decayConstantPerSecond: Double, standardUncertaintyPerSecond: Double) {
        self.decayConstantPerSecond = decayConstantPerSecond
        self.standardUncertaintyPerSecond = standardUncertaintyPerSecond
    }

    /// λ_eff in 1/h.
    public var decayConstantPerHour: Double { decayConstantPerSecond * Units.secondsPerHour }
    /// Effective half-life ln 2 / λ_eff (h).
    public var halfLifeHours: Double { 0.693_147_180_559_945_3 / decayConstantPerHour }
    /// Standard uncertainty of the half-life (h), first order: σ_T = T·σ_λ/λ.
    public var halfLifeStandardUncertaintyHours: Double {
        halfLifeHours * standardUncertaintyPerSecond / decayConstantPerSecond
    }
}
