import RPTCore

/// Blood-based red-marrow dosimetry (EANM guidance: Hindorf, Glatting, Chiesa, Lindén & Flux, "EANM
/// Dosimetry Committee guidelines for bone marrow and whole-body dosimetry", Eur J Nucl Med Mol Imaging
/// 2010;37:1238–1250), with the image-based cross-dose from the Monte Carlo.
///
/// * Self-dose: the marrow activity concentration equals RMBLR × the whole-blood concentration, with
///   RMBLR = 1 for radiolabelled somatostatin analogues (Forrer et al., "Bone marrow dosimetry in peptide
///   receptor radionuclide therapy with [177Lu-DOTA0,Tyr3]octreotate", Eur J Nucl Med Mol Imaging
///   2009;36:1138–1146), per gram of marrow per mL of blood (the unit-density convention of those papers).
///   Ã_RM = RMBLR · [Ã]_blood · m_RM, and D_self = Ã_RM · S(RM←RM) with S(RM←RM) = E_e / m_RM:
///   the electron energy per decay E_e (β, conversion and Auger electrons, ICRP 107) is absorbed in the
///   marrow (absorbed fraction 1: the Lu-177 β range, mean ≈ 0.3 mm in tissue, is far below the size of
///   the marrow compartment as a whole), photons from marrow activity are neglected in the self term
///   (they leave the marrow mostly and are a few % of the self-dose at most). With these assumptions the
///   marrow mass cancels: D_self = RMBLR · [Ã]_blood · E_e.
/// * Marrow mass (reported, and used for Ã_RM): ICRP Publication 89 (2002, "Basic anatomical and
///   physiological data for use in radiological protection: reference values", Ann ICRP 32(3–4)) adult
///   red marrow 1170 g (male), 900 g (female), scaled by patient mass / reference body mass (73 kg male,
///   60 kg female, ICRP 89).
/// * Cross-dose: the Monte Carlo mean dose in the image's marrow region (e.g. lumbar vertebral bodies)
///   from every decay outside it — the marrow region itself holds no decays in the transport source.
public struct RedMarrowDose: Sendable, Equatable {
    /// ICRP 89 reference adult red-marrow mass (g).
    public static func referenceMarrowMassG(_ sex: PatientSex) -> Double { sex == .male ? 1170 : 900 }
    /// ICRP 89 reference adult body mass (kg).
    public static func referenceBodyMassKg(_ sex: PatientSex) -> Double { sex == .male ? 73 : 60 }

    /// Patient red-marrow mass (g), ICRP 89 scaled by body mass.
    public var marrowMassG: Double
    /// ∫ C_blood dt (Bq·s/mL) and its standard uncertainty.
    public var bloodTIAConcentrationBqSPerML: Double
    public var bloodTIAConcentrationUncertaintyBqSPerML: Double
    /// How the blood Ã was obtained (fit method, or scaled from cycle 1).
    public var bloodMethod: String
    public var marrowToBloodRatio: Double
    /// Ã in the red marrow (Bq·s).
    public var marrowTIABqS: Double
    /// E_e (MeV per decay).
    public var electronEnergyPerDecayMeV: Double
    /// Self-dose (Gy) and its relative uncertainty (from the blood fit).
    public var selfDoseGy: Double
    public var selfRelativeUncertainty: Double
    /// Cross-dose (Gy) from the Monte Carlo in the marrow region, and its MC relative uncertainty;
    /// NaN when the image has no marrow region.
    public var crossDoseGy: Double
    public var crossMCRelativeUncertainty: Double

    public init(sex: PatientSex, bodyMassKg: Double, bloodTIAConcentrationBqSPerML: Double,
                bloodTIAConcentrationUncertaintyBqSPerML: Double, bloodMethod: String, marrowToBloodRatio: Double,
                electronEnergyPerDecayMeV: Double, crossDoseGy: Double, crossMCRelativeUncertainty: Double) {
        marrowMassG = Self.referenceMarrowMassG(sex) * bodyMassKg / Self.referenceBodyMassKg(sex)
        self.bloodTIAConcentrationBqSPerML = bloodTIAConcentrationBqSPerML
        self.bloodTIAConcentrationUncertaintyBqSPerML = bloodTIAConcentrationUncertaintyBqSPerML
        self.bloodMethod = bloodMethod
        self.marrowToBloodRatio = marrowToBloodRatio
        marrowTIABqS = marrowToBloodRatio * bloodTIAConcentrationBqSPerML * marrowMassG
        self.electronEnergyPerDecayMeV = electronEnergyPerDecayMeV
        // Gy = J/kg: Ã_RM · E_e · (J/MeV) / (m_RM · 1e-3 kg/g).
        selfDoseGy = marrowTIABqS * electronEnergyPerDecayMeV * PhysicalConstants.joulePerMeV / (marrowMassG * 1e-3)
        selfRelativeUncertainty = bloodTIAConcentrationBqSPerML > 0
            ? bloodTIAConcentrationUncertaintyBqSPerML / bloodTIAConcentrationBqSPerML : 0
        self.crossDoseGy = crossDoseGy
        self.crossMCRelativeUncertainty = crossMCRelativeUncertainty
    }

    /// Self + cross (Gy); the cross term counts as 0 when unavailable.
    public var totalDoseGy: Double { selfDoseGy + (crossDoseGy.isFinite ? crossDoseGy : 0) }
    /// Relative MC uncertainty of the total (only the cross term is Monte Carlo).
    public var mcRelativeUncertainty: Double {
        crossDoseGy.isFinite && totalDoseGy > 0 ? crossDoseGy * crossMCRelativeUncertainty / totalDoseGy : 0
    }
    /// Relative kinetic (blood-fit) uncertainty of the total.
    public var fitRelativeUncertainty: Double { totalDoseGy > 0 ? selfDoseGy * selfRelativeUncertainty / totalDoseGy : 0 }
}
