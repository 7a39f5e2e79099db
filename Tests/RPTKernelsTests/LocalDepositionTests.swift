import XCTest
import RPTCore
import RPTVolume
@testable import RPTKernels

final class LocalDepositionTests: XCTestCase {
    /// A 1 cm³ block of water (5×5×5 voxels of 2 mm) with total TIA 3.6e12 Bq·s (1 GBq for 1 h) and
    /// 0.1 MeV deposited per decay: E = 3.6e12 × 0.1 MeV × 1.602176634e-13 J/MeV = 0.05767835882 J,
    /// mass 1 g = 1e-3 kg, so the dose is 57.67835882 Gy in every voxel (worked by hand).
    func testUniformBlockMatchesHandCalculation() throws {
        let grid = Grid3D(shape: SIMD3(5, 5, 5), spacing: SIMD3(2, 2, 2))
        let tia = Volume<Double>(grid: grid, repeating: 3.6e12 / 125, unit: "Bq*s")
        let dose = try LocalDeposition.dose(tia: tia, electronEnergyPerDecayMeV: 0.1)
        for d in dose.voxels { XCTAssertEqual(d, 57.67835882, accuracy: 1e-8) }
        XCTAssertEqual(dose.unit, "Gy")

        // Same block as bone at 1.85 g/cm³ with 0.02 MeV of photons also absorbed: (0.12/0.1)/1.85 × 57.678… Gy.
        let rho = Volume<Double>(grid: grid, repeating: 1.85)
        let bone = try LocalDeposition.dose(tia: tia, electronEnergyPerDecayMeV: 0.1, photonEnergyPerDecayMeV: 0.02,
                                            density: rho)
        XCTAssertEqual(bone.voxels[62], 57.67835882 * 1.2 / 1.85, accuracy: 1e-8)
    }

    func testBadInputNamesTheVoxel() {
        let grid = Grid3D(shape: SIMD3(3, 3, 3), spacing: SIMD3(1, 1, 1))
        var tia = Volume<Double>(grid: grid, repeating: 1)
        tia[2, 1, 0] = .nan
        XCTAssertThrowsError(try LocalDeposition.dose(tia: tia, electronEnergyPerDecayMeV: 0.1)) { e in
            XCTAssertEqual((e as? InputError)?.field, "voxel (2, 1, 0)")
        }
        tia[2, 1, 0] = -1
        XCTAssertThrowsError(try LocalDeposition.dose(tia: tia, electronEnergyPerDecayMeV: 0.1)) { e in
            XCTAssertEqual((e as? InputError)?.value, "-1.0")
        }
        tia[2, 1, 0] = 1
        var rho = Volume<Double>(grid: grid, repeating: 1)
        rho[0, 0, 2] = 0
        XCTAssertThrowsError(try LocalDeposition.dose(tia: tia, electronEnergyPerDecayMeV: 0.1, density: rho)) { e in
            XCTAssertEqual((e as? InputError)?.field, "voxel (0, 0, 2)")
        }
        XCTAssertThrowsError(try LocalDeposition.dose(tia: tia, electronEnergyPerDecayMeV: -0.1))
    }
}
