import XCTest
import Foundation
import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTStore
import RPTTransport
import RPTVolume

/// Shards, merge and resume through the `rptdose` commands, in-process, on a small water box with a
/// hot cube: merged shards must equal one run of the same decays bit for bit (integer tallies).
final class ScaleOutTests: XCTestCase {
    var dir: String!
    static let decays: UInt64 = 1200

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "rpt-scaleout-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // 12 × 10 × 8 voxels of 4 mm: water (label 1) with a denser water slab (label 2); source in a 4³ cube.
        let grid = Grid3D(shape: SIMD3(12, 10, 8), spacing: SIMD3(4, 4, 4))
        var labels = [Double](repeating: 1, count: grid.voxelCount)
        var activity = [Double](repeating: 0, count: grid.voxelCount)
        var regions = [Double](repeating: 0, count: grid.voxelCount)
        for n in 0..<grid.voxelCount {
            let p = grid.voxelIndex(n)
            if p.z >= 6 { labels[n] = 2 }
            let hot = (4..<8).contains(p.x) && (3..<7).contains(p.y) && (2..<6).contains(p.z)
            if hot { activity[n] = 1e6 + Double(n); regions[n] = 1 } else if p.z >= 6 { regions[n] = 2 }
        }
        try VolumeFiles.write(AnyVolume(Volume<Double>(grid: grid, voxels: labels, unit: "label")), to: dir + "/labels.nii")
        try VolumeFiles.write(AnyVolume(Volume<Double>(grid: grid, voxels: activity, unit: "Bq·s")), to: dir + "/tia.nii")
        try VolumeFiles.write(AnyVolume(Volume<Double>(grid: grid, voxels: regions, unit: "label")), to: dir + "/regions.nii")
        try "label,material,density_g_cm3\n1,water,\n2,water,1.3\n".write(toFile: dir + "/materials.csv", atomically: true, encoding: .utf8)
        try "label,name\n1,hot\n2,slab\n".write(toFile: dir + "/names.csv", atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func path(_ name: String) -> String { dir + "/" + name }

    /// Runs `rptdose simulate` on the test case; `extra` adds options (e.g. --shard).
    func simulate(_ out: String, decays: UInt64 = decays, seed: Int = 7, threads: Int = 2, _ extra: [String] = []) throws {
        var args = ["simulate", "--labels", path("labels.nii"), "--material-table", path("materials.csv"),
                    "--activity", path("tia.nii"), "--regions", path("regions.nii"), "--region-names", path("names.csv"),
                    "--decays", "\(decays)", "--seed", "\(seed)", "--threads", "\(threads)", "--quiet", "--out", path(out)]
        args += extra
        var command = try RPTDoseCommand.parseAsRoot(args)
        try command.run()
    }

    func merge(_ parts: [String], out: String) throws {
        var command = try RPTDoseCommand.parseAsRoot(["merge"] + parts.map(path) + ["--out", path(out), "--quiet"])
        try command.run()
    }

    /// Everything a result file says about the dose: tallies, ledger, and the dose volumes as stored.
    struct Snapshot: Equatable {
        var sums: TallySums, ledger: EnergyLedger, dose: [Double], uncertainty: [Float], energy: [Double]
        var regionDose: [Double], regionUncertainty: [Double], partial: Int64, decays: UInt64, firstDecay: UInt64
    }

    func snapshot(_ name: String) throws -> Snapshot {
        let (state, record, _) = try SimulationFile.read(path(name))
        return try H5File.read(path(name)) { f in
            let table = try f.readTable(at: "mc_regions")
            func doubles(_ c: String) -> [Double] {
                guard case .double(let v)? = table.columns.first(where: { $0.name == c })?.data else { return [] }
                return v
            }
            return Snapshot(sums: state.sums, ledger: state.ledger,
                            dose: try f.readDataset(at: "/volumes/dose/data", as: Double.self).values,
                            uncertainty: try f.readDataset(at: "/volumes/dose_rel_uncertainty/data", as: Float.self).values,
                            energy: try f.readDataset(at: "/volumes/energy_per_decay/data", as: Double.self).values,
                            regionDose: doubles("mean_dose_gy"), regionUncertainty: doubles("mc_rel_uncertainty"),
                            partial: try f.intAttribute("partial", at: "/simulation"), decays: state.decaysDone,
                            firstDecay: record.firstDecay)
        }
    }

    func assertBitwiseEqual(_ a: Snapshot, _ b: Snapshot, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.sums, b.sums, "tallies", file: file, line: line)
        XCTAssertEqual(a.ledger, b.ledger, "energy ledger", file: file, line: line)
        XCTAssertEqual(a.dose.map(\.bitPattern), b.dose.map(\.bitPattern), "dose", file: file, line: line)
        XCTAssertEqual(a.uncertainty.map(\.bitPattern), b.uncertainty.map(\.bitPattern), "uncertainty", file: file, line: line)
        XCTAssertEqual(a.energy.map(\.bitPattern), b.energy.map(\.bitPattern), "energy per decay", file: file, line: line)
        XCTAssertEqual(a.regionDose.map(\.bitPattern), b.regionDose.map(\.bitPattern), "region dose", file: file, line: line)
        XCTAssertEqual(a.regionUncertainty.map(\.bitPattern), b.regionUncertainty.map(\.bitPattern), file: file, line: line)
        XCTAssertEqual(a.partial, b.partial, "partial flag", file: file, line: line)
        XCTAssertEqual(a.decays, b.decays, file: file, line: line)
        XCTAssertEqual(a.firstDecay, b.firstDecay, file: file, line: line)
    }

