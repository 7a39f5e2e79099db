import XCTest
import RPTCore
import RPTVolume
@testable import RPTKernels

final class VSVConvolutionTests: XCTestCase {
    let voxel = SIMD3<Double>(2.0, 2.5, 3.0)   // non-cubic on purpose

    /// FFT (KISS FFT, float) against the direct double-precision sum on a dense random TIA. The error of the
    /// single-precision path is measured and printed; the requirement is ≤ 1e-5 of the maximum dose.
    func testFFTAgreesWithDirectConvolution() throws {
        let grid = Grid3D(shape: SIMD3(21, 18, 13), spacing: voxel)
        let tia = TestFields.randomTIA(grid: grid)
        let kernel = TestFields.kernel(shape: SIMD3(9, 7, 5), voxelMM: voxel)
        let direct = try VSVConvolution.dose(tia: tia, kernel: kernel, method: .direct)
        let fft = try VSVConvolution.dose(tia: tia, kernel: kernel)
        let maxDose = direct.valueRange.upperBound
        var worst = 0.0
        for n in direct.voxels.indices { worst = max(worst, abs(fft.voxels[n] - direct.voxels[n])) }
        print("VSV FFT (float) vs direct (double): max |Δ| / max dose = \(worst / maxDose)")
        XCTAssertLessThanOrEqual(worst / maxDose, 1e-5)
        XCTAssertGreaterThan(maxDose, 0)
    }

    /// Quantifies single-precision round-off on a denser problem (51 200 non-zero TIA voxels, 9³ kernel peaked
    /// like a Lu-177 VSV kernel: exp(−r/1 mm) on 2–3 mm voxels, nearest neighbours 5–14 % of the centre). The FFT's error grows like ε_float·‖TIA‖₂·‖K‖₂, so
    /// plain float FFT loses accuracy as the number of active voxels grows; summing the 3×3×3 kernel core
    /// directly in double removes most of ‖K‖₂ from the FFT. Both errors are printed (see the methods doc).
    func testSinglePrecisionErrorWithAndWithoutDirectCore() throws {
        let grid = Grid3D(shape: SIMD3(40, 40, 32), spacing: voxel)
        let tia = TestFields.randomTIA(grid: grid, seed: 21)
        let kernel = TestFields.kernel(shape: SIMD3(9, 9, 9), voxelMM: voxel, lengthMM: 1)
        let direct = try VSVConvolution.dose(tia: tia, kernel: kernel, method: .direct)
        let plain = Convolution3D.fft(source: tia.voxels, shape: grid.shape, kernel: kernel.valuesGyPerBqS,
                                      kernelShape: kernel.shape)
        let split = try VSVConvolution.dose(tia: tia, kernel: kernel, method: .fft)
        let maxDose = direct.valueRange.upperBound
        var plainErr = 0.0, splitErr = 0.0
        for n in direct.voxels.indices {
            plainErr = max(plainErr, abs(plain[n] - direct.voxels[n]))
            splitErr = max(splitErr, abs(split.voxels[n] - direct.voxels[n]))
        }
        print("single-precision error / max dose: plain FFT \(plainErr / maxDose), FFT with direct 3×3×3 core \(splitErr / maxDose)")
        XCTAssertLessThanOrEqual(splitErr / maxDose, 1e-5)
        XCTAssertLessThan(splitErr, plainErr / 3)
        // 51 200 × 729 multiply–adds for the direct sum against a 45×45×36 FFT: the FFT is chosen.
        XCTAssertEqual(VSVConvolution.estimatedCheaperMethod(tia: tia, kernelShape: kernel.shape), .fft)
    }

    /// A kernel larger than the grid on one axis exercises the truncation of offsets that cannot matter.
    func testKernelLargerThanGrid() throws {
        let grid = Grid3D(shape: SIMD3(6, 5, 4), spacing: voxel)
        let tia = TestFields.randomTIA(grid: grid, seed: 3)
        let kernel = TestFields.kernel(shape: SIMD3(15, 3, 11), voxelMM: voxel)
        let direct = try VSVConvolution.dose(tia: tia, kernel: kernel, method: .direct)
        let fft = try VSVConvolution.dose(tia: tia, kernel: kernel, method: .fft)
        let maxDose = direct.valueRange.upperBound
        for n in direct.voxels.indices { XCTAssertEqual(fft.voxels[n], direct.voxels[n], accuracy: 1e-5 * maxDose) }
    }

    /// When no dose leaves the grid, Σ dose = Σ TIA × Σ kernel (energy conservation for a uniform medium).
    func testTotalDoseIsKernelIntegralTimesTotalTIA() throws {
        let kernel = TestFields.kernel(shape: SIMD3(7, 5, 5), voxelMM: voxel)
        let grid = Grid3D(shape: SIMD3(20, 16, 14), spacing: voxel)
        let tia = TestFields.randomTIA(grid: grid, margin: kernel.shape / 2, seed: 11)
        let expected = tia.sum * kernel.integralGyPerBqS
        for method in [VSVConvolution.Method.direct, .fft] {
            let dose = try VSVConvolution.dose(tia: tia, kernel: kernel, method: method)
            XCTAssertEqual(dose.sum, expected, accuracy: (method == .direct ? 1e-12 : 1e-5) * expected, "\(method)")
        }
    }

