import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTImageIO

/// MetaImage and Interfile header conventions, checked on hand-written headers.
final class HeaderConventionTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws { dir = try makeTemporaryFolder("conv") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ text: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// ITK convention: TransformMatrix numbers 3i…3i+2 are the direction of index axis i.
    func testTransformMatrixTriplesAreAxisDirections() throws {
        try Data([UInt8](repeating: 1, count: 8)).write(to: URL(fileURLWithPath: dir + "/t.raw"))
        let path = try write("""
            ObjectType = Image
            NDims = 3
            TransformMatrix = 0 1 0 -1 0 0 0 0 1
            Origin = 1 2 3
            ElementSpacing = 2 3 4
            DimSize = 2 2 2
            ElementType = MET_UCHAR
            ElementDataFile = t.raw

            """, "t.mhd")
        let g = try ImageIO.readHeader(path).grid
        XCTAssertEqual(g.direction.c0, SIMD3(0, 1, 0))
        XCTAssertEqual(g.direction.c1, SIMD3(-1, 0, 0))
        XCTAssertEqual(g.direction.c2, SIMD3(0, 0, 1))
        XCTAssertEqual(g.origin, SIMD3(1, 2, 3))
        // Voxel (1, 0, 0) lies one spacing along axis 0's direction.
        XCTAssertEqual(g.world(continuousIndex: SIMD3(1, 0, 0)), SIMD3(1, 4, 3))
    }

    /// The writer uses the same convention: the first triple written is axis 0's direction.
    func testWriterListsAxisDirections() throws {
        try ImageIO.write(sampleVolume(.uint8, grid: rotatedGrid), to: dir + "/w.mhd")
        let text = try String(contentsOfFile: dir + "/w.mhd", encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix("TransformMatrix") }!
        let nums = line.split(separator: "=")[1].split(separator: " ").compactMap { Double($0) }
        let d = rotatedGrid.direction
        XCTAssertEqual(nums, [d.c0.x, d.c0.y, d.c0.z, d.c1.x, d.c1.y, d.c1.z, d.c2.x, d.c2.y, d.c2.z])
    }

    /// Big-endian MetaImage data and the Position alias.
    func testBigEndianMetaImage() throws {
        let values: [Int16] = [-2, 300, 5, -32768, 0, 1, 2, 3]
        let raw = values.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) }
        try Data(raw).write(to: URL(fileURLWithPath: dir + "/b.raw"))
        let path = try write("""
            NDims = 3
            DimSize = 2 2 2
            ElementSpacing = 1 1 1
            Position = -1 -2 -3
            ElementByteOrderMSB = True
            ElementType = MET_SHORT
            ElementDataFile = b.raw
            """, "b.mhd")
        guard case .int16(let v) = try ImageIO.read(path) else { return XCTFail("expected int16") }
        XCTAssertEqual(v.voxels, values)
        XCTAssertEqual(v.grid.origin, SIMD3(-1, -2, -3))
    }

    /// Interfile keys match regardless of '!', case and spacing; BIGENDIAN data; slice thickness
    /// read as mm when there is no scaling factor [3]; data offset honoured.
    func testInterfileTolerantKeys() throws {
        let values: [Int16] = [-5, 4, 3, 2, 1, 0, -1, 1000]
        let raw = [UInt8](repeating: 0xEE, count: 16) + values.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) }
        try Data(raw).write(to: URL(fileURLWithPath: dir + "/k.img"))
        let path = try write("""
            !INTERFILE:=
            MATRIX SIZE[1] := 2
            !matrix   size [2]:=2
            !Number Of Slices := 2
            number format := Signed Integer ; a comment
            !number of bytes per pixel := 2
            IMAGEDATA BYTE ORDER := BIGENDIAN
            !name of data file := k.img
            data offset in bytes := 16
            Scaling Factor (mm/pixel) [1] := 1.25
            scaling factor (mm/pixel)[2] := 1.5
            slice thickness (pixels) := 2.75
            !END OF INTERFILE :=
            """, "k.h33")
        guard case .int16(let v) = try ImageIO.read(path) else { return XCTFail("expected int16") }
        XCTAssertEqual(v.voxels, values)
        XCTAssertEqual(v.grid.spacing, SIMD3(1.25, 1.5, 2.75))
        XCTAssertEqual(v.grid.origin, .zero)
        XCTAssertEqual(v.grid.direction, .identity)
    }
}
