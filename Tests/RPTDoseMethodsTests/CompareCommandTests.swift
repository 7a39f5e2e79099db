import Foundation
import XCTest
import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTStore
import RPTVolume

/// `rptdose compare` on synthetic dose files with known differences.
final class CompareCommandTests: DoseMethodTestCase {
    let grid = Grid3D(shape: SIMD3(16, 14, 12), spacing: SIMD3(2, 2, 2.5))
    /// Plateau block of 10 Gy: i in 4...11 (8 voxels), j in 3...10, k in 3...8; 0 elsewhere.
    func inBlock(_ i: Int, _ j: Int, _ k: Int) -> Bool { (4...11).contains(i) && (3...10).contains(j) && (3...8).contains(k) }

    func doseFile(_ name: String, grid g: Grid3D? = nil, withRegions: Bool = false,
                  _ f: (Int, Int, Int) -> Double) throws -> String {
        let g = g ?? grid
        var v = [Double](repeating: 0, count: g.voxelCount), r = [UInt16](repeating: 0, count: g.voxelCount)
        for k in 0..<g.shape.z { for j in 0..<g.shape.y { for i in 0..<g.shape.x {
            v[g.linearIndex(i, j, k)] = f(i, j, k)
            r[g.linearIndex(i, j, k)] = inBlock(i, j, k) ? 1 : (i < 4 ? 2 : 0)
        }}}
        let path = dir + "/" + name
        try H5File.write(to: path) { h in
            try h.writeVolume(AnyVolume(Volume(grid: g, voxels: v, unit: "Gy")), at: "dose")
            if withRegions {  // as a dosimetry.h5: regions volume + region_labels table
                try h.writeVolume(AnyVolume(Volume(grid: g, voxels: r, unit: "label")), at: "regions")
                try h.writeTable(Table(columns: [.init("value", .int([1, 2])), .init("region", .string(["block", "left"]))]),
                                 at: "region_labels")
            }
        }
        return path
    }

    func table(_ path: String, _ name: String) throws -> Table { try H5File.read(path) { try $0.readTable(at: name) } }
    func doubles(_ t: Table, _ c: String) -> [Double] { if case .double(let v)? = t[c]?.data { return v }; return [] }
    func attr(_ path: String, _ name: String) throws -> Double {
        try H5File.read(path) { try $0.attribute(name, at: "/comparison").asDouble ?? .nan }
    }

    /// B = 1.05 A: region difference +5 % exactly, D2/D50/D98 scale by 1.05, difference map = 0.05·A; gamma at
    /// 6 %/1 mm passes everywhere (|B − A| ≤ 5 % of max < 6 %), at 3 %/1 mm every plateau voxel fails
    /// (within the search radius of 3 mm B is 10.5 or interpolated towards 0 at the edge, never within 3 % of 10).
    func testScalingGivesKnownRegionDifferenceAndGamma() throws {
        let a = try doseFile("a.h5", withRegions: true) { self.inBlock($0, $1, $2) ? 10 : 0 }
        let b = try doseFile("b.h5") { self.inBlock($0, $1, $2) ? 10.5 : 0 }
        let pass = dir + "/pass.h5", fail = dir + "/fail.h5"
        try rptdose(["compare", a, b, "--gamma", "6,1", "--out", pass])
        try rptdose(["compare", a, b, "--gamma", "3,1", "--out", fail])
        let rc = try table(pass, "region_comparison")
        XCTAssertEqual(doubles(rc, "difference_percent")[0], 5, accuracy: 1e-9)
        XCTAssertEqual(doubles(rc, "mean_a_gy")[0], 10, accuracy: 1e-12)
        XCTAssertTrue(doubles(rc, "difference_percent")[1].isNaN, "region 'left' has zero reference dose")
        let m = try table(pass, "dvh_metrics")
        for c in ["d2", "d50", "d98"] {
            XCTAssertEqual(doubles(m, c + "_b_gy")[0], 1.05 * doubles(m, c + "_a_gy")[0], accuracy: 1e-12, c)
        }
        XCTAssertEqual(try attr(pass, "gamma_pass_rate"), 1)
        XCTAssertEqual(try attr(pass, "gamma_evaluated_voxels"), 8 * 8 * 6)
        XCTAssertEqual(try attr(fail, "gamma_pass_rate"), 0)
        let diff = try VolumeFiles.readDouble(pass, volume: "difference_gy")
        let pct = try VolumeFiles.readDouble(pass, volume: "difference_percent_of_max")
        for k in 0..<grid.shape.z { for j in 0..<grid.shape.y { for i in 0..<grid.shape.x {
            XCTAssertEqual(diff[i, j, k], inBlock(i, j, k) ? 0.5 : 0, accuracy: 1e-12)
            XCTAssertEqual(pct[i, j, k], inBlock(i, j, k) ? 5 : 0, accuracy: 1e-9)
        }}}
        let dvh = try table(pass, "dvh")
        XCTAssertEqual(dvh.columnNames, ["dose_gy", "block A", "block B", "left A", "left B"])
    }

