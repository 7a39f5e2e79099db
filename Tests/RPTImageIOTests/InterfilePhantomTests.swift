import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTImageIO

/// Reads the Lu-177 patient15 phantom (phantoms/lu177-patient15) and checks it
/// against the numbers in its README: shape, voxel size and label voxel counts.
final class InterfilePhantomTests: XCTestCase {
    func testSourceImageMatchesREADME() throws {
        let path = try projectFile("phantoms/lu177-patient15/patient15_LuDOTATATE_src.h33")
        let header = try ImageIO.readHeader(path)
        XCTAssertEqual(header.format, .interfile)
        XCTAssertEqual(header.storedVoxelType, .uint16)
        XCTAssertEqual(header.grid.shape, SIMD3(108, 70, 90))
        XCTAssertEqual(header.grid.spacing.x, 3.9063, accuracy: 1e-12)
        XCTAssertEqual(header.grid.spacing.y, 3.9063, accuracy: 1e-12)
        XCTAssertEqual(header.grid.spacing.z, 4.4196, accuracy: 1e-12, "slice thickness (pixels) holds mm")
        XCTAssertEqual(header.grid.origin, .zero)
        XCTAssertEqual(header.grid.direction, .identity)
        guard case .uint16(let v) = try ImageIO.read(path) else { return XCTFail("expected uint16") }
        var counts: [UInt16: Int] = [:]
        for x in v.voxels where x >= 15000 { counts[x, default: 0] += 1 }
        // README table: liver, spleen, left kidney, right kidney, tumours 1–3.
        let expected: [UInt16: Int] = [15000: 15381, 16000: 1535, 17000: 2052, 18000: 2493,
                                       19000: 93, 20000: 55, 21000: 90]
        XCTAssertEqual(counts, expected)
    }

    func testAttenuationImageReads() throws {
        let path = try projectFile("phantoms/lu177-patient15/patient15_LuDOTATATE_attn.h33")
        let v = try ImageIO.read(path)
        XCTAssertEqual(v.voxelType, .uint16)
        XCTAssertEqual(v.grid.voxelCount, 108 * 70 * 90)
        // README's value-to-material table ends with the carbon-fibre bed at 3000–3050.
        XCTAssertLessThanOrEqual(v.valueRange.upperBound, 3050)
    }

    /// The phantom survives Interfile → NIfTI → MetaImage → Interfile: values identical, geometry
    /// within NIfTI's float32 precision (3.9063 mm is stored as 3.90630007 mm).
    func testPhantomThroughEveryFormat() throws {
        let path = try projectFile("phantoms/lu177-patient15/patient15_LuDOTATATE_src.h33")
        let dir = try makeTemporaryFolder("phantom")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let original = try ImageIO.read(path)
        var current = original
        for name in ["p.nii.gz", "p.mhd", "p.h33"] {
            try ImageIO.write(current, to: dir + "/" + name)
            current = try ImageIO.read(dir + "/" + name)
        }
        XCTAssertEqual(current.voxelType, original.voxelType)
        XCTAssertTrue(current.asDouble.voxels == original.asDouble.voxels, "voxel values differ")
        assertSameGeometry(current.grid, original.grid, tolerance: 1e-6)
    }
}
