import Foundation
import RPTCore
import RPTVolume
import XCTest
@testable import RPTDicom

final class EmissionAndStructureTests: XCTestCase {
    func testMultiFrameNMWithRealWorldValueMapping() throws {
        let fx = try Pydicom.fixtures()
        let e = fx.section("nm")
        let nm = try DicomEmissionReader.readMultiFrame(file: fx.path("nm_rwv.dcm"))
        XCTAssertEqual(nm.quantity, .becquerelPerML)
        XCTAssertFalse(nm.quantity.needsCalibration)
        XCTAssertEqual(nm.volume.unit, "Bq/mL")
        let g = nm.volume.grid
        XCTAssertEqual([g.shape.x, g.shape.y, g.shape.z], e["shape"] as! [Int])
        let spacing = doubles(e["spacing"]), origin = doubles(e["origin"])
        for a in 0..<3 {
            XCTAssertEqual(g.spacing[a], spacing[a], accuracy: 1e-9)
            XCTAssertEqual(g.origin[a], origin[a], accuracy: 1e-9)
        }
        let expected = doubles(e["bqml"])
        for (a, b) in zip(nm.volume.voxels, expected) { XCTAssertEqual(Double(a), b, accuracy: 1e-3 * max(1, b) * 1e-3) }
        XCTAssertEqual(nm.radiopharmaceuticals.count, 1)
        let rp = nm.radiopharmaceuticals[0]
        XCTAssertEqual(rp.totalActivityBq ?? 0, e["totalBq"] as! Double, accuracy: 1, "NM stores MBq")
        XCTAssertEqual(rp.radiopharmaceutical, "Lu-177 DOTATATE")
        XCTAssertEqual(rp.radionuclide, "^177^Lutetium")
        XCTAssertEqual(rp.halfLifeSeconds, 574300)
        XCTAssertEqual(rp.injectionDate, ISO8601DateFormatter().date(from: e["injection"] as! String))
        XCTAssertEqual(nm.acquisitionDate, ISO8601DateFormatter().date(from: "2024-01-03T10:00:00Z"))

        let counts = try DicomEmissionReader.readMultiFrame(file: fx.path("nm_counts.dcm"))
        XCTAssertEqual(counts.quantity, .counts)
        XCTAssertTrue(counts.quantity.needsCalibration)
        XCTAssertEqual(counts.volume.voxels.map(Double.init), doubles(e["counts"]))
    }

    func testPTSliceSeriesInBecquerelPerML() throws {
        let fx = try Pydicom.fixtures()
        let e = fx.section("pt")
        let pt = try DicomEmissionReader.readSeries(folder: fx.path("pt"))
        XCTAssertEqual(pt.quantity, .becquerelPerML)
        XCTAssertEqual(pt.volume.unit, "Bq/mL")
        XCTAssertEqual(pt.volume.grid.shape, SIMD3(10, 8, 3))
        XCTAssertEqual(pt.volume.grid.spacing.z, 3.27, accuracy: 1e-9)
        let expected = doubles(e["bqml"])
        for (a, b) in zip(pt.volume.voxels, expected) { XCTAssertEqual(Double(a), b, accuracy: 1e-6 * max(1, b)) }
        XCTAssertEqual(pt.radiopharmaceuticals.first?.totalActivityBq ?? 0, e["totalBq"] as! Double, accuracy: 1, "PET stores Bq")
        XCTAssertEqual(pt.radiopharmaceuticals.first?.injectionDate, ISO8601DateFormatter().date(from: e["injection"] as! String))
    }

    func testRTStructRingWithHoleGivesExactVoxelCounts() throws {
        let fx = try Pydicom.fixtures()
        let e = fx.section("rtstruct")
        let ct = try DicomCTReader.read(folder: fx.path("ct"), as: Int16.self)
        let rs = try RTStructureSet.read(fx.path("rtstruct.dcm"))
        XCTAssertEqual(rs.rois.map(\.name), ["Ring", "Box"])
        let labels = try rs.rasterize(onto: ct.volume.grid, frameOfReferenceUID: ct.metadata.frameOfReferenceUID)
        XCTAssertEqual(labels.names, [1: "Ring", 2: "Box"])
        XCTAssertEqual(labels.voxelCount(of: 1), e["Ring"] as! Int)
        XCTAssertEqual(labels.voxelCount(of: 2), e["Box"] as! Int)
        XCTAssertEqual(labels.volume.voxels.map(Int.init), e["labels"] as! [Int])
        // Only one ROI, by name.
        let ring = try rs.rasterize(onto: ct.volume.grid, roiNames: ["Ring"])
        XCTAssertEqual(ring.voxelCount(of: 1), e["Ring"] as! Int)
        XCTAssertThrowsError(try rs.rasterize(onto: ct.volume.grid, roiNames: ["Liver"]))
        XCTAssertThrowsError(try rs.rasterize(onto: ct.volume.grid, frameOfReferenceUID: "1.2.3"))
    }

    func testSegmentationLabelCounts() throws {
        let fx = try Pydicom.fixtures()
        let e = fx.section("seg")
        let seg = try DicomSegmentationReader.read(file: fx.path("seg.dcm"))
        XCTAssertEqual(seg.names, [1: "Liver", 2: "Tumour"])
        let g = seg.volume.grid
        XCTAssertEqual([g.shape.x, g.shape.y, g.shape.z], e["shape"] as! [Int])
        let spacing = doubles(e["spacing"]), origin = doubles(e["origin"])
        for a in 0..<3 {
            XCTAssertEqual(g.spacing[a], spacing[a], accuracy: 1e-9)
            XCTAssertEqual(g.origin[a], origin[a], accuracy: 1e-9)
        }
        XCTAssertEqual(seg.voxelCount(of: 1), e["Liver"] as! Int)
        XCTAssertEqual(seg.voxelCount(of: 2), e["Tumour"] as! Int)
        XCTAssertEqual(seg.volume.voxels.map(Int.init), e["labels"] as! [Int])
    }
}
