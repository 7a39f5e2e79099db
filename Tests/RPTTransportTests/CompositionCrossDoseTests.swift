import Foundation
import XCTest
@testable import RPTTransport
import RPTPhysics
import RPTVolume
import RPTCore

/// The photon dose to a bone-like target follows its elemental composition as a material table gives it.
///
/// A 60 keV photon pencil beam (about the Lu-177 Kα/Kβ X-rays, where the photoelectric effect on Ca and P makes
/// bone and soft tissue differ most) crosses a 1 mm cube, the whole world, made of a medium from a material table:
/// ICRU-44 cortical bone, then ICRU-44 soft tissue, both given by their mass fractions at the same density
/// 1.92 g/cm³, so that only the composition differs. Independent reference: NIST SRD 126 μ/ρ and μ_en/ρ of the two
/// ICRU-44 media at 60 keV (validation/reference; bone 0.3148 and 0.1400, tissue 0.2048 and 0.03264 cm²/g).
/// - Uncollided fraction T = exp(−μ t): tolerance 3σ (binomial) + 1 % of μt (the engine's tables meet NIST within
///   1 %, `PhotonCrossSectionTests`).
/// - Energy deposited per photon ≈ first-collision kerma E·(μ_en/μ)·(1 − T). The MC adds what this omits: scattered
///   photons interacting again inside the cube (≈ +2.5 % for both media at μt ≈ 0.04–0.06) and loses photoelectrons
///   escaping within their range (≈ 0.03 mm) of the faces (≈ −1.5 %). Tolerance: 3σ + 5 % each, and on the
///   bone/tissue ratio (expected ≈ 4.2, where the two corrections nearly cancel) 3σ + 3 %.
final class CompositionCrossDoseTests: XCTestCase {
    static let bone = "H:0.034;C:0.155;N:0.042;O:0.435;Na:0.001;Mg:0.002;P:0.103;S:0.003;Ca:0.225"
    static let tissue = "H:0.102;C:0.143;N:0.034;O:0.708;Na:0.002;P:0.003;S:0.003;Cl:0.002;K:0.003"

    struct Measured { var transmitted: Double; var transmittedSigma: Double; var depositMeV: Double; var depositSigma: Double }

    func measure(label: Int, table: LabelMaterialTable, histories: Int) throws -> Measured {
        let grid = Grid3D(shape: SIMD3(1, 1, 1), spacing: SIMD3(1, 1, 1))
        let labels = Volume<Double>(grid: grid, voxels: [Double(label)])
        let world = try WorldBuilder.fromLabels(labels, table: table)
        let sim = try PreparedSimulation(world: world, source: .point(SIMD3(0.05, 0.05, 1e-9)),
                                         emitter: .beam(.photon, energyMeV: 0.060, direction: SIMD3(0, 0, 1)),
                                         settings: TransportSettings(), seed: 2024)
        let h = runHistories(sim, count: histories)
        let n = Double(histories)
        let t = Double(h.filter { $0.photonInteractions == 0 }.count) / n
        let mean = h.reduce(0) { $0 + $1.deposited } / n
        let meanSquare = h.reduce(0) { $0 + $1.deposited * $1.deposited } / n
        return Measured(transmitted: t, transmittedSigma: (t * (1 - t) / n).squareRoot(), depositMeV: mean,
                        depositSigma: ((meanSquare - mean * mean) / (n - 1)).squareRoot())
    }

    func testCrossDoseFollowsCompositionAgainstNIST() throws {
        let csv = try CSVTable(path: try ProjectData.require("validation/reference/nist_photon_mass_coefficients.csv"))
        func nist(_ material: String) -> (mu: Double, muEn: Double) {
            let row = csv.rows.first { $0.fields[0] == material && $0.fields[1] == "60" }!
            return (Double(row.fields[2])!, Double(row.fields[3])!)
        }
        let path = NSTemporaryDirectory() + "rpt-composition-\(UUID().uuidString).csv"
        try "label,name,composition,density_g_cm3\n1,bone_icru44,\"\(Self.bone)\",1.92\n2,tissue_at_bone_density,\(Self.tissue),1.92\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try LabelMaterialTable.load(path: path)
        let rho = 1.92, thickness = 0.1, e = 0.060
        var deposits: [(value: Double, sigma: Double, expected: Double)] = []
        for (label, reference) in [(1, nist("cortical_bone_ICRU44")), (2, nist("soft_tissue_ICRU44"))] {
            let m = try measure(label: label, table: table, histories: 200_000)
            let muT = reference.mu * rho * thickness
            let expectedT = exp(-muT)
            XCTAssertEqual(m.transmitted, expectedT, accuracy: 3 * m.transmittedSigma + 0.01 * muT * expectedT,
                           "label \(label): T = \(m.transmitted) ± \(m.transmittedSigma), NIST exp(−μt) = \(expectedT)")
            let kerma = e * reference.muEn / reference.mu * (1 - expectedT)
            XCTAssertEqual(m.depositMeV, kerma, accuracy: 3 * m.depositSigma + 0.05 * kerma,
                           "label \(label): deposit \(m.depositMeV) ± \(m.depositSigma) MeV per photon, NIST kerma \(kerma)")
            deposits.append((m.depositMeV, m.depositSigma, kerma))
            print("label \(label): T = \(m.transmitted) (NIST \(expectedT)); deposit \(m.depositMeV) ± \(m.depositSigma) MeV "
                  + "(NIST first-collision kerma \(kerma))")
        }
        let ratio = deposits[0].value / deposits[1].value
        let ratioSigma = ratio * ((deposits[0].sigma / deposits[0].value).squaredPlus(deposits[1].sigma / deposits[1].value)).squareRoot()
        let expectedRatio = deposits[0].expected / deposits[1].expected
        print("bone/tissue dose ratio \(ratio) ± \(ratioSigma), NIST \(expectedRatio)")
        XCTAssertEqual(ratio, expectedRatio, accuracy: 3 * ratioSigma + 0.03 * expectedRatio)
        XCTAssertGreaterThan(expectedRatio, 3, "the test discriminates: the composition changes the dose several-fold")
    }
}

private extension Double {
    /// self² + other².
    func squaredPlus(_ other: Double) -> Double { self * self + other * other }
}
