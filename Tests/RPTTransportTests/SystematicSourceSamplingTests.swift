import Foundation
import XCTest
@testable import RPTTransport
import RPTPhysics
import RPTVolume
import RPTCore

/// Systematic (stratified) source sampling with batch statistics (`SourceSampling.systematic`) against analogue
/// sampling: unbiased doses, honest batch σ, bitwise reproducibility, refusals.
final class SystematicSourceSamplingTests: XCTestCase {
    /// Decays per batch in these tests (the default 16 384 would make 30 batches too long for a debug test): with the
    /// 64-voxel kidney, 4 decays per kidney voxel per batch, as in the patient15 kidneys at the default batch size.
    static let batch = 256

    /// 12 × 12 × 12 voxels of 4 mm soft tissue; a 4³-voxel kidney holds the Lu-177 uniformly, and a 2 × 2 × 4
    /// "hot spot" at one corner of it holds 4× the concentration (unequal voxel weights: quantile boundaries
    /// fall inside voxels); a lesion of 2³ voxels 8 mm away receives cross-dose only.
    struct Phantom {
        let world: VoxelWorld
        let source: [Double]
        let kidney: [Int]
        let regions: [ScoredRegion]
    }

    static func phantom() throws -> Phantom {
        let n = 12
        let grid = Grid3D(shape: SIMD3(n, n, n), spacing: SIMD3(4, 4, 4))
        let materials = [MaterialLibrary.softTissue, MaterialLibrary.kidney]
        var index = [UInt8](repeating: 0, count: grid.voxelCount)
        var w = [Double](repeating: 0, count: grid.voxelCount)
        var kidney: [Int] = [], lesion: [Int] = [], all: [Int] = []
        for k in 0..<n { for j in 0..<n { for i in 0..<n {
            let v = grid.linearIndex(i, j, k)
            all.append(v)
            if (3..<7).contains(i) && (4..<8).contains(j) && (4..<8).contains(k) {
                index[v] = 1; kidney.append(v)
                w[v] = (i < 5 && j < 6) ? 4 : 1
            } else if (9..<11).contains(i) && (5..<7).contains(j) && (5..<7).contains(k) {
                lesion.append(v)
            }
        }}}
        let density = index.map { Float(materials[Int($0)].density) }
        let world = try VoxelWorld(grid: grid, materials: materials, materialIndex: index, density: density)
        return Phantom(world: world, source: w, kidney: kidney,
                       regions: [ScoredRegion(name: "kidney", voxels: kidney), ScoredRegion(name: "lesion", voxels: lesion),
                                 ScoredRegion(name: "all", voxels: all)])
    }

    static func settings(_ sampling: SourceSampling, batch: Int = batch) -> TransportSettings {
        var s = TransportSettings()
        s.sourceSampling = sampling
        s.sourceBatchDecays = batch
        return s
    }

    static func simulation(_ p: Phantom, _ sampling: SourceSampling, seed: UInt64) throws -> PreparedSimulation {
        let nuc = try Nuclide.named("Lu-177")
        return try PreparedSimulation(world: p.world, source: .voxelMap(weights: p.source),
                                      emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                      settings: settings(sampling), regions: p.regions, seed: seed)
    }

