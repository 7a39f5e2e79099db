import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTImageIO

/// Write → read for every format and every voxel type: geometry within 1e-6 mm, values identical.
final class RoundTripTests: XCTestCase {
    func roundTrip(_ name: String, grid: Grid3D, options: ImageWriteOptions = .init(),
                   file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try makeTemporaryFolder("rt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for type in VoxelType.allCases {
            let original = sampleVolume(type, grid: grid)
            let path = dir + "/\(type.rawValue)-" + name
            try ImageIO.write(original, to: path, options: options)
            let header = try ImageIO.readHeader(path)
            XCTAssertEqual(header.voxelType, type, "\(name)", file: file, line: line)
            XCTAssertNil(header.scaling, file: file, line: line)
            assertSameGeometry(header.grid, grid, "\(name) \(type) header", file: file, line: line)
            let back = try ImageIO.read(path)
            XCTAssertEqual(back.voxelType, type, "\(name)", file: file, line: line)
            XCTAssertEqual(back.unit, original.unit, "\(name) unit", file: file, line: line)
            assertSameGeometry(back.grid, grid, "\(name) \(type)", file: file, line: line)
            XCTAssertEqual(back.asDouble.voxels, original.asDouble.voxels, "\(name) \(type) values", file: file, line: line)
        }
    }

    func testNiftiRotated() throws { try roundTrip("img.nii", grid: rotatedGrid) }
    func testNiftiReflected() throws { try roundTrip("img.nii", grid: reflectedGrid) }
    func testNiftiGzRotated() throws { try roundTrip("img.nii.gz", grid: rotatedGrid) }
    func testMetaImageRawRotated() throws { try roundTrip("img.mhd", grid: rotatedGrid) }
    func testMetaImageZrawRotated() throws {
        try roundTrip("img.mhd", grid: rotatedGrid, options: ImageWriteOptions(compressMetaImage: true))
    }
    func testMetaImageLocalRotated() throws { try roundTrip("img.mha", grid: rotatedGrid) }
    func testMetaImageLocalCompressed() throws {
        try roundTrip("img.mha", grid: reflectedGrid, options: ImageWriteOptions(compressMetaImage: true))
    }
    func testInterfile() throws { try roundTrip("img.h33", grid: axisAlignedGrid) }

    /// MetaImage stores doubles as text: geometry of any value comes back exactly.
    func testMetaImageGeometryIsExact() throws {
        let dir = try makeTemporaryFolder("mhd-exact")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var g = rotatedGrid
        g.origin = SIMD3(-123.456789012345, 0.1, 1e-3)
        g.spacing = SIMD3(0.976562, 0.976562, 2.5)
        try ImageIO.write(sampleVolume(.float32, grid: g), to: dir + "/x.mhd")
        let back = try ImageIO.readHeader(dir + "/x.mhd")
        XCTAssertEqual(back.grid, g)
    }

    /// Files written as .mhd name their data file relative to the header and sit next to it.
    func testMetaImageWritesRawThenHeader() throws {
        let dir = try makeTemporaryFolder("mhd-files")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ImageIO.write(sampleVolume(.int16, grid: rotatedGrid), to: dir + "/ct.mhd")
        try ImageIO.write(sampleVolume(.int16, grid: rotatedGrid), to: dir + "/ctz.mhd",
                          options: ImageWriteOptions(compressMetaImage: true))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(),
                       ["ct.mhd", "ct.raw", "ctz.mhd", "ctz.zraw"])
        let text = try String(contentsOfFile: dir + "/ct.mhd", encoding: .utf8)
        XCTAssertTrue(text.contains("ElementDataFile = ct.raw\n"))
        XCTAssertTrue(text.hasSuffix("ElementDataFile = ct.raw\n"), "ElementDataFile must be the last key")
        let rawSize = try FileManager.default.attributesOfItem(atPath: dir + "/ct.raw")[.size] as? Int
        XCTAssertEqual(rawSize, rotatedGrid.voxelCount * 2)
    }
}
