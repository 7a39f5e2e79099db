import RPTCore

/// The built-in materials: reference tissues and phantom materials with cited compositions.
///
/// Tissue compositions (mass fractions) and densities are those of ICRU Report 44, "Tissue Substitutes in
/// Radiation Dosimetry and Measurement" (1989) (after Woodard & White, Br. J. Radiol. 59 (1986) 1209), which
/// ICRU Report 46 (1992) repeats. Audit (against transcriptions of the tables, see each `source`):
/// - adipose, blood, cortical bone, lung (composition), muscle, soft tissue: identical to NIST SRD 126
///   (Hubbell & Seltzer, "X-Ray Mass Attenuation Coefficients", Table 2, physics.nist.gov/PhysRefData/
///   XrayMassCoef/tab2.html, materials "… (ICRU-44)"), densities included; cortical bone also equals the
///   1500 HU class of Schneider et al. (2000) in OpenGATE's `opengate/data/Schneider2000MaterialsTable.txt`.
/// - lung density 0.26 and spleen: ICRU Report 46 adult values as transcribed in XCIST
///   (github.com/xcist/main, `gecatsim/material/ICRU_lung_adult_healthy`, `ICRU_spleen_adult`).
/// - kidney and liver: identical (every mass fraction and the density) to the "Kidney" and "Liver" entries of
///   OpenGATE's material database (github.com/OpenGATE/Gate, `GateMaterials.db`), whose tissue block carries the
///   ICRU 46 adult values (its Lung, Blood, Spleen and RibBone entries equal the ICRU 46 lung, blood, spleen and
///   cortical bone confirmed above).
/// - red marrow, trabecular bone (spongiosa): NOT CONFIRMED — no attributable public transcription of the
///   ICRU 44/46 tables for these tissues was found; the values are kept as typed, flagged in `source`.
///
/// Mean excitation energies: air and water as tabulated (85.7 and 75.0 eV, NIST SRD 126 Table 2 / ICRU 37);
/// every tissue by Bragg additivity with the ICRU-37 condensed-phase element values (`MeanExcitationEnergy`).
/// This rule reproduces the I-values NIST SRD 126 Table 2 lists for the ICRU-44 tissues to ±0.05 eV
/// (adipose 64.8, blood 75.2, cortical bone 112.0, lung 75.2, muscle 74.6, soft tissue 74.7 eV; tested).
public enum MaterialLibrary {
    private static func tissue(_ name: String, density: Double, percent: [(Int, Double)], source: String) -> Material {
        let composition = percent.map { (z: $0.0, massFraction: $0.1 / 100) }
        guard let i = MeanExcitationEnergy.braggAdditivity(composition) else {
            fatalError("no I-value for an element of built-in material \(name)")
        }
        return Material(name: name, density: density, composition: composition, meanExcitationEnergyEV: i,
                        source: source + "; I by Bragg additivity with ICRU-37 condensed-phase values")
    }

    /// Dry air near sea level. Mass fractions: NIST SRD 126 Table 2 "Air, Dry (near sea level)" (C 0.000124,
    /// N 0.755268, O 0.231781, Ar 0.012827; SRD 124's compos.pl and Geant4's G4_AIR give N 0.755267, which
    /// leaves the sum at 0.999999). Density 1.20479e-3 g/cm³ and I = 85.7 eV: NIST SRD 124 (ESTAR), as in
    /// Geant4 `G4NistMaterialBuilder` G4_AIR; SRD 126 Table 2 also lists I = 85.7 eV (density rounded to 1.205e-3).
    public static let air = Material(
        name: "air", density: 1.204_79e-3,
        composition: [(6, 0.000124), (7, 0.755268), (8, 0.231781), (18, 0.012827)].map { (z: $0.0, massFraction: $0.1) },
        meanExcitationEnergyEV: 85.7, source: "NIST SRD 126 Table 2 'Air, Dry (near sea level)' mass fractions; density and I = 85.7 eV from NIST SRD 124 (Geant4 G4_AIR)")

    /// Liquid water, density 1.000 g/cm³, I = 75.0 eV (NIST SRD 126 Table 2 'Water, Liquid', = ICRU 37/49);
    /// mass fractions H 0.111894, O 0.888106 from NIST's compos.pl "Water, Liquid" as carried by xraylib 4.3
    /// (`GetCompoundDataNISTByName`); SRD 126 Table 2 rounds differently (H 0.111898, O 0.888102).
    public static let water = Material(
        name: "water", density: 1.0,
        composition: [(z: 1, massFraction: 0.111894), (z: 8, massFraction: 0.888106)],
        meanExcitationEnergyEV: 75.0, source: "NIST compos.pl 'Water, Liquid' (via xraylib 4.3); I = 75.0 eV from NIST SRD 126 Table 2 / ICRU 37")

    /// Lung, healthy and inflated (ICRU Report 44/46): density 0.26 g/cm³ (ICRU 46 via XCIST
    /// `ICRU_lung_adult_healthy`; NIST SRD 126 lists the same composition at the deflated 1.05 g/cm³).
    public static let lung = tissue("lung", density: 0.26,
        percent: [(1, 10.3), (6, 10.5), (7, 3.1), (8, 74.9), (11, 0.2), (15, 0.2), (16, 0.3), (17, 0.3), (19, 0.2)],
        source: "ICRU Report 44 (1989) lung (healthy, inflated): composition = NIST SRD 126 Table 2 'Lung Tissue (ICRU-44)', density 0.26 = ICRU 46 (XCIST ICRU_lung_adult_healthy)")

    /// Adipose tissue (ICRU Report 44): density 0.95 g/cm³.
    public static let adipose = tissue("adipose", density: 0.95,
        percent: [(1, 11.4), (6, 59.8), (7, 0.7), (8, 27.8), (11, 0.1), (16, 0.1), (17, 0.1)],
        source: "ICRU Report 44 (1989) adipose tissue = NIST SRD 126 Table 2 'Adipose Tissue (ICRU-44)'")