    /// The stratification itself, deterministically: over one batch of n quantiles (k + u)/n the sampler puts
    /// ⌊n·p_v⌋ or ⌈n·p_v⌉ decays in every voxel v (p_v its share of the activity), for several u, and every decay
    /// inside its voxel.
    func testEachVoxelGetsFloorOrCeilingOfItsShareInEveryBatch() throws {
        let p = try Self.phantom()
        let sampler = try PositionSampler(.voxelMap(weights: p.source), world: p.world, sampling: .systematic)
        let total = p.source.reduce(0, +)
        let n = 1000
        let size = p.world.voxelSizeCm
        var rng = RandomStream(seed: 9, stream: 0)
        for u in [0.5 / Double(n), 0.37, 0.999] {
            var count = [Int](repeating: 0, count: p.source.count)
            for k in 0..<n {
                let x = sampler.sample(quantile: (Double(k) + u) / Double(n), &rng)
                let ijk = SIMD3(Int(x.x / size.x), Int(x.y / size.y), Int(x.z / size.z))
                count[p.world.grid.linearIndex(ijk.x, ijk.y, ijk.z)] += 1
            }
            for v in p.source.indices {
                let expected = Double(n) * p.source[v] / total
                XCTAssertTrue(Double(count[v]) >= expected.rounded(.down) - 1e-9 && Double(count[v]) <= expected.rounded(.up) + 1e-9,
                              "voxel \(v): \(count[v]) decays for n·p = \(expected) (u = \(u))")
            }
        }
    }

    /// Bias test: Lu-177 in the kidney, 76 800 decays analogue (seed 3) vs 76 800 systematic (seed 4, 300 batches).
    /// (1) Region means (kidney, lesion by cross-dose only, whole phantom) agree within 3σ combined (independent runs;
    /// a false alarm in < 0.3 % of comparisons). (2) Kidney voxels: z = (D_sys − D_an)/√(σ_sys² + σ_an²) has
    /// |z| < 4 in each of the 64 voxels (false-alarm probability ≈ 64·6·10⁻⁵ = 0.4 %) and mean z within ±0.5 (the
    /// mean of 64 unit normals has σ 0.125: a 4σ band) — a bias of a few tenths of a σ in every voxel would show there.
    /// (3) The point of the method: the kidney voxels' σ is smaller with systematic sampling (median ratio < 0.8).
    func testSystematicAgreesWithAnalogueInKidneyVoxelsAndRegions() throws {
        let p = try Self.phantom()
        let decays = UInt64(300 * Self.batch)
        let simA = try Self.simulation(p, .analog, seed: 3), simS = try Self.simulation(p, .systematic, seed: 4)
        let a = simA.result(try simA.run(control: RunControl(decays: decays, threads: 2)))
        let s = simS.result(try simS.run(control: RunControl(decays: decays, threads: 2)))
        for (ra, rs) in zip(a.regions, s.regions) {
            let combined = ((ra.meanDoseGy * ra.relativeUncertainty).squared + (rs.meanDoseGy * rs.relativeUncertainty).squared)
                .squareRoot()
            XCTAssertGreaterThan(ra.meanDoseGy, 0, ra.name)
            XCTAssertLessThan(abs(ra.meanDoseGy - rs.meanDoseGy), 3 * combined,
                              "\(ra.name): analogue \(ra.meanDoseGy) vs systematic \(rs.meanDoseGy) Gy per decay, σ \(combined)")
        }
        var zs: [Double] = [], ratios: [Double] = []
        for v in p.kidney {
            let sa = a.doseGy[v] * a.relativeUncertainty[v], ss = s.doseGy[v] * s.relativeUncertainty[v]
            let z = (s.doseGy[v] - a.doseGy[v]) / (sa * sa + ss * ss).squareRoot()
            XCTAssertLessThan(abs(z), 4, "kidney voxel \(v): analogue \(a.doseGy[v]) ± \(sa), systematic \(s.doseGy[v]) ± \(ss)")
            zs.append(z)
            ratios.append(ss / sa)
        }
        let meanZ = zs.reduce(0, +) / Double(zs.count)
        XCTAssertLessThan(abs(meanZ), 0.5, "mean z over the kidney voxels")
        ratios.sort()
        print("kidney voxels: mean z \(meanZ), median σ ratio systematic/analogue \(ratios[ratios.count / 2])")
        XCTAssertLessThan(ratios[ratios.count / 2], 0.8, "median σ ratio systematic/analogue in the kidney voxels")
    }

