import Foundation
import XCTest
import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTStore
import RPTVolume

/// `rptdose simulate --labels … --material-table …` with media given by elemental composition.
final class SimulateMaterialTableTests: DoseMethodTestCase {
    static let corticalBoneICRU44 = "H:0.034;C:0.155;N:0.042;O:0.435;Na:0.001;Mg:0.002;P:0.103;S:0.003;Ca:0.225"
    /// A spongiosa-like medium with 3.2 % Ca (the ICRP-110 spongiosa level the issue quotes), for contrast.
    static let lowCalcium = "H:0.10;C:0.35;N:0.03;O:0.47;P:0.015;S:0.003;Ca:0.032"

    /// A 10 × 10 × 10 block of 4 mm voxels: soft tissue (label 1) with the activity in its first slice, and a bone-like
    /// slab (label 2) in its last six slices, from 1.2 cm away, reached by photons only (Lu-177 β ranges < 2 mm). Region names come from a CSV whose name
    /// holds a comma (the `--region-names` case of issue 20).
    func run(boneRow: String, out: String) throws -> [String: (dose: Double, rel: Double)] {
        let grid = Grid3D(shape: SIMD3(10, 10, 10), spacing: SIMD3(4, 4, 4))
        var labels = [UInt16](repeating: 1, count: grid.voxelCount), tia = [Double](repeating: 0, count: grid.voxelCount)
        for j in 0..<10 { for i in 0..<10 {
            tia[grid.linearIndex(i, j, 0)] = 1e6
            for k in 4..<10 { labels[grid.linearIndex(i, j, k)] = 2 }
        }}
        let geometry = try write(Volume<UInt16>(grid: grid, voxels: labels), "labels.h5")
        let table = try writeText("label,name,material,composition,density_g_cm3\n1,,soft_tissue,,\n" + boneRow + "\n", "materials.csv")
        let activity = try write(Volume<Double>(grid: grid, voxels: tia, unit: "Bq s"), "tia.h5")
        let names = try writeText("label,name\n1,\"tissue, source\"\n2,\"bone, target\"\n", "names.csv")
        try rptdose(["simulate", "--labels", geometry, "--material-table", table, "--activity", activity,
                     "--regions", geometry, "--region-names", names, "--quiet", "--threads", "2",
                     "--decays", "40000", "--seed", "7", "--out", dir + "/" + out])
        return try regionTable(dir + "/" + out)
    }

    /// A composition equal to the built-in ICRU-44 cortical bone gives the built-in's doses to rounding (same random
    /// streams, same physics tables); a bone-like medium with less calcium at the same density gives a lower photon
    /// cross-dose to the slab, beyond its Monte Carlo uncertainty.
    func testCompositionRunsThroughSimulateAndChangesTheCrossDose() throws {
        let builtIn = try run(boneRow: "2,,cortical_bone,,1.92", out: "builtin.h5")
        let byFractions = try run(boneRow: "2,bone_icru44,,\"\(Self.corticalBoneICRU44)\",1.92", out: "fractions.h5")
        let lowCa = try run(boneRow: "2,low_calcium,,\(Self.lowCalcium),1.92", out: "lowca.h5")
        XCTAssertEqual(Set(builtIn.keys), ["tissue, source", "bone, target"], "names with commas are read whole")
        for name in builtIn.keys {
            XCTAssertEqual(byFractions[name]!.dose, builtIn[name]!.dose, accuracy: 1e-9 * builtIn[name]!.dose, name)
        }
        let a = builtIn["bone, target"]!, b = lowCa["bone, target"]!
        let sigma = (pow(a.dose * a.rel, 2) + pow(b.dose * b.rel, 2)).squareRoot()
        print("bone slab: cortical bone \(a.dose) Gy ± \(100 * a.rel) %, 3.2 % Ca \(b.dose) Gy ± \(100 * b.rel) %")
        XCTAssertGreaterThan(a.dose - b.dose, 4 * sigma, "more calcium, more photoelectric absorption")
        XCTAssertEqual(try provenance(dir + "/fractions.h5")["geometry"], dir + "/labels.h5")
    }
}
