import XCTest
@testable import RPTVolume
@testable import RPTCore

final class GridTests: XCTestCase {
    /// A rotated grid: 30° about z. Index→world→index must round-trip.
    func rotatedGrid() -> Grid3D {
        let c = 0.8660254037844386, s = 0.5
        return Grid3D(shape: SIMD3(5, 6, 7), spacing: SIMD3(1.5, 2, 3), origin: SIMD3(-10, 4, 7),
                      direction: Matrix3(columns: SIMD3(c, s, 0), SIMD3(-s, c, 0), SIMD3(0, 0, 1)))
    }

    func testIndexWorldRoundTrip() throws {
        let g = rotatedGrid()
        try g.validate(source: "test")
        let p = SIMD3<Double>(1.25, 3.5, -0.75)
        let w = g.world(continuousIndex: p)
        let back = g.continuousIndex(world: w)
        XCTAssertEqual(back.x, p.x, accuracy: 1e-12)
        XCTAssertEqual(back.y, p.y, accuracy: 1e-12)
        XCTAssertEqual(back.z, p.z, accuracy: 1e-12)
        // Voxel (1,0,0) lies one spacing along the first direction column from the origin.
        let w1 = g.world(continuousIndex: SIMD3(1, 0, 0))
        XCTAssertEqual(w1.x, -10 + 1.5 * 0.8660254037844386, accuracy: 1e-12)
        XCTAssertEqual(w1.y, 4 + 1.5 * 0.5, accuracy: 1e-12)
    }

    func testSameGridCheck() throws {
        let g = rotatedGrid()
        var h = g
        XCTAssertTrue(g.isSameGrid(as: h))
        h.origin.x += 0.1
        XCTAssertFalse(g.isSameGrid(as: h))
        XCTAssertThrowsError(try g.requireSameGrid(as: h, source: "dose.h5")) { e in
            XCTAssertTrue("\(e)".contains("dose.h5"))
        }
    }

    func testValidationRejectsNonOrthogonalDirections() {
        var g = rotatedGrid()
        g.direction = Matrix3(columns: SIMD3(1, 0, 0), SIMD3(0.3, 1, 0), SIMD3(0, 0, 1))
        XCTAssertThrowsError(try g.validate(source: "ct.mhd")) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("ct.mhd") && m.contains("direction") && m.contains("orthonormal"), m)
        }
        var z = rotatedGrid()
        z.spacing.y = 0
        XCTAssertThrowsError(try z.validate(source: "x")) { XCTAssertTrue("\($0)".contains("spacing[1]")) }
    }

    func testRequireFiniteNamesVoxel() {
        var v = Volume<Double>(grid: Grid3D(shape: SIMD3(2, 2, 2), spacing: SIMD3(1, 1, 1)), repeating: 1)
        v[1, 0, 1] = .nan
        XCTAssertThrowsError(try v.requireFinite(source: "act.nii")) { e in
            XCTAssertTrue("\(e)".contains("voxel (1, 0, 1)"), "\(e)")
        }
    }
}

final class ResamplingTests: XCTestCase {
    /// Trilinear interpolation reproduces a linear field exactly inside the source (independent
    /// check: f(x) = a·x + b evaluated at the target centres).
    func testTrilinearIsExactForLinearField() {
        let src = Grid3D(shape: SIMD3(10, 9, 8), spacing: SIMD3(2, 2, 2), origin: SIMD3(0, 0, 0))
        func f(_ w: SIMD3<Double>) -> Double { 3 * w.x - 2 * w.y + 0.5 * w.z + 7 }
        var v = Volume<Double>(grid: src, repeating: 0)
        for k in 0..<8 { for j in 0..<9 { for i in 0..<10 {
            v[i, j, k] = f(src.world(continuousIndex: SIMD3(Double(i), Double(j), Double(k))))
        }}}
        let dst = Grid3D(shape: SIMD3(6, 6, 5), spacing: SIMD3(2.7, 2.9, 3.1), origin: SIMD3(1.1, 0.7, 0.9))
        let r = v.resampled(onto: dst, mode: .trilinear)
        for k in 0..<5 { for j in 0..<6 { for i in 0..<6 {
            let w = dst.world(continuousIndex: SIMD3(Double(i), Double(j), Double(k)))
            XCTAssertEqual(r[i, j, k], f(w), accuracy: 1e-9)
        }}}
    }