    /// σ is honest: 20 independent runs of a small systematic case (32 batches of 256 decays each). For the kidney
    /// mean dose, Σ (D_i − D̄)²/σ̄² over the seeds (σ̄² the mean reported variance) must lie within the 0.5 % and
    /// 99.5 % quantiles of χ²(19), 6.84 … 38.58; for the 64 kidney voxels, the mean over voxels of (empirical
    /// variance across seeds)/(mean reported variance) must be 1 within ±0.25 (each ratio has a relative σ of
    /// √(2/19) = 0.32 plus the σ-of-σ of 32 batches, 0.13; their mean over 64 voxels ≈ 0.04–0.06 if independent,
    /// more with neighbouring voxels correlated: ±0.25 is > 4σ). History-by-history statistics on these correlated
    /// histories would report about the analogue variance, ≈ 2× too large in the voxels (ratio ≈ 0.45), and fail.
    func testBatchSigmaMatchesSpreadAcrossSeeds() throws {
        let p = try Self.phantom()
        let decays = UInt64(32 * Self.batch)
        var kidneyMean: [Double] = [], kidneyVar: [Double] = []
        var voxelDose = [[Double]](repeating: [], count: p.kidney.count)
        var voxelVar = [[Double]](repeating: [], count: p.kidney.count)
        // Independent runs: disjoint decay ranges of one simulation (every decay and every batch has its own random
        // stream, so the ranges are independent samples, as different seeds are; this saves 19 set-ups).
        let sim = try Self.simulation(p, .systematic, seed: 101)
        for run in 0..<20 {
            let r = sim.result(try sim.run(control: RunControl(decays: decays, threads: 2), firstDecay: UInt64(run) * decays))
            kidneyMean.append(r.regions[0].meanDoseGy)
            kidneyVar.append((r.regions[0].meanDoseGy * r.regions[0].relativeUncertainty).squared)
            for (i, v) in p.kidney.enumerated() {
                voxelDose[i].append(r.doseGy[v])
                voxelVar[i].append((r.doseGy[v] * r.relativeUncertainty[v]).squared)
            }
        }
        func spread(_ x: [Double]) -> Double {
            let m = x.reduce(0, +) / Double(x.count)
            return x.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        }
        let mean = { (x: [Double]) in x.reduce(0, +) / Double(x.count) }
        let chi2 = spread(kidneyMean) / mean(kidneyVar)
        XCTAssertTrue(chi2 > 6.84 && chi2 < 38.58, "kidney mean: χ² = \(chi2) for 19 degrees of freedom")
        let ratios = p.kidney.indices.map { spread(voxelDose[$0]) / 19 / mean(voxelVar[$0]) }
        let meanRatio = mean(ratios)
        print("kidney mean χ²(19) = \(chi2); kidney voxels: mean empirical/reported variance \(meanRatio)")
        XCTAssertEqual(meanRatio, 1, accuracy: 0.25, "empirical/reported variance of the kidney voxels")
    }

    /// Bitwise reproducibility: the same sums (and so the same doses and σ) for 1, 2 and 3 threads, for two shards
    /// merged, and for a run resumed from a partial state.
    func testBitwiseAcrossThreadsShardsAndResume() throws {
        let p = try Self.phantom()
        let sim = try Self.simulation(p, .systematic, seed: 7)
        let n = UInt64(Self.batch), decays = 36 * n
        let one = try sim.run(control: RunControl(decays: decays, threads: 1))
        XCTAssertEqual(one.sums.statistics, .batches(size: n))
        for threads in [2, 3] {
            XCTAssertEqual(try sim.run(control: RunControl(decays: decays, threads: threads)).sums, one.sums, "\(threads) threads")
        }
        // Two shards, [0, 13n) and [13n, 36n), merged.
        var a = try sim.run(control: RunControl(decays: 13 * n, threads: 2), totalDecays: decays).sums
        let b = try sim.run(control: RunControl(decays: 23 * n, threads: 2), firstDecay: 13 * n, totalDecays: decays).sums
        try a.add(b)
        XCTAssertEqual(a, one.sums, "shards")
        // Resumed: 5n decays first, then on to 36n.
        let part = try sim.run(control: RunControl(decays: 5 * n, threads: 2), totalDecays: decays)
        XCTAssertEqual(try sim.run(from: part, control: RunControl(decays: decays, threads: 3)).sums, one.sums, "resume")
    }

