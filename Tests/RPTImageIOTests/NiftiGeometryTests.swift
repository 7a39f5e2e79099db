import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTImageIO

/// NIfTI orientation, byte order and scaling, checked against hand-built files and hand-computed
/// expectations rather than against the production writer alone.
final class NiftiGeometryTests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws { dir = try makeTemporaryFolder("nifti") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func le32(_ b: [UInt8], _ o: Int) -> Double {
        Double(Float(bitPattern: UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24))
    }
    func le16(_ b: [UInt8], _ o: Int) -> Int { Int(Int16(bitPattern: UInt16(b[o]) | UInt16(b[o + 1]) << 8)) }

    /// The sform written must be the RAS affine: rows x and y of (D·diag(spacing) | origin) negated.
    func testWrittenSformIsRASAffineAndCodesAreScanner() throws {
        let path = dir + "/a.nii"
        try ImageIO.write(sampleVolume(.float32, grid: rotatedGrid), to: path)
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(le16(b, 252), 1, "qform_code")
        XCTAssertEqual(le16(b, 254), 1, "sform_code")
        XCTAssertEqual(b[123], 10, "xyzt_units = mm | s")
        XCTAssertEqual(Array(b[344..<348]), Array("n+1".utf8) + [0])
        let g = rotatedGrid
        for row in 0..<3 {
            let sign: Double = row < 2 ? -1 : 1
            for c in 0..<3 {
                let lps = g.direction[column: c][row] * g.spacing[c]
                XCTAssertEqual(le32(b, 280 + 16 * row + 4 * c), sign * lps, accuracy: 1e-5, "srow[\(row)][\(c)]")
            }
            XCTAssertEqual(le32(b, 280 + 16 * row + 12), sign * g.origin[row], accuracy: 1e-5, "srow[\(row)][3]")
        }
    }

    /// With sform_code set to 0 the qform alone must give the same grid (quaternion and qfac right).
    func testQformAloneReproducesGrid() throws {
        for (name, grid) in [("rot", rotatedGrid), ("refl", reflectedGrid), ("axis", axisAlignedGrid)] {
            let path = dir + "/\(name).nii"
            try ImageIO.write(sampleVolume(.int16, grid: grid), to: path)
            var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            b[254] = 0; b[255] = 0
            try Data(b).write(to: URL(fileURLWithPath: path))
            assertSameGeometry(try ImageIO.readHeader(path).grid, grid, name)
        }
    }

    /// qform only, 90° about z (b = c = 0, d = sin 45°), qfac = −1: RAS axes i → +y, j → −x, k → −z;
    /// negating x and y gives the LPS axes i → (0, −1, 0), j → (1, 0, 0), k → (0, 0, −1).
    func testHandBuiltQform() throws {
        var f = TestNiftiFile()
        f.qformCode = 1
        f.pixdim = [-1, 2, 3, 4, 1, 1, 1, 1]
        f.quatern = [0, 0, 0.5.squareRoot()]
        f.qoffset = [10, -20, 30]
        let path = dir + "/q.nii"
        try f.bytes(data: f.encode([Int16](1...8))).write(to: URL(fileURLWithPath: path))
        let expected = Grid3D(shape: SIMD3(2, 2, 2), spacing: SIMD3(2, 3, 4), origin: SIMD3(-10, 20, 30),
                              direction: Matrix3(columns: SIMD3(0, -1, 0), SIMD3(1, 0, 0), SIMD3(0, 0, -1)))
        let v = try ImageIO.read(path)
        assertSameGeometry(v.grid, expected)
        XCTAssertEqual(v.asDouble.voxels, (1...8).map(Double.init))
    }

    /// Neither qform nor sform: spacing from pixdim, RAS axes → LPS direction diag(−1, −1, 1), origin 0.
    func testPixdimOnly() throws {
        var f = TestNiftiFile()
        f.pixdim = [0, 2, 3, 4, 1, 1, 1, 1]
        let path = dir + "/p.nii"
        try f.bytes(data: f.encode([Int16](repeating: 0, count: 8))).write(to: URL(fileURLWithPath: path))
        let expected = Grid3D(shape: SIMD3(2, 2, 2), spacing: SIMD3(2, 3, 4),
                              direction: Matrix3(columns: SIMD3(-1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 0, 1)))
        assertSameGeometry(try ImageIO.readHeader(path).grid, expected)
    }

