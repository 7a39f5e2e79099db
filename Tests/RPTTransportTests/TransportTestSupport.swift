import Foundation
import XCTest
@testable import RPTTransport
import RPTPhysics
import RPTVolume
import RPTCore

/// Paths of the reference data the project carries (`validation/reference`, `phantoms/`).
enum ProjectData {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// `packageRoot/relative`; throws (the test fails) when the file is missing.
    static func require(_ relative: String) throws -> String {
        let p = packageRoot + "/" + relative
        guard FileManager.default.fileExists(atPath: p) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: p])
        }
        return p
    }
}

/// A homogeneous cube world of `n`³ voxels of `voxelMM`, centred on the origin of patient space.
func cubeWorld(_ material: Material, n: Int, voxelMM: Double) throws -> VoxelWorld {
    let grid = Grid3D(shape: SIMD3(n, n, n), spacing: SIMD3(repeating: voxelMM),
                      origin: SIMD3(repeating: -Double(n - 1) / 2 * voxelMM))
    return try VoxelWorld.homogeneous(grid: grid, material: material)
}

/// Runs histories one by one on the calling thread, returning each history's energy bookkeeping.
func runHistories(_ sim: PreparedSimulation, count: Int, seed: UInt64 = 1) -> [HistoryEnergy] {
    var kernel = sim.kernel
    var state = TransportState(tallySlots: sim.tallySlots)
    var out: [HistoryEnergy] = []
    out.reserveCapacity(count)
    for h in 0..<UInt64(count) {
        state.beginHistory(seed: seed, history: h)
        kernel.run(history: h, &state)
        state.endHistory()
        out.append(state.energy)
    }
    return out
}
