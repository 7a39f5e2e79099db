import Foundation
import RPTTestSupport
import XCTest
import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTStore
import RPTVolume

/// `rptdose simulate` with overlapping scoring regions: a group of labels (`name,labels`) and a second label map.
final class SimulateOverlappingRegionsTests: DoseMethodTestCase {
    /// 6 × 6 × 6 soft-tissue voxels of 4 mm; map 1: label 1 (x < 2, "medulla"), label 2 (x = 2, 3, "cortex"), rest 0;
    /// map 2: label 5 on z < 3. Activity everywhere.
    func phantom() throws -> (args: [String], grid: Grid3D) {
        let grid = Grid3D(shape: SIMD3(6, 6, 6), spacing: SIMD3(4, 4, 4))
        var map1 = [UInt16](repeating: 0, count: grid.voxelCount), map2 = map1
        for n in 0..<grid.voxelCount {
            let i = grid.voxelIndex(n)
            map1[n] = i.x < 2 ? 1 : i.x < 4 ? 2 : 0
            map2[n] = i.z < 3 ? 5 : 0
        }
        let geometry = try write(Volume<UInt16>(grid: grid, repeating: 1), "geometry.h5")
        let table = try writeText("label,material,density_g_cm3\n1,soft_tissue,\n", "materials.csv")
        let activity = try write(Volume<Double>(grid: grid, repeating: 1e6, unit: "Bq s"), "tia.h5")
        let r1 = try write(Volume<UInt16>(grid: grid, voxels: map1), "kidney.h5")
        let r2 = try write(Volume<UInt16>(grid: grid, voxels: map2), "lower.h5")
        let names = try writeText("name,labels\n\"kidney, left\",1;2\nkidney_cortex,2\n", "groups.csv")
        return (["simulate", "--labels", geometry, "--material-table", table, "--activity", activity,
                 "--regions", r1, "--region-names", names, "--regions", r2, "--quiet", "--threads", "2", "--seed", "4"], grid)
    }

    /// Every region is scored; the kidney (labels 1;2) holds its cortex (label 2), so its energy is the sum of the
    /// medulla's and the cortex's: D_kidney·m_kidney = D_medulla·m_medulla + D_cortex·m_cortex to rounding (uniform
    /// density: masses ∝ voxel counts 144 = 72 + 72), with label 1 scored through the group only.
    func testVoxelInTwoRegionsCountsInBoth() throws {
        let (args, _) = try phantom()
        try rptdose(args + ["--decays", "3000", "--out", dir + "/mc.h5"])
        let t = try regionTable(dir + "/mc.h5")
        XCTAssertEqual(Set(t.keys), ["kidney, left", "kidney_cortex", "map2_label_5"])
        // Medulla alone, from a run scoring it separately with the same seed (identical histories).
        let plain = ["simulate"] + Array(args.dropFirst()).filter { !$0.hasSuffix("groups.csv") && $0 != "--region-names" }
        try rptdose(plain + ["--decays", "3000", "--out", dir + "/plain.h5"])
        let p = try regionTable(dir + "/plain.h5")
        XCTAssertEqual(Set(p.keys), ["label_1", "label_2", "map2_label_5"])
        XCTAssertEqual(t["kidney_cortex"]!.dose, p["label_2"]!.dose, accuracy: 1e-12 * p["label_2"]!.dose)
        XCTAssertEqual(t["kidney, left"]!.dose * 144, p["label_1"]!.dose * 72 + p["label_2"]!.dose * 72,
                       accuracy: 1e-9 * t["kidney, left"]!.dose * 144)
        XCTAssertEqual(t["map2_label_5"]!.dose, p["map2_label_5"]!.dose, accuracy: 1e-12 * p["map2_label_5"]!.dose)
    }

    /// organ-s needs disjoint source regions: overlapping ones are refused, naming both.
    func testOrganSRefusesOverlappingRegions() throws {
        let (args, _) = try phantom()
        XCTAssertThrowsError(try rptdose(args + ["--decays", "100", "--method", "organ-s", "--out", dir + "/s.h5"])) { e in
            XCTAssertTrue("\(e)".contains("must not overlap") && "\(e)".contains("kidney_cortex"), "\(e)")
        }
    }

    /// A two-layer 3D Slicer segmentation (written by pynrrd) as `--regions`: its layers are overlapping maps and its
    /// segment names name the regions, with no names file; the doses equal those of the same regions given as a
    /// label map plus a `name,labels` file (same seed, same histories).
    func testTwoLayerSlicerSegmentationGivesOverlappingNamedRegions() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [ExternalProcess.pythonInterpreter, "-c", "import nrrd, numpy"]
        check.standardError = Pipe()
        try check.run(); check.waitUntilExit()
        if check.terminationStatus != 0 {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("pynrrd missing (pip install pynrrd)") }
            throw XCTSkip("pynrrd missing (pip install pynrrd)")
        }
        let (args, _) = try phantom()
        let script = """
            import sys, nrrd, numpy as np
            seg = np.zeros((2, 6, 6, 6), dtype=np.uint8)
            seg[0, 0:4, :, :] = 1   # kidney: labels 1 and 2 of the label map (x < 4)
            seg[1, 2:4, :, :] = 1   # cortex: label 2 (x = 2, 3)
            h = {"space": "left-posterior-superior", "space directions": np.array([[np.nan] * 3, [4.0, 0, 0], [0, 4.0, 0], [0, 0, 4.0]]),
                 "space origin": np.zeros(3), "kinds": ["list", "domain", "domain", "domain"], "encoding": "gzip",
                 "Segment0_ID": "a", "Segment0_Name": "kidney, left", "Segment0_LabelValue": "1", "Segment0_Layer": "0",
                 "Segment1_ID": "b", "Segment1_Name": "kidney_cortex", "Segment1_LabelValue": "1", "Segment1_Layer": "1"}
            nrrd.write(sys.argv[1], seg, h)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [ExternalProcess.pythonInterpreter, "-c", script, dir + "/kidney.seg.nrrd"]
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        // The label-map + groups run of `phantom()`, without the second map.
        var grouped = args
        let i = grouped.lastIndex(of: "--regions")!
        grouped.removeSubrange(i...(i + 1))
        try rptdose(grouped + ["--decays", "2000", "--out", dir + "/grouped.h5"])
        var seg = grouped
        let r = seg.firstIndex(of: "--regions")!
        seg.replaceSubrange(r...(r + 3), with: ["--regions", dir + "/kidney.seg.nrrd"])
        try rptdose(seg + ["--decays", "2000", "--out", dir + "/seg.h5"])
        let a = try regionTable(dir + "/grouped.h5"), b = try regionTable(dir + "/seg.h5")
        XCTAssertEqual(Set(b.keys), ["kidney, left", "kidney_cortex"])
        for name in b.keys { XCTAssertEqual(b[name]!.dose, a[name]!.dose, accuracy: 1e-12 * a[name]!.dose, name) }
    }
}
