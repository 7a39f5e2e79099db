import Foundation
import XCTest
import RPTCore
import RPTPhysics
import RPTStore
import RPTTransport
import RPTVolume
import RPTWorkflow

/// The output stage writes every result volume slab by slab from the tally sums, and the prepared simulation keeps
/// the world only as 2-byte medium indices (issue 18): the files must hold exactly what the full-grid arrays of
/// `DoseResult` and the world hold.
final class SlabOutputTests: XCTestCase {
    var dir: String!
    override func setUp() {
        dir = NSTemporaryDirectory() + "rpt-slabs-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Hyperslab writes (a last slab shorter than the others, several slabs per volume) give the same data as one
    /// whole write.
    func testSlabWritesEqualWholeWrites() throws {
        let path = dir + "/slabs.h5"
        let shape = [7, 5, 4]
        let values = (0..<140).map { Double($0) * 0.37 - 11 }
        // A volume whose chunks hold 2 z slices, written in 2 slabs (16 + 4 slices).
        let grid = Grid3D(shape: SIMD3(256, 256, 20), spacing: SIMD3(1, 1, 2))
        let voxels = (0..<grid.voxelCount).map { Double(($0 &* 2_654_435_761) % 1000) / 7 }
        try H5File.write(to: path) { f in
            try f.writeDataset(values, shape: shape, at: "/whole")
            try f.writeDatasetInSlabs(shape: shape, at: "/slabs", options: .compressed(chunkShape: [2, 5, 4]), slabRows: 3) {
                (rows: Range<Int>, out: UnsafeMutableBufferPointer<Double>) in
                for (k, n) in (rows.lowerBound * 20..<rows.upperBound * 20).enumerated() { out[k] = values[n] }
            }
            try f.writeVolume(AnyVolume(Volume<Double>(grid: grid, voxels: voxels, unit: "Gy")), at: "whole")
            try f.writeVolumeInSlabs(grid: grid, unit: "Gy", at: "slabs") { (slices: Range<Int>, out: UnsafeMutableBufferPointer<Double>) in
                let plane = grid.shape.x * grid.shape.y
                for (k, n) in (slices.lowerBound * plane..<slices.upperBound * plane).enumerated() { out[k] = voxels[n] }
            }
        }
        try H5File.read(path) { f in
            XCTAssertEqual(try f.readDataset(at: "/slabs", as: Double.self).values, values)
            XCTAssertEqual(try f.readDataset(at: "/slabs", as: Double.self).shape, shape)
            let a = try f.readVolume(at: "whole"), b = try f.readVolume(at: "slabs")
            guard case .float64(let va) = a, case .float64(let vb) = b else { return XCTFail("expected float64 volumes") }
            XCTAssertEqual(vb.voxels, voxels)
            XCTAssertEqual(va.voxels, vb.voxels)
            XCTAssertEqual(vb.grid, grid)
            XCTAssertEqual(vb.unit, "Gy")
        }
    }

    /// Moving the final sums out of the shared tally (releasing its pages as it copies) gives the same sums as the
    /// copy, over several slabs and pages.
    func testTakeSumsEqualsSums() throws {
        let n = 600_001
        var sums = TallySums(voxelCount: n)
        for v in stride(from: 0, to: n, by: 7) { sums.sum[v] = UInt64(v) &* 2_654_435_761; sums.sumSquares[v] = UInt64(v) + 3 }
        sums.sum[n - 1] = 42; sums.sumSquares[n - 1] = 43
        let tally = SharedTally(slotCount: n)
        try tally.add(sums)
        let copied = try tally.sums(histories: 9)
        let taken = try tally.takeSums(histories: 9)
        XCTAssertEqual(copied.sum, sums.sum)
        XCTAssertEqual(taken, copied)
    }

    /// A world of two materials and many densities, with and without more distinct (material, density) pairs than
    /// the 16-bit medium table holds: masses and the rebuilt world equal the original world bit for bit.
    func testPreparedSimulationKeepsTheWorldExactly() throws {
        for overflow in [false, true] {
            let grid = overflow ? Grid3D(shape: SIMD3(70, 100, 10), spacing: SIMD3(1, 1, 1))
                                : Grid3D(shape: SIMD3(12, 10, 8), spacing: SIMD3(2, 2, 3))
            let n = grid.voxelCount
            let material = (0..<n).map { UInt8($0 % 3 == 0 ? 1 : 0) }
            let density = (0..<n).map { Float(1 + Double(overflow ? $0 : $0 % 50) * 1e-5) }
            let world = try VoxelWorld(grid: grid, materials: [MaterialLibrary.softTissue, MaterialLibrary.lung],
                                       materialIndex: material, density: density)
            let sim = try PreparedSimulation(world: world, source: .point(SIMD3(1, 1, 1)),
                                             emitter: .monoenergetic(.photon, energyMeV: 0.2), settings: TransportSettings(),
                                             regions: [ScoredRegion(name: "r", voxels: [0, 5, 17])], seed: 1)
            XCTAssertEqual(sim.mediumTable.overflowVoxels > 0, overflow)
            XCTAssertEqual(sim.masses.voxelG.map(\.bitPattern), world.voxelMassG.map(\.bitPattern))
            XCTAssertEqual(sim.masses.regionG, [world.voxelMassG[0] + world.voxelMassG[5] + world.voxelMassG[17]])
            let rebuilt = sim.world
            XCTAssertEqual(rebuilt.materialIndex, world.materialIndex)
            XCTAssertEqual(rebuilt.density.map(\.bitPattern), world.density.map(\.bitPattern))
        }
    }

    /// `simulate`'s file (written slab by slab, with dose to water and a scored region) holds exactly the arrays
    /// of `DoseResult` from the same state, and the masses of the world.
    func testSimulationFileEqualsDoseResult() throws {
        let grid = Grid3D(shape: SIMD3(10, 9, 8), spacing: SIMD3(4, 4, 5))
        let n = grid.voxelCount
        let material = (0..<n).map { UInt8(grid.voxelIndex($0).x >= 7 ? 1 : 0) }
        let density = (0..<n).map { Float(material[$0] == 1 ? 1.85 : 1.0 + Double($0 % 9) * 0.01) }
        let world = try VoxelWorld(grid: grid, materials: [MaterialLibrary.softTissue, MaterialLibrary.corticalBone],
                                   materialIndex: material, density: density)
        var weights = [Double](repeating: 0, count: n)
        for v in 0..<n where grid.voxelIndex(v).x < 4 { weights[v] = 1e6 }
        let nuclide = Nuclide.lutetium177
        let sim = try PreparedSimulation(world: world, source: .voxelMap(weights: weights),
                                         emitter: .nuclide(EmissionSampler(nuclide: nuclide, includeAnnihilationPhotons: false)),
                                         settings: TransportSettings(), regions: [ScoredRegion(name: "bone", voxels: (0..<n).filter { material[$0] == 1 })],
                                         decaysRepresented: weights.reduce(0, +), seed: 4)
        let out = dir + "/dose.h5"
        var runner = SimulationRunner(simulation: sim, control: RunControl(decays: 3000, threads: 2), out: out,
                                      nuclide: nuclide.name, environment: RunEnvironment(quiet: true))
        let factors = try DoseToWater.factors(materials: world.materials, referenceEnergyMeV: nuclide.betaMeanEnergyMeV)
        runner.doseToWaterFactors = factors
        let state = try runner.run()
        let result = DoseResult(state: state, world: world, decaysRepresented: sim.decaysRepresented,
                                regionNames: ["bone"], regionMassG: sim.masses.regionG)
        XCTAssertGreaterThan(result.doseGy.filter { $0 > 0 }.count, n / 3)
        func volume(_ name: String) throws -> [Double] { try VolumeFiles.readDouble(out, volume: name).voxels }
        XCTAssertEqual(try volume("dose").map(\.bitPattern), result.doseGy.map(\.bitPattern))
        XCTAssertEqual(try volume("energy_per_decay").map(\.bitPattern), result.energyPerDecayMeV.map(\.bitPattern))
        XCTAssertEqual(try volume("dose_rel_uncertainty").map { Float($0).bitPattern },
                       result.relativeUncertainty.map { Float($0).bitPattern })
        let factor = (0..<n).map { factors[Int(material[$0])] }
        XCTAssertEqual(try volume("dose_to_water_factor"), factor)
        XCTAssertEqual(try volume("dose_to_water").map(\.bitPattern),
                       SimulationRunner.doseToWater(result.doseGy, factor).map(\.bitPattern))
        let part = try SimulationFile.readPart(out)
        XCTAssertEqual(part.voxelMassG.map(\.bitPattern), world.voxelMassG.map(\.bitPattern))
        XCTAssertEqual(sim.regionDoses(state), result.regions)
        let table = try H5File.read(out) { try $0.readTable(at: MCRegionsTable.path) }
        guard case .double(let mean)? = table.columns.first(where: { $0.name == "mean_dose_gy" })?.data else {
            return XCTFail("no mean_dose_gy column")
        }
        XCTAssertEqual(mean, result.regions.map(\.meanDoseGy))
    }
}
