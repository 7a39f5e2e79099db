import RPTCore
import XCTest
@testable import RPTPhysics

/// The track-length estimator's energy-transfer coefficients (`PhotonKermaTable`).
final class PhotonKermaTableTests: XCTestCase {
    static let table = PhotonMaterialTable.builtIn()
    static let kerma = PhotonKermaTable(table: table, fluorescenceCutoffMeV: 1e-3)

    /// Unbiasedness, checked against the samplers themselves: K/ρ(E) equals μ_pe/ρ · ⟨electron + local energy of a
    /// sampled photoabsorption⟩ + μ_inc/ρ · ⟨recoil energy of a sampled incoherent scattering⟩, within 4σ of the
    /// sampling (plus 10⁻³ relative for the table's interpolation), in water, cortical bone, lung and adipose, from
    /// 15 keV (near Ca's K edge) to 500 keV.
    func testCoefficientEqualsMeanEnergyTheSamplersGiveToElectrons() throws {
        let t = Self.table
        let pe = PhotonPhotoelectricSampler(table: t, fluorescenceCutoffMeV: 1e-3)
        let inc = PhotonIncoherentSampler(table: t)
        var rng = RandomStream(seed: 11, stream: 0)
        let n = 40_000
        for name in ["water", "cortical_bone", "lung", "adipose"] {
            let m = try t.materialIndex(named: name)
            for e in [0.015, 0.0551, 0.113, 0.208, 0.5] {
                let loc = t.gridLocation(e)
                var sPE = 0.0, sPE2 = 0.0, sI = 0.0, sI2 = 0.0
                for _ in 0..<n {
                    let a = pe.sample(materialIndex: m, energyMeV: e, location: loc, electronDirection: false, &rng)
                    let x = a.electronEnergyMeV + a.localDepositMeV
                    sPE += x; sPE2 += x * x
                    let y = inc.sample(materialIndex: m, energyMeV: e, location: loc, &rng).electronEnergyMeV
                    sI += y; sI2 += y * y
                }
                let nn = Double(n)
                let muPE = t.muOverRho(.photoelectric, materialIndex: m, energyMeV: e)
                let muI = t.muOverRho(.incoherent, materialIndex: m, energyMeV: e)
                let expected = muPE * sPE / nn + muI * sI / nn
                let varPE = max(0, sPE2 / nn - (sPE / nn) * (sPE / nn)) / nn
                let varI = max(0, sI2 / nn - (sI / nn) * (sI / nn)) / nn
                let sigma = (muPE * muPE * varPE + muI * muI * varI).squareRoot()
                let k = Self.kerma.coefficient(materialIndex: m, location: loc)
                XCTAssertEqual(k, expected, accuracy: 4 * sigma + 1e-3 * expected, "\(name) at \(e) MeV")
            }
        }
    }

    /// Against NIST SRD 126 (Hubbell & Seltzer): K/ρ / E agrees with μ_en/ρ within 2 % for water, ICRU-44 soft
    /// tissue, cortical bone and lung, 30–500 keV (K omits only the secondary electrons' radiative loss, ḡ < 0.2 %).
    func testCoefficientOverEnergyMatchesNISTEnergyAbsorption() throws {
        let rows = try SharedReference.csvRows("nist_photon_mass_coefficients.csv")
        let materialFor = ["water_liquid": "water", "soft_tissue_ICRU44": "soft_tissue",
                           "cortical_bone_ICRU44": "cortical_bone", "lung_ICRU44": "lung"]
        XCTAssertEqual(rows.count, 44)
        for r in rows {
            let m = try Self.table.materialIndex(named: materialFor[r[0]]!)
            let e = Double(r[1])! * 1e-3
            let k = Self.kerma.coefficient(materialIndex: m, location: Self.table.gridLocation(e)) / e
            XCTAssertEqual(k / Double(r[3])!, 1, accuracy: 0.02, "\(r[0]) \(r[1]) keV: K/(ρE) \(k) vs NIST μen/ρ \(r[3])")
        }
    }

    /// A fluorescence cut-off above the K lines of calcium (3.7 keV) keeps them local: K grows accordingly.
    func testFluorescenceBelowCutoffCountsAsLocal() throws {
        let m = try Self.table.materialIndex(named: "cortical_bone")
        let loc = Self.table.gridLocation(0.02)
        let high = PhotonKermaTable(table: Self.table, fluorescenceCutoffMeV: 0.005)
        XCTAssertGreaterThan(high.coefficient(materialIndex: m, location: loc), Self.kerma.coefficient(materialIndex: m, location: loc))
    }
}
