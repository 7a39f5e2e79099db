import Foundation
import RPTCore

/// One synthetic patient's anatomy: body size, organ masses and lesions (distributions and sources:
/// docs/methods/cohort.md, "Synthetic trial — anatomy").
///
/// - Sex 1:1 (RPTDose choice). Height normal around the ICRP 89 reference (176 cm male, 163 cm female; ICRP
///   Publication 89, 2002) with SD 7 cm, the adult SD in the NHANES anthropometric tables (NCHS Vital
///   Health Stat 11(252), 2012). Body mass log-normal around the reference (73 kg, 60 kg) scaled by (height/ref)²
///   (same BMI), σ_ln 0.18 (NHANES adult weight CV ≈ 0.2). Body surface area by Du Bois & Du Bois (Arch Intern Med
///   17:863, 1916).
/// - Organ masses: ICRP 89 reference (kidneys 310/275 g, spleen 150/130 g, red marrow 1170/900 g; male/female)
///   scaled by BSA/BSA_ref (kidneys, spleen) or body mass/reference mass (red marrow, as OLINDA/EXM's mass
///   scaling), liver from the standard-liver-volume formula of Urata et al. (Hepatology 21:1317, 1995),
///   V = 706.2·BSA + 2.4 mL, density 1.05 g/mL; each with log-normal individual scatter (σ_ln kidneys 0.2, spleen
///   0.35, red marrow 0.15, liver 0.15 — RPTDose choices).
/// - Lesions: 1 + Poisson(1.5), at most 8; site liver 55 %, lymph node 25 %, bone 10 %, pancreas 10 % (RPTDose
///   choice, liver first as in GEP-NET metastatic spread); volume log-normal, median 8 mL (nodes 4 mL), σ_ln 1.0
///   (nodes 0.8), limited to 0.5–400 mL; prolate spheroids with elongation u ~ U(1, 1.5): longest diameter
///   d·u^(2/3), short axis d·u^(−1/3), d the sphere-equivalent diameter. RPTDose choices, not literature values.
public struct SyntheticAnatomy: Equatable, Sendable {
    public enum Sex: String, Sendable { case female, male }

    public struct Lesion: Equatable, Sendable {
        /// Region name as in the dosimetry (`tumor_1`, …).
        public var name: String
        /// Organ of the lesion (`liver`, `lymph_node`, `bone`, `pancreas`).
        public var organ: String
        public var volumeML: Double
        public var longestDiameterMM: Double
        public var shortAxisMM: Double
        public var isLymphNode: Bool { organ == "lymph_node" }
        /// The RECIST measurement: the short axis of a lymph node, else the longest diameter (mm).
        public var recistDiameterMM: Double { isLymphNode ? shortAxisMM : longestDiameterMM }
    }

    public var sex: Sex
    public var heightCm: Double
    public var massKg: Double
    public var kidneysKg: Double
    public var spleenKg: Double
    public var liverKg: Double
    public var redMarrowKg: Double
    public var lesions: [Lesion]

    /// Body surface area (m²), Du Bois & Du Bois 1916: 0.007184 · W^0.425 · H^0.725 (W in kg, H in cm).
    public static func bodySurfaceArea(massKg: Double, heightCm: Double) -> Double { 0.007184 * pow(massKg, 0.425) * pow(heightCm, 0.725) }
    public var bodySurfaceAreaM2: Double { Self.bodySurfaceArea(massKg: massKg, heightCm: heightCm) }

    /// ICRP Publication 89 (2002) reference values (male, female).
    public static let referenceHeightCm = (male: 176.0, female: 163.0)
    public static let referenceMassKg = (male: 73.0, female: 60.0)
    public static let referenceKidneysKg = (male: 0.310, female: 0.275)
    public static let referenceSpleenKg = (male: 0.150, female: 0.130)
    public static let referenceRedMarrowKg = (male: 1.170, female: 0.900)
    /// Largest number of lesions drawn.
    public static let maximumLesions = 8

    /// Draws one anatomy from `rng` (`normal` gives standard normal deviates from the same stream).
    static func draw(_ rng: inout RandomStream) -> SyntheticAnatomy {
        func normal() -> Double { (-2 * log(rng.uniform())).squareRoot() * cos(2 * Double.pi * rng.uniform()) }
        let male = rng.uniform() < 0.5
        func ref(_ v: (male: Double, female: Double)) -> Double { male ? v.male : v.female }
        let refH = ref(referenceHeightCm), refM = ref(referenceMassKg)
        let height = min(210, max(140, refH + 7 * normal()))
        let mass = min(180, max(35, refM * pow(height / refH, 2) * exp(0.18 * normal())))
        let bsaRatio = bodySurfaceArea(massKg: mass, heightCm: height) / bodySurfaceArea(massKg: refM, heightCm: refH)
        let kidneys = ref(referenceKidneysKg) * bsaRatio * exp(0.2 * normal())
        let spleen = ref(referenceSpleenKg) * bsaRatio * exp(0.35 * normal())
        let marrow = ref(referenceRedMarrowKg) * mass / refM * exp(0.15 * normal())
        let liver = (706.2 * bodySurfaceArea(massKg: mass, heightCm: height) + 2.4) * 1.05e-3 * exp(0.15 * normal())
        // Lesion count 1 + Poisson(1.5) (Knuth's product method), at most `maximumLesions`.
        var extra = 0, product = rng.uniform()
        while product > exp(-1.5) { extra += 1; product *= rng.uniform() }
        let count = min(maximumLesions, 1 + extra)
        var lesions: [Lesion] = []
        for i in 1...count {
            let u = rng.uniform()
            let organ = u < 0.55 ? "liver" : u < 0.80 ? "lymph_node" : u < 0.90 ? "bone" : "pancreas"
            let node = organ == "lymph_node"
            let volume = min(400, max(0.5, (node ? 4 : 8) * exp((node ? 0.8 : 1.0) * normal())))
            let d = 10 * pow(6 * volume / Double.pi, 1.0 / 3)   // sphere-equivalent diameter, mm
            let elongation = 1 + 0.5 * rng.uniform()
            lesions.append(Lesion(name: "tumor_\(i)", organ: organ, volumeML: volume,
                                  longestDiameterMM: d * pow(elongation, 2.0 / 3), shortAxisMM: d * pow(elongation, -1.0 / 3)))
        }
        return SyntheticAnatomy(sex: male ? .male : .female, heightCm: height, massKg: mass, kidneysKg: kidneys, spleenKg: spleen,
                                liverKg: liver, redMarrowKg: marrow, lesions: lesions)
    }
}
