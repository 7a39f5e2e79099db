import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTImageIO

/// A fresh temporary folder, removed by the caller's `defer`.
func makeTemporaryFolder(_ tag: String) throws -> String {
    let dir = NSTemporaryDirectory() + "rpt-imageio-\(tag)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// The package root, from this file's path (Tests/RPTImageIOTests/TestSupport.swift).
func packageRoot(_ file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Path of a reference file the project carries (relative to the package root); throws when missing.
func projectFile(_ relative: String) throws -> String {
    let path = packageRoot().appendingPathComponent(relative).path
    guard FileManager.default.fileExists(atPath: path) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
    }
    return path
}

/// A rotation (det +1) built from angles about z then x then y; orthonormal by construction.
func rotation(z: Double, x: Double, y: Double) -> Matrix3 {
    func mul(_ a: Matrix3, _ b: Matrix3) -> Matrix3 { Matrix3(columns: a * b.c0, a * b.c1, a * b.c2) }
    let rz = Matrix3(rowMajor: [cos(z), -sin(z), 0, sin(z), cos(z), 0, 0, 0, 1])
    let rx = Matrix3(rowMajor: [1, 0, 0, 0, cos(x), -sin(x), 0, sin(x), cos(x)])
    let ry = Matrix3(rowMajor: [cos(y), 0, sin(y), 0, 1, 0, -sin(y), 0, cos(y)])
    return mul(ry, mul(rx, rz))
}

/// A rotated grid whose spacing and origin are exactly representable in float32 (NIfTI stores float32).
let rotatedGrid = Grid3D(shape: SIMD3(5, 4, 3), spacing: SIMD3(1.5, 2.25, 3.0),
                         origin: SIMD3(-120.5, 33.25, 7.75), direction: rotation(z: 0.5, x: 0.3, y: -0.2))

/// The same rotation with its third axis reversed (det −1): exercises the NIfTI qfac = −1 path.
let reflectedGrid: Grid3D = {
    var g = rotatedGrid
    g.direction = Matrix3(columns: g.direction.c0, g.direction.c1, g.direction.c2 * -1)
    return g
}()

let axisAlignedGrid = Grid3D(shape: SIMD3(5, 4, 3), spacing: SIMD3(1.5, 2.25, 3.0))

/// A volume of `type` on `grid` whose values span the type's range, including negative and
/// fractional values where the type allows them.
func sampleVolume(_ type: VoxelType, grid: Grid3D, unit: String = "Bq/mL") -> AnyVolume {
    let n = grid.voxelCount
    switch type {
    case .uint8: return .uint8(Volume(grid: grid, voxels: (0..<n).map { UInt8(($0 * 37 + 11) % 256) }, unit: unit))
    case .int16: return .int16(Volume(grid: grid, voxels: (0..<n).map { Int16($0 * 1237 % 65536 - 32768) }, unit: unit))
    case .uint16: return .uint16(Volume(grid: grid, voxels: (0..<n).map { UInt16($0 * 4099 % 65536) }, unit: unit))
    case .int32: return .int32(Volume(grid: grid, voxels: (0..<n).map { Int32($0 * 104_729 - 2_000_000) * 7 }, unit: unit))
    case .float32: return .float32(Volume(grid: grid, voxels: (0..<n).map { Float(sin(Double($0)) * 1234.5) }, unit: unit))
    case .float64: return .float64(Volume(grid: grid, voxels: (0..<n).map { sin(Double($0)) * 1e6 + 1.0 / 3.0 }, unit: unit))
    }
}

/// Asserts equal shape and spacing, origin and direction within `tolerance` (mm; unitless for direction).
func assertSameGeometry(_ a: Grid3D, _ b: Grid3D, tolerance: Double = 1e-6, _ what: String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "shape \(what)", file: file, line: line)
    for i in 0..<3 {
        XCTAssertEqual(a.spacing[i], b.spacing[i], accuracy: tolerance, "spacing[\(i)] \(what)", file: file, line: line)
        XCTAssertEqual(a.origin[i], b.origin[i], accuracy: tolerance, "origin[\(i)] \(what)", file: file, line: line)
    }
    for (x, y) in zip(a.direction.rowMajor, b.direction.rowMajor) {
        XCTAssertEqual(x, y, accuracy: tolerance, "direction \(what)", file: file, line: line)
    }
}

/// Asserts that `body` throws an `InputError` whose field contains `field` and whose description
/// contains every string of `mentions`.
func assertInputError(_ body: @autoclosure () throws -> Any, field: String, mentions: [String] = [],
                      file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an InputError about '\(field)'", file: file, line: line)
    } catch let e as InputError {
        XCTAssertTrue(e.field.contains(field), "field '\(e.field)' should mention '\(field)': \(e)", file: file, line: line)
        for m in mentions {
            XCTAssertTrue(e.description.contains(m), "'\(e)' should mention '\(m)'", file: file, line: line)
        }
    } catch {
        XCTFail("expected InputError, got \(error)", file: file, line: line)
    }
}

/// Writes a NIfTI-1 single file byte by byte, independently of the production writer, so that tests
/// can produce headers RPTDose never writes (big endian, scaling, qform only, other data types).
struct TestNiftiFile {
    var bigEndian = false
    var dim: [Int] = [3, 2, 2, 2, 1, 1, 1, 1]
    var datatype = 4
    var bitpix = 16
    var pixdim: [Double] = [1, 1, 1, 1, 1, 1, 1, 1]
    var voxOffset = 352.0
    var sclSlope = 0.0
    var sclInter = 0.0
    var xyztUnits = 10
    var qformCode = 0
    var sformCode = 0
    var quatern: [Double] = [0, 0, 0]
    var qoffset: [Double] = [0, 0, 0]
    var srow: [[Double]] = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]
    var magic = "n+1"

    func bytes(data: [UInt8]) -> Data {
        var h = [UInt8](repeating: 0, count: 352)
        func put(_ offset: Int, _ value: [UInt8]) {
            let v = bigEndian ? value.reversed() : value
            for (n, b) in v.enumerated() { h[offset + n] = b }
        }
        func i16(_ o: Int, _ v: Int) { put(o, withUnsafeBytes(of: Int16(v).littleEndian, Array.init)) }
        func i32(_ o: Int, _ v: Int) { put(o, withUnsafeBytes(of: Int32(v).littleEndian, Array.init)) }
        func f32(_ o: Int, _ v: Double) { put(o, withUnsafeBytes(of: Float(v).bitPattern.littleEndian, Array.init)) }
        i32(0, 348)
        for (n, d) in dim.enumerated() { i16(40 + 2 * n, d) }
        i16(70, datatype); i16(72, bitpix)
        for (n, p) in pixdim.enumerated() { f32(76 + 4 * n, p) }
        f32(108, voxOffset); f32(112, sclSlope); f32(116, sclInter)
        h[123] = UInt8(xyztUnits)
        i16(252, qformCode); i16(254, sformCode)
        for n in 0..<3 { f32(256 + 4 * n, quatern[n]); f32(268 + 4 * n, qoffset[n]) }
        for r in 0..<3 { for c in 0..<4 { f32(280 + 16 * r + 4 * c, srow[r][c]) } }
        for (n, b) in magic.utf8.enumerated() { h[344 + n] = b }
        return Data(h + data)
    }

    /// Encodes values of a fixed-width type in this file's byte order.
    func encode<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: bigEndian ? v.bigEndian : v.littleEndian, Array.init) }
    }
    func encode(_ values: [Float]) -> [UInt8] { encode(values.map(\.bitPattern)) }
}
