import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTStore

final class VolumeStoreTests: XCTestCase {
    func testEveryVoxelTypeRoundTripsWithGeometry() throws {
        let dir = try makeTemporaryFolder("volumes")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/v.h5"
        let volumes: [String: AnyVolume] = [
            "u8": AnyVolume(indexCodedVolume(UInt8.self, unit: "label")),
            "i16": AnyVolume(indexCodedVolume(Int16.self, unit: "HU")),
            "u16": AnyVolume(indexCodedVolume(UInt16.self)),
            "i32": AnyVolume(indexCodedVolume(Int32.self)),
            "f32": AnyVolume(indexCodedVolume(Float.self, unit: "Bq/mL")),
            "f64": AnyVolume(indexCodedVolume(Double.self, grid: skewedGrid(shape: SIMD3(7, 1, 2)), unit: "Gy")),
        ]
        XCTAssertEqual(Set(volumes.values.map(\.voxelType)), Set(VoxelType.allCases))
        try H5File.write(to: file) { f in
            for (name, v) in volumes { try f.writeVolume(v, at: name) }
            try f.writeVolume(volumes["f64"]!, at: "/results/dose")
        }
        try H5File.read(file) { f in
            XCTAssertEqual(try f.listVolumes(), ["/results/dose"] + volumes.keys.sorted().map { "/volumes/" + $0 })
            for (name, v) in volumes {
                let back = try f.readVolume(at: "/volumes/" + name)
                XCTAssertEqual(back, v, name)   // exact: grid, direction, unit, type and every voxel
            }
            XCTAssertEqual(try f.readVolume(at: "/results/dose"), volumes["f64"])
            // Storage: [nz][ny][nx], so the last HDF5 dimension is x.
            XCTAssertEqual(try f.datasetInfo(at: "/volumes/i16/data").shape, [3, 4, 5])
            let i16 = try f.readDataset(at: "/volumes/i16/data", as: Int16.self).values
            let expected: Int16 = 1 + 10 * 2 + 100 * 1 - 150    // voxel (i, j, k) = (1, 2, 1)
            XCTAssertEqual(i16[1 + 5 * (2 + 4 * 1)], expected)
            XCTAssertEqual(try f.intsAttribute("shape_xyz", at: "/volumes/i16"), [5, 4, 3])
            XCTAssertEqual(try f.doublesAttribute("spacing_mm", at: "/volumes/i16"), [0.75, 1.5, 2.25])
            XCTAssertEqual(try f.doublesAttribute("direction", at: "/volumes/i16"), skewedGrid().direction.rowMajor)
            XCTAssertEqual(try f.stringAttribute("coordinate_system", at: "/volumes/i16"), "LPS")
            XCTAssertEqual(try f.stringAttribute("voxel_type", at: "/volumes/f32"), "float32")
        }
        XCTAssertEqual(try HDF5Store.readVolume(fromFile: file, volume: "u16"), volumes["u16"])
        XCTAssertThrowsError(try HDF5Store.readVolume(fromFile: file)) { error in
            XCTAssertTrue("\(error)".contains("7 volumes"), "\(error)")
        }
        let single = dir + "/single.h5"
        try HDF5Store.writeVolume(volumes["f32"]!, toFile: single)
        XCTAssertEqual(try HDF5Store.readVolume(fromFile: single), volumes["f32"])
    }

    func testMissingVolumePathNamesFileAndPath() throws {
        let dir = try makeTemporaryFolder("missing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/m.h5"
        try HDF5Store.writeVolume(AnyVolume(indexCodedVolume(Float.self)), toFile: file, at: "ct")
        try H5File.read(file) { f in
            XCTAssertThrowsError(try f.readVolume(at: "/volumes/dose")) { error in
                guard let e = error as? InputError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.source, file)
                XCTAssertEqual(e.field, "/volumes/dose")
                XCTAssertTrue(e.reason.contains("/volumes/ct"), "lists what is there: \(e.reason)")
            }
        }
    }

    func testInconsistentGeometryAndNewerMajorVersionAreRejected() throws {
        let dir = try makeTemporaryFolder("bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/b.h5"
        let v = AnyVolume(indexCodedVolume(Float.self))
        try H5File.write(to: file) { f in
            try f.writeVolume(v, at: "good")
            try f.writeVolume(v, at: "badshape")
            try f.setAttribute("shape_xyz", .ints([3, 4, 5]), at: "/volumes/badshape")
            try f.writeVolume(v, at: "badspacing")
            try f.setAttribute("spacing_mm", .doubles([1, 0, 1]), at: "/volumes/badspacing")
            try f.writeVolume(v, at: "badtype")
            try f.setAttribute("voxel_type", "int16", at: "/volumes/badtype")
        }
        try H5File.read(file) { f in
            XCTAssertEqual(try f.readVolume(at: "good"), v)
            for (name, field) in [("badshape", "shape_xyz"), ("badspacing", "spacing[1]"), ("badtype", "voxel_type")] {
                XCTAssertThrowsError(try f.readVolume(at: name)) { error in
                    let text = "\(error)"
                    XCTAssertTrue(text.contains(file) && text.contains(field), text)
                }
            }
        }
        let future = dir + "/future.h5"
        try H5File.write(to: future) { f in
            try f.writeVolume(v, at: "ct")
            try f.setAttribute("rptdose_format_version", "2.0")
        }
        XCTAssertThrowsError(try HDF5Store.readVolume(fromFile: future)) { error in
            XCTAssertEqual((error as? InputError)?.field, "rptdose_format_version")
        }
    }

    func testInterruptedWriteLeavesNoFileUnderFinalName() throws {
        let dir = try makeTemporaryFolder("atomic")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/out.h5"
        struct Interrupted: Error {}
        XCTAssertThrowsError(try H5File.write(to: file) { f in
            try f.writeVolume(AnyVolume(indexCodedVolume(Double.self)), at: "ct")
            throw Interrupted()
        }) { XCTAssertTrue($0 is Interrupted) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "no final and no temporary file")

        // A writer from create() dropped without commit removes its temporary file.
        do {
            let writer = try H5File.create(file)
            try writer.writeVolume(AnyVolume(indexCodedVolume(UInt8.self)), at: "labels")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).count, 1, "temporary file exists")
            XCTAssertFalse(FileManager.default.fileExists(atPath: file))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])

        // With commit(), the file appears under its final name and nothing else remains.
        let writer = try H5File.create(file)
        try writer.writeVolume(AnyVolume(indexCodedVolume(UInt8.self)), at: "labels")
        try writer.commit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["out.h5"])
        XCTAssertEqual(try HDF5Store.readVolume(fromFile: file), AnyVolume(indexCodedVolume(UInt8.self)))
        XCTAssertThrowsError(try writer.commit())
        XCTAssertThrowsError(try H5File.create(dir + "/no/such/folder/x.h5"))
    }

    func testChunkShapeKeepsChunksNearOneMebibyte() {
        XCTAssertEqual(H5File.volumeChunkShape(shapeXYZ: SIMD3(5, 4, 3), bytesPerVoxel: 4), [3, 4, 5])
        XCTAssertEqual(H5File.volumeChunkShape(shapeXYZ: SIMD3(512, 512, 300), bytesPerVoxel: 4), [1, 512, 512])
        XCTAssertEqual(H5File.volumeChunkShape(shapeXYZ: SIMD3(128, 128, 200), bytesPerVoxel: 4), [16, 128, 128])
    }
}
