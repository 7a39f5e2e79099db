/// Cumulative organ limits and the kidney radiobiology used to check them.
public struct DoseLimits: Equatable, Sendable {
    /// Cumulative kidney absorbed dose limit (Gy). Default 23 Gy: the external-beam TD5/5 for
    /// whole-kidney irradiation (Emami et al., Int J Radiat Oncol Biol Phys 21:109, 1991), the
    /// kidney limit used in PRRT dosimetry (e.g. Sandström et al., J Nucl Med 54:33, 2013).
    public var kidneyDoseGy: Double
    /// Cumulative kidney BED limit for patients with renal risk factors (Gy). Default 28 Gy
    /// (Bodei et al., Eur J Nucl Med Mol Imaging 35:1847, 2008: risk factors such as hypertension,
    /// diabetes).
    public var kidneyBEDWithRiskFactorsGy: Double
    /// Cumulative kidney BED limit without risk factors (Gy). Default 40 Gy (Bodei et al. 2008).
    public var kidneyBEDWithoutRiskFactorsGy: Double
    /// Cumulative red-marrow absorbed dose limit (Gy). Default 2 Gy: the classical blood/marrow
    /// limit (Benua et al., Am J Roentgenol 87:171, 1962) used for PRRT (Sandström et al. 2013).
    public var marrowDoseGy: Double
    /// Kidney α/β (Gy). Default 2.6 Gy (as used by Bodei et al. 2008 and Wessels et al.,
    /// J Nucl Med 49:1884, 2008 — MIRD Pamphlet 20).
    public var kidneyAlphaBetaGy: Double
    /// Kidney sub-lethal damage repair half-time (h). Default 2.8 h (Bodei et al. 2008;
    /// Wessels et al. 2008).
    public var kidneyRepairHalfTimeHours: Double

    public init(kidneyDoseGy: Double = 23, kidneyBEDWithRiskFactorsGy: Double = 28,
                kidneyBEDWithoutRiskFactorsGy: Double = 40, marrowDoseGy: Double = 2,
                kidneyAlphaBetaGy: Double = 2.6, kidneyRepairHalfTimeHours: Double = 2.8) {
        self.kidneyDoseGy = kidneyDoseGy
        self.kidneyBEDWithRiskFactorsGy = kidneyBEDWithRiskFactorsGy
        self.kidneyBEDWithoutRiskFactorsGy = kidneyBEDWithoutRiskFactorsGy
        self.marrowDoseGy = marrowDoseGy
        self.kidneyAlphaBetaGy = kidneyAlphaBetaGy
        self.kidneyRepairHalfTimeHours = kidneyRepairHalfTimeHours
    }

    /// The kidney BED limit (Gy) that applies to a patient.
    public func kidneyBEDGy(riskFactors: Bool) -> Double {
        riskFactors ? kidneyBEDWithRiskFactorsGy : kidneyBEDWithoutRiskFactorsGy
    }

    /// The kidney BED model with these radiobiological parameters.
    public var kidneyBEDModel: BiologicallyEffectiveDose {
        BiologicallyEffectiveDose(alphaBetaGy: kidneyAlphaBetaGy, repairHalfTimeHours: kidneyRepairHalfTimeHours)
    }
}
