import Foundation
import XCTest
import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTKernels
import RPTPhysics
import RPTStore
import RPTVolume

/// `rptdose simulate --method …` against analytic expectations and against the Monte Carlo.
final class SimulateMethodTests: DoseMethodTestCase {
    /// A soft-tissue box (material label 1) with TIA `tiaPerVoxel` Bq·s in the voxels where `active` is true;
    /// regions from `regionOf` (0 = none). Returns the common simulate arguments (without --method/--out).
    func boxPhantom(shape: SIMD3<Int>, voxelMM: SIMD3<Double>, density: Double? = nil,
                    tia: (Int, Int, Int) -> Double, regionOf: (Int, Int, Int) -> UInt16,
                    regionNames: [UInt16: String]) throws -> [String] {
        let grid = Grid3D(shape: shape, spacing: voxelMM)
        var t = [Double](repeating: 0, count: grid.voxelCount), r = [UInt16](repeating: 0, count: grid.voxelCount)
        for k in 0..<shape.z { for j in 0..<shape.y { for i in 0..<shape.x {
            let n = grid.linearIndex(i, j, k)
            t[n] = tia(i, j, k); r[n] = regionOf(i, j, k)
        }}}
        let geometry = try write(Volume<UInt16>(grid: grid, repeating: 1), "geometry.h5")
        let materials = try writeText("label,material,density_g_cm3\n1,soft_tissue,\(density.map { "\($0)" } ?? "")\n", "materials.csv")
        let activity = try write(Volume<Double>(grid: grid, voxels: t, unit: "Bq s"), "tia.h5")
        let regions = try write(Volume<UInt16>(grid: grid, voxels: r), "regions.h5")
        let names = try writeText("label,name\n" + regionNames.sorted { $0.key < $1.key }.map { "\($0.key),\($0.value)" }
                                    .joined(separator: "\n") + "\n", "names.csv")
        return ["simulate", "--labels", geometry, "--material-table", materials, "--activity", activity,
                "--regions", regions, "--region-names", names, "--quiet", "--threads", "2"]
    }

    /// LDM on a uniform soft-tissue block equals the hand formula D = Ã·E_e·(J/MeV)/(ρ·V) in every voxel
    /// (E_e: the nuclide's electron energy per decay; J/MeV = 1.602176634e-13 exact, SI 2019), and with
    /// --ldm-include-photons adds the photon energy per decay. No uncertainty volume is written.
    func testLDMOnUniformBlockEqualsAnalytic() throws {
        let a = try boxPhantom(shape: SIMD3(6, 5, 4), voxelMM: SIMD3(4, 3, 2.5), density: 1.2, tia: { _, _, _ in 2.5e6 },
                               regionOf: { _, _, _ in 1 }, regionNames: [1: "block"])
        let out = dir + "/ldm.h5", outP = dir + "/ldm-photons.h5"
        try rptdose(a + ["--method", "ldm", "--out", out])
        try rptdose(a + ["--method", "ldm", "--ldm-include-photons", "--out", outP])
        let nuc = try Nuclide.named("Lu-177")
        let massKg = 1.2 * (0.4 * 0.3 * 0.25) * 1e-3
        let expected = 2.5e6 * nuc.electronEnergyPerDecayMeV * 1.602176634e-13 / massKg
        let expectedP = 2.5e6 * (nuc.electronEnergyPerDecayMeV + nuc.photonEnergyPerDecayMeV) * 1.602176634e-13 / massKg
        let dose = try VolumeFiles.readDouble(out, volume: "dose"), doseP = try VolumeFiles.readDouble(outP, volume: "dose")
        XCTAssertEqual(dose.voxels.count, 120)
        // The transport world stores densities in single precision (1.2 → 1.2000000477): relative tolerance 1e-7.
        for v in dose.voxels { XCTAssertEqual(v, expected, accuracy: 1e-7 * expected) }
        for v in doseP.voxels { XCTAssertEqual(v, expectedP, accuracy: 1e-7 * expectedP) }
        XCTAssertGreaterThan(expectedP, expected * 1.01)
        XCTAssertEqual(try regionTable(out)["block"]!.dose, expected, accuracy: 1e-7 * expected)
        XCTAssertTrue(try regionTable(out)["block"]!.rel.isNaN)
        XCTAssertFalse(try volumes(out).contains("dose_rel_uncertainty"))
        XCTAssertEqual(try provenance(out)["method"], "ldm")
        XCTAssertEqual(try provenance(outP)["ldm_include_photons"], "yes")
    }

