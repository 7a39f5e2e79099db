import RPTRegistration
import RPTVolume
import XCTest

/// `DisplacementField` and `PropagatedLabels` on small hand-checkable cases (no elastix).
final class PropagatedLabelsTests: XCTestCase {
    /// 12 × 12 × 12 label voxels of 2 mm; label 1 in the 6 × 6 × 6 block starting at (3, 3, 3), label 2 elsewhere.
    func labels() -> Volume<Double> {
        let g = Grid3D(shape: SIMD3(12, 12, 12), spacing: SIMD3(2, 2, 2), origin: SIMD3(-11, -11, -11))
        var v = [Double](repeating: 2, count: g.voxelCount)
        for k in 3..<9 { for j in 3..<9 { for i in 3..<9 { v[g.linearIndex(i, j, k)] = 1 } } }
        return Volume(grid: g, voxels: v, unit: "label")
    }

    /// 4 × 4 × 4 SPECT voxels of 6 mm over the same field of view: each holds 3 × 3 × 3 label voxels.
    let spect = Grid3D(shape: SIMD3(4, 4, 4), spacing: SIMD3(6, 6, 6), origin: SIMD3(-9, -9, -9))

    func constant(_ d: SIMD3<Double>) -> DisplacementField {
        DisplacementField(grid: Grid3D(shape: SIMD3(1, 1, 1), spacing: SIMD3(1, 1, 1)), ux: [d.x], uy: [d.y], uz: [d.z])
    }

    func testIdentityGivesEachVoxelItsLabelVolumes() {
        let p = PropagatedLabels(labels: labels(), field: constant(.zero), onto: spect)
        XCTAssertEqual(p.labels, [1, 2])
        XCTAssertEqual(p.referenceVolumeMM3[0], 216 * 8, accuracy: 1e-9)
        // Label voxels 3..<9 along each axis: half of SPECT voxels 1 and 2 (index 3..<6 and 6..<9 are whole voxels 1, 2).
        for k in 0..<4 { for j in 0..<4 { for i in 0..<4 {
            let inside = (1...2).contains(i) && (1...2).contains(j) && (1...2).contains(k)
            let v = spect.linearIndex(i, j, k)
            XCTAssertEqual(Double(p.volumeMM3[0][v]), inside ? 216 : 0, accuracy: 1e-3)
            XCTAssertEqual(Double(p.volumeMM3[0][v] + p.volumeMM3[1][v]), 216, accuracy: 1e-3)
            XCTAssertEqual(p.majority[v], inside ? 0 : 1)
        } } }
    }

    /// A shift by one SPECT voxel moves every volume by one voxel; what leaves the grid is lost, and the voxels
    /// no label voxel maps into are in no VOI.
    func testTranslationByOneVoxel() {
        let p = PropagatedLabels(labels: labels(), field: constant(SIMD3(6, 0, 0)), onto: spect)
        for k in 0..<4 { for j in 0..<4 { for i in 0..<4 {
            let inside = (2...3).contains(i) && (1...2).contains(j) && (1...2).contains(k)
            let v = spect.linearIndex(i, j, k)
            XCTAssertEqual(Double(p.volumeMM3[0][v]), inside ? 216 : 0, accuracy: 1e-3)
            XCTAssertEqual(p.majority[v], i == 0 ? -1 : (inside ? 0 : 1), "voxel \(i) \(j) \(k)")
        } } }
        XCTAssertEqual(p.referenceVolumeMM3[0], 216 * 8, accuracy: 1e-9, "reference volumes include what leaves the grid")
    }

    /// A shift by a third of a SPECT voxel splits the organ's edge layers between neighbours (sub-voxel partial volume).
    func testThirdOfAVoxelShiftSplitsVolumes() {
        let p = PropagatedLabels(labels: labels(), field: constant(SIMD3(0, 0, 2)), onto: spect)
        // Label voxels (k = 3..<9) move by one label voxel: SPECT voxel k = 1 keeps 2 of its 3 layers, k = 3 gains 1.
        XCTAssertEqual(Double(p.volumeMM3[0][spect.linearIndex(1, 1, 1)]), 144, accuracy: 1e-3)
        XCTAssertEqual(Double(p.volumeMM3[0][spect.linearIndex(1, 1, 2)]), 216, accuracy: 1e-3)
        XCTAssertEqual(Double(p.volumeMM3[0][spect.linearIndex(1, 1, 3)]), 72, accuracy: 1e-3)
    }

    /// Trilinear interpolation of an affine map is exact: the separable resampling and the point map agree with
    /// a rotation + translation everywhere, inside and between nodes.
    func testRigidFieldIsInterpolatedExactly() throws {
        let l = labels().grid
        let a = 3.0 * Double.pi / 180
        let rotate = { (p: SIMD3<Double>) -> SIMD3<Double> in
            SIMD3(cos(a) * p.x - sin(a) * p.y + 4, sin(a) * p.x + cos(a) * p.y - 7, p.z + 2.5)
        }
        let field = DisplacementField(grid: DisplacementField.nodes(covering: l, spacingMM: 6), map: rotate)
        XCTAssertEqual(field.grid.shape, SIMD3(5, 5, 5), "nodes every 3rd label voxel, covering the last one")
        let d = try XCTUnwrap(field.resampled(onto: l))
        for n in stride(from: 0, to: l.voxelCount, by: 37) {
            let ijk = l.voxelIndex(n)
            let p = l.world(continuousIndex: SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)))
            let truth = rotate(p)
            XCTAssertEqual(p.x + d.x[n], truth.x, accuracy: 1e-9); XCTAssertEqual(p.y + d.y[n], truth.y, accuracy: 1e-9)
            XCTAssertEqual(p.z + d.z[n], truth.z, accuracy: 1e-9)
            let q = field.mapped(p)
            XCTAssertEqual(((q - truth) * (q - truth)).sum().squareRoot(), 0, accuracy: 1e-9)
        }
    }
}
