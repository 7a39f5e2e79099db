import RPTCore

/// Mean excitation energy of a mixture by Bragg additivity.
///
/// ln I = Σ wᵢ (Zᵢ/Aᵢ) ln Iᵢ / Σ wᵢ (Zᵢ/Aᵢ) (ICRU Report 37 (1984), Eq. 4.3), with the ICRU-37
/// condensed-phase values for elements in compounds: H 19.2, C 81.0, N 82.0, O 106.0, F 112.0, Cl 180.0 eV
/// (ICRU 37, after Seltzer & Berger, Int. J. Appl. Radiat. Isot. 33 (1982) 1189), and 1.13 × the
/// elemental value for all other elements (same source). Elemental I-values from ICRU Report 37.
///
/// Audit: the elemental values below equal those of NIST/ICRU 37 as carried by Geant4
/// (`G4NistMaterialBuilder::NistSimpleMaterials`, G4_Na … G4_I). No transcription of the ICRU 37 table of
/// condensed-phase values was found; they are confirmed indirectly: with them this rule reproduces the
/// I-values and Z/A of NIST SRD 126 Table 2 for the six ICRU-44 tissues to ±0.05 eV (see `MaterialTests`).
public enum MeanExcitationEnergy {
    /// ICRU-37 I-values (eV) of elements bound in condensed compounds.
    public static func condensedPhaseValue(z: Int) -> Double? {
        switch z {
        case 1: return 19.2
        case 6: return 81.0
        case 7: return 82.0
        case 8: return 106.0
        case 9: return 112.0
        case 17: return 180.0
        default:
            guard let elemental = elementalValue(z: z) else { return nil }
            return 1.13 * elemental
        }
    }

    /// Elemental I-values (eV), ICRU Report 37 (1984) (as also used by NIST ESTAR and Geant4's NIST materials).
    public static func elementalValue(z: Int) -> Double? {
        switch z {
        case 11: return 149.0
        case 12: return 156.0
        case 13: return 166.0
        case 14: return 173.0
        case 15: return 173.0
        case 16: return 180.0
        case 18: return 188.0
        case 19: return 190.0
        case 20: return 191.0
        case 26: return 286.0
        case 29: return 322.0
        case 30: return 330.0
        case 53: return 491.0
        default: return nil
        }
    }

    /// I (eV) of a mixture given as (Z, mass fraction) by Bragg additivity with condensed-phase values.
    /// Returns nil if an element has no tabulated value.
    public static func braggAdditivity(_ composition: [(z: Int, massFraction: Double)]) -> Double? {
        var num = 0.0, den = 0.0
        for c in composition {
            guard let i = condensedPhaseValue(z: c.z), let e = Element.byZ(c.z) else { return nil }
            let n = c.massFraction * Double(c.z) / e.atomicWeight
            num += n * _log(i)
            den += n
        }
        return den > 0 ? _exp(num / den) : nil
    }
}
