import Foundation
import XCTest
@testable import RPTTransport
import RPTPhysics
import RPTVolume
import RPTCore

/// Scoring regions that overlap: groups of labels (`name,labels` with `1;2`) and several label maps.
final class OverlappingRegionsTests: XCTestCase {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "rpt-regions-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// 4 × 1 × 1 voxels with labels 1, 2, 2, 3.
    let grid = Grid3D(shape: SIMD3(4, 1, 1), spacing: SIMD3(2, 2, 2))
    var kidneyMap: Volume<Double> { Volume(grid: grid, voxels: [1, 2, 2, 3]) }

    func testDefinitionFilesBothForms() throws {
        let groups = try RegionDefinitions.load(try write("name,labels\nkidney,1;2\nkidney_cortex,2\n\"lesion, hot\",3\n"))
        XCTAssertEqual(groups.regions, [.init(name: "kidney", labels: [1, 2]), .init(name: "kidney_cortex", labels: [2]),
                                        .init(name: "lesion, hot", labels: [3])])
        // The `--region-names` case of issue 20: a name with a comma, in quotes; labels sharing a name form one region.
        let names = try RegionDefinitions.load(try write("label,name\n1,\"kidney, left\"\n2,\"kidney, left\"\n3,liver\n"))
        XCTAssertEqual(names.regions, [.init(name: "kidney, left", labels: [1, 2]), .init(name: "liver", labels: [3])])
        XCTAssertEqual(try RegionDefinitions.load(try write("4,spleen\n")).regions, [.init(name: "spleen", labels: [4])])
        for (text, mentions) in [("name,labels\nkidney,1;x\n", ":2:8"), ("name,labels\nkidney,1;1\n", "listed twice"),
                                 ("name,labels\nk,1\nk,2\n", "region listed twice"), ("label,name\n1,a\n1,b\n", "listed twice"),
                                 ("label,name\n1,kidney, left\n", "quotes"), ("label,name\n0,body\n", "1 to 65535")] {
            let path = try write(text)
            XCTAssertThrowsError(try RegionDefinitions.load(path)) { e in
                XCTAssertTrue("\(e)".contains(path) && "\(e)".contains(mentions), "\(e) should mention \(mentions)")
            }
        }
    }

    func testRegionSetsFromGroupsAndSeveralMaps() throws {
        // Single map without names: one region per label, as before.
        let plain = try ScoringRegionSet(labelMaps: [("k.nii", kidneyMap)], definitions: [], grid: grid).regions
        XCTAssertEqual(plain.map(\.name), ["label_1", "label_2", "label_3"])
        XCTAssertEqual(plain.map(\.voxels), [[0], [1, 2], [3]])
        // Groups: kidney = 1;2 and its cortex = 2 overlap; label 3 is not mentioned and keeps its default region.
        let defs = RegionDefinitions(regions: [.init(name: "kidney", labels: [1, 2]), .init(name: "cortex", labels: [2])])
        let grouped = try ScoringRegionSet(labelMaps: [("k.nii", kidneyMap)], definitions: [("names.csv", defs)], grid: grid).regions
        XCTAssertEqual(grouped.map(\.name), ["kidney", "cortex", "label_3"])
        XCTAssertEqual(grouped.map(\.voxels), [[0, 1, 2], [1, 2], [3]])
        XCTAssertEqual(ScoringRegionSet.firstOverlap(grouped)?.0, "kidney")
        XCTAssertNil(ScoringRegionSet.firstOverlap(plain))
        // Two maps: the second (a sub-organ map) overlaps the first; its default names carry the map number.
        let sub = Volume<Double>(grid: grid, voxels: [0, 0, 7, 7])
        let two = try ScoringRegionSet(labelMaps: [("k.nii", kidneyMap), ("sub.nii", sub)], definitions: [], grid: grid).regions
        XCTAssertEqual(two.map(\.name), ["label_1", "label_2", "label_3", "map2_label_7"])
        XCTAssertEqual(two.last!.voxels, [2, 3])
        // Errors: a name used in two maps, more name files than maps, a fractional label.
        let clash = RegionDefinitions(regions: [.init(name: "label_1", labels: [7])])
        XCTAssertThrowsError(try ScoringRegionSet(labelMaps: [("k.nii", kidneyMap), ("sub.nii", sub)],
                                                  definitions: [("a.csv", RegionDefinitions(regions: [])), ("b.csv", clash)], grid: grid)) {
            XCTAssertTrue("\($0)".contains("unique"), "\($0)")
        }
        XCTAssertThrowsError(try ScoringRegionSet(labelMaps: [("k.nii", kidneyMap)],
                                                  definitions: [("a.csv", defs), ("b.csv", defs)], grid: grid)) {
            XCTAssertTrue("\($0)".contains("at most one per map"), "\($0)")
        }
        XCTAssertThrowsError(try ScoringRegionSet(labelMaps: [("bad.nii", Volume(grid: grid, voxels: [1, 2.5, 0, 0]))],
                                                  definitions: [], grid: grid)) { XCTAssertTrue("\($0)".contains("bad.nii")) }
    }

