import XCTest
import RPTCore
import RPTVolume
@testable import RPTKernels

final class OrganSMatrixTests: XCTestCase {
    /// Hand-worked 2×2 example. S (Gy/(Bq·s)), rows = targets (kidneys, liver), columns = sources:
    ///   S(kidneys ← kidneys) = 2e-12, S(kidneys ← liver) = 1e-14
    ///   S(liver   ← kidneys) = 3e-14, S(liver   ← liver) = 4e-13
    /// TIA: kidneys 5e11 Bq·s, liver 2e12 Bq·s.
    ///   D(kidneys) = 2e-12·5e11 + 1e-14·2e12 = 1.0 + 0.02 = 1.02 Gy
    ///   D(liver)   = 3e-14·5e11 + 4e-13·2e12 = 0.015 + 0.8 = 0.815 Gy
    func testTwoByTwoHandExample() throws {
        let s = try OrganSMatrix(sourceRegions: ["kidneys", "liver"], targetRegions: ["kidneys", "liver"],
                                 valuesGyPerBqS: [[2e-12, 1e-14], [3e-14, 4e-13]])
        let d = try s.targetDoses(tiaBqS: ["kidneys": 5e11, "liver": 2e12])
        XCTAssertEqual(d["kidneys"]!, 1.02, accuracy: 1e-12)
        XCTAssertEqual(d["liver"]!, 0.815, accuracy: 1e-12)
        XCTAssertEqual(s.value(target: "liver", source: "kidneys"), 3e-14)
        XCTAssertThrowsError(try s.targetDoses(tiaBqS: ["spleen": 1]))
        XCTAssertThrowsError(try s.targetDoses(tiaBqS: ["liver": -1]))
        XCTAssertThrowsError(try OrganSMatrix(sourceRegions: ["a"], targetRegions: ["a", "b"], valuesGyPerBqS: [[1]]))
    }

    /// S from dose-per-decay maps on a 4×1×1 grid: voxels 0–1 = region 1 (ρ 1 and 3 g/cm³), 2–3 = region 2.
    /// Map of source "A": (1, 2, 3, 5)e-12 → S(1←A) mass-weighted = (1·1 + 2·3)/(1 + 3) = 1.75e-12,
    ///   S(2←A) = (3 + 5)/2 = 4e-12 (ρ = 1 there). Map of source "B": (0, 0, 6, 2)e-12 → 0 and 4e-12.
    /// Without densities S(1←A) is the plain mean 1.5e-12.
    func testSMatrixFromDoseMaps() throws {
        let grid = Grid3D(shape: SIMD3(4, 1, 1), spacing: SIMD3(2, 2, 2))
        let regions = RegionMap(labels: Volume(grid: grid, voxels: [1, 1, 2, 2]), names: [1: "kidney", 2: "tumour"])
        let a = Volume(grid: grid, voxels: [1e-12, 2e-12, 3e-12, 5e-12])
        let b = Volume(grid: grid, voxels: [0, 0, 6e-12, 2e-12])
        let rho = Volume(grid: grid, voxels: [1.0, 3.0, 1.0, 1.0])
        let s = try OrganSMatrix.fromDoseMaps([("A", a), ("B", b)], targets: regions, density: rho)
        XCTAssertEqual(s.targetRegions, ["kidney", "tumour"])
        XCTAssertEqual(s.valuesGyPerBqS[0][0], 1.75e-12, accuracy: 1e-24)
        XCTAssertEqual(s.valuesGyPerBqS[1][0], 4e-12, accuracy: 1e-24)
        XCTAssertEqual(s.valuesGyPerBqS[0][1], 0)
        XCTAssertEqual(s.valuesGyPerBqS[1][1], 4e-12, accuracy: 1e-24)
        let plain = try OrganSMatrix.fromDoseMaps([("A", a)], targets: regions)
        XCTAssertEqual(plain.valuesGyPerBqS[0][0], 1.5e-12, accuracy: 1e-24)
    }
}