    func testNearestNeverInventsLabels() {
        let src = Grid3D(shape: SIMD3(8, 8, 8), spacing: SIMD3(3, 3, 3))
        var labels = Volume<UInt16>(grid: src, repeating: 0)
        for n in 0..<labels.voxels.count { labels.voxels[n] = UInt16([0, 5, 9][n % 3]) }
        let dst = Grid3D(shape: SIMD3(11, 10, 9), spacing: SIMD3(2.1, 2.3, 2.5), origin: SIMD3(0.4, 0.2, 0.1))
        let r = labels.resampled(onto: dst, mode: .nearest)
        XCTAssertTrue(Set(r.voxels).isSubset(of: [0, 5, 9]))
    }

    /// Content-conserving resampling of an activity map onto a finer, shifted, axis-aligned grid
    /// that covers the source: total preserved to 1e-12 relative; and the exact-overlap weights put a
    /// single source voxel's content where the geometry says (hand-computed overlaps).
    func testContentConservedAxisAligned() {
        let src = Grid3D(shape: SIMD3(6, 5, 4), spacing: SIMD3(4, 4, 4), origin: .zero)
        var act = Volume<Double>(grid: src, repeating: 0, unit: "Bq")
        var rng = RandomStream(seed: 5, stream: 0)
        for n in 0..<act.voxels.count { act.voxels[n] = rng.uniform() * 1e6 }
        let dst = Grid3D(shape: SIMD3(20, 17, 14), spacing: SIMD3(1.5, 1.5, 1.5), origin: SIMD3(-3, -3, -3))
        let r = act.resampledConservingContent(onto: dst)
        XCTAssertEqual(r.volume.sum, act.sum, accuracy: 1e-12 * act.sum)
        XCTAssertEqual(r.contentOutside, 0, accuracy: 1e-9 * act.sum)

        // One voxel at (0,0,0) spanning [-2, 2] mm on each axis onto 3 mm voxels centred at -1.5, 1.5:
        // [-3,0] and [0,3] each take half along every axis → 1/8 in each of 8 voxels.
        var one = Volume<Double>(grid: src, repeating: 0)
        one[0, 0, 0] = 8
        let coarse = Grid3D(shape: SIMD3(4, 4, 4), spacing: SIMD3(3, 3, 3), origin: SIMD3(-1.5, -1.5, -1.5))
        let q = one.resampledConservingContent(onto: coarse).volume
        for k in 0..<2 { for j in 0..<2 { for i in 0..<2 { XCTAssertEqual(q[i, j, k], 1, accuracy: 1e-12) } } }
        XCTAssertEqual(q.sum, 8, accuracy: 1e-12)
    }

    /// Rotated target grid: the supersampling path conserves everything that lands in the FOV, and
    /// content outside is reported.
    func testContentConservedRotated() {
        let src = Grid3D(shape: SIMD3(6, 6, 6), spacing: SIMD3(4, 4, 4), origin: .zero)
        let act = Volume<Double>(grid: src, repeating: 1000)
        let c = 0.8660254037844386, s = 0.5
        let dst = Grid3D(shape: SIMD3(40, 40, 30), spacing: SIMD3(1, 1, 1), origin: SIMD3(0, -10, -3),
                         direction: Matrix3(columns: SIMD3(c, s, 0), SIMD3(-s, c, 0), SIMD3(0, 0, 1)))
        let r = act.resampledConservingContent(onto: dst, subdivisions: 4)
        XCTAssertEqual(r.volume.sum + r.contentOutside, act.sum, accuracy: 1e-9 * act.sum)
        XCTAssertGreaterThan(r.volume.sum, 0)
    }

    func testConcentrationResamplingConservesTotalActivity() {
        let src = Grid3D(shape: SIMD3(5, 5, 5), spacing: SIMD3(4.4, 4.4, 4.4), origin: .zero)
        let conc = Volume<Float>(grid: src, repeating: 250, unit: "Bq/mL")
        let dst = Grid3D(shape: SIMD3(12, 12, 12), spacing: SIMD3(2, 2, 2), origin: SIMD3(-2, -2, -2))
        let r = conc.resampledConservingConcentration(onto: dst)
        let totalSrc = 250 * src.voxelVolumeML * Double(src.voxelCount)
        XCTAssertEqual(r.volume.sum * dst.voxelVolumeML, totalSrc, accuracy: 1e-9 * totalSrc)
    }
}
