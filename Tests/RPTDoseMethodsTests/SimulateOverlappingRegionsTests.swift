import Foundation
import XCTest
@testable import RPTCommandLine
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
}
