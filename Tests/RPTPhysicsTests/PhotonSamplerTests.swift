import RPTCore
import XCTest
@testable import RPTPhysics

/// χ² tests of the angular samplers against independently integrated reference densities.
/// Critical values: χ²(0.999) = 58.30 for 29 degrees of freedom, 72.05 for 39 (scipy.stats.chi2.ppf).
/// Fixed seeds make the tests deterministic.
final class PhotonSamplerTests: XCTestCase {
    static let table = PhotonMaterialTable.builtIn()

    /// χ² of observed counts against expected probabilities (normalised here).
    func chiSquare(_ counts: [Int], _ probabilities: [Double]) -> Double {
        let n = Double(counts.reduce(0, +)), total = probabilities.reduce(0, +)
        var chi2 = 0.0
        for (c, p) in zip(counts, probabilities) {
            let expected = n * p / total
            XCTAssertGreaterThan(expected, 5, "bin too sparse for χ²")
            chi2 += (Double(c) - expected) * (Double(c) - expected) / expected
        }
        return chi2
    }

    func simpson(_ a: Double, _ b: Double, _ n: Int = 200, _ f: (Double) -> Double) -> Double {
        let h = (b - a) / Double(n)
        var s = f(a) + f(b)
        for i in 1..<n { s += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return s * h / 3
    }

    /// Free-electron Klein–Nishina (S ≡ Z): 40 bins in cos θ against the analytic
    /// dσ/dΩ ∝ ε²(ε + 1/ε − sin²θ), ε = 1/(1 + k(1 − cos θ)), at 1 MeV, at Lu-177's 113 and 208 keV lines
    /// (Kahn's method, k < 3), at 2 and 3 MeV (Butcher–Messel, k ≥ 3), and for both methods at 1 MeV;
    /// ε must equal 1/(1 + k(1 − cos θ)) in every event.
    func testKleinNishinaAngularDistributionChiSquare() {
        let me = PhysicalConstants.electronRestEnergyMeV
        let cases: [(Double, Int)] = [(1.0, 0), (0.113, 0), (0.208, 0), (2.0, 0), (3.0, 0), (1.0, 1), (1.0, 2)]
        for (energy, method) in cases {
            checkKleinNishina(k: energy / me, method: method)
        }
    }

    /// One χ² check of `testKleinNishinaAngularDistributionChiSquare`; method 0 = `sampleKleinNishina`,
    /// 1 = Kahn, 2 = Butcher–Messel.
    func checkKleinNishina(k: Double, method: Int) {
        var rng = RandomStream(seed: 17, stream: UInt64(1 + method))
        let bins = 40
        var counts = [Int](repeating: 0, count: bins)
        for _ in 0..<200_000 {
            let s: (epsilon: Double, oneMinusCos: Double)
            switch method {
            case 1: s = PhotonIncoherentSampler.sampleKleinNishinaKahn(k: k, &rng)
            case 2: s = PhotonIncoherentSampler.sampleKleinNishinaButcherMessel(k: k, &rng)
            default: s = PhotonIncoherentSampler.sampleKleinNishina(k: k, &rng)
            }
            XCTAssertEqual(s.epsilon, 1 / (1 + k * s.oneMinusCos), accuracy: 1e-9)
            let mu = 1 - s.oneMinusCos
            counts[min(bins - 1, Int((mu + 1) / 2 * Double(bins)))] += 1
        }
        let p = (0..<bins).map { i -> Double in
            simpson(-1 + 2 * Double(i) / Double(bins), -1 + 2 * Double(i + 1) / Double(bins)) { mu in
                let eps = 1 / (1 + k * (1 - mu))
                return eps * eps * (eps + 1 / eps - (1 - mu * mu))
            }
        }
        let chi2 = chiSquare(counts, p)
        print("Klein–Nishina k = \(k), method \(method): χ² = \(chi2) (39 dof)")
        XCTAssertLessThan(chi2, 72.05, "k = \(k), method \(method): χ² = \(chi2), 39 dof")
    }

    /// Rayleigh in water at 50 keV: 30 bins uniform in ln(1 − cos θ) (first bin from 0) against
    /// F_water(x)²·(1 + cos²θ) with F² = Σ (wᵢ/Aᵢ) Fᵢ(x)², integrated per bin with Simpson's rule.
    func testRayleighAngularDistributionChiSquareWater50keV() throws {
        let t = Self.table
        let w = try t.materialIndex(named: "water")
        let e = 0.05
        let sampler = PhotonCoherentSampler(table: t)
        let bins = 30
        let lo = log(1e-3), hi = log(2.0)
        func bin(_ v: Double) -> Int { v <= 1e-3 ? 0 : min(bins - 1, Int((log(v) - lo) / (hi - lo) * Double(bins - 1)) + 1) }
        func edge(_ i: Int) -> Double { i == 0 ? 0 : exp(lo + Double(i - 1) * (hi - lo) / Double(bins - 1)) }
        var rng = RandomStream(seed: 5, stream: 2)
        var counts = [Int](repeating: 0, count: bins)
        for _ in 0..<100_000 { counts[bin(1 - sampler.sampleCosTheta(materialIndex: w, energyMeV: e, &rng))] += 1 }
        let h = PhotonElementLibrary.byZ[1]!, o = PhotonElementLibrary.byZ[8]!
        let xScale = e * 1e3 / PhotonMomentumGrid.hcKeVAngstrom
        let p = (0..<bins).map { i -> Double in
            simpson(edge(i), edge(i + 1), 400) { v in
                let x = xScale * (v / 2).squareRoot()
                let fh = h.formFactor(x: x), fo = o.formFactor(x: x)
                let f2 = 0.111894 / 1.008 * fh * fh + 0.888106 / 15.999 * fo * fo
                let mu = 1 - v
                return f2 * (1 + mu * mu)
            }
        }
        let chi2 = chiSquare(counts, p)
        print("Rayleigh χ² = \(chi2) (29 dof)")
        XCTAssertLessThan(chi2, 58.30, "χ² = \(chi2), 29 dof")
    }

    /// The squeeze of the S(x,Z)/Z test never exceeds the function it stands for: for every atom slot of the
    /// test materials and 20 000 momentum transfers spread over 0 … 300 /Å (dense in each squeeze cell),
    /// lower bound ≤ S(x,Z)/Z, so a squeeze acceptance is always an acceptance of the exact test. The bound
    /// must also be useful: above 4 /Å it exceeds 0.9 for every element here (S/Z → 1 at large x).
    func testIncoherentSqueezeIsALowerBound() throws {
        let t = Self.table
        let sampler = PhotonIncoherentSampler(table: t)
        let cells = PhotonIncoherentSampler.squeezeCells, step = PhotonIncoherentSampler.squeezeStep
        let nX = PhotonMomentumGrid.count
        for slot in 0..<t.slotElement.count {
            let z = sampler.slotZ[slot]
            let logS = sampler.slotLogS + slot * nX
            for k in 0..<20_000 {
                let x = k < 16_000 ? Double(k) / 16_000 * Double(cells) * step : Double(cells) * step * pow(40, Double(k - 16_000) / 4_000)
                let bound = sampler.squeeze[slot * (cells + 1) + min(Int(x / step), cells)]
                let exact = PhotonIncoherentSampler.scatteringFunction(logS, z: z, x: x) / z
                XCTAssertLessThanOrEqual(bound, exact, "slot \(slot) Z=\(z) x=\(x)")
                if x >= 4 { XCTAssertGreaterThan(bound, 0.9, "slot \(slot) Z=\(z) x=\(x)") }
            }
            // The slot's S(x,Z) is the element's own (same interpolation).
            let element = t.slotElement[slot]
            for x in [1e-4, 0.01, 0.3, 2.5, 40.0, 2000.0] {
                XCTAssertEqual(PhotonIncoherentSampler.scatteringFunction(logS, z: z, x: x), element.scatteringFunction(x: x))
            }
        }
    }

    /// Incoherent sampling conserves energy, and binding (S/Z) suppresses forward scattering at low energy:
    /// the mean cos θ of 20 keV photons in water must lie below the free-electron KN value.
    func testIncoherentEnergyConservationAndBindingEffect() throws {
        let t = Self.table
        let w = try t.materialIndex(named: "water")
        let sampler = PhotonIncoherentSampler(table: t)
        var rng = RandomStream(seed: 3, stream: 3)
        var meanBound = 0.0, meanFree = 0.0
        let n = 50_000
        for _ in 0..<n {
            let s = sampler.sample(materialIndex: w, energyMeV: 0.02, &rng)
            XCTAssertEqual(s.photonEnergyMeV + s.electronEnergyMeV, 0.02, accuracy: 1e-12)
            meanBound += s.photonCosTheta
            meanFree += 1 - PhotonIncoherentSampler.sampleKleinNishina(k: 0.02 / PhysicalConstants.electronRestEnergyMeV, &rng).oneMinusCos
        }
        meanBound /= Double(n); meanFree /= Double(n)
        // σ of a mean of cos θ over 5e4 samples ≈ 0.6/√5e4 ≈ 0.003; the binding shift is ≫ 5σ.
        XCTAssertLessThan(meanBound, meanFree - 0.015, "bound \(meanBound) free \(meanFree)")
    }

    /// Photoabsorption in cortical bone at 60 keV conserves energy; Ca K fluorescence (3.69 keV Kα) appears.
    func testPhotoabsorptionEnergyConservationAndFluorescence() throws {
        let t = Self.table
        let b = try t.materialIndex(named: "cortical_bone")
        let sampler = PhotonPhotoelectricSampler(table: t, fluorescenceCutoffMeV: 1e-3)
        var rng = RandomStream(seed: 9, stream: 4)
        var fluorescenceCount = 0
        for _ in 0..<20_000 {
            let a = sampler.sample(materialIndex: b, energyMeV: 0.06, &rng)
            XCTAssertEqual(a.electronEnergyMeV + a.fluorescenceEnergyMeV + a.localDepositMeV, 0.06, accuracy: 1e-12)
            XCTAssertTrue(a.electronCosTheta >= -1 && a.electronCosTheta <= 1)
            if a.fluorescenceEnergyMeV > 0 { fluorescenceCount += 1 }
        }
        XCTAssertGreaterThan(fluorescenceCount, 0)
    }
}