    /// VSV on a uniformly active soft-tissue block agrees with the Monte Carlo in the block's interior within 2 %
    /// (issue 7). The block (11³ voxels of 5 mm) sits in a 17³ phantom; the interior is the central 7³ voxels,
    /// ≥ 2 voxels (10 mm, > 5 × the 1.8 mm maximum β range of Lu-177) from the block's edges. Both doses come
    /// from RPTDose's own transport, so they agree only if the kernel generation, caching and FFT convolution are
    /// right. The tolerance 2 % is the issue's criterion; the combined 1σ of the two Monte Carlo estimates is
    /// printed and must be below 0.6 % (so 2 % is > 3σ).
    func testVSVInteriorOfUniformBlockAgreesWithMonteCarlo() throws {
        let n = 17, lo = 3, hi = 13
        let active: (Int, Int, Int) -> Bool = { i, j, k in [i, j, k].allSatisfy { $0 >= lo && $0 <= hi } }
        let interior: (Int, Int, Int) -> Bool = { i, j, k in [i, j, k].allSatisfy { $0 >= 5 && $0 <= 11 } }
        let a = try boxPhantom(shape: SIMD3(n, n, n), voxelMM: SIMD3(repeating: 5), tia: { active($0, $1, $2) ? 1e6 : 0 },
                               regionOf: { interior($0, $1, $2) ? 1 : 0 }, regionNames: [1: "interior"])
        let cache = dir + "/kernels"
        let vsv = dir + "/vsv.h5", mc = dir + "/mc.h5"
        try rptdose(a + ["--method", "vsv", "--kernel-cache", cache, "--kernel-size", "11", "--kernel-decays", "60000",
                         "--seed", "11", "--out", vsv])
        try rptdose(a + ["--method", "mc", "--decays", "250000", "--seed", "12", "--out", mc])
        let dVSV = try regionTable(vsv)["interior"]!.dose
        let m = try regionTable(mc)["interior"]!
        // Uncertainty of the VSV interior mean: the kernel integral's (interior voxels see the whole kernel).
        let kernel = try VSVKernelCache.read(path: try provenance(vsv)["kernel_file"]!)
        let kSigma = kernel.uncertaintiesGyPerBqS.map { $0 * $0 }.reduce(0, +).squareRoot() / kernel.integralGyPerBqS
        let sigma = (m.rel * m.rel + kSigma * kSigma).squareRoot()
        print(String(format: "VSV interior %.6g Gy, MC %.6g Gy ± %.2f %%, kernel integral ± %.2f %%, VSV/MC − 1 = %.2f %%",
                     dVSV, m.dose, 100 * m.rel, 100 * kSigma, 100 * (dVSV / m.dose - 1)))
        XCTAssertLessThan(sigma, 0.006)
        XCTAssertEqual(dVSV / m.dose, 1, accuracy: 0.02)
        XCTAssertEqual(try provenance(vsv)["method"], "vsv")
        XCTAssertEqual(try provenance(mc)["method"], "mc")
        XCTAssertFalse(try volumes(vsv).contains("dose_rel_uncertainty"))
    }

    /// A second run with the same cache folder loads the kernel instead of generating it: same dose to the bit,
    /// same kernel provenance (its seed, decays and creation time), and the provenance says it came from the cache.
    func testKernelCacheHitLoadsTheSameKernel() throws {
        let a = try boxPhantom(shape: SIMD3(7, 6, 5), voxelMM: SIMD3(4, 4, 3), tia: { i, _, _ in i == 3 ? 1e5 : 0 },
                               regionOf: { _, _, _ in 1 }, regionNames: [1: "all"])
        let cache = dir + "/kc"
        let first = dir + "/first.h5", second = dir + "/second.h5"
        let opts = ["--method", "vsv-density", "--kernel-cache", cache, "--kernel-size", "3", "--kernel-decays", "3000"]
        try rptdose(a + opts + ["--seed", "3", "--out", first])
        try rptdose(a + opts + ["--seed", "4", "--out", second])
        let p1 = try provenance(first), p2 = try provenance(second)
        XCTAssertEqual(p1["kernel_from_cache"], "no")
        XCTAssertEqual(p2["kernel_from_cache"], "yes")
        XCTAssertEqual(p1["kernel_file"], p2["kernel_file"])
        XCTAssertTrue(p1["kernel_file"]!.hasPrefix(cache) && p1["kernel_file"]!.contains("4.0000x4.0000x3.0000mm"), p1["kernel_file"]!)
        for key in ["kernel_seed", "kernel_decays", "kernel_created", "kernel_code"] {
            XCTAssertNotNil(p1[key], key)
            XCTAssertEqual(p1[key], p2[key], key)
        }
        XCTAssertEqual(p1["kernel_seed"], "3")
        XCTAssertEqual(try VolumeFiles.readDouble(first, volume: "dose").voxels,
                       try VolumeFiles.readDouble(second, volume: "dose").voxels)
        XCTAssertTrue(try volumes(first).contains("density_flags"))
        XCTAssertGreaterThan(try VolumeFiles.readDouble(first, volume: "dose").sum, 0)

        // A kernel made differently from what a run asks for is not reused: more decays, or other accelerations.
        let third = dir + "/third.h5", fourth = dir + "/fourth.h5"
        try rptdose(a + ["--method", "vsv-density", "--kernel-cache", cache, "--kernel-size", "3", "--kernel-decays", "6000",
                         "--seed", "5", "--out", third])
        let p3 = try provenance(third)
        XCTAssertEqual(p3["kernel_from_cache"], "no")
        XCTAssertEqual(p3["kernel_decays"], "6000")
        try rptdose(a + opts + ["--seed", "6", "--no-accelerations", "--out", fourth])
        let p4 = try provenance(fourth)
        XCTAssertEqual(p4["kernel_from_cache"], "no", "cached kernel had range rejection on")
        XCTAssertEqual(p4["kernel_accelerations"], "none")
        // … or another electron step, all else as in the fourth run (review finding: the cache compared cut-offs
        // but not the step).
        let fifth = dir + "/fifth.h5"
        try rptdose(a + opts + ["--seed", "7", "--no-accelerations", "--max-energy-loss-fraction", "0.1", "--out", fifth])
        XCTAssertEqual(try provenance(fifth)["kernel_from_cache"], "no", "cached kernel was made with a 0.2 step")
    }

