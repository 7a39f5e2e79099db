import Foundation
import XCTest
@testable import RPTTransport
import RPTPhysics
import RPTVolume
import RPTCore

final class TransportPhysicsTests: XCTestCase {
    /// Energy conservation, history by history: deposited + escaped = emitted (the local part below
    /// the cut-off is inside "deposited") to 1e-9 relative, for Lu-177 in a small water cube where
    /// much escapes, with and without accelerations.
    func testEnergyConservedPerHistory() throws {
        let world = try cubeWorld(MaterialLibrary.water, n: 9, voxelMM: 2)
        let nuc = try Nuclide.named("Lu-177")
        for settings in [TransportSettings(), TransportSettings().withoutAccelerations] {
            let sim = try PreparedSimulation(world: world, source: .sphere(center: SIMD3(repeating: 0.9), radius: 0.5),
                                             emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                             settings: settings, seed: 3)
            let histories = runHistories(sim, count: 3000)
            for (h, e) in histories.enumerated() {
                XCTAssertLessThan(e.conservationError, 1e-9, "history \(h): \(e)")
            }
            XCTAssertGreaterThan(histories.reduce(0) { $0 + $1.escaped }, 0, "some energy escapes the small cube")
        }
    }

    /// Narrow-beam transmission of 208 keV photons through 10 cm of water equals exp(−μx), with μ/ρ
    /// from NIST SRD 126 (independent of our tables): water 200 keV 0.1370, 300 keV 0.1186 cm²/g,
    /// interpolated log-log to 208.37 keV → 0.13524 cm²/g. Uncollided photons are those with no real
    /// interaction. Tolerance: 3σ binomial plus 1 % of μx for the table difference.
    func testNarrowBeamTransmission208keV() throws {
        let n = 50, thickness = 10.0  // cm; 2 mm voxels
        let grid = Grid3D(shape: SIMD3(5, 5, n), spacing: SIMD3(2, 2, thickness * 10 / Double(n)))
        let world = try VoxelWorld.homogeneous(grid: grid, material: MaterialLibrary.water, density: 1.0)
        let e = 0.20837
        let sim = try PreparedSimulation(world: world, source: .point(SIMD3(0.5, 0.5, 1e-9)),
                                         emitter: .beam(.photon, energyMeV: e, direction: SIMD3(0, 0, 1)),
                                         settings: TransportSettings(), seed: 11)
        let count = 40_000
        let uncollided = runHistories(sim, count: count).filter { $0.photonInteractions == 0 }.count
        let t = Double(uncollided) / Double(count)
        let muRho = exp(log(0.1370) + (log(0.1186) - log(0.1370)) * log(e / 0.2) / log(0.3 / 0.2))
        let expected = exp(-muRho * thickness)
        let sigma = (expected * (1 - expected) / Double(count)).squareRoot()
        let systematic = expected * 0.01 * muRho * thickness
        XCTAssertEqual(t, expected, accuracy: 3 * sigma + systematic, "T = \(t), exp(−μx) = \(expected), σ = \(sigma)")
    }

