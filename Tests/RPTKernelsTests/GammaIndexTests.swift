import XCTest
import RPTCore
import RPTVolume
@testable import RPTKernels

/// Gamma tests on an analytic Gaussian dose field D(x) = 10 Gy · exp(−|x − c|²/(2σ²)), σ = 20 mm, on a
/// 24³ grid of 4 mm voxels (96 mm cube, c at its centre). Shifted and scaled versions are computed from the
/// formula, not by interpolating the reference, so the only interpolation is the gamma search's own.
/// Steepest gradient: 10 Gy · e^{−½}/σ = 0.303 Gy/mm = 3.03 % of max per mm, at |x − c| = σ.
final class GammaIndexTests: XCTestCase {
    let grid = Grid3D(shape: SIMD3(24, 24, 24), spacing: SIMD3(4, 4, 4), origin: SIMD3(-46, -46, -46))
    let sigma = 20.0

    func field(shiftMM: SIMD3<Double> = .zero, scale: Double = 1) -> Volume<Double> {
        var v = Volume<Double>(grid: grid, repeating: 0, unit: "Gy")
        for k in 0..<24 {
            for j in 0..<24 {
                for i in 0..<24 {
                    let x = grid.world(continuousIndex: SIMD3(Double(i), Double(j), Double(k))) - shiftMM
                    v[i, j, k] = scale * 10 * _exp(-(x * x).sum() / (2 * sigma * sigma))
                }
            }
        }
        return v
    }

    /// Independent reference for one voxel: γ against the *analytic* evaluated field (no interpolation),
    /// minimised by brute force over a 0.2 mm lattice in the search sphere.
    func analyticGamma(voxel: (Int, Int, Int), reference: Volume<Double>, shiftMM: SIMD3<Double> = .zero,
                       scale: Double = 1, criteria: GammaCriteria) -> Double {
        let deltaD = criteria.doseDifferencePercent / 100 * reference.valueRange.upperBound
        let dta = criteria.distanceToAgreementMM, radius = criteria.searchRadiusInDTA * dta
        let p = grid.world(continuousIndex: SIMD3(Double(voxel.0), Double(voxel.1), Double(voxel.2)))
        let dr = reference[voxel.0, voxel.1, voxel.2]
        let m = Int(radius / 0.2)
        var best = criteria.searchRadiusInDTA * criteria.searchRadiusInDTA
        for a in -m...m {
            for b in -m...m {
                for c in -m...m {
                    let o = SIMD3<Double>(Double(a), Double(b), Double(c)) * 0.2
                    let r2 = (o * o).sum()
                    if r2 > radius * radius { continue }
                    let x = p + o - shiftMM
                    let de = scale * 10 * _exp(-(x * x).sum() / (2 * sigma * sigma))
                    best = min(best, r2 / (dta * dta) + (de - dr) * (de - dr) / (deltaD * deltaD))
                }
            }
        }
        return best.squareRoot()
    }

    /// Second reference for one voxel: the evaluated *voxel values* resampled with RPTVolume's own trilinear
    /// resampler onto a grid of step `step` centred on the voxel (the gamma code's documented search lattice),
    /// then brute-force minimised over the search sphere. The gamma code must reproduce this to round-off.
    func interpolatedGamma(voxel: (Int, Int, Int), reference: Volume<Double>, evaluated: Volume<Double>,
                           criteria: GammaCriteria, step: Double) -> Double {
        let deltaD = criteria.doseDifferencePercent / 100 * reference.valueRange.upperBound
        let dta = criteria.distanceToAgreementMM, radius = criteria.searchRadiusInDTA * dta
        let p = grid.world(continuousIndex: SIMD3(Double(voxel.0), Double(voxel.1), Double(voxel.2)))
        let m = Int((radius / step).rounded(.down))
        let fine = Grid3D(shape: SIMD3(repeating: 2 * m + 1), spacing: SIMD3(repeating: step),
                          origin: p - SIMD3(repeating: step * Double(m)))
        let sampled = evaluated.resampled(onto: fine, mode: .trilinear, fill: .infinity)
        let dr = reference[voxel.0, voxel.1, voxel.2]
        var best = criteria.searchRadiusInDTA * criteria.searchRadiusInDTA
        for c in 0..<fine.shape.z {
            for b in 0..<fine.shape.y {
                for a in 0..<fine.shape.x {
                    let o = SIMD3<Double>(Double(a - m), Double(b - m), Double(c - m)) * step
                    let r2 = (o * o).sum()
                    let de = sampled[a, b, c]
                    if r2 > radius * radius || !de.isFinite { continue }
                    best = min(best, r2 / (dta * dta) + (de - dr) * (de - dr) / (deltaD * deltaD))
                }
            }
        }
        return best.squareRoot()
    }

    /// Index of the voxel at +σ = 20 mm along i from the centre (near the steepest gradient): x = −46 + 4·i.
    let steep = (16, 12, 12)   // x = 18 mm, y = z = 2 mm
    let peak = (11, 11, 11)    // x = y = z = −2 mm, 3.5 mm from the centre

