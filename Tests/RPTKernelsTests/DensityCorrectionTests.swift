import XCTest
import RPTCore
import RPTVolume
@testable import RPTKernels

final class DensityCorrectionTests: XCTestCase {
    let voxel = SIMD3<Double>(3, 3, 3)

    /// Uniform density equal to the kernel's: the correction changes nothing and flags nothing.
    /// Elsewhere the dose is the uncorrected dose × ρ_kernel/ρ, and lung/bone voxels are flagged with the
    /// dose fraction they hold.
    func testCorrectionScalesByDensityRatioAndFlagsLungAndBone() throws {
        let kernel = TestFields.kernel(shape: SIMD3(5, 5, 5), voxelMM: voxel, density: 1.04)
        let grid = Grid3D(shape: SIMD3(10, 8, 6), spacing: voxel)
        let tia = TestFields.randomTIA(grid: grid, seed: 5)
        let plain = try VSVConvolution.dose(tia: tia, kernel: kernel, method: .direct)

        let same = try DensityCorrectedVSV.dose(tia: tia, density: Volume(grid: grid, repeating: 1.04), kernel: kernel,
                                                method: .direct)
        for n in plain.voxels.indices { XCTAssertEqual(same.dose.voxels[n], plain.voxels[n], accuracy: 1e-12 * plain.voxels[n]) }
        XCTAssertEqual(same.flaggedBelowCount + same.flaggedAboveCount, 0)
        XCTAssertEqual(same.flaggedDoseFraction, 0)
        XCTAssertEqual(same.warning, "")

        // Lung (0.3) in the slab i < 3, cortical bone (1.85) in the slab i ≥ 8, soft tissue (1.04) elsewhere.
        var rho = Volume<Double>(grid: grid, repeating: 1.04)
        for k in 0..<6 { for j in 0..<8 { for i in 0..<10 { rho[i, j, k] = i < 3 ? 0.3 : (i >= 8 ? 1.85 : 1.04) } } }
        let mixed = try DensityCorrectedVSV.dose(tia: tia, density: rho, kernel: kernel, method: .direct)
        var flaggedSum = 0.0, total = 0.0, flaggedEnergy = 0.0, energy = 0.0
        for k in 0..<6 {
            for j in 0..<8 {
                for i in 0..<10 {
                    let expected = plain[i, j, k] * 1.04 / rho[i, j, k]
                    XCTAssertEqual(mixed.dose[i, j, k], expected, accuracy: 1e-12 * expected)
                    XCTAssertEqual(mixed.flags[i, j, k], i < 3 ? 1 : (i >= 8 ? 2 : 0))
                    total += expected; energy += expected * rho[i, j, k]
                    if i < 3 || i >= 8 { flaggedSum += expected; flaggedEnergy += expected * rho[i, j, k] }
                }
            }
        }
        XCTAssertEqual(mixed.flaggedBelowCount, 3 * 8 * 6)
        XCTAssertEqual(mixed.flaggedAboveCount, 2 * 8 * 6)
        XCTAssertEqual(mixed.flaggedDoseFraction, flaggedSum / total, accuracy: 1e-12)
        XCTAssertEqual(mixed.flaggedEnergyFraction, flaggedEnergy / energy, accuracy: 1e-12)
        // Lung voxels get ~3.5× the tissue dose for the same energy, so they hold more than their 30 % volume share.
        XCTAssertGreaterThan(mixed.flaggedDoseFraction, 0.5)
        XCTAssertTrue(mixed.warning.contains("144 voxel(s) below 0.5"), mixed.warning)
    }

    func testDensityMapMustBePositiveAndOnTheGrid() {
        let kernel = TestFields.kernel(shape: SIMD3(3, 3, 3), voxelMM: voxel)
        let grid = Grid3D(shape: SIMD3(4, 4, 4), spacing: voxel)
        let tia = Volume<Double>(grid: grid, repeating: 1)
        var rho = Volume<Double>(grid: grid, repeating: 1)
        rho[1, 2, 3] = -0.5
        XCTAssertThrowsError(try DensityCorrectedVSV.dose(tia: tia, density: rho, kernel: kernel)) { e in
            XCTAssertEqual((e as? InputError)?.field, "voxel (1, 2, 3)")
        }
        let other = Volume<Double>(grid: Grid3D(shape: SIMD3(4, 4, 5), spacing: voxel), repeating: 1)
        XCTAssertThrowsError(try DensityCorrectedVSV.dose(tia: tia, density: other, kernel: kernel))
    }
}
