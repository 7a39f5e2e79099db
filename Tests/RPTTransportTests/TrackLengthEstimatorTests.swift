import Foundation
import XCTest
@testable import RPTTransport
import RPTPhysics
import RPTVolume
import RPTCore

/// The photon track-length estimator (`PhotonEstimator.trackLength`) against the analogue one.
final class TrackLengthEstimatorTests: XCTestCase {
    /// A small trunk phantom: 20 × 20 × 16 voxels of 5 mm of soft tissue with a kidney (the source, 4³ voxels), a
    /// trabecular-bone "spine" standing for the red marrow (4 × 4 × 16 voxels, 2 cm from the kidney), a lung slab,
    /// a small "lesion" (2³ voxels of soft tissue) on the other side and a slab of air (scored analogically; not a
    /// scored region, because there the analogue dose holds electrons from the tissue that the kerma approximation
    /// leaves out — the approximation's documented limit).
    struct Phantom {
        let world: VoxelWorld
        let source: [Double]
        let regions: [ScoredRegion]
    }

    static func phantom() throws -> Phantom {
        let nx = 20, ny = 20, nz = 16
        let grid = Grid3D(shape: SIMD3(nx, ny, nz), spacing: SIMD3(5, 5, 5))
        let materials = [MaterialLibrary.softTissue, MaterialLibrary.kidney, MaterialLibrary.trabecularBone, MaterialLibrary.lung,
                         MaterialLibrary.air]
        var index = [UInt8](repeating: 0, count: grid.voxelCount)
        var kidney: [Int] = [], spine: [Int] = [], lung: [Int] = [], lesion: [Int] = [], all: [Int] = []
        for k in 0..<nz { for j in 0..<ny { for i in 0..<nx {
            let n = grid.linearIndex(i, j, k)
            all.append(n)
            if (4..<8).contains(i) && (8..<12).contains(j) && (6..<10).contains(k) { index[n] = 1; kidney.append(n) }
            else if (10..<14).contains(i) && (12..<16).contains(j) { index[n] = 2; spine.append(n) }
            else if j < 4 { index[n] = 3; lung.append(n) }
            else if j >= 18 { index[n] = 4 }
            else if (15..<17).contains(i) && (8..<10).contains(j) && (7..<9).contains(k) { lesion.append(n) }
        }}}
        let density = index.map { Float(materials[Int($0)].density) }
        let world = try VoxelWorld(grid: grid, materials: materials, materialIndex: index, density: density)
        var w = [Double](repeating: 0, count: grid.voxelCount)
        for n in kidney { w[n] = 1 }
        return Phantom(world: world, source: w,
                       regions: [ScoredRegion(name: "kidney", voxels: kidney), ScoredRegion(name: "marrow", voxels: spine),
                                 ScoredRegion(name: "lung", voxels: lung), ScoredRegion(name: "lesion", voxels: lesion),
                                 ScoredRegion(name: "all", voxels: all)])
    }

    static func settings(_ estimator: PhotonEstimator) -> TransportSettings {
        var s = TransportSettings()
        s.photonEstimator = estimator
        return s
    }

    func simulate(_ p: Phantom, emitter: Emitter, estimator: PhotonEstimator, source: SourceGeometry? = nil,
                  decays: UInt64, seed: UInt64, threads: Int = 2) throws -> (PreparedSimulation, SimulationState) {
        let sim = try PreparedSimulation(world: p.world, source: source ?? .voxelMap(weights: p.source), emitter: emitter,
                                         settings: Self.settings(estimator), regions: p.regions, seed: seed)
        return (sim, try sim.run(control: RunControl(decays: decays, threads: threads)))
    }