    func testIdenticalDistributionsPassEverywhere() throws {
        let d = field()
        let r = try GammaIndex.compute(reference: d, evaluated: d,
                                       criteria: GammaCriteria(doseDifferencePercent: 1, distanceToAgreementMM: 1))
        XCTAssertGreaterThan(r.evaluatedVoxelCount, 1000)
        XCTAssertEqual(r.passRate, 1)
        XCTAssertEqual(r.maxGamma, 0)
        // Voxels under 10 % of the maximum are not evaluated.
        XCTAssertTrue(r.gamma[0, 0, 0].isNaN)
    }

    /// A 2 mm shift along i. At 3 %/3 mm every reference point has an evaluated point with exactly its dose
    /// 2 mm away, so γ ≤ 2/3 for the true field. That point lies on the search lattice (step 1 mm) but midway
    /// between voxel centres, where trilinear interpolation errs by at most h²/8·max|D''| = 16/8 · 10/σ² =
    /// 0.05 Gy, i.e. ≤ 0.05/0.3 in the dose term: γ ≤ √((2/3)² + (1/6)²) = 0.687 < 1, so everything passes.
    /// At 3 %/1 mm, moving by r ≤ 2 mm along the shift leaves a dose difference ≈ g·(2 − r) for a local
    /// gradient g (% of max per mm), so γ² ≈ min_r [r² + (g(2 − r)/3)²] = 4(g/3)²/(1 + (g/3)²), which is > 1
    /// when g > √3 ≈ 1.73 %/mm: the steep flank (g up to 3.03 %/mm) fails, the flat top passes.
    func testTwoMillimetreShiftPassesAt3mmAndFailsAt1mm() throws {
        let ref = field()
        let shifted = field(shiftMM: SIMD3(2, 0, 0))
        let loose = try GammaIndex.compute(reference: ref, evaluated: shifted,
                                           criteria: GammaCriteria(doseDifferencePercent: 3, distanceToAgreementMM: 3))
        XCTAssertEqual(loose.passRate, 1)
        XCTAssertLessThanOrEqual(loose.maxGamma, 0.687)
        let tightCriteria = GammaCriteria(doseDifferencePercent: 3, distanceToAgreementMM: 1)
        let tight = try GammaIndex.compute(reference: ref, evaluated: shifted, criteria: tightCriteria)
        let steepTrue = analyticGamma(voxel: steep, reference: ref, shiftMM: SIMD3(2, 0, 0), criteria: tightCriteria)
        XCTAssertGreaterThan(steepTrue, 1)
        XCTAssertEqual(tight.gamma[steep.0, steep.1, steep.2], steepTrue, accuracy: 0.1)
        let steepInterpolated = interpolatedGamma(voxel: steep, reference: ref, evaluated: shifted, criteria: tightCriteria,
                                                  step: 4.0 / 12)   // ⌈4 mm · 3 / 1 mm⌉ = 12 sub-steps
        XCTAssertEqual(tight.gamma[steep.0, steep.1, steep.2], steepInterpolated, accuracy: 1e-9)
        XCTAssertGreaterThan(tight.gamma[steep.0, steep.1, steep.2], 1)
        XCTAssertLessThanOrEqual(tight.gamma[peak.0, peak.1, peak.2], 1)
        XCTAssertLessThan(tight.passRate, 0.9)
        print("gamma 3%/1mm on a 2 mm shift: pass rate \(tight.passRate), max γ \(tight.maxGamma), γ(steep) "
              + "\(tight.gamma[steep.0, steep.1, steep.2]) vs analytic \(steepTrue), interpolated \(steepInterpolated)")
    }

