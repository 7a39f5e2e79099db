import RPTCore

/// Biologically effective dose of one exponentially decaying dose-rate delivery with incomplete
/// mono-exponential repair (linear-quadratic model).
///
/// For a dose rate R(t) = R₀·e^(−λt) delivered to completion, absorbed dose D = R₀/λ and
///
///     BED = D · (1 + D·λ / ((μ + λ) · α/β)),   μ = ln 2 / T_rep
///
/// Dale, Br J Radiol 58:515–528 (1985), for exponentially decaying sources; the form used for
/// kidneys in PRRT by Bodei et al., Eur J Nucl Med Mol Imaging 35:1847–1856 (2008) and by
/// Wessels et al., J Nucl Med 49:1884–1899 (2008; MIRD Pamphlet 20). Cycles weeks apart are
/// treated as fully repaired in between, so the BED of a course is the sum of the cycles' BEDs.
public struct BiologicallyEffectiveDose: Equatable, Sendable {
    /// α/β ratio of the tissue (Gy).
    public var alphaBetaGy: Double
    /// Repair half-time T_rep (h).
    public var repairHalfTimeHours: Double

    public init(alphaBetaGy: Double, repairHalfTimeHours: Double) {
        self.alphaBetaGy = alphaBetaGy
        self.repairHalfTimeHours = repairHalfTimeHours
    }

    /// Repair rate constant μ = ln 2 / T_rep (1/h).
    public var repairRatePerHour: Double { 0.693_147_180_559_945_3 / repairHalfTimeHours }

    /// Dose-independent factor g = λ / ((μ + λ)·α/β) (1/Gy), so that BED = D + g·D².
    public func quadraticCoefficient(effectiveDecayPerHour lambda: Double) -> Double {
        lambda / ((repairRatePerHour + lambda) * alphaBetaGy)
    }

    /// BED (Gy) of absorbed dose `doseGy` delivered with effective decay constant `lambda` (1/h).
    public func bed(doseGy: Double, effectiveDecayPerHour lambda: Double) -> Double {
        doseGy + quadraticCoefficient(effectiveDecayPerHour: lambda) * doseGy * doseGy
    }

    /// The absorbed dose (Gy) whose BED equals `bedGy` (inverse of `bed`; 0 for bedGy ≤ 0).
    /// Solves g·D² + D − BED = 0 in the cancellation-free form D = 2·BED / (1 + √(1 + 4g·BED)).
    public func dose(forBED bedGy: Double, effectiveDecayPerHour lambda: Double) -> Double {
        guard bedGy > 0 else { return 0 }
        let g = quadraticCoefficient(effectiveDecayPerHour: lambda)
        return 2 * bedGy / (1 + (1 + 4 * g * bedGy).squareRoot())
    }
}