    /// Bias test: the Lu-177 photon doses of the kidney (source), the marrow stand-in, the lung and the lesion (cross-dose
    /// only) and the energy in the whole phantom agree between the two estimators within 3σ combined (independent
    /// seeds, so the σ combine in quadrature; 3σ: a false alarm in < 0.3 % of region comparisons). Photons only, so
    /// that the comparison is not diluted by the β dose, which both estimators score identically.
    func testTrackLengthAgreesWithAnalogueOnRegionDoses() throws {
        let p = try Self.phantom()
        let nuc = try Nuclide.named("Lu-177")
        let emitter = Emitter.nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false), .photons)
        let (simA, stateA) = try simulate(p, emitter: emitter, estimator: .analog, decays: 200_000, seed: 3)
        let (simT, stateT) = try simulate(p, emitter: emitter, estimator: .trackLength, decays: 200_000, seed: 4)
        let a = simA.result(stateA).regions, t = simT.result(stateT).regions
        for (ra, rt) in zip(a, t) {
            let sa = ra.meanDoseGy * ra.relativeUncertainty, st = rt.meanDoseGy * rt.relativeUncertainty
            let combined = (sa * sa + st * st).squareRoot()
            print("\(ra.name): analogue \(ra.meanDoseGy) ± \(ra.relativeUncertainty * 100) %, track-length \(rt.meanDoseGy) ± \(rt.relativeUncertainty * 100) %")
            XCTAssertGreaterThan(ra.meanDoseGy, 0, ra.name)
            XCTAssertLessThan(abs(ra.meanDoseGy - rt.meanDoseGy), 3 * combined,
                              "\(ra.name): analogue \(ra.meanDoseGy) vs track-length \(rt.meanDoseGy) Gy per decay, σ \(combined)")
            // The point of the estimator: a smaller uncertainty for the same decays in the cross-dose regions.
            if ra.name == "marrow" || ra.name == "lesion" || ra.name == "lung" {
                XCTAssertLessThan(rt.relativeUncertainty, ra.relativeUncertainty / 1.5, "\(ra.name): no variance reduction")
            }
        }
    }

    /// The voxel walk, deterministically: one flight scored by `scoreTrackLength` puts K·ρ·ℓ_v in each voxel, with ℓ_v
    /// the flight's length inside v measured independently by stepping along it in 2·10⁻⁵ cm steps (0 in air, which is
    /// scored analogically); the lengths add up to the flight's length in the dense voxels, for oblique flights, flights along an axis, flights starting on a face and flights
    /// leaving the world.
    func testVoxelWalkScoresChordLengthsInEveryVoxelCrossed() throws {
        let p = try Self.phantom()
        let sim = try PreparedSimulation(world: p.world, source: .voxelMap(weights: p.source), emitter: .monoenergetic(.photon, energyMeV: 0.208),
                                         settings: Self.settings(.trackLength), seed: 1)
        let kernel = sim.kernel
        let e = 0.15
        let location = kernel.physics.photon.table.gridLocation(e)
        let extent = kernel.geometry.extent
        let flights: [(SIMD3<Double>, SIMD3<Double>, Double)] = [
            (SIMD3(1.23, 4.56, 3.21), SIMD3(0.6, -0.48, 0.64), 5.0),
            (SIMD3(0.5, 0.5, 0.5), SIMD3(1, 0, 0), 7.3),            // along x, starting on voxel faces in y and z
            (SIMD3(9.9, 9.7, 7.9), SIMD3(-0.267261, -0.534522, -0.801784), 30),  // leaves the world before 30 cm
            (SIMD3(2.0, 3.3, 4.1), SIMD3(0, 0, -1), 2.6),           // starts on a face, along −z
        ]
        for (start, d0, length) in flights {
            let d = d0 / (d0 * d0).sum().squareRoot()
            let shared = SharedTally(slotCount: sim.tallySlots)
            var state = TransportState(tally: shared)
            state.beginHistory(seed: 1, history: 0)
            kernel.scoreTrackLength(from: start, direction: d, length: length, location: location, &state)
            state.endHistory()
            state.tally.flush()
            // Independent chord lengths by fine stepping, up to the flight's end or the world's edge.
            var chord = [Double](repeating: 0, count: p.world.grid.voxelCount)
            let step = 2e-5
            var s = step / 2, inside = 0.0
            while s < length {
                let x = start + d * s
                if x.x < 0 || x.y < 0 || x.z < 0 || x.x >= extent.x || x.y >= extent.y || x.z >= extent.z { break }
                chord[kernel.geometry.linear(kernel.geometry.voxel(at: x)!)] += step
                inside += step
                s += step
            }
            var total = 0.0
            for n in 0..<chord.count {
                let (m, rho) = kernel.geometry.medium(n)
                let perCm = kernel.physics.photon.kerma.coefficient(materialIndex: m, location: location) * rho  // MeV/cm
                let scored = Double(shared.moments(slot: n).sum) * EnergyTally.quantumMeV
                let dense = rho >= PhotonEstimator.trackLengthMinimumDensity  // air: analogue, nothing scored
                XCTAssertEqual(scored, dense ? perCm * chord[n] : 0, accuracy: 5e-5 * perCm + 1e-9,
                               "flight from \(start) along \(d): voxel \(n), chord \(chord[n]) cm")
                total += scored / perCm
                if !dense { inside -= chord[n] }
            }
            XCTAssertEqual(total, inside, accuracy: 1e-4, "sum of the chords")
            XCTAssertEqual(state.energy.trackLengthScored, state.energy.deposited, accuracy: 1e-12)
        }
    }

    /// Energy conservation: 208 keV photons from a point in the phantom. (1) Every history's analogue balance holds
    /// (the debug build's per-history check, with the track-length scores replaced by the interactions' electron
    /// energies, runs inside `run`); (2) the energy the estimator puts in the tally equals, within 3σ, the energy the
    /// analogue run deposits; (3) it equals emitted − escaped of its own run (electrons never escape with the
    /// estimator), within 3·(σ_track-length + σ_analogue) (a bound on the σ of their difference, whatever their
    /// correlation).
    func testTrackLengthConservesEnergy() throws {
        let p = try Self.phantom()
        let emitter = Emitter.monoenergetic(.photon, energyMeV: 0.208)
        let source = SourceGeometry.point(SIMD3(5.2, 5.1, 4.3))
        let (simA, stateA) = try simulate(p, emitter: emitter, estimator: .analog, source: source, decays: 60_000, seed: 5)
        let (simT, stateT) = try simulate(p, emitter: emitter, estimator: .trackLength, source: source, decays: 60_000, seed: 6)
        let all = p.regions.count - 1
        let a = simA.result(stateA).regions[all], t = simT.result(stateT).regions[all]
        let eA = a.meanDoseGy * a.massG / 1000 / PhysicalConstants.joulePerMeV  // MeV per decay
        let eT = t.meanDoseGy * t.massG / 1000 / PhysicalConstants.joulePerMeV
        let sA = eA * a.relativeUncertainty, sT = eT * t.relativeUncertainty
        XCTAssertLessThan(abs(eA - eT), 3 * (sA * sA + sT * sT).squareRoot(), "analogue \(eA) vs track-length \(eT) MeV per decay")
        let n = Double(stateT.decaysDone)
        let ledger = stateT.ledger
        XCTAssertEqual(ledger.depositedMeV / n, eT, accuracy: 1e-6 * eT, "the ledger's deposited energy is the tally's")
        let absorbed = (ledger.emittedMeV - ledger.escapedMeV) / n
        XCTAssertLessThan(abs(absorbed - eT), 3 * (sA + sT), "emitted − escaped \(absorbed) vs scored \(eT) MeV per decay")
        XCTAssertEqual(ledger.emittedMeV / n, 0.208, accuracy: 1e-9)
    }

    /// The estimator keeps RPTDose's reproducibility: bitwise the same sums on 1 and 2 threads.
    func testTrackLengthIsBitwiseReproducibleAcrossThreads() throws {
        let p = try Self.phantom()
        let nuc = try Nuclide.named("Lu-177")
        let emitter = Emitter.nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false))
        let (_, one) = try simulate(p, emitter: emitter, estimator: .trackLength, decays: 5_000, seed: 9, threads: 1)
        let (_, two) = try simulate(p, emitter: emitter, estimator: .trackLength, decays: 5_000, seed: 9, threads: 2)
        XCTAssertEqual(one.sums, two.sums)
        XCTAssertEqual(one.ledger, two.ledger)
    }

    /// The switch is recorded: runs with different estimators have different fingerprints (a checkpoint or shard of one
    /// is refused by the other), the provenance's accelerations name it, an analogue run keeps the fingerprint text of
    /// the settings from before the switch existed, and settings saved without it decode as analogue.
    func testEstimatorIsRecordedInFingerprintAndProvenance() throws {
        let p = try Self.phantom()
        let emitter = Emitter.monoenergetic(.photon, energyMeV: 0.208)
        let make = { (e: PhotonEstimator) in
            try PreparedSimulation(world: p.world, source: .voxelMap(weights: p.source), emitter: emitter,
                                   settings: Self.settings(e), regions: p.regions, seed: 1)
        }
        XCTAssertNotEqual(try make(.analog).fingerprint.value, try make(.trackLength).fingerprint.value)
        XCTAssertEqual(TransportSettings().photonEstimator, .analog, "documented default")
        XCTAssertEqual(Self.settings(.trackLength).accelerations, ["range-rejection", "photon-track-length"])
        XCTAssertEqual(Self.settings(.trackLength).withoutAccelerations.photonEstimator, .analog)
        XCTAssertEqual(TransportSettings().fingerprintText,
                       "TransportSettings(electronCutoffMeV: 0.01, photonCutoffMeV: 0.001, deltaRayThresholdMeV: 0.01, "
                       + "bremsstrahlungThresholdMeV: 0.01, maxEnergyLossFraction: 0.2, rangeRejection: true, majorantBlockSize: 8)")
        let old = #"{"electronCutoffMeV":0.01,"photonCutoffMeV":0.001,"deltaRayThresholdMeV":0.01,"bremsstrahlungThresholdMeV":0.01,"maxEnergyLossFraction":0.2,"rangeRejection":true,"majorantBlockSize":8}"#
        let decoded = try JSONDecoder().decode(TransportSettings.self, from: Data(old.utf8))
        XCTAssertEqual(decoded, TransportSettings())
        let roundTrip = try JSONDecoder().decode(TransportSettings.self, from: JSONEncoder().encode(Self.settings(.trackLength)))
        XCTAssertEqual(roundTrip.photonEstimator, .trackLength)
    }
}
