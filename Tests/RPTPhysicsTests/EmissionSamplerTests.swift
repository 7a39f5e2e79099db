import XCTest
import RPTCore
@testable import RPTPhysics

final class EmissionSamplerTests: XCTestCase {
    /// Upper χ² quantile at p = 1e-4 (Wilson–Hilferty approximation, z = 3.719).
    func chi2Critical(dof: Int) -> Double {
        let k = Double(dof), a = 2 / (9 * k)
        return k * _pow(1 - a + 3.719 * a.squareRoot(), 3)
    }

    /// Lu-177, 1 keV cut-off: the mean number per decay of every line ≥ cut-off matches its ICRP-107
    /// yield (χ² over lines expecting ≥ 10 counts plus one lumped bin for the rest, p = 1e-4), betas
    /// written per decay match yield × (1 − fraction below cut-off) within 4σ, and nothing below the
    /// cut-off is ever written (the 19.4 eV X line and sub-keV Auger lines stay local).
    func testLu177LineCountsMatchYields() throws {
        let nuclide = try Nuclide.named("Lu-177")
        var sampler = EmissionSampler(nuclide: nuclide)
        // Expected yield per distinct (particle, energy); IC lines from outer shells share energies with γ lines.
        var index: [Emission: Int] = [:]
        var yields: [Double] = []
        for line in nuclide.lines where line.energyMeV >= 0.001 {
            guard let particle = line.kind.transportedParticle else { continue }
            let key = Emission(kind: particle, energyMeV: line.energyMeV)
            if let i = index[key] { yields[i] += line.yieldPerDecay } else {
                index[key] = yields.count
                yields.append(line.yieldPerDecay)
            }
        }
        var counts = [Int](repeating: 0, count: yields.count)
        var betas = 0
        let decays = 300_000
        let capacity = sampler.recommendedCapacity
        let buffer = UnsafeMutablePointer<Emission>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var rng = RandomStream(seed: 21, stream: 0)
        var overflows = 0
        for _ in 0..<decays {
            let (count, _, overflow) = sampler.sampleDecay(&rng, into: buffer, capacity: capacity)
            overflows += overflow
            for j in 0..<count {
                let e = buffer[j]
                XCTAssertGreaterThanOrEqual(e.energyMeV, 0.001)
                if let i = index[e] {
                    counts[i] += 1
                } else {
                    XCTAssertEqual(e.kind, .electron)
                    betas += 1
                }
            }
        }
        XCTAssertEqual(overflows, 0)

        var chi2 = 0.0, bins = 0, restObserved = 0.0, restExpected = 0.0
        for i in yields.indices {
            let expected = yields[i] * Double(decays)
            if expected >= 10 {
                chi2 += (Double(counts[i]) - expected) * (Double(counts[i]) - expected) / expected
                bins += 1
            } else {
                restObserved += Double(counts[i]); restExpected += expected
            }
        }
        if restExpected > 0 {
            chi2 += (restObserved - restExpected) * (restObserved - restExpected) / restExpected
            bins += 1
        }
        XCTAssertGreaterThan(bins, 10)
        XCTAssertLessThan(chi2, chi2Critical(dof: bins), "χ² = \(chi2) over \(bins) bins")

        let beta = nuclide.betaMinus!
        let p = beta.yieldPerDecay * (1 - beta.fraction(belowMeV: 0.001))
        let sigma = (Double(decays) * p * (1 - min(p, 1))).squareRoot() + 1
        XCTAssertEqual(Double(betas), Double(decays) * p, accuracy: 4 * sigma)
    }

    /// Mean energy per decay (transported + local) equals the tabulated total, and the transported
    /// photon/electron means equal the energy budget, within 4σ (sample standard error), for Lu-177
    /// and for Tb-161 (≈ 300 lines, X/Auger group yields > 1).
    func testMeanEnergyPerDecayMatchesTables() throws {
        for name in ["Lu-177", "Tb-161"] {
            let nuclide = try Nuclide.named(name)
            var sampler = EmissionSampler(nuclide: nuclide)
            let budget = nuclide.energyBudget()
            let capacity = sampler.recommendedCapacity
            let buffer = UnsafeMutablePointer<Emission>.allocate(capacity: capacity)
            defer { buffer.deallocate() }
            var rng = RandomStream(seed: 7, stream: 1)
            let decays = 200_000
            var sum = SIMD3<Double>.zero, sum2 = SIMD3<Double>.zero   // total, photon, electron
            for _ in 0..<decays {
                let (count, local, _) = sampler.sampleDecay(&rng, into: buffer, capacity: capacity)
                var photon = 0.0, electron = 0.0
                for j in 0..<count {
                    if buffer[j].kind == .photon { photon += buffer[j].energyMeV } else { electron += buffer[j].energyMeV }
                }
                let v = SIMD3(photon + electron + local, photon, electron)
                sum += v; sum2 += v * v
            }
            let mean = sum / Double(decays)
            let sigma = ((sum2 / Double(decays) - mean * mean) / Double(decays)).squareRoot()
            XCTAssertEqual(mean.x, nuclide.totalEnergyPerDecayMeV, accuracy: 4 * sigma.x, name)
            XCTAssertEqual(mean.y, budget.transportedPhotonMeV, accuracy: 4 * sigma.y, name)
            XCTAssertEqual(mean.z, budget.transportedElectronMeV, accuracy: 4 * sigma.z, name)
            XCTAssertEqual(sampler.constantLocalEnergyMeV,
                           budget.locallyDepositedMeV - nuclide.betaMinus!.energyPerDecayMeV(belowMeV: 0.001),
                           accuracy: 1e-12)
        }
    }

    /// A full buffer deposits the rest locally: with the same random numbers, every decay's total energy
    /// is the same whatever the capacity.
    func testOverflowDepositsLocally() throws {
        let nuclide = try Nuclide.named("Tb-161")
        let big = EmissionSampler(nuclide: nuclide), small = big
        var overflowsBig = 0, overflowsSmall = 0
        let capacity = big.recommendedCapacity
        let buffer = UnsafeMutablePointer<Emission>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var rngA = RandomStream(seed: 1, stream: 9), rngB = rngA
        for _ in 0..<2_000 {
            let a = big.sampleDecay(&rngA, into: buffer, capacity: capacity)
            overflowsBig += a.overflowCount
            let totalA = (0..<a.count).reduce(a.localEnergyMeV) { $0 + buffer[$1].energyMeV }
            let b = small.sampleDecay(&rngB, into: buffer, capacity: 1)
            overflowsSmall += b.overflowCount
            XCTAssertLessThanOrEqual(b.count, 1)
            let totalB = (0..<b.count).reduce(b.localEnergyMeV) { $0 + buffer[$1].energyMeV }
            XCTAssertEqual(totalA, totalB, accuracy: 1e-12)
        }
        XCTAssertEqual(overflowsBig, 0)
        XCTAssertGreaterThan(overflowsSmall, 0)
    }
}