    /// Skeletal muscle (ICRU Report 44): density 1.05 g/cm³.
    public static let muscle = tissue("muscle", density: 1.05,
        percent: [(1, 10.2), (6, 14.3), (7, 3.4), (8, 71.0), (11, 0.1), (15, 0.2), (16, 0.3), (17, 0.1), (19, 0.4)],
        source: "ICRU Report 44 (1989) muscle, skeletal = NIST SRD 126 Table 2 'Muscle, Skeletal (ICRU-44)'")

    /// Soft tissue (ICRU Report 44): density 1.06 g/cm³ (NIST's "Tissue, Soft (ICRU-44)").
    public static let softTissue = tissue("soft_tissue", density: 1.06,
        percent: [(1, 10.2), (6, 14.3), (7, 3.4), (8, 70.8), (11, 0.2), (15, 0.3), (16, 0.3), (17, 0.2), (19, 0.3)],
        source: "ICRU Report 44 (1989) soft tissue = NIST SRD 126 Table 2 'Tissue, Soft (ICRU-44)'")

    /// Whole blood (ICRU Report 44): density 1.06 g/cm³.
    public static let blood = tissue("blood", density: 1.06,
        percent: [(1, 10.2), (6, 11.0), (7, 3.3), (8, 74.5), (11, 0.1), (15, 0.1), (16, 0.2), (17, 0.3), (19, 0.2),
                  (26, 0.1)],
        source: "ICRU Report 44 (1989) blood, whole = NIST SRD 126 Table 2 'Blood, Whole (ICRU-44)'")

    /// Kidney (ICRU Report 44/46 adult): density 1.05 g/cm³; = OpenGATE `GateMaterials.db` "Kidney".
    public static let kidney = tissue("kidney", density: 1.05,
        percent: [(1, 10.3), (6, 13.2), (7, 3.0), (8, 72.4), (11, 0.2), (15, 0.2), (16, 0.2), (17, 0.2), (19, 0.2),
                  (20, 0.1)],
        source: "ICRU Report 44/46 kidney (adult) = OpenGATE GateMaterials.db 'Kidney' (github.com/OpenGATE/Gate)")

    /// Liver (ICRU Report 44/46 adult): density 1.06 g/cm³; = OpenGATE `GateMaterials.db` "Liver".
    public static let liver = tissue("liver", density: 1.06,
        percent: [(1, 10.2), (6, 13.9), (7, 3.0), (8, 71.6), (11, 0.2), (15, 0.3), (16, 0.3), (17, 0.2), (19, 0.3)],
        source: "ICRU Report 44/46 liver (adult) = OpenGATE GateMaterials.db 'Liver' (github.com/OpenGATE/Gate)")

    /// Spleen (ICRU Report 44): density 1.06 g/cm³.
    public static let spleen = tissue("spleen", density: 1.06,
        percent: [(1, 10.3), (6, 11.3), (7, 3.2), (8, 74.1), (11, 0.1), (15, 0.3), (16, 0.2), (17, 0.2), (19, 0.3)],
        source: "ICRU Report 44/46 spleen = ICRU 46 adult spleen as transcribed in XCIST gecatsim/material/ICRU_spleen_adult")

    /// Red marrow (ICRU Report 44): density 1.03 g/cm³. Not confirmed against a source in the materials audit.
    public static let redMarrow = tissue("red_marrow", density: 1.03,
        percent: [(1, 10.5), (6, 41.4), (7, 3.4), (8, 43.9), (15, 0.1), (16, 0.2), (17, 0.2), (19, 0.2), (26, 0.1)],
        source: "ICRU Report 44 (1989) red marrow (unconfirmed: no transcription of the table found)")

    /// Trabecular bone as spongiosa (ICRU Report 46 (1992), "skeleton – spongiosa", adult): 1.18 g/cm³.
    /// Not confirmed against a source in the materials audit.
    public static let trabecularBone = tissue("trabecular_bone", density: 1.18,
        percent: [(1, 8.5), (6, 40.4), (7, 2.8), (8, 36.7), (11, 0.1), (12, 0.1), (15, 3.4), (16, 0.2), (17, 0.2),
                  (19, 0.1), (20, 7.4), (26, 0.1)],
        source: "ICRU Report 46 (1992) skeleton, spongiosa (unconfirmed: no transcription of the table found)")

    /// Cortical bone (ICRU Report 44): density 1.92 g/cm³ (NIST's "Bone, Cortical (ICRU-44)").
    public static let corticalBone = tissue("cortical_bone", density: 1.92,
        percent: [(1, 3.4), (6, 15.5), (7, 4.2), (8, 43.5), (11, 0.1), (12, 0.2), (15, 10.3), (16, 0.3), (20, 22.5)],
        source: "ICRU Report 44 (1989) cortical bone = NIST SRD 126 Table 2 'Bone, Cortical (ICRU-44)'")

    /// Every built-in material, in a fixed order.
    public static let all: [Material] = [air, lung, adipose, muscle, softTissue, water, blood, kidney, liver, spleen,
                                         redMarrow, trabecularBone, corticalBone]

    /// Valid material names.
    public static var names: [String] { all.map(\.name) }

    /// The built-in material called `name`.
    /// - Throws: `InputError` naming `source`/`field`, the unknown name and the valid names.
    public static func material(named name: String, source: String = "material", field: String = "name") throws -> Material {
        if let m = all.first(where: { $0.name == name }) { return m }
        throw InputError(source: source, field: field, value: name,
                         reason: "unknown material; valid names: " + names.joined(separator: ", "))
    }
}
