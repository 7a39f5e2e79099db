import Foundation
import RPTCore
import RPTTestSupport
import RPTVolume
import XCTest
@testable import RPTDicom

/// Issue 16: RTSTRUCT written by rt-utils and SEG written by highdicom from the same masks on a pydicom CT
/// (Resources/make_label_fixtures.py) give those masks back, voxel by voxel, on the CT grid.
final class IndependentLabelWritersTests: XCTestCase {
    func fixtures() throws -> (dir: String, expected: [String: Any]) {
        try PythonFixture.generate(script: Pydicom.resources + "/make_label_fixtures.py",
                                   modules: ["pydicom", "numpy", "highdicom", "rt_utils"])
    }

    /// rt-utils traces each mask slice with OpenCV through the centres of its boundary pixels (islands, holes
    /// and one-pixel-wide lines as separate CLOSED_PLANAR contours); the rasterisation (even-odd at voxel
    /// centres, centres on a contour inside) returns exactly the masks given to rt-utils.
    func testRTStructFromRtUtilsGivesTheWrittenMasks() throws {
        let (dir, e) = try fixtures()
        let ct = try DicomCTReader.read(folder: dir + "/ct", as: Int16.self)
        XCTAssertEqual([ct.volume.grid.shape.x, ct.volume.grid.shape.y, ct.volume.grid.shape.z], e["shape"] as? [Int])
        let rs = try RTStructureSet.read(dir + "/rtstruct.dcm")
        XCTAssertEqual(rs.rois.map(\.name), ["Kidney", "Lesion"])
        let labels = try rs.rasterize(onto: ct.volume.grid, frameOfReferenceUID: ct.metadata.frameOfReferenceUID)
        XCTAssertEqual(labels.names, [1: "Kidney", 2: "Lesion"])
        let expected = e["labels"] as! [Int]
        let got = labels.volume.voxels.map(Int.init)
        XCTAssertEqual(got.count, expected.count)
        let wrong = zip(got, expected).filter { $0 != $1 }.count
        XCTAssertEqual(wrong, 0, "voxels whose label differs from the mask given to rt-utils")
        let counts = e["counts"] as! [String: Int]
        XCTAssertEqual(labels.voxelCount(of: 1), counts["1"])
        XCTAssertEqual(labels.voxelCount(of: 2), counts["2"])
    }

    /// highdicom's BINARY SEG (empty frames omitted) read on its own grid and mapped onto the CT grid by
    /// nearest neighbour: the label of every CT voxel equals the mask given to highdicom.
    func testSegFromHighdicomMapsOntoTheCTGrid() throws {
        let (dir, e) = try fixtures()
        let ct = try DicomCTReader.read(folder: dir + "/ct", as: Int16.self)
        let seg = try DicomSegmentationReader.read(file: dir + "/seg.dcm")
        XCTAssertEqual(seg.names, [1: "Kidney", 2: "Lesion"])
        let g = seg.volume.grid, c = ct.volume.grid
        XCTAssertEqual(g.spacing.x, c.spacing.x, accuracy: 1e-9)
        XCTAssertEqual(g.spacing.y, c.spacing.y, accuracy: 1e-9)
        XCTAssertEqual(g.spacing.z, c.spacing.z, accuracy: 1e-9)
        // The SEG's slices are CT slices (its grid starts on one).
        let k0 = c.continuousIndex(world: g.origin)
        XCTAssertEqual(k0.x, 0, accuracy: 1e-6); XCTAssertEqual(k0.y, 0, accuracy: 1e-6)
        XCTAssertEqual(k0.z, k0.z.rounded(), accuracy: 1e-6)
        let onCT = seg.volume.resampled(onto: c, mode: .nearest)
        let expected = e["labels"] as! [Int]
        let wrong = zip(onCT.voxels.map(Int.init), expected).filter { $0 != $1 }.count
        XCTAssertEqual(wrong, 0, "CT voxels whose SEG label differs from the mask given to highdicom")
        let counts = e["counts"] as! [String: Int]
        XCTAssertEqual(seg.voxelCount(of: 1), counts["1"])
        XCTAssertEqual(seg.voxelCount(of: 2), counts["2"])
    }
}
