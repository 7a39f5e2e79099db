/// How the parameter covariance (JᵀWJ)⁻¹ is scaled by the reduced χ² = χ²/(n − k).
public enum CovarianceScaling: String, Sendable, CaseIterable {
    /// Use (JᵀWJ)⁻¹ as is: the stated point uncertainties are taken as exact.
    case none
    /// Always multiply by χ²/(n − k) (σ known only up to a common factor).
    case reducedChiSquare
    /// Multiply by max(1, χ²/(n − k)): inflate when the scatter exceeds the stated uncertainties,
    /// never shrink below them (with 1–3 degrees of freedom χ²/ν is itself very uncertain). Default.
    case reducedChiSquareWhenAboveOne
}

/// How the trapezoid rule treats the interval between administration and the first scan.
public enum TrapezoidStart: String, Sendable, CaseIterable {
    /// Linear from A(0) = 0 to the first point (area t₁·A₁/2). Default.
    case zeroAtAdministration
    /// Constant back-extrapolation of the first point to t = 0 (area t₁·A₁).
    case constantBackExtrapolation
}

/// Options shared by the region-level fits and the reduced-time-point methods.
public struct KineticsFitOptions: Sendable, Equatable {
    /// Relative uncertainty used for points that carry none (default 0.10 = 10 %).
    public var defaultRelativeUncertainty: Double = 0.10
    /// Constrain every rate to be ≥ λ_phys (no re-uptake: effective decay cannot be slower than
    /// physical decay). Default `true`.
    public var ratesAtLeastPhysicalDecay: Bool = true
    /// Covariance scaling policy; default `.reducedChiSquareWhenAboveOne`.
    public var covarianceScaling: CovarianceScaling = .reducedChiSquareWhenAboveOne
    /// Start of the trapezoid rule; default `.zeroAtAdministration`.
    public var trapezoidStart: TrapezoidStart = .zeroAtAdministration
    /// Levenberg–Marquardt iteration limit per start.
    public var maximumIterations: Int = 400

    public init(defaultRelativeUncertainty: Double = 0.10, ratesAtLeastPhysicalDecay: Bool = true,
                covarianceScaling: CovarianceScaling = .reducedChiSquareWhenAboveOne,
                trapezoidStart: TrapezoidStart = .zeroAtAdministration, maximumIterations: Int = 400) {
        self.defaultRelativeUncertainty = defaultRelativeUncertainty
        self.ratesAtLeastPhysicalDecay = ratesAtLeastPhysicalDecay
        self.covarianceScaling = covarianceScaling
        self.trapezoidStart = trapezoidStart
        self.maximumIterations = maximumIterations
    }

    /// The factor applied to (JᵀWJ)⁻¹ for a fit with the given χ² and degrees of freedom.
    public func covarianceScaleFactor(chiSquare: Double, degreesOfFreedom: Int) -> Double {
        guard degreesOfFreedom > 0, chiSquare.isFinite else { return 1 }
        let reduced = chiSquare / Double(degreesOfFreedom)
        switch covarianceScaling {
        case .none: return 1
        case .reducedChiSquare: return reduced
        case .reducedChiSquareWhenAboveOne: return max(1, reduced)
        }
    }
}
