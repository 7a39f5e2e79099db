import XCTest
import RPTCore
@testable import RPTPhysics

/// Statistical tests of the electron samplers with fixed seeds. χ² thresholds are the 0.1 % upper
/// quantiles of the χ² distribution; mean values are compared within 4 standard errors.
final class ElectronSamplerTests: XCTestCase {
    let table = ElectronTestFixtures.waterTable

    /// Upper 0.1 % point of χ² with 19 degrees of freedom (Abramowitz & Stegun, Table 26.8).
    let chiSquare19At0p001 = 43.82

    func testMollerDeltaRayEnergiesFollowMollerDensity() {
        for (t, cut) in [(0.5, 0.01), (3.0, 0.05)] {
            var rng = RandomStream(seed: 20_240_601, stream: UInt64(t * 1000))
            let n = 100_000
            // 20 bins equally spaced in 1/W between Δ and T/2 (roughly equiprobable).
            let edges = (0...20).map { 1 / (1 / cut - Double($0) / 20 * (1 / cut - 2 / t)) }
            var counts = [Int](repeating: 0, count: 20)
            for _ in 0..<n {
                let w = MollerScattering.sampleDeltaRayEnergy(kineticEnergyMeV: t, cutMeV: cut, rng: &rng)
                XCTAssertTrue(w >= cut && w <= t / 2)
                var b = 0
                while b < 19 && w >= edges[b + 1] { b += 1 }
                counts[b] += 1
            }
            let total = MollerScattering.crossSectionPerElectron(kineticEnergyMeV: t, cutMeV: cut)
            var chi2 = 0.0
            for b in 0..<20 {
                let p = electronTestSimpson(from: edges[b], to: edges[b + 1], intervals: 2000) {
                    MollerScattering.differentialCrossSection(kineticEnergyMeV: t, deltaRayEnergyMeV: $0)
                } / total
                let expected = p * Double(n)
                chi2 += (Double(counts[b]) - expected) * (Double(counts[b]) - expected) / expected
            }
            XCTAssertLessThan(chi2, chiSquare19At0p001, "Møller χ² at T=\(t) MeV, Δ=\(cut) MeV")
        }
    }

    func testBremsstrahlungPhotonEnergiesLieBetweenCutAndPrimaryAndFollowSpectrum() throws {
        let v = table.view
        let kc = table.cuts.photonThresholdMeV
        for t in [0.05, 1.0] {
            var rng = RandomStream(seed: 77, stream: UInt64(t * 1000))
            let n = 100_000
            // 20 bins equally spaced in ln κ over [k_c/T, 1].
            let lnKc = log(kc / t)
            let edges = (0...20).map { exp(lnKc * (1 - Double($0) / 20)) }
            var counts = [Int](repeating: 0, count: 20)
            for _ in 0..<n {
                let k = withExtendedLifetime(table) { v.sampleBremsstrahlungPhotonEnergy(kineticEnergyMeV: t, rng: &rng) }
                XCTAssertTrue(k >= kc && k <= t, "k = \(k) outside [\(kc), \(t)]")
                let kappa = k / t
                var b = 0
                while b < 19 && kappa >= edges[b + 1] { b += 1 }
                counts[b] += 1
            }
            let x = try BremsstrahlungCrossSection.materialScaledCrossSection(ElectronTestFixtures.water, kineticEnergyMeV: t)
            let total = BremsstrahlungCrossSection.integralOverKappa(x, from: kc / t, to: 1)
            var chi2 = 0.0
            for b in 0..<20 {
                let expected = BremsstrahlungCrossSection.integralOverKappa(x, from: edges[b], to: edges[b + 1]) / total * Double(n)
                chi2 += (Double(counts[b]) - expected) * (Double(counts[b]) - expected) / expected
            }
            XCTAssertLessThan(chi2, chiSquare19At0p001, "bremsstrahlung χ² at T=\(t) MeV")
        }
    }

    /// The fictitious-event bound dominates the hard cross section everywhere in the interval and
    /// is attained (to interpolation accuracy) by a dense scan.
    func testMaximumHardCrossSectionBoundsTheIntervalAndIsTight() {
        let v = table.view
        for (lo, hi) in [(0.015, 0.05), (0.02, 1.0), (0.9, 1.1), (0.005, 0.008)] {
            let bound = withExtendedLifetime(table) { v.maximumHardCrossSection(lowerEnergyMeV: lo, upperEnergyMeV: hi) }
            var scanMax = 0.0
            for j in 0...20_000 {
                let t = lo * pow(hi / lo, Double(j) / 20_000)
                let sigma = withExtendedLifetime(table) { v.mollerCrossSection(energyMeV: t) + v.bremsstrahlungCrossSection(energyMeV: t) }
                XCTAssertLessThanOrEqual(sigma, bound * (1 + 1e-12), "T=\(t)")
                scanMax = max(scanMax, sigma)
            }
            XCTAssertEqual(bound, scanMax, accuracy: 1e-3 * max(bound, 1e-30), "[\(lo), \(hi)] MeV")
        }
    }

    /// ⟨cos θ⟩ = exp(−s/λ₁) and ⟨P₂(cos θ)⟩ = exp(−s/λ₂) for steps from 0.05 λ₁ to 3 λ₁.
    func testMultipleScatteringMomentsMatchGoudsmitSaunderson() throws {
        let v = table.view
        for t in [0.02, 0.2, 2.0] {
            let l1 = try table.value(.firstTransportMeanFreePath, energyMeV: t)
            let l2 = try table.value(.secondTransportMeanFreePath, energyMeV: t)
            XCTAssertTrue(l2 < l1 && l1 <= 3 * l2, "λ₁=\(l1), λ₂=\(l2) at \(t) MeV")
            for fraction in [0.05, 0.5, 3.0] {
                let s = fraction * l1
                var rng = RandomStream(seed: 99, stream: UInt64(t * 1e4 + fraction * 100))
                let n = 200_000
                var m1 = 0.0, m1sq = 0.0, p2 = 0.0, p2sq = 0.0
                for _ in 0..<n {
                    let c = withExtendedLifetime(table) {
                        v.sampleMultipleScatteringCosTheta(kineticEnergyMeV: t, stepGramPerCm2: s, rng: &rng)
                    }
                    XCTAssertTrue(c >= -1 && c <= 1)
                    let q = 1.5 * c * c - 0.5
                    m1 += c; m1sq += c * c; p2 += q; p2sq += q * q
                }
                let nn = Double(n)
                let mean1 = m1 / nn, mean2 = p2 / nn
                let se1 = ((m1sq / nn - mean1 * mean1) / nn).squareRoot()
                let se2 = ((p2sq / nn - mean2 * mean2) / nn).squareRoot()
                XCTAssertEqual(mean1, exp(-s / l1), accuracy: 4 * se1 + 1e-12, "⟨cos θ⟩ at T=\(t), s=\(fraction) λ₁")
                XCTAssertEqual(mean2, exp(-s / l2), accuracy: 4 * se2 + 1e-12, "⟨P₂⟩ at T=\(t), s=\(fraction) λ₁")
            }
        }
    }
}
