import Foundation
import XCTest
@testable import RPTTransport
import RPTPhysics
import RPTVolume
import RPTCore

final class SphereAndPatientTests: XCTestCase {
    /// Absorbed fraction of one emission type in a water sphere, with its standard uncertainty.
    func absorbedFraction(massG: Double, filter: EmissionFilter, decays: UInt64) throws -> (Double, Double) {
        let g = try SphereGeometry(massG: massG, material: MaterialLibrary.water, voxelsAcrossDiameter: 16)
        let nuc = try Nuclide.named("Lu-177")
        let sim = try PreparedSimulation(world: g.world, source: .voxelMap(weights: g.sourceWeights),
                                         emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false), filter),
                                         settings: TransportSettings(), regions: [ScoredRegion(name: "sphere", voxels: g.sphereVoxels)],
                                         seed: 7)
        let state = try sim.run(control: RunControl(decays: decays, threads: 2))
        let r = sim.result(state).regions[0]
        let deposited = r.meanDoseGy * r.massG / 1000 / PhysicalConstants.joulePerMeV
        let emitted = state.ledger.emittedMeV / Double(state.decaysDone)
        return (deposited / emitted, deposited / emitted * r.relativeUncertainty)
    }

    /// Lu-177 in water spheres: the electron absorbed fraction is within 1 % of 1 for ≥ 100 g (β ranges
    /// ≤ 2 mm against radii ≥ 2.9 cm), and the photon absorbed fraction grows with mass (1 → 1000 g).
    func testSphereAbsorbedFractions() throws {
        for m in [100.0, 1000.0] {
            let (af, u) = try absorbedFraction(massG: m, filter: .electrons, decays: 20_000)
            XCTAssertGreaterThan(af + 2 * u, 0.99, "electron AF for \(m) g: \(af) ± \(u)")
            XCTAssertLessThanOrEqual(af, 1.0 + 1e-9)
        }
        var previous = 0.0
        for m in [1.0, 10.0, 100.0, 1000.0] {
            let (af, u) = try absorbedFraction(massG: m, filter: .photons, decays: 20_000)
            XCTAssertGreaterThan(af - 3 * u, previous, "photon AF must grow with mass: \(m) g gives \(af) ± \(u)")
            previous = af
        }
    }

    /// Range rejection on or off changes the organ doses of the patient15 phantom (Lu-177 in
    /// the kidneys) by less than their combined 2σ.
    func testRangeRejectionDoesNotBiasOrganDoses() throws {
        let dir = try ProjectData.require("phantoms/lu177-patient15")
        let attn = try InterfileForTests.readUInt16(dir + "/patient15_LuDOTATATE_attn.i33")
        let src = try InterfileForTests.readUInt16(dir + "/patient15_LuDOTATATE_src.i33")
        let grid = Grid3D(shape: SIMD3(108, 70, 90), spacing: SIMD3(3.9063, 3.9063, 4.4196))
        let hu = Volume<Double>(grid: grid, voxels: attn.map { Double($0) - 1000 })
        let cal = try CTCalibration.load(directory: ProjectData.packageRoot + "/phantoms/scanners/default")
        let world = try WorldBuilder.fromCT(hu, calibration: cal)
        var regions: [String: [Int]] = [:]
        let names: [UInt16: String] = [15000: "liver", 16000: "spleen", 17000: "kidney_left", 18000: "kidney_right"]
        var w = [Double](repeating: 0, count: grid.voxelCount)
        for (n, v) in src.enumerated() {
            if let name = names[v] { regions[name, default: []].append(n) }
            if v == 17000 || v == 18000 { w[n] = 1 }
        }
        let scored = names.values.sorted().map { ScoredRegion(name: $0, voxels: regions[$0]!) }
        let nuc = try Nuclide.named("Lu-177")
        var doses: [[RegionDose]] = []
        for settings in [TransportSettings(), TransportSettings().withoutAccelerations] {
            let sim = try PreparedSimulation(world: world, source: .voxelMap(weights: w),
                                             emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                             settings: settings, regions: scored, seed: 21)
            let state = try sim.run(control: RunControl(decays: 60_000, threads: 2))
            doses.append(sim.result(state).regions)
        }
        for (a, b) in zip(doses[0], doses[1]) {
            let sa = a.meanDoseGy * a.relativeUncertainty, sb = b.meanDoseGy * b.relativeUncertainty
            let combined = (sa * sa + sb * sb).squareRoot()
            XCTAssertLessThan(abs(a.meanDoseGy - b.meanDoseGy), 2 * combined,
                              "\(a.name): \(a.meanDoseGy) vs \(b.meanDoseGy) Gy per decay, σ = \(combined)")
        }
    }
}

/// Reads the raw uint16 little-endian Interfile data of the patient15 phantom (layout stated in its README),
/// independently of RPTImageIO so that this test depends on the transport module only.
enum InterfileForTests {
    static func readUInt16(_ path: String) throws -> [UInt16] {
        let d = try Data(contentsOf: URL(fileURLWithPath: path))
        return d.withUnsafeBytes { raw in (0..<(d.count / 2)).map { UInt16(littleEndian: raw.load(fromByteOffset: 2 * $0, as: UInt16.self)) } }
    }
}
