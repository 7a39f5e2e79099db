import Foundation
import RPTCore
import RPTPhysics

/// The organ-S dosimetry of the synthetic trial (method and sources: docs/methods/cohort.md, "Synthetic trial").
///
/// Organs: the MIRD self-dose of a source organ in its non-penetrating form, D/A = τ · E_e / m, with τ the
/// time-integrated activity coefficient (h; τ = uptake fraction × T_eff / ln 2 for instantaneous uptake and
/// mono-exponential clearance), E_e the Lu-177 electron energy per decay (ICRP-107 data of RPTPhysics, all
/// absorbed) and m the patient's drawn organ mass — the organ-S values scaled to the patient's mass, as OLINDA/EXM
/// does for non-penetrating emissions. Photons (≈ 19 % of the emitted energy) escape; their self- and cross-doses are
/// neglected (a small underestimate for kidneys and marrow).
/// Lesions: the sphere model, D/A = c · τ_c · E_e · φ_e(V) with c the uptake per kg and φ_e the electrons'
/// self-absorbed fraction in a sphere of the lesion's volume (`sphereElectronAbsorbedFraction`).
/// Fast enough for thousands of patients; the voxel (VSV) and Monte Carlo methods need images and stay per patient
/// (`rptdose dosimetry`).
public struct SyntheticOrganS: Sendable {
    /// Lu-177 electron energy per decay (J).
    public let electronEnergyJ: Double
    /// β spectrum weights E·ρ(E)·ΔE (normalised) and the CSDA ranges R(E) in water (cm) at the grid energies.
    let betaEnergyWeights: [Double], betaRangesCM: [Double]

    public init() throws {
        let lu = try Nuclide.named("Lu-177")
        electronEnergyJ = lu.electronEnergyPerDecayMeV * 1.602_176_634e-13
        guard let beta = lu.betaMinus else { throw InputError(source: "Lu-177", reason: "no β⁻ spectrum") }
        let water = try ElectronMaterialTable(material: MaterialLibrary.water, cuts: ElectronCuts())
        let e = beta.energiesMeV, rho = beta.densityPerMeV
        var w: [Double] = [], r: [Double] = []
        for i in 1..<e.count {   // trapezoid cells, evaluated at the cell midpoint
            let mid = 0.5 * (e[i - 1] + e[i])
            guard mid >= ElectronMaterialTable.minEnergyMeV else { continue }
            w.append(0.5 * (rho[i - 1] + rho[i]) * (e[i] - e[i - 1]) * mid)
            r.append(water.csdaRange(energyMeV: mid) / water.density)
        }
        let total = w.reduce(0, +)
        betaEnergyWeights = w.map { $0 / total }
        betaRangesCM = r
    }

    /// Time-integrated activity coefficient (h) of uptake `fraction` with effective half-time `halfTimeHours`.
    public static func residenceTimeHours(fraction: Double, halfTimeHours: Double) -> Double { fraction * halfTimeHours / log(2.0) }

    /// Self-dose per administered activity (Gy/GBq) of an organ of `massKg` with residence time `residenceTimeHours`,
    /// electrons absorbed with fraction `absorbedFraction`.
    public func selfDosePerGBq(residenceTimeHours: Double, massKg: Double, absorbedFraction: Double = 1) -> Double {
        residenceTimeHours * 3600 * 1e9 * electronEnergyJ * absorbedFraction / massKg
    }

    /// Energy fraction deposited inside a sphere of radius `r` by particles emitted uniformly and isotropically in it,
    /// travelling straight for a range `range` with a constant energy loss per length (any length unit):
    /// φ = 1 − 3x/8 + x³/64 with x = range / r, for range ≤ 2r (from the escape probability of straight tracks,
    /// P(s) = 3s/(4r) − s³/(16r³), averaged over the track). Longer ranges are refused (lesions here are ≥ 0.5 mL).
    public static func straightTrackAbsorbedFraction(range: Double, radius r: Double) -> Double {
        precondition(range >= 0 && range <= 2 * r, "range must be at most the sphere's diameter")
        let x = range / r
        return 1 - 3 * x / 8 + x * x * x / 64
    }

    /// Self-absorbed fraction of the Lu-177 β energy in a water sphere of `volumeML`: the straight-track fraction at
    /// each energy's CSDA range (ESTAR-equivalent water table of RPTPhysics), weighted by the β spectrum's energy. It
    /// ignores the electrons' detours (which shorten their reach), so it errs towards escape; used for all electrons.
    public func sphereElectronAbsorbedFraction(volumeML: Double) -> Double {
        let r = pow(3 * volumeML / (4 * Double.pi), 1.0 / 3)   // cm
        return zip(betaEnergyWeights, betaRangesCM).map { w, range in w * Self.straightTrackAbsorbedFraction(range: min(range, 2 * r), radius: r) }
            .reduce(0, +)
    }
}