    /// One voxel of TIA reproduces the (asymmetric) kernel around it: checks orientation and centring.
    func testDeltaTIAReproducesKernel() throws {
        let kernel = TestFields.kernel(shape: SIMD3(5, 7, 3), voxelMM: voxel)
        let grid = Grid3D(shape: SIMD3(12, 11, 9), spacing: voxel)
        var tia = Volume<Double>(grid: grid, repeating: 0)
        let at = SIMD3(4, 6, 3)
        tia[at.x, at.y, at.z] = 5e8
        for method in [VSVConvolution.Method.direct, .fft] {
            let dose = try VSVConvolution.dose(tia: tia, kernel: kernel, method: method)
            let peak = 5e8 * kernel.valuesGyPerBqS.max()!
            for k in 0..<grid.shape.z {
                for j in 0..<grid.shape.y {
                    for i in 0..<grid.shape.x {
                        let expected = 5e8 * kernel.value(atOffset: SIMD3(i, j, k) &- at)
                        XCTAssertEqual(dose[i, j, k], expected, accuracy: (method == .direct ? 1e-14 : 1e-6) * peak,
                                       "\(method) at (\(i), \(j), \(k))")
                    }
                }
            }
        }
        XCTAssertEqual(VSVConvolution.estimatedCheaperMethod(tia: tia, kernelShape: kernel.shape), .direct)
    }

    /// Activity on one face must not wrap around to the opposite face (linear, not circular, convolution).
    func testNoWrapAround() throws {
        let kernel = TestFields.kernel(shape: SIMD3(9, 9, 9), voxelMM: voxel)
        let grid = Grid3D(shape: SIMD3(8, 8, 8), spacing: voxel)
        var tia = Volume<Double>(grid: grid, repeating: 0)
        for k in 0..<8 { for j in 0..<8 { tia[0, j, k] = 1e9 } }
        let dose = try VSVConvolution.dose(tia: tia, kernel: kernel, method: .fft)
        let direct = try VSVConvolution.dose(tia: tia, kernel: kernel, method: .direct)
        // Offset 7 along i is outside the kernel's half-width 4: the far face gets nothing.
        for k in 0..<8 { for j in 0..<8 { XCTAssertEqual(dose[7, j, k], 0, accuracy: 1e-6 * dose.valueRange.upperBound) } }
        for k in 0..<8 { for j in 0..<8 { XCTAssertEqual(direct[7, j, k], 0) } }
    }

    func testKernelVoxelSizeMustMatchGrid() {
        let grid = Grid3D(shape: SIMD3(5, 5, 5), spacing: SIMD3(2, 2.5, 3.0))
        let tia = Volume<Double>(grid: grid, repeating: 1)
        let kernel = TestFields.kernel(shape: SIMD3(3, 3, 3), voxelMM: SIMD3(2, 2.5, 2.5))
        XCTAssertThrowsError(try VSVConvolution.dose(tia: tia, kernel: kernel)) { e in
            XCTAssertEqual((e as? InputError)?.field, "voxelSizeMM[2]")
        }
        var even = TestFields.kernel(shape: SIMD3(3, 3, 3), voxelMM: SIMD3(2, 2.5, 3))
        even.shape = SIMD3(4, 3, 3)
        even.valuesGyPerBqS += [Double](repeating: 0, count: 9)
        XCTAssertThrowsError(try VSVConvolution.dose(tia: tia, kernel: even)) { e in
            XCTAssertEqual((e as? InputError)?.field, "shape[0]")
        }
        even.shape = SIMD3(3, 3, 3); even.valuesGyPerBqS.removeLast(9); even.valuesGyPerBqS[4] = .nan
        XCTAssertThrowsError(try VSVConvolution.dose(tia: tia, kernel: even)) { e in
            XCTAssertEqual((e as? InputError)?.field, "valuesGyPerBqS[4]")
        }
    }

    func testPaddedSizesAreFiveSmoothAndLargeEnough() {
        XCTAssertEqual(FFTSize.fiveSmooth(atLeast: 97), 100)
        XCTAssertEqual(FFTSize.fiveSmooth(atLeast: 121), 125)
        XCTAssertEqual(FFTSize.fiveSmooth(atLeast: 7), 8)
        XCTAssertEqual(FFTSize.fiveSmooth(atLeast: 1), 1)
        XCTAssertEqual(FFTSize.fiveSmooth(atLeast: 0), 1)
        let p = Convolution3D.paddedShape(mapShape: SIMD3(128, 128, 100), halfWidths: SIMD3(5, 7, 5))
        XCTAssertEqual(p, SIMD3(135, 135, 108))   // ≥ 133, ≥ 135, ≥ 105
    }
}