    /// A voxel in two regions counts in both: every region's tallied energy equals the sum of its voxels' energies
    /// (exactly: the same integer quanta), with the regions overlapping on the middle voxels, and its uncertainty
    /// comes from its own history-by-history sums.
    func testVoxelInTwoRegionsCountsInBoth() throws {
        let world = try cubeWorld(MaterialLibrary.softTissue, n: 6, voxelMM: 2)
        let n = world.grid.voxelCount
        let all = ScoredRegion(name: "all", voxels: Array(0..<n))
        let left = ScoredRegion(name: "left", voxels: (0..<n).filter { world.grid.voxelIndex($0).x < 4 })
        let right = ScoredRegion(name: "right", voxels: (0..<n).filter { world.grid.voxelIndex($0).x >= 2 })
        let centre = ScoredRegion(name: "centre", voxels: (0..<n).filter { let i = world.grid.voxelIndex($0); return i.x == 2 && i.y == 2 })
        let regions = [all, left, right, centre]
        let sim = try PreparedSimulation(world: world, source: .box(lower: SIMD3(0.3, 0.3, 0.3), upper: SIMD3(0.9, 0.9, 0.9)),
                                         emitter: .monoenergetic(.electron, energyMeV: 0.3), settings: TransportSettings(),
                                         regions: regions, seed: 3)
        XCTAssertEqual(sim.overlappingVoxelCount, n, "every voxel is in 'all' and in 'left' or 'right'")
        let result = sim.result(try sim.run(control: RunControl(decays: 3000, threads: 2)))
        let mass = world.voxelMassG
        for (r, region) in regions.enumerated() {
            let energy = region.voxels.reduce(0.0) { $0 + result.energyPerDecayMeV[$1] }
            let m = region.voxels.reduce(0.0) { $0 + mass[$1] }
            let dose = energy * DoseResult.joulePerMeV / (m * 1e-3)  // MeV per decay / g → Gy per decay
            XCTAssertEqual(result.regions[r].meanDoseGy, dose, accuracy: 1e-9 * dose, region.name)
            XCTAssertEqual(result.regions[r].massG, m, accuracy: 1e-9 * m, region.name)
            XCTAssertGreaterThan(result.regions[r].meanDoseGy, 0, region.name)
            XCTAssertTrue(result.regions[r].relativeUncertainty.isFinite, region.name)
        }
        // The overlap really is counted twice: left + right energy exceeds all by the energy of the shared slab.
        let e = { (r: ScoredRegion) in r.voxels.reduce(0.0) { $0 + result.energyPerDecayMeV[$1] } }
        let shared = (0..<n).filter { (2...3).contains(world.grid.voxelIndex($0).x) }.reduce(0.0) { $0 + result.energyPerDecayMeV[$1] }
        XCTAssertGreaterThan(shared, 0)
        XCTAssertEqual(e(left) + e(right), e(all) + shared, accuracy: 1e-9 * e(all))
    }
}
