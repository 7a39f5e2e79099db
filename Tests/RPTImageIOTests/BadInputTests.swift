import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTImageIO

/// Every bad input gives an `InputError` naming the file, the field and the value.
final class BadInputTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws { dir = try makeTemporaryFolder("bad") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ text: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func truncate(_ path: String, by n: Int) throws {
        var d = try Data(contentsOf: URL(fileURLWithPath: path))
        d.removeLast(n)
        try d.write(to: URL(fileURLWithPath: path))
    }

    func testMissingFile() {
        for name in ["none.nii", "none.nii.gz", "none.mhd", "none.h33"] {
            assertInputError(try ImageIO.read(dir + "/" + name), field: "file", mentions: [name, "does not exist"])
        }
    }

    func testFolderInsteadOfFile() throws {
        try FileManager.default.createDirectory(atPath: dir + "/x.nii", withIntermediateDirectories: false)
        assertInputError(try ImageIO.read(dir + "/x.nii"), field: "file", mentions: ["folder"])
    }

    func testMissingDataFileNamedInHeader() throws {
        try ImageIO.write(sampleVolume(.uint8, grid: rotatedGrid), to: dir + "/m.mhd")
        try FileManager.default.removeItem(atPath: dir + "/m.raw")
        assertInputError(try ImageIO.read(dir + "/m.mhd"), field: "file", mentions: ["m.raw", "does not exist"])
    }

    func testUnknownExtension() {
        assertInputError(try ImageIO.read(dir + "/scan.img"), field: "extension",
                         mentions: [".img", ".nii", ".nii.gz", ".mhd", ".mha", ".h33"])
        assertInputError(try ImageIO.write(sampleVolume(.uint8, grid: axisAlignedGrid), to: dir + "/scan.dcm"),
                         field: "extension", mentions: [".dcm"])
    }

    func testTruncatedNifti() throws {
        let path = dir + "/t.nii"
        try ImageIO.write(sampleVolume(.int16, grid: rotatedGrid), to: path)
        try truncate(path, by: 10)
        let expected = rotatedGrid.voxelCount * 2
        assertInputError(try ImageIO.read(path), field: "voxel data",
                         mentions: ["truncated", "\(expected) bytes", "\(expected - 10)"])
    }

    func testTruncatedNiftiHeader() throws {
        let path = try write("short", "h.nii")
        assertInputError(try ImageIO.read(path), field: "header", mentions: ["348"])
    }

    func testTruncatedGzipStream() throws {
        let path = dir + "/t.nii.gz"
        try ImageIO.write(sampleVolume(.float64, grid: rotatedGrid), to: path)
        let intact = try Data(contentsOf: URL(fileURLWithPath: path))
        try truncate(path, by: 40)
        assertInputError(try ImageIO.read(path), field: "gzip", mentions: ["t.nii.gz", "truncated"])
        // Only the gzip trailer (CRC-32 and length) cut: the data are complete but the stream is not.
        try intact.dropLast(4).write(to: URL(fileURLWithPath: path))
        assertInputError(try ImageIO.read(path), field: "gzip", mentions: ["t.nii.gz", "truncated"])
    }

    func testTruncatedRaw() throws {
        let path = dir + "/r.mhd"
        try ImageIO.write(sampleVolume(.float32, grid: rotatedGrid), to: path)
        try truncate(dir + "/r.raw", by: 4)
        let expected = rotatedGrid.voxelCount * 4
        assertInputError(try ImageIO.read(path), field: "voxel data",
                         mentions: ["r.raw", "truncated", "\(expected) bytes", "\(expected - 4)"])
    }

    func testTruncatedZraw() throws {
        let path = dir + "/z.mhd"
        try ImageIO.write(sampleVolume(.float32, grid: rotatedGrid), to: path, options: .init(compressMetaImage: true))
        try truncate(dir + "/z.zraw", by: 20)
        assertInputError(try ImageIO.read(path), field: "compressed data", mentions: ["z.zraw", "truncated"])
    }

    func testTruncatedInterfileData() throws {
        let path = dir + "/i.h33"
        try ImageIO.write(sampleVolume(.uint16, grid: axisAlignedGrid), to: path)
        try truncate(dir + "/i.i33", by: 2)
        assertInputError(try ImageIO.read(path), field: "voxel data", mentions: ["i.i33", "truncated"])
    }

