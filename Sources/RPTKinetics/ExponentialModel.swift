/// The parametric time-activity models. Every model is a sum of exponentials
///
///     A(t) = Σₐ Aₐ · Σ_b c_ab · e^{−λ_b t},   c_ab ∈ {−1, 0, +1},
///
/// with positive amplitudes Aₐ (Bq) and rates ordered λ₁ < λ₂ < … (1/s): λ₁ is always the slowest
/// (terminal) phase. Natural parameter vector: amplitudes first, then rates.
public enum ExponentialModel: String, Sendable, CaseIterable, Hashable {
    /// A(t) = A₀ e^{−λ₁t}. Parameters (A₀, λ₁).
    case monoExponential
    /// A(t) = A₀ (e^{−λ₁t} − e^{−λ₂t}), λ₂ > λ₁ (uptake rate λ₂, clearance λ₁). Parameters (A₀, λ₁, λ₂).
    case biExponentialUptake
    /// A(t) = A₁ e^{−λ₁t} + A₂ e^{−λ₂t}, λ₂ > λ₁ (fast and slow clearance). Parameters (A₁, A₂, λ₁, λ₂).
    case biExponential
    /// A(t) = A₁ e^{−λ₁t} + A₂ e^{−λ₂t} − (A₁ + A₂) e^{−λ₃t}, λ₁ < λ₂ < λ₃: uptake λ₃ and two clearance
    /// phases, A(0) = 0. Parameters (A₁, A₂, λ₁, λ₂, λ₃).
    case triExponentialUptake

    /// Number of amplitudes.
    public var amplitudeCount: Int {
        switch self {
        case .monoExponential, .biExponentialUptake: return 1
        case .biExponential, .triExponentialUptake: return 2
        }
    }

    /// Number of rates.
    public var rateCount: Int {
        switch self {
        case .monoExponential: return 1
        case .biExponentialUptake, .biExponential: return 2
        case .triExponentialUptake: return 3
        }
    }

    /// Number of free parameters k.
    public var parameterCount: Int { amplitudeCount + rateCount }

    /// Coefficient c_ab of rate b in the basis function of amplitude a.
    @inlinable
    public func coefficient(amplitude a: Int, rate b: Int) -> Double {
        switch self {
        case .monoExponential: return 1
        case .biExponentialUptake: return b == 0 ? 1 : -1
        case .biExponential: return a == b ? 1 : 0
        case .triExponentialUptake: return b == 2 ? -1 : (a == b ? 1 : 0)
        }
    }

    /// Names of the natural parameters, in order, with units.
    public var parameterNames: [String] {
        switch self {
        case .monoExponential: return ["A0_Bq", "lambda1_per_s"]
        case .biExponentialUptake: return ["A0_Bq", "lambda1_per_s", "lambda2_per_s"]
        case .biExponential: return ["A1_Bq", "A2_Bq", "lambda1_per_s", "lambda2_per_s"]
        case .triExponentialUptake: return ["A1_Bq", "A2_Bq", "lambda1_per_s", "lambda2_per_s", "lambda3_per_s"]
        }
    }
}