    /// organ-s on a two-region phantom (two adjacent soft-tissue blocks, TIA uniform per voxel in each, ratio 3:1)
    /// equals the direct Monte Carlo region doses within 3 combined standard deviations (MIRD superposition).
    func testOrganSEqualsDirectMonteCarloOnTwoRegions() throws {
        let a = try boxPhantom(shape: SIMD3(10, 5, 5), voxelMM: SIMD3(repeating: 4),
                               tia: { i, _, _ in i < 5 ? 3e5 : 1e5 }, regionOf: { i, _, _ in i < 5 ? 1 : 2 },
                               regionNames: [1: "left", 2: "right"])
        let mc = dir + "/mc.h5", os = dir + "/organ-s.h5"
        try rptdose(a + ["--method", "mc", "--decays", "40000", "--seed", "21", "--out", mc])
        try rptdose(a + ["--method", "organ-s", "--decays", "20000", "--seed", "21", "--out", os])
        let d = try regionTable(mc), s = try regionTable(os)
        for name in ["left", "right"] {
            let x = d[name]!, y = s[name]!
            let sigma = ((x.dose * x.rel) * (x.dose * x.rel) + (y.dose * y.rel) * (y.dose * y.rel)).squareRoot()
            print(String(format: "%@: MC %.6g ± %.2f %%, organ-s %.6g ± %.2f %%", name, x.dose, 100 * x.rel, y.dose, 100 * y.rel))
            XCTAssertGreaterThan(y.rel, 0)
            XCTAssertLessThan(y.rel, 0.02)
            XCTAssertEqual(y.dose, x.dose, accuracy: 3 * sigma, name)
        }
        XCTAssertEqual(try provenance(os)["method"], "organ-s")
        XCTAssertTrue(try volumes(os).contains("dose_rel_uncertainty"))
        let tables = try H5File.read(os) { try $0.listTables() }
        XCTAssertTrue(tables.contains { $0.hasSuffix("organ_s_matrix") }, "\(tables)")
    }

    func testUnknownMethodAndUnsupportedCombinationsAreRejected() throws {
        let a = try boxPhantom(shape: SIMD3(3, 3, 3), voxelMM: SIMD3(repeating: 4), tia: { _, _, _ in 1 },
                               regionOf: { _, _, _ in 1 }, regionNames: [1: "all"])
        XCTAssertThrowsError(try rptdose(a + ["--method", "fast", "--out", dir + "/x.h5"])) { e in
            XCTAssertTrue("\(e)".contains("--method") && "\(e)".contains("fast") && "\(e)".contains("organ-s"), "\(e)")
        }
        XCTAssertThrowsError(try rptdose(a + ["--method", "ldm", "--shard", "1/2", "--out", dir + "/x.h5"])) { e in
            XCTAssertTrue("\(e)".contains("--shard"), "\(e)")
        }
    }

    func testDefaultKernelCacheFollowsXDG() {
        XCTAssertEqual(DoseMethodConfiguration.defaultCacheDirectory(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]), "/c/rptdose/kernels")
        XCTAssertEqual(DoseMethodConfiguration.defaultCacheDirectory(environment: ["HOME": "/h"]), "/h/.cache/rptdose/kernels")
    }
}