    /// 500 keV electrons (point source, isotropic) in water: < 1 % of their energy is deposited beyond
    /// the NIST ESTAR CSDA range (0.1766 g/cm² at 0.5 MeV, validation/reference/nist_estar_water.csv);
    /// we count voxels whose nearest point lies beyond the range. With accelerations off.
    func testElectronsStayWithinCSDARange() throws {
        let csv = try String(contentsOfFile: try ProjectData.require("validation/reference/nist_estar_water.csv"), encoding: .utf8)
        let row = csv.split(separator: "\n").first { $0.hasPrefix("5.000E-01") }!
        let range = Double(row.split(separator: ",")[4])!  // g/cm² → cm at ρ = 1
        let voxelMM = 0.25, n = 25
        let world = try cubeWorld(MaterialLibrary.water, n: n, voxelMM: voxelMM)
        let c = Double(n) * voxelMM / 20  // centre (cm)
        let sim = try PreparedSimulation(world: world, source: .point(SIMD3(repeating: c)),
                                         emitter: .monoenergetic(.electron, energyMeV: 0.5),
                                         settings: TransportSettings().withoutAccelerations, seed: 5)
        let state = try sim.run(control: RunControl(decays: 4000, threads: 2))
        let result = sim.result(state)
        var beyond = 0.0, total = 0.0
        let h = voxelMM / 10
        for v in 0..<world.grid.voxelCount {
            let ijk = world.grid.voxelIndex(v)
            let centre = (SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)) + 0.5) * h - c
            let nearest = SIMD3(max(0, abs(centre.x) - h / 2), max(0, abs(centre.y) - h / 2), max(0, abs(centre.z) - h / 2))
            let e = result.energyPerDecayMeV[v]
            total += e
            if (nearest * nearest).sum().squareRoot() > range { beyond += e }
        }
        XCTAssertGreaterThan(total, 0.45, "most of the 0.5 MeV is deposited in the cube")
        XCTAssertLessThan(beyond / 0.5, 0.01, "fraction beyond the CSDA range: \(beyond / 0.5)")
    }

    /// Same seed → bitwise-identical dose arrays for 1 and 2 threads (and a different batch size).
    func testBitwiseReproducibleAcrossThreads() throws {
        let world = try cubeWorld(MaterialLibrary.softTissue, n: 12, voxelMM: 3)
        var w = [Double](repeating: 0, count: world.grid.voxelCount)
        for n in stride(from: 0, to: w.count, by: 7) { w[n] = Double(n % 5) }
        let nuc = try Nuclide.named("Lu-177")
        let sim = try PreparedSimulation(world: world, source: .voxelMap(weights: w),
                                         emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                         settings: TransportSettings(), seed: 42)
        let a = try sim.run(control: RunControl(decays: 30_000, threads: 1, batchSize: 4096))
        let b = try sim.run(control: RunControl(decays: 30_000, threads: 2, batchSize: 1000))
        XCTAssertEqual(a.sums, b.sums)
        XCTAssertEqual(sim.result(a).doseGy, sim.result(b).doseGy)
        let other = try PreparedSimulation(world: world, source: .voxelMap(weights: w),
                                           emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                           settings: TransportSettings(), seed: 43)
        let c = try other.run(control: RunControl(decays: 30_000, threads: 2))
        XCTAssertNotEqual(a.sums, c.sums, "another seed gives another result")
    }

    /// Two halves of the decay range add up exactly to the whole (the basis of shards and resume).
    func testHalvesAddUpToWhole() throws {
        let world = try cubeWorld(MaterialLibrary.water, n: 8, voxelMM: 4)
        let sim = try PreparedSimulation(world: world, source: .box(lower: SIMD3(repeating: 1), upper: SIMD3(repeating: 2)),
                                         emitter: .monoenergetic(.photon, energyMeV: 0.2), settings: TransportSettings(), seed: 9)
        let whole = try sim.run(control: RunControl(decays: 10_000, threads: 2))
        let first = try sim.run(control: RunControl(decays: 6_000, threads: 2))
        let second = try sim.run(control: RunControl(decays: 4_000, threads: 1), firstDecay: 6_000)
        var merged = first.sums
        try merged.add(second.sums)
        XCTAssertEqual(merged, whole.sums)
    }
}

final class DoseToWaterTests: XCTestCase {
    /// D_w/D_m is 1 for water itself, within 2 % of 1 for soft tissue (electron densities per gram
    /// differ by < 1 %: Z/A 0.5551 water vs 0.5495 ICRU-44 soft tissue, NIST SRD 126 Table 2), and > 1 for
    /// cortical bone (Z/A 0.5148 < water's).
    func testStoppingPowerRatios() throws {
        let f = try DoseToWater.factors(materials: [MaterialLibrary.water, MaterialLibrary.softTissue,
                                                    MaterialLibrary.corticalBone], referenceEnergyMeV: 0.1333)
        XCTAssertEqual(f[0], 1, accuracy: 1e-12)
        XCTAssertEqual(f[1], 1, accuracy: 0.02)
        XCTAssertGreaterThan(f[2], 1.05)
    }
}

final class MajorantGridTests: XCTestCase {
    /// Woodcock tracking is exact for any majorant: with blocks of 1, 4 and 64 voxels (the last = the
    /// global majorant), photon doses in a water/bone/air world agree within 3σ combined per region.
    func testBlockSizeDoesNotChangeDose() throws {
        let n = 16
        let grid = Grid3D(shape: SIMD3(n, n, n), spacing: SIMD3(repeating: 5))
        var index = [UInt8](repeating: 0, count: grid.voxelCount), density = [Float](repeating: 1, count: grid.voxelCount)
        for k in 0..<n { for j in 0..<n { for i in 0..<n {
            let v = grid.linearIndex(i, j, k)
            if i >= 10 && i < 12 { index[v] = 1; density[v] = 1.9 }      // a bone slab
            if i >= 13 { index[v] = 2; density[v] = 0.0012 }             // air beyond it
        }}}
        let world = try VoxelWorld(grid: grid, materials: [MaterialLibrary.water, MaterialLibrary.corticalBone, MaterialLibrary.air],
                                   materialIndex: index, density: density)
        let regions = [ScoredRegion(name: "water", voxels: (0..<grid.voxelCount).filter { index[$0] == 0 }),
                       ScoredRegion(name: "bone", voxels: (0..<grid.voxelCount).filter { index[$0] == 1 })]
        var doses: [[RegionDose]] = []
        for b in [1, 4, 64] {
            var settings = TransportSettings()
            settings.majorantBlockSize = b
            let sim = try PreparedSimulation(world: world, source: .point(SIMD3(2, 4, 4)),
                                             emitter: .monoenergetic(.photon, energyMeV: 0.06), settings: settings,
                                             regions: regions, seed: 4)
            doses.append(sim.result(try sim.run(control: RunControl(decays: 20_000, threads: 2))).regions)
        }
        for other in doses.dropFirst() {
            for (a, b) in zip(doses[0], other) {
                let s = ((a.meanDoseGy * a.relativeUncertainty) * (a.meanDoseGy * a.relativeUncertainty)
                         + (b.meanDoseGy * b.relativeUncertainty) * (b.meanDoseGy * b.relativeUncertainty)).squareRoot()
                XCTAssertLessThan(abs(a.meanDoseGy - b.meanDoseGy), 3 * s, "\(a.name): \(a.meanDoseGy) vs \(b.meanDoseGy)")
            }
        }
    }
}