    /// B = A shifted by one voxel (2 mm) along +x: the block's mean in B is 7/8 of A's (−12.5 %); gamma 3 %/3 mm
    /// passes everywhere (a 10 Gy voxel of B lies 2 mm away), 3 %/1 mm fails exactly the face layer i = 4 that
    /// lost its dose (1 of 8 layers), with regions given by --labels/--label-names.
    func testOneVoxelShiftGivesKnownRegionDifferenceAndGammaFailures() throws {
        let a = try doseFile("a.h5") { self.inBlock($0, $1, $2) ? 10 : 0 }
        let b = try doseFile("b.h5") { self.inBlock($0 - 1, $1, $2) ? 10 : 0 }
        var l = [UInt16](repeating: 0, count: grid.voxelCount)
        for k in 0..<grid.shape.z { for j in 0..<grid.shape.y { for i in 0..<grid.shape.x where inBlock(i, j, k) {
            l[grid.linearIndex(i, j, k)] = 7
        }}}
        let labels = try write(Volume<UInt16>(grid: grid, voxels: l), "labels.h5")
        let names = try writeText("label,name\n7,block\n", "names.csv")
        let wide = dir + "/wide.h5", narrow = dir + "/narrow.h5"
        try rptdose(["compare", a, b, "--labels", labels, "--label-names", names, "--out", wide])
        try rptdose(["compare", a, b, "--labels", labels, "--label-names", names, "--gamma", "3,1", "--out", narrow])
        let rc = try table(wide, "region_comparison")
        guard case .string(let regions)? = rc["region"]?.data else { return XCTFail("no region column") }
        XCTAssertEqual(regions, ["block"])
        XCTAssertEqual(doubles(rc, "difference_percent")[0], -12.5, accuracy: 1e-9)
        XCTAssertEqual(try attr(wide, "gamma_pass_rate"), 1)
        XCTAssertEqual(try attr(narrow, "gamma_pass_rate"), 7.0 / 8.0, accuracy: 1e-12)
        let g = try VolumeFiles.readDouble(narrow, volume: "gamma")
        for k in 3...8 { for j in 3...10 {
            XCTAssertGreaterThan(g[4, j, k], 1)
            XCTAssertLessThanOrEqual(g[5, j, k], 1)
        }}
    }

    func testMismatchedGridsAreAnErrorUnlessResampled() throws {
        let a = try doseFile("a.h5") { self.inBlock($0, $1, $2) ? 10 : 0 }
        let other = Grid3D(shape: SIMD3(8, 7, 6), spacing: SIMD3(4, 4, 5))
        let b = try doseFile("b.h5", grid: other) { _, _, _ in 1 }
        XCTAssertThrowsError(try rptdose(["compare", a, b])) { e in
            let s = "\(e)"
            XCTAssertTrue(s.contains("b.h5") && s.contains("grid") && s.contains("--resample"), s)
        }
        let out = dir + "/r.h5"
        try rptdose(["compare", a, b, "--resample", "--out", out])
        XCTAssertEqual(try H5File.read(out) { try $0.attribute("resampled_b", at: "/comparison").asDouble }, 1)
        XCTAssertThrowsError(try rptdose(["compare", a, a, "--gamma", "3"])) { e in
            XCTAssertTrue("\(e)".contains("--gamma"), "\(e)")
        }
        // A cGy image against a Gy file would be a silent factor 100: refused, naming the file and units.
        let cGy = dir + "/c.nii"
        var v = try VolumeFiles.readDouble(a, volume: "dose")
        v.voxels = v.voxels.map { $0 * 100 }
        v.unit = "cGy"
        try VolumeFiles.write(AnyVolume(v), to: cGy)
        XCTAssertThrowsError(try rptdose(["compare", a, cGy])) { e in
            XCTAssertTrue("\(e)".contains("c.nii") && "\(e)".contains("cGy") && "\(e)".contains("Gy"), "\(e)")
        }
    }
}