    func testTwoShardsMergedEqualOneRunBitwise() throws {
        try simulate("full.h5")
        try simulate("s1.h5", threads: 1, ["--shard", "1/2"])
        try simulate("s2.h5", threads: 2, ["--shard", "2/2"])
        try merge(["s2.h5", "s1.h5"], out: "merged.h5")   // order of the arguments does not matter
        let full = try snapshot("full.h5"), merged = try snapshot("merged.h5")
        XCTAssertEqual(full.decays, Self.decays)
        XCTAssertGreaterThan(full.sums.sum.filter { $0 != 0 }.count, 50, "the case deposits energy in many voxels")
        XCTAssertEqual(merged.partial, 0)
        assertBitwiseEqual(full, merged)
        // A shard alone is not the full run (the comparison above can fail).
        XCTAssertNotEqual(try snapshot("s1.h5").sums, full.sums)
        let shard = try SimulationFile.readPart(path("s2.h5"))
        XCTAssertEqual(shard.decayRange, 600..<1200)
        XCTAssertEqual(shard.record.totalDecays, Self.decays)
        XCTAssertEqual(shard.voxelMassG.count, 12 * 10 * 8)
    }

    /// Shards run with --dose-to-water merge into a file with the dose-to-water volume, bitwise that of one run
    /// (review finding: merge used to drop it).
    func testMergeKeepsDoseToWater() throws {
        try simulate("full.h5", ["--dose-to-water"])
        try simulate("w1.h5", ["--shard", "1/2", "--dose-to-water"])
        try simulate("w2.h5", ["--shard", "2/2", "--dose-to-water"])
        try merge(["w1.h5", "w2.h5"], out: "wm.h5")
        let full = try VolumeFiles.readDouble(path("full.h5"), volume: "dose_to_water").voxels
        let merged = try VolumeFiles.readDouble(path("wm.h5"), volume: "dose_to_water").voxels
        XCTAssertGreaterThan(full.filter { $0 > 0 }.count, 50)
        XCTAssertEqual(full.map(\.bitPattern), merged.map(\.bitPattern))
        // The phantom is water throughout, so the factor is 1 in every voxel (the merge multiplies by it as one run does).
        XCTAssertEqual(Set(try VolumeFiles.readDouble(path("wm.h5"), volume: "dose_to_water_factor").voxels), [1])
    }

    func testMergeRefusesDifferentFingerprints() throws {
        try simulate("s1.h5", ["--shard", "1/2"])
        try simulate("other.h5", seed: 8, ["--shard", "2/2"])
        XCTAssertThrowsError(try merge(["s1.h5", "other.h5"], out: "m.h5")) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("fingerprint") && m.contains("s1.h5") && m.contains("other.h5")
                          && m.contains("different simulations"), m)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.h5")))
    }

    func testMergeRefusesOverlapsAndGapsNamingFilesAndRanges() throws {
        try simulate("a.h5", ["--shard", "1/2"])            // [0, 600)
        try simulate("b.h5", ["--shard", "1/3"])            // [0, 400)
        try simulate("c.h5", ["--shard", "3/3"])            // [800, 1200)
        XCTAssertThrowsError(try merge(["a.h5", "b.h5"], out: "m.h5")) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("a.h5 [0, 600)") && m.contains("b.h5 [0, 400)") && m.contains("overlap on decays [0, 400)"), m)
        }
        XCTAssertThrowsError(try merge(["a.h5", "a.h5"], out: "m.h5")) { e in
            XCTAssertTrue("\(e)".contains("overlap on decays [0, 600)"), "\(e)")
        }
        XCTAssertThrowsError(try merge(["b.h5", "c.h5"], out: "m.h5")) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("b.h5 [0, 400)") && m.contains("c.h5 [800, 1200)")
                          && m.contains("decays [400, 800) are missing"), m)
        }
        XCTAssertThrowsError(try merge(["a.h5"], out: "a.h5")) { e in XCTAssertTrue("\(e)".contains("--out"), "\(e)") }
    }

    /// Merge shards 1/3 and 2/3 (a partial result), then extend it with 3/3, or resume it: both equal the full run.
    func testPartialMergeCanBeExtendedOrResumed() throws {
        try simulate("full.h5")
        for i in 1...3 { try simulate("s\(i).h5", ["--shard", "\(i)/3"]) }
        try merge(["s1.h5", "s2.h5"], out: "m12.h5")
        let m12 = try snapshot("m12.h5")
        XCTAssertEqual(m12.partial, 1)
        XCTAssertEqual(m12.decays, 800)
        XCTAssertEqual(try SimulationFile.readPart(path("m12.h5")).record.totalDecays, Self.decays)
        try merge(["m12.h5", "s3.h5"], out: "m123.h5")
        let full = try snapshot("full.h5")
        assertBitwiseEqual(full, try snapshot("m123.h5"))
        // Resume the partial merge as an unsharded run of all decays.
        try FileManager.default.copyItem(atPath: path("m12.h5"), toPath: path("resumed.h5"))
        try simulate("resumed.h5", threads: 1, ["--resume"])
        assertBitwiseEqual(full, try snapshot("resumed.h5"))
        // Resuming never shrinks a run: a file with more decays than --decays is refused, naming both.
        XCTAssertThrowsError(try simulate("resumed.h5", decays: Self.decays / 2, ["--resume"])) { e in
            XCTAssertTrue("\(e)".contains("resumed.h5") && "\(e)".contains("\(Self.decays)") && "\(e)".contains("--decays"), "\(e)")
        }
        // A merged tail [400, 1200) merges with the head shard too.
        try merge(["s3.h5", "s2.h5"], out: "m23.h5")
        XCTAssertEqual(try snapshot("m23.h5").partial, 1)
        try merge(["m23.h5", "s1.h5"], out: "all.h5")
        assertBitwiseEqual(full, try snapshot("all.h5"))
    }
}