    func testDataLongerThanHeaderSays() throws {
        let path = dir + "/l.mhd"
        try ImageIO.write(sampleVolume(.uint8, grid: rotatedGrid), to: path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/l.raw"))
        try handle.seekToEnd(); try handle.write(contentsOf: Data([1, 2, 3])); try handle.close()
        let n = rotatedGrid.voxelCount
        assertInputError(try ImageIO.read(path), field: "voxel data", mentions: ["mismatch", "\(n) bytes", "\(n + 3)"])
    }

    func testZrawLongerThanHeaderSays() throws {
        // A stream of 61 voxels' bytes under a header announcing 60.
        let g = Grid3D(shape: SIMD3(61, 1, 1), spacing: SIMD3(1, 1, 1))
        try ImageIO.write(sampleVolume(.uint8, grid: g), to: dir + "/big.mhd", options: .init(compressMetaImage: true))
        let text = try String(contentsOfFile: dir + "/big.mhd", encoding: .utf8)
        let path = try write(text.replacingOccurrences(of: "DimSize = 61 1 1", with: "DimSize = 60 1 1"), "small.mhd")
        try FileManager.default.moveItem(atPath: dir + "/big.zraw", toPath: dir + "/small.zraw")
        let fixed = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "big.zraw", with: "small.zraw")
        try fixed.write(toFile: path, atomically: false, encoding: .utf8)
        assertInputError(try ImageIO.read(path), field: "compressed data", mentions: ["mismatch", "60 bytes"])
    }

    func testUnsupportedNiftiDatatype() throws {
        var f = TestNiftiFile()
        f.datatype = 128; f.bitpix = 24
        let path = dir + "/rgb.nii"
        try f.bytes(data: [UInt8](repeating: 0, count: 24)).write(to: URL(fileURLWithPath: path))
        assertInputError(try ImageIO.read(path), field: "datatype", mentions: ["128", "RGB24", "rgb.nii"])
    }

    func testUnsupportedMetaImageType() throws {
        let path = try write("NDims = 3\nDimSize = 2 2 2\nElementSpacing = 1 1 1\nElementType = MET_LONG\n"
                             + "ElementDataFile = x.raw\n", "l.mhd")
        assertInputError(try ImageIO.readHeader(path), field: "ElementType", mentions: ["MET_LONG", "MET_UCHAR"])
    }

    func testUnsupportedInterfileType() throws {
        let path = try write("!INTERFILE :=\n!matrix size [1] := 2\n!matrix size [2] := 2\n!number of slices := 2\n"
                             + "!number format := unsigned integer\n!number of bytes per pixel := 4\n"
                             + "scaling factor (mm/pixel) [1] := 1\nscaling factor (mm/pixel) [2] := 1\n"
                             + "slice thickness (pixels) := 1\n!name of data file := x.i33\n", "u.h33")
        assertInputError(try ImageIO.readHeader(path), field: "number format", mentions: ["unsigned integer / 4"])
    }

    func testNonOrthogonalMetaImageDirection() throws {
        let path = try write("NDims = 3\nDimSize = 2 2 2\nElementSpacing = 1 1 1\n"
                             + "TransformMatrix = 1 0 0 0.5 1 0 0 0 1\nElementType = MET_UCHAR\n"
                             + "ElementDataFile = x.raw\n", "s.mhd")
        assertInputError(try ImageIO.readHeader(path), field: "direction", mentions: ["orthonormal", "s.mhd"])
    }

