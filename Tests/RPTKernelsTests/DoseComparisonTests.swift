import XCTest
import RPTCore
import RPTVolume
@testable import RPTKernels

final class DoseComparisonTests: XCTestCase {
    func testRegionMeansAndDifferenceMaps() throws {
        let grid = Grid3D(shape: SIMD3(3, 2, 1), spacing: SIMD3(1, 1, 1))
        let a = Volume(grid: grid, voxels: [2.0, 4.0, 10.0, 0.0, 1.0, 1.0])
        let b = Volume(grid: grid, voxels: [2.2, 4.6, 9.0, 0.5, 1.0, 1.0])
        let regions = RegionMap(labels: Volume(grid: grid, voxels: [1, 1, 2, 0, 3, 3]),
                                names: [1: "liver", 2: "lesion", 3: "spleen"])
        let diffs = try DoseComparison.regionMeanDifferences(reference: a, evaluated: b, regions: regions)
        XCTAssertEqual(diffs.map(\.region), ["liver", "lesion", "spleen"])
        XCTAssertEqual(diffs[0].referenceMeanGy, 3.0, accuracy: 1e-15)
        XCTAssertEqual(diffs[0].evaluatedMeanGy, 3.4, accuracy: 1e-15)
        XCTAssertEqual(diffs[0].differencePercent, 100 * 0.4 / 3, accuracy: 1e-12)
        XCTAssertEqual(diffs[1].differencePercent, -10, accuracy: 1e-12)
        XCTAssertEqual(diffs[2].differencePercent, 0)
        let maps = try DoseComparison.differenceMaps(reference: a, evaluated: b)
        XCTAssertEqual(maps.maxReferenceGy, 10)
        XCTAssertEqual(maps.absoluteGy.voxels[2], -1, accuracy: 1e-15)
        XCTAssertEqual(maps.percentOfMaxReference.voxels[3], 5, accuracy: 1e-12)
        XCTAssertThrowsError(try DoseComparison.differenceMaps(
            reference: a, evaluated: Volume(grid: Grid3D(shape: SIMD3(3, 2, 1), spacing: SIMD3(1, 1, 2)), repeating: 1)))
    }
}

final class CumulativeDVHTests: XCTestCase {
    /// Linear ramp: N = 1000 voxels with doses (n + ½)/N · 10 Gy, voxel-centre samples of a dose uniformly
    /// distributed on [0, 10] Gy. Analytic: V(D) = 1 − D/10, Dx = (1 − x/100) · 10 Gy, so D50 = 5, D2 = 9.8,
    /// D98 = 0.2 Gy. With the midpoint rule these are exact for this distribution.
    func testLinearRampMatchesAnalyticDVH() throws {
        let n = 1000
        let doses = (0..<n).map { (Double($0) + 0.5) / Double(n) * 10 }.shuffled()
        let dvh = try CumulativeDVH(region: "ramp", doses: doses, binCount: 50, axisMaxGy: 10)
        XCTAssertEqual(dvh.d50Gy, 5, accuracy: 1e-12)
        XCTAssertEqual(dvh.d2Gy, 9.8, accuracy: 1e-12)
        XCTAssertEqual(dvh.d98Gy, 0.2, accuracy: 1e-12)
        XCTAssertEqual(dvh.meanGy, 5, accuracy: 1e-12)
        XCTAssertEqual(dvh.doseAxisGy.count, 51)
        for (d, v) in zip(dvh.doseAxisGy, dvh.volumeFraction) {
            XCTAssertEqual(v, 1 - d / 10, accuracy: 1.0 / Double(n) + 1e-12, "V(\(d) Gy)")
        }
        XCTAssertEqual(dvh.volumeFraction.first, 1)
    }

    /// Quadratic ramp d = 10 Gy · u², u uniform: P(d ≥ D) = 1 − √(D/10), so D50 = 10 · 0.5² = 2.5 Gy and
    /// D98 = 10 · 0.02² = 0.004 Gy; voxel sampling (N = 2000) is accurate to O(1/N) here.
    func testQuadraticRampD50() throws {
        let n = 2000
        let doses = (0..<n).map { let u = (Double($0) + 0.5) / Double(n); return 10 * u * u }
        let dvh = try CumulativeDVH(region: "quad", doses: doses)
        XCTAssertEqual(dvh.d50Gy, 2.5, accuracy: 10.0 / Double(n))
        XCTAssertEqual(dvh.d2Gy, 10 * 0.98 * 0.98, accuracy: 10.0 / Double(n))
        XCTAssertEqual(dvh.d98Gy, 0.004, accuracy: 10.0 / Double(n))
    }

    func testPerRegionOnVolumeAndEdgeCases() throws {
        let grid = Grid3D(shape: SIMD3(4, 1, 1), spacing: SIMD3(1, 1, 1))
        let dose = Volume(grid: grid, voxels: [1.0, 3.0, 7.0, 9.0])
        let regions = RegionMap(labels: Volume(grid: grid, voxels: [1, 1, 2, 2]), names: [1: "a", 2: "b"])
        let dvhs = try CumulativeDVH.compute(dose: dose, regions: regions, binCount: 9)
        XCTAssertEqual(dvhs.map(\.region), ["a", "b"])
        XCTAssertEqual(dvhs[0].doseAxisGy.last, 9)   // common axis up to the largest dose of all regions
        // V(2 Gy) of region a (3 Gy at v = 25 %, 1 Gy at 75 %): halfway between, 50 %.
        XCTAssertEqual(dvhs[0].volumeFraction[2], 0.5, accuracy: 1e-12)
        XCTAssertEqual(dvhs[0].volumeFraction[1], 1)      // V(1 Gy) = V(minimum) = 100 %
        XCTAssertEqual(dvhs[0].volumeFraction[4], 0)      // above the maximum
        // Two voxels: midpoints at v = 0.25 (9 Gy) and 0.75 (7 Gy): D50 halfway, D2 and D98 clamp.
        XCTAssertEqual(dvhs[1].d50Gy, 8, accuracy: 1e-12)
        XCTAssertEqual(dvhs[1].d2Gy, 9)
        XCTAssertEqual(dvhs[1].d98Gy, 7)
        XCTAssertThrowsError(try CumulativeDVH(region: "empty", doses: []))
        XCTAssertThrowsError(try CumulativeDVH(region: "nan", doses: [1, .nan]))
    }
}
