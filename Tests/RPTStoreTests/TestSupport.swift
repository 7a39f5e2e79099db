import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTStore

/// A fresh folder under the system temporary directory, removed by the caller's `defer`.
func makeTemporaryFolder(_ label: String) throws -> String {
    let dir = NSTemporaryDirectory() + "rpt-store-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A grid with unequal spacing, non-zero origin and a rotated (but orthonormal) direction matrix,
/// so that any axis or row/column mix-up in the writer or reader changes the result.
func skewedGrid(shape: SIMD3<Int> = SIMD3(5, 4, 3)) -> Grid3D {
    let c = cos(0.3), s = sin(0.3)
    let direction = Matrix3(columns: SIMD3(c, s, 0), SIMD3(-s, c, 0), SIMD3(0, 0, 1))
    return Grid3D(shape: shape, spacing: SIMD3(0.75, 1.5, 2.25), origin: SIMD3(-12.5, 7.25, 100), direction: direction)
}

/// A volume whose voxel (i, j, k) holds a value that identifies its indices (i + 10 j + 100 k,
/// shifted negative for signed types), converted to `T`.
func indexCodedVolume<T: VoxelScalar>(_ type: T.Type, grid: Grid3D = skewedGrid(), unit: String = "u") -> Volume<T> {
    let signed = T.self == Int16.self || T.self == Int32.self || T.self == Float.self || T.self == Double.self
    var voxels: [T] = []
    for k in 0..<grid.shape.z { for j in 0..<grid.shape.y { for i in 0..<grid.shape.x {
        var v = Double(i + 10 * j + 100 * k)
        if signed { v -= 150 }
        if T.self == Float.self || T.self == Double.self { v += 0.25 }
        voxels.append(T(clampingDouble: T.self == UInt8.self ? min(v, 255) : v))
    }}}
    return Volume(grid: grid, voxels: voxels, unit: unit)
}

/// Runs `body` with the process's stderr redirected to a file; returns what was written to it.
func capturingStandardError(_ body: () throws -> Void) rethrows -> String {
    let path = NSTemporaryDirectory() + "rpt-stderr-\(UUID().uuidString)"
    fflush(stderr)
    let saved = dup(2)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    dup2(fd, 2)
    close(fd)
    defer {
        fflush(stderr)
        dup2(saved, 2)
        close(saved)
        unlink(path)
    }
    try body()
    fflush(stderr)
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}