    /// Big-endian header and data, sform with a permutation, spatial unit metres (×1000).
    func testBigEndianSformInMetres() throws {
        var f = TestNiftiFile()
        f.bigEndian = true
        f.datatype = 16; f.bitpix = 32
        f.sformCode = 2
        f.xyztUnits = 1 // metres
        f.srow = [[0, 0, -0.004, 0.1], [0.002, 0, 0, -0.05], [0, 0.003, 0, 0.025]]
        let values: [Float] = [1.5, -2.25, 3, 1e6, -0.125, 7, 8, 9]
        let path = dir + "/be.nii"
        try f.bytes(data: f.encode(values)).write(to: URL(fileURLWithPath: path))
        // RAS columns (mm): i → (0, 2, 0), j → (0, 0, 3), k → (−4, 0, 0); LPS negates x, y.
        let expected = Grid3D(shape: SIMD3(2, 2, 2), spacing: SIMD3(2, 3, 4), origin: SIMD3(-100, 50, 25),
                              direction: Matrix3(columns: SIMD3(0, -1, 0), SIMD3(0, 0, 1), SIMD3(1, 0, 0)))
        let v = try ImageIO.read(path)
        XCTAssertEqual(v.voxelType, .float32)
        assertSameGeometry(v.grid, expected, tolerance: 1e-4) // metres in float32: ~1e-5 mm rounding
        XCTAssertEqual(v.asDouble.voxels, values.map(Double.init))
    }

    func testBigEndianInt16() throws {
        var f = TestNiftiFile()
        f.bigEndian = true
        let values: [Int16] = [-32768, -1, 0, 1, 255, 256, 4097, 32767]
        let path = dir + "/be16.nii"
        try f.bytes(data: f.encode(values)).write(to: URL(fileURLWithPath: path))
        guard case .int16(let v) = try ImageIO.read(path) else { return XCTFail("expected int16") }
        XCTAssertEqual(v.voxels, values)
    }

    /// scl_slope/scl_inter are applied and the result is float64; slope 0 or (1, 0) means no scaling.
    func testScaling() throws {
        let stored: [Int16] = [-3, 0, 5, 100, -200, 7, 8, 32767]
        var f = TestNiftiFile()
        f.sclSlope = 0.5; f.sclInter = -10
        let path = dir + "/s.nii"
        try f.bytes(data: f.encode(stored)).write(to: URL(fileURLWithPath: path))
        let h = try ImageIO.readHeader(path)
        XCTAssertEqual(h.scaling, ValueScaling(slope: 0.5, intercept: -10))
        XCTAssertEqual(h.storedVoxelType, .int16)
        XCTAssertEqual(h.voxelType, .float64)
        guard case .float64(let v) = try ImageIO.read(path) else { return XCTFail("expected float64") }
        XCTAssertEqual(v.voxels, stored.map { Double($0) * 0.5 - 10 })

        for (slope, inter) in [(0.0, 5.0), (1.0, 0.0)] {
            f.sclSlope = slope; f.sclInter = inter
            try f.bytes(data: f.encode(stored)).write(to: URL(fileURLWithPath: path))
            guard case .int16(let u) = try ImageIO.read(path) else { return XCTFail("expected int16 for \(slope)") }
            XCTAssertEqual(u.voxels, stored)
        }
    }

    /// dim[0] = 4 with dim[4] = 1 is a 3-D image.
    func testFourthDimensionOfOneIsAccepted() throws {
        var f = TestNiftiFile()
        f.dim = [4, 2, 2, 2, 1, 1, 1, 1]
        let path = dir + "/d4.nii"
        try f.bytes(data: f.encode([Int16](repeating: 3, count: 8))).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try ImageIO.read(path).grid.shape, SIMD3(2, 2, 2))
    }

    /// A gzip stream is read through zlib: gzip a hand-built file with the system gzip tool when present.
    func testGzipOfHandBuiltFile() throws {
        var f = TestNiftiFile()
        f.sformCode = 1
        f.srow = [[-2, 0, 0, 5], [0, -3, 0, 6], [0, 0, 4, 7]]
        let path = dir + "/g.nii"
        try f.bytes(data: f.encode([Int16](10...17))).write(to: URL(fileURLWithPath: path))
        let gzip = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let gzip else { throw XCTSkip("gzip tool not installed") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gzip)
        p.arguments = ["-k", path]
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let v = try ImageIO.read(path + ".gz")
        XCTAssertEqual(v.asDouble.voxels, (10...17).map(Double.init))
        assertSameGeometry(v.grid, Grid3D(shape: SIMD3(2, 2, 2), spacing: SIMD3(2, 3, 4), origin: SIMD3(-5, -6, 7)))
    }
}