final class InterruptionTests: XCTestCase {
    /// A stop request (what Ctrl-C sets) ends the run after whole batches: the state holds exactly decays
    /// [0, N) for some N, says it is partial, and resuming it reaches the same sums as an uninterrupted run.
    func testStopRequestGivesPrefixAndResumeMatches() throws {
        let world = try cubeWorld(MaterialLibrary.water, n: 10, voxelMM: 3)
        let nuc = try Nuclide.named("Lu-177")
        let sim = try PreparedSimulation(world: world, source: .box(lower: SIMD3(repeating: 1), upper: SIMD3(repeating: 2)),
                                         emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                         settings: TransportSettings(), seed: 8)
        let control = RunControl(decays: 40_000, threads: 2, batchSize: 500)
        let stop = StopFlag()
        let partial = try sim.run(control: control, stop: stop, progress: { _ in stop.request() })
        XCTAssertTrue(partial.partial)
        XCTAssertGreaterThan(partial.decaysDone, 0)
        XCTAssertLessThan(partial.decaysDone, 40_000)
        XCTAssertEqual(partial.decaysDone % 500, 0, "a stop ends on whole batches")
        // The partial state equals an uninterrupted run of the same number of decays.
        let same = try sim.run(control: RunControl(decays: partial.decaysDone, threads: 1))
        XCTAssertEqual(partial.sums, same.sums)
        // Resumed to the goal, it equals the uninterrupted run.
        let resumed = try sim.run(from: partial, control: control)
        let whole = try sim.run(control: control)
        XCTAssertFalse(resumed.partial)
        XCTAssertEqual(resumed.sums, whole.sums)
    }
}

final class RangeBoundTests: XCTestCase {
    /// The tabulated range bounds only shortcut range rejection: `csdaRange(material:energyMeV:isShorterThan:)`
    /// must give exactly `csdaRange(material:energyMeV:) < d` — checked for every library material at energies
    /// spread over the bound grid and next to its interval ends (±1 ulp), with distances just below, at and
    /// just above the exact range and at the bounds' own values.
    func testRangeBoundsDecideExactlyAsTheTable() throws {
        let data = try ElectronTransportData(materials: MaterialLibrary.all, settings: TransportSettings())
        let step = ElectronTransportData.rangeBoundStepMeV
        var energies: [Double] = []
        for i in 0...ElectronTransportData.rangeBoundCount + 2 {
            let end = Double(i) * step
            energies += [end.nextDown, end, end.nextUp, (Double(i) + 0.37) * step]
        }
        energies = energies.filter { $0 > 0 }
        var checked = 0, decidedByTable = 0
        for m in 0..<MaterialLibrary.all.count {
            for e in energies {
                let r = data.csdaRange(material: m, energyMeV: e)
                let i = min(Int(e / step), ElectronTransportData.rangeBoundCount - 1)
                let k = 2 * (m * ElectronTransportData.rangeBoundCount + i)
                for d in [r.nextDown, r, r.nextUp, r * 0.5, r * 2, data.rangeBound[k], data.rangeBound[k + 1]] {
                    XCTAssertEqual(data.csdaRange(material: m, energyMeV: e, isShorterThan: d), r < d,
                                   "material \(m), E = \(e) MeV, d = \(d) g/cm², range \(r)")
                    checked += 1
                    if d > data.rangeBound[k] && d <= data.rangeBound[k + 1] { decidedByTable += 1 }
                }
            }
        }
        XCTAssertGreaterThan(decidedByTable, 0, "some decisions fall between the bounds and go to the table")
        XCTAssertGreaterThan(checked, 10_000)
    }
}