    func testNonOrthogonalNiftiSform() throws {
        var f = TestNiftiFile()
        f.sformCode = 1
        f.srow = [[1, 0.3, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]
        let path = dir + "/shear.nii"
        try f.bytes(data: f.encode([Int16](repeating: 0, count: 8))).write(to: URL(fileURLWithPath: path))
        assertInputError(try ImageIO.read(path), field: "direction", mentions: ["orthonormal"])
    }

    func testNonOrthogonalDirectionOnWrite() {
        var g = axisAlignedGrid
        g.direction = Matrix3(columns: SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(0, 0, 1))
        for name in ["w.nii", "w.mhd"] {
            assertInputError(try ImageIO.write(sampleVolume(.uint8, grid: g), to: dir + "/" + name), field: "direction")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/" + name))
        }
    }

    func testNiftiTimeSeriesRejected() throws {
        var f = TestNiftiFile()
        f.dim = [4, 2, 2, 2, 3, 1, 1, 1]
        let path = dir + "/4d.nii"
        try f.bytes(data: f.encode([Int16](repeating: 0, count: 24))).write(to: URL(fileURLWithPath: path))
        assertInputError(try ImageIO.read(path), field: "dim[4]", mentions: ["3", "only 3-D"])
    }

    func testNiftiBadSizeofHdr() throws {
        var d = TestNiftiFile().bytes(data: [UInt8](repeating: 0, count: 16))
        d[0] = 0x1C; d[1] = 0x02 // 540: NIfTI-2
        let path = dir + "/n2.nii"
        try d.write(to: URL(fileURLWithPath: path))
        assertInputError(try ImageIO.read(path), field: "sizeof_hdr", mentions: ["540", "NIfTI-2"])
    }

    func testNiftiPairMagicRejected() throws {
        var f = TestNiftiFile()
        f.magic = "ni1"
        let path = dir + "/pair.nii"
        try f.bytes(data: []).write(to: URL(fileURLWithPath: path))
        assertInputError(try ImageIO.read(path), field: "magic", mentions: ["ni1"])
    }

    func testMissingMetaImageKeys() throws {
        let noDims = try write("NDims = 3\nElementSpacing = 1 1 1\nElementType = MET_UCHAR\nElementDataFile = x.raw\n", "a.mhd")
        assertInputError(try ImageIO.readHeader(noDims), field: "DimSize", mentions: ["missing"])
        let noFile = try write("NDims = 3\nDimSize = 2 2 2\nElementSpacing = 1 1 1\nElementType = MET_UCHAR\n", "b.mhd")
        assertInputError(try ImageIO.readHeader(noFile), field: "ElementDataFile", mentions: ["missing"])
        let noSpacing = try write("NDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = x.raw\n", "c.mhd")
        assertInputError(try ImageIO.readHeader(noSpacing), field: "ElementSpacing", mentions: ["missing"])
        let badDims = try write("NDims = 3\nDimSize = 2 2\nElementSpacing = 1 1 1\nElementType = MET_UCHAR\nElementDataFile = x.raw\n", "d.mhd")
        assertInputError(try ImageIO.readHeader(badDims), field: "DimSize", mentions: ["2 2", "3 finite"])
    }

    func testMissingInterfileKeys() throws {
        let path = try write("!INTERFILE :=\n!matrix size [2] := 2\n!number of slices := 2\n", "k.h33")
        assertInputError(try ImageIO.readHeader(path), field: "matrix size [1]", mentions: ["missing", "k.h33"])
        let noSlice = try write("!INTERFILE :=\n!matrix size [1] := 2\n!matrix size [2] := 2\n!number of slices := 2\n"
                                + "scaling factor (mm/pixel) [1] := 1\nscaling factor (mm/pixel) [2] := 1\n", "s.h33")
        assertInputError(try ImageIO.readHeader(noSlice), field: "slice thickness", mentions: ["missing"])
        let notInterfile = try write("matrix size [1] := 2\n", "n.h33")
        assertInputError(try ImageIO.readHeader(notInterfile), field: "INTERFILE")
    }

    func testInterfileMultiFrameRejected() throws {
        let path = try write("!INTERFILE :=\n!matrix size [1] := 2\n!matrix size [2] := 2\n!number of slices := 2\n"
                             + "!total number of images := 4\n", "f.h33")
        assertInputError(try ImageIO.readHeader(path), field: "total number of images", mentions: ["4"])
    }

    func testInterfileRefusesToDropPlacementUnlessAsked() throws {
        let v = sampleVolume(.int16, grid: rotatedGrid)
        assertInputError(try ImageIO.write(v, to: dir + "/p.h33"), field: "grid", mentions: ["origin"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/p.h33"))
        try ImageIO.write(v, to: dir + "/p.h33", options: .init(discardInterfilePlacement: true))
        let back = try ImageIO.read(dir + "/p.h33")
        XCTAssertEqual(back.grid.origin, .zero)
        XCTAssertEqual(back.grid.spacing, rotatedGrid.spacing)
        XCTAssertEqual(back.asDouble.voxels, v.asDouble.voxels)
    }
}
