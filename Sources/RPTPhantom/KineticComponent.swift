import RPTCore

/// One exponential uptake-and-clearance component of a region's time–activity curve.
///
/// With λu = ln2/T_uptake, λb = ln2/T_biological, λp the Lu-177 decay constant and A0 the administered
/// activity, the component holds (Bateman form of a one-compartment uptake from a bolus)
///
///     A(t) = A0 · f · norm · (e^{−(λb+λp)t} − e^{−(λu+λp)t}),   norm = λu / (λu − λb),
///
/// so that f is the fraction of the administered activity the region would hold at t = 0 if uptake were
/// instantaneous (the biological curve f·norm·(e^{−λb t} − e^{−λu t}) tends to f·e^{−λb t} as λu → ∞).
/// An uptake half-life of 0 means instantaneous uptake: A(t) = A0 · f · e^{−(λb+λp)t}.
/// A biological half-life of +∞ means no biological clearance (λb = 0).
///
/// The time integral from 0 to ∞ (time-integrated activity) is analytic:
///
///     Ã = A0 · f · norm · (1/(λb+λp) − 1/(λu+λp))          (instantaneous uptake: A0 · f/(λb+λp)).
public struct KineticComponent: Equatable, Sendable {
    /// f: fraction of the administered activity (dimensionless, ≥ 0).
    public var fraction: Double
    /// Uptake half-life (h); 0 = instantaneous uptake.
    public var uptakeHalfLifeHours: Double
    /// Biological clearance half-life (h); `.infinity` = no biological clearance.
    public var biologicalHalfLifeHours: Double

    public init(fraction: Double, uptakeHalfLifeHours: Double = 0, biologicalHalfLifeHours: Double) {
        self.fraction = fraction
        self.uptakeHalfLifeHours = uptakeHalfLifeHours
        self.biologicalHalfLifeHours = biologicalHalfLifeHours
    }

    static let ln2 = 0.693_147_180_559_945_3

    /// λb (1/h).
    public var biologicalRatePerHour: Double { biologicalHalfLifeHours.isInfinite ? 0 : Self.ln2 / biologicalHalfLifeHours }
    /// λu (1/h); +∞ for instantaneous uptake.
    public var uptakeRatePerHour: Double { uptakeHalfLifeHours == 0 ? .infinity : Self.ln2 / uptakeHalfLifeHours }

    /// Effective clearance half-life (h): ln2/(λb+λp).
    public var effectiveHalfLifeHours: Double {
        Self.ln2 / (biologicalRatePerHour + Lutetium177.decayConstantPerHour)
    }

    /// A(t)/A0: the fraction of the administered activity present at `hours` after administration,
    /// physical decay included. Zero for t < 0.
    public func activityFraction(atHours t: Double) -> Double {
        guard t >= 0 else { return 0 }
        let lp = Lutetium177.decayConstantPerHour, lb = biologicalRatePerHour, lu = uptakeRatePerHour
        let clearance = _exp(-(lb + lp) * t)
        if lu.isInfinite { return fraction * clearance }
        return fraction * lu / (lu - lb) * (clearance - _exp(-(lu + lp) * t))
    }

    /// ∫₀^∞ A(t)/A0 dt in hours (multiply by A0 in Bq and 3600 s/h for Bq·s).
    public var integratedFractionHours: Double {
        let lp = Lutetium177.decayConstantPerHour, lb = biologicalRatePerHour, lu = uptakeRatePerHour
        if lu.isInfinite { return fraction / (lb + lp) }
        return fraction * lu / (lu - lb) * (1 / (lb + lp) - 1 / (lu + lp))
    }

    /// Checks that the parameters are finite where required, ≥ 0, and that uptake and clearance half-lives
    /// differ (the Bateman form is singular when λu = λb).
    public func validate(source: String, field: String) throws {
        guard fraction >= 0, fraction.isFinite else {
            throw InputError(source: source, field: field + ".fraction", value: "\(fraction)",
                             reason: "must be a finite fraction ≥ 0 of the administered activity")
        }
        guard uptakeHalfLifeHours >= 0, uptakeHalfLifeHours.isFinite else {
            throw InputError(source: source, field: field + ".uptakeHalfLifeHours", value: "\(uptakeHalfLifeHours)",
                             reason: "must be finite and ≥ 0 h (0 = instantaneous uptake)")
        }
        guard biologicalHalfLifeHours > 0, !biologicalHalfLifeHours.isNaN else {
            throw InputError(source: source, field: field + ".biologicalHalfLifeHours",
                             value: "\(biologicalHalfLifeHours)", reason: "must be > 0 h (infinity = no clearance)")
        }
        let lu = uptakeRatePerHour, lb = biologicalRatePerHour
        guard lu.isInfinite || abs(lu - lb) > 1e-3 * lu else {
            throw InputError(source: source, field: field + ".uptakeHalfLifeHours", value: "\(uptakeHalfLifeHours)",
                             reason: "must differ from the biological half-life \(biologicalHalfLifeHours) h by more than 0.1 %")
        }
    }
}