    /// Refusals: a decay count or shard start that is not a whole number of batches, fewer than 30 batches, an
    /// analytic source, and adding batch sums to history-by-history sums.
    func testRefusesPartialBatchesTooFewBatchesAndAnalyticSources() throws {
        let p = try Self.phantom()
        let sim = try Self.simulation(p, .systematic, seed: 1)
        let n = UInt64(Self.batch)
        XCTAssertThrowsError(try sim.run(control: RunControl(decays: 40 * n + 1, threads: 1))) { e in
            XCTAssertTrue("\(e)".contains("multiple of \(n)"), "\(e)")
        }
        XCTAssertThrowsError(try sim.run(control: RunControl(decays: 29 * n, threads: 1))) { e in
            XCTAssertTrue("\(e)".contains("≥ 30"), "\(e)")
        }
        XCTAssertThrowsError(try sim.run(control: RunControl(decays: 40 * n, threads: 1), firstDecay: 3))
        let nuc = try Nuclide.named("Lu-177")
        XCTAssertThrowsError(try PreparedSimulation(world: p.world, source: .point(SIMD3(2, 2, 2)),
                                                    emitter: .nuclide(EmissionSampler(nuclide: nuc)),
                                                    settings: Self.settings(.systematic), seed: 1)) { e in
            XCTAssertTrue("\(e)".contains("voxel activity map"), "\(e)")
        }
        var h = TallySums(voxelCount: 2)
        XCTAssertThrowsError(try h.add(TallySums(voxelCount: 2, statistics: .batches(size: n))))
        // Different batch sizes or sampling give different fingerprints (never resumed or merged together).
        let other = try PreparedSimulation(world: p.world, source: .voxelMap(weights: p.source),
                                           emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                           settings: Self.settings(.systematic, batch: 512), regions: p.regions, seed: 1)
        XCTAssertNotEqual(other.fingerprint.hex, sim.fingerprint.hex)
        XCTAssertNotEqual(try Self.simulation(p, .analog, seed: 1).fingerprint.hex, sim.fingerprint.hex)
    }

    /// The batch estimator and its square quanta, by hand: three batches of 0.5, 1.5 and 1.0 MeV in a slot of 10-decay
    /// batches → mean 0.1 MeV per decay, s_b² = 0.25 MeV², σ_mean = √(0.25·3)/30; squares in 2⁻²⁴ MeV².
    func testBatchEstimatorByHand() {
        let q = { (x: Double) in EnergyTally.quanta64(x) }
        let sq = { (x: Double) in EnergyTally.squareQuanta(q(x), shift: 40).value }
        XCTAssertEqual(sq(1.0), 1 << 24)
        XCTAssertEqual(EnergyTally.squareQuanta(1, shift: 40).value, 1)  // rounded up, never 0
        XCTAssertTrue(EnergyTally.squareQuanta(1 << 52, shift: 40).overflow)
        XCTAssertFalse(EnergyTally.squareQuanta((1 << 52) - 1, shift: 40).overflow)
        let sum = q(0.5) + q(1.5) + q(1.0), squares = sq(0.5) + sq(1.5) + sq(1.0)
        let m = TallySums.meanAndStandardError(sum: sum, sumSquares: squares, histories: 30, statistics: .batches(size: 10))
        XCTAssertEqual(m.mean, 0.1, accuracy: 1e-12)
        XCTAssertEqual(m.standardError, (0.25 * 3).squareRoot() / 30, accuracy: 1e-9)
    }
}

private extension Double {
    var squared: Double { self * self }
}
