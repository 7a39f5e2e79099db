import Foundation
import XCTest
import RPTCore
import RPTStore
import RPTTransport
import RPTVolume
import RPTWorkflow

/// `simulate` with systematic source sampling through the workflow: decays rounded up to whole batches, shards cut
/// between batches and merged bitwise, the statistics recorded in the file (docs/formats).
final class SystematicSamplingWorkflowTests: XCTestCase {
    var dir: String!
    override func setUp() {
        dir = NSTemporaryDirectory() + "rpt-systematic-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testShardsMergeBitwiseAndStatisticsAreRecorded() throws {
        let grid = Grid3D(shape: SIMD3(10, 10, 8), spacing: SIMD3(4, 4, 5))
        let labels = [UInt16](repeating: 1, count: grid.voxelCount)
        var tia = [Double](repeating: 0, count: grid.voxelCount), regions = [UInt16](repeating: 0, count: grid.voxelCount)
        for k in 0..<8 { for j in 0..<10 { for i in 0..<10 {
            let n = grid.linearIndex(i, j, k)
            if (3..<6).contains(i) && (3..<6).contains(j) && (3..<5).contains(k) { tia[n] = Double(1 + i) * 1e9; regions[n] = 1 }
        }}}
        let labelPath = dir + "/labels.h5", tiaPath = dir + "/tia.h5", regionPath = dir + "/regions.h5"
        try VolumeFiles.write(AnyVolume(Volume<UInt16>(grid: grid, voxels: labels)), to: labelPath)
        try VolumeFiles.write(AnyVolume(Volume<Double>(grid: grid, voxels: tia, unit: "Bq s")), to: tiaPath)
        try VolumeFiles.write(AnyVolume(Volume<UInt16>(grid: grid, voxels: regions)), to: regionPath)
        let table = dir + "/materials.csv", names = dir + "/names.csv"
        try "label,material,density_g_cm3\n1,soft_tissue,\n".write(toFile: table, atomically: true, encoding: .utf8)
        try "label,name\n1,source\n".write(toFile: names, atomically: true, encoding: .utf8)
        func request(_ out: String, shard: String? = nil, threads: Int) -> SimulationRequest {
            // 7 700 decays: not whole batches of 256, rounded up to 31 batches = 7 936.
            var r = SimulationRequest(activity: tiaPath, out: dir + "/" + out, control: RunControl(decays: 7_700, threads: threads),
                                      seed: 11)
            r.labels = labelPath; r.materialTable = table; r.regions = [regionPath]; r.regionNames = [names]
            r.settings.sourceSampling = .systematic
            r.settings.sourceBatchDecays = 256
            r.shard = shard
            return r
        }
        let whole = try SimulationWorkflow.run(request("whole.h5", threads: 1), environment: RunEnvironment(quiet: true))
        XCTAssertEqual(whole.decaysDone, 31 * 256)
        var parts: [String] = []
        for i in 1...3 {
            let r = request("shard\(i).h5", shard: "\(i)/3", threads: 2)
            let outcome = try SimulationWorkflow.run(r, environment: RunEnvironment(quiet: true))
            XCTAssertEqual(outcome.decaysDone % 256, 0, "shard \(i) holds whole batches")
            parts.append(r.out)
        }
        let (merged, result) = try MergeWorkflow.merge(parts: parts, out: dir + "/merged.h5")
        let a = try SimulationFile.read(dir + "/whole.h5")
        XCTAssertEqual(merged.state.sums, a.state.sums, "3 shards merged vs one run")
        XCTAssertEqual(a.state.sums.statistics, .batches(size: 256))
        XCTAssertEqual(try SimulationFile.read(dir + "/merged.h5").state.sums.statistics, .batches(size: 256))
        // The merged uncertainties (batch statistics recomputed from the summed tallies) equal the single run's.
        let u = try VolumeFiles.read(dir + "/whole.h5", volume: "dose_rel_uncertainty").asDouble
        XCTAssertEqual(result.relativeUncertainty.map { Float($0) }, u.voxels.map { Float($0) })
        XCTAssertGreaterThan(u.voxels.max()!, 0)
        try H5File.read(dir + "/whole.h5") { f in
            XCTAssertEqual(try f.attribute("statistics", at: "/simulation/tallies").asString, "batch")
            XCTAssertEqual(try f.attributeIfPresent("statistics_batch_decays", at: "/simulation/tallies"), .uint(256))
            XCTAssertEqual(try f.doubleAttribute("square_quantum_mev2", at: "/simulation/tallies"), 0x1p-24)
        }
        XCTAssertEqual(a.record.settings["source_sampling"], "systematic")
        XCTAssertEqual(a.record.settings["statistics"], "batch")
        XCTAssertEqual(a.record.settings["statistics_batches"], "31")
    }
}
