import XCTest
@testable import RPTTransport
import RPTPhysics

/// The transport reads each voxel's material and density through `VoxelMediumTable`; these must be the
/// world's own values for every voxel, also when the world has more distinct pairs than the 16-bit
/// index can name (the overflow voxels are then read from the full arrays).
final class VoxelMediumTableTests: XCTestCase {
    func testEveryVoxelReadsItsOwnMaterialAndDensity() {
        for distinct in [3, 70_000] {
            let count = 80_000
            var materials = [UInt8](repeating: 0, count: count), densities = [Float](repeating: 0, count: count)
            for n in 0..<count {
                materials[n] = UInt8(n % 3)
                // `distinct` different densities, repeated; 0.5 … 2.5 g/cm³.
                densities[n] = 0.5 + 2 * Float(n % distinct) / Float(distinct)
            }
            let indices = UnsafeMutablePointer<UInt16>.allocate(capacity: count)
            defer { indices.deallocate() }
            let table = VoxelMediumTable(materialIndex: materials, density: densities, indices: indices)
            let pairs = Set((0..<count).map { "\(materials[$0]) \(densities[$0].bitPattern)" }).count
            XCTAssertEqual(table.media.count, min(pairs, 65_535))
            // Independent count: voxels whose pair is not among the first 65 535 distinct pairs met.
            var firstPairs = Set<String>(), expectedOverflow = 0
            for n in 0..<count {
                let key = "\(materials[n]) \(densities[n].bitPattern)"
                if firstPairs.contains(key) { continue }
                if firstPairs.count < 65_535 { firstPairs.insert(key) } else { expectedOverflow += 1 }
            }
            XCTAssertEqual(table.overflowVoxels, expectedOverflow)
            if distinct > 65_535 { XCTAssertGreaterThan(table.overflowVoxels, 0) }
            table.media.withUnsafeBufferPointer { media in
                materials.withUnsafeBufferPointer { m in
                    densities.withUnsafeBufferPointer { d in
                        let geometry = VoxelGeometry(shape: SIMD3(count, 1, 1), sizeCm: SIMD3(1, 1, 1),
                                                     materialIndex: m.baseAddress!, density: d.baseAddress!,
                                                     mediumIndex: indices, media: media.baseAddress!)
                        for n in 0..<count {
                            let (material, density) = geometry.medium(n)
                            XCTAssertEqual(material, Int(materials[n]))
                            XCTAssertEqual(density, Double(densities[n]))
                        }
                    }
                }
            }
        }
    }
}

final class FingerprintRegionTests: XCTestCase {
    /// Regions with the same names but other voxels are another simulation: resuming or merging across them
    /// is refused through the fingerprint (review finding: only the names were hashed).
    func testRegionVoxelsEnterTheFingerprint() throws {
        let world = try cubeWorld(MaterialLibrary.water, n: 6, voxelMM: 2)
        func sim(_ voxels: [Int]) throws -> PreparedSimulation {
            try PreparedSimulation(world: world, source: .point(SIMD3(repeating: 0.6)),
                                   emitter: .monoenergetic(.photon, energyMeV: 0.2), settings: TransportSettings(),
                                   regions: [ScoredRegion(name: "kidney", voxels: voxels)], seed: 1)
        }
        XCTAssertEqual(try sim([1, 2, 3]).fingerprint.value, try sim([1, 2, 3]).fingerprint.value)
        XCTAssertNotEqual(try sim([1, 2, 3]).fingerprint.value, try sim([1, 2, 4]).fingerprint.value)
    }
}