    /// Evaluated = 1.05 × reference, DTA 1 mm. Global ΔD is a percentage of the maximum reference dose, so the
    /// dose difference at any point is at most 5 % of max: with 6 % every point passes at zero distance
    /// (γ ≤ 5/6). With 3 %: at a point with D_r = f·max the difference is a = 5f % of max; moving r mm up or
    /// down the local gradient g (% of max per mm) changes it by ≈ g·r, so γ² ≈ min_r [r² + ((a − g r)/3)²]
    /// = a²/(9 + g²), and the point fails when a > √(9 + g²): the whole high-dose top (f ≳ 0.6 where g ≈ 0)
    /// fails. With f = e^{−r²/2σ²} and g = 100·f·r/σ² at distance r from the centre, a > √(9 + g²) holds for
    /// r ≲ 13 mm (r = 8 mm: 4.6 > 3.5; r = 14 mm: 3.9 < 4.1), i.e. ≈ (13/42.9)³ ≈ 3 % of the evaluated volume
    /// (threshold 10 % at r = 42.9 mm). At the voxel 3.5 mm from the centre (f = 0.985, g ≈ 0.5 %/mm) this gives γ ≈ 1.6; the
    /// brute-force minimum over the analytic field is the independent reference. The gamma code is also
    /// checked to round-off against a brute-force search of the trilinearly interpolated voxel values, which
    /// near this concave peak run below the true field (by up to 3·h²/8·|D''| ≈ 0.16 Gy) and lower γ a bit.
    func testFivePercentScalingPassesAt6PercentAndFailsAt3Percent() throws {
        let ref = field()
        let scaled = field(scale: 1.05)
        let loose = try GammaIndex.compute(reference: ref, evaluated: scaled,
                                           criteria: GammaCriteria(doseDifferencePercent: 6, distanceToAgreementMM: 1))
        XCTAssertEqual(loose.passRate, 1)
        XCTAssertLessThanOrEqual(loose.maxGamma, 5.0 / 6.0 + 1e-9)
        let tightCriteria = GammaCriteria(doseDifferencePercent: 3, distanceToAgreementMM: 1)
        let tight = try GammaIndex.compute(reference: ref, evaluated: scaled, criteria: tightCriteria)
        let peakTrue = analyticGamma(voxel: peak, reference: ref, scale: 1.05, criteria: tightCriteria)
        XCTAssertGreaterThan(peakTrue, 1.4)
        let peakInterpolated = interpolatedGamma(voxel: peak, reference: ref, evaluated: scaled, criteria: tightCriteria,
                                                 step: 4.0 / 12)   // ⌈4 mm · 3 / 1 mm⌉ = 12 sub-steps per voxel
        XCTAssertEqual(tight.samplingStepMM.x, 4.0 / 12, accuracy: 1e-15)
        XCTAssertEqual(tight.gamma[peak.0, peak.1, peak.2], peakInterpolated, accuracy: 1e-9)
        XCTAssertEqual(tight.gamma[peak.0, peak.1, peak.2], peakTrue, accuracy: 0.2)
        XCTAssertGreaterThan(tight.gamma[peak.0, peak.1, peak.2], 1)
        XCTAssertLessThan(tight.passRate, 0.99)
        for k in 0..<24 {
            for j in 0..<24 {
                for i in 0..<24 {
                    let x = grid.world(continuousIndex: SIMD3(Double(i), Double(j), Double(k)))
                    let r = (x * x).sum().squareRoot()
                    if r < 8 { XCTAssertGreaterThan(tight.gamma[i, j, k], 1, "r = \(r) mm") }
                    if r > 14, !tight.gamma[i, j, k].isNaN { XCTAssertLessThanOrEqual(tight.gamma[i, j, k], 1, "r = \(r) mm") }
                }
            }
        }
        print("gamma 3%/1mm on a 5 % scaling: pass rate \(tight.passRate), γ(peak) \(tight.gamma[peak.0, peak.1, peak.2]) "
              + "vs analytic field \(peakTrue), interpolated field \(peakInterpolated)")
    }

    /// Sub-voxel interpolation: a 1 mm shift on 4 mm voxels is found between voxel centres. With ΔD small
    /// (0.5 % = 0.05 Gy, while the flank changes by 0.3 Gy per mm) and DTA 1.5 mm, the flank voxel passes only
    /// through the lattice point 1 mm away (step 4/⌈4·3/1.5⌉ = 0.5 mm), near the inflection point at r = σ where
    /// trilinear interpolation is almost exact: γ ≈ 1/1.5. With one sample per DTA the step is 4/3 mm, 1 mm
    /// is not on the lattice, and γ there must be larger.
    func testSubVoxelSamplingFindsSmallShifts() throws {
        let ref = field()
        let shifted = field(shiftMM: SIMD3(1, 0, 0))
        var criteria = GammaCriteria(doseDifferencePercent: 0.5, distanceToAgreementMM: 1.5)
        let fine = try GammaIndex.compute(reference: ref, evaluated: shifted, criteria: criteria)
        XCTAssertEqual(fine.samplingStepMM, SIMD3(0.5, 0.5, 0.5))
        XCTAssertLessThan(fine.gamma[steep.0, steep.1, steep.2], 1)
        criteria.samplesPerDTA = 1   // step ⌈4/1.5⌉ = 3 sub-steps of 1.333 mm: 1 mm is not on the lattice
        let coarse = try GammaIndex.compute(reference: ref, evaluated: shifted, criteria: criteria)
        XCTAssertGreaterThan(coarse.gamma[steep.0, steep.1, steep.2], fine.gamma[steep.0, steep.1, steep.2])
    }

    func testBadCriteriaAndGridsAreRejected() {
        let d = field()
        XCTAssertThrowsError(try GammaIndex.compute(reference: d, evaluated: d,
                                                    criteria: GammaCriteria(doseDifferencePercent: 0, distanceToAgreementMM: 3))) { e in
            XCTAssertEqual((e as? InputError)?.field, "doseDifferencePercent")
        }
        XCTAssertThrowsError(try GammaIndex.compute(
            reference: d, evaluated: Volume(grid: Grid3D(shape: SIMD3(24, 24, 24), spacing: SIMD3(4, 4, 3)), repeating: 0),
            criteria: GammaCriteria(doseDifferencePercent: 3, distanceToAgreementMM: 3)))
    }
}
