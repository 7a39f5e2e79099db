import RPTPhysics

/// Super-voxel majorants for Woodcock photon tracking.
///
/// The world is cut into blocks of `blockSize`³ voxels. In block b the majorant is
/// μ̂_b(E) = max_m (μ/ρ)_m(E) · ρ_max,b, where the first factor is the largest mass attenuation coefficient
/// of any world material at E (taken at both ends of the energy-grid interval, so that it bounds the
/// interpolated values) and ρ_max,b the largest density in the block. It bounds μ(E) in every voxel of the
/// block, so tracking stays exact, while a dense bed or a bone no longer forces small flights in soft tissue
/// and air elsewhere. A block size covering the whole world gives plain (global) Woodcock tracking.
public struct MajorantGrid: @unchecked Sendable {
    public let blockSize: Int
    /// Number of blocks along each axis.
    public let blocks: SIMD3<Int>
    /// Block edge (cm) along each axis; the last block of an axis may be cut by the world's edge.
    public let blockSizeCm: SIMD3<Double>
    let densityMax: UnsafeMutablePointer<Double>
    let massAttenuationMax: UnsafeMutablePointer<Double>
    let owner: MajorantOwner

    public init(world: VoxelWorld, photon: PhotonTransportData, blockSize: Int = 8) {
        self.blockSize = max(1, blockSize)
        let shape = world.grid.shape
        let b = self.blockSize
        blocks = SIMD3((shape.x + b - 1) / b, (shape.y + b - 1) / b, (shape.z + b - 1) / b)
        blockSizeCm = world.voxelSizeCm * Double(b)
        let nb = blocks.x * blocks.y * blocks.z
        densityMax = .allocate(capacity: nb)
        densityMax.initialize(repeating: 0, count: nb)
        // Row by row; within a row, block by block (Float maxima are exact: the densities are Floats).
        let blocks = self.blocks, densityMax = self.densityMax
        world.density.withUnsafeBufferPointer { density in
            for k in 0..<shape.z { for j in 0..<shape.y {
                let row = shape.x * (j + shape.y * k), blockRow = blocks.x * (j / b + blocks.y * (k / b))
                for bx in 0..<blocks.x {
                    var m: Float = 0
                    for i in (bx * b)..<min(shape.x, bx * b + b) where density[row + i] > m { m = density[row + i] }
                    densityMax[blockRow + bx] = max(densityMax[blockRow + bx], Double(m))
                }
            }}
        }
        let ne = PhotonEnergyGrid.count
        massAttenuationMax = .allocate(capacity: ne)
        for i in 0..<ne {
            var best = 0.0
            for m in world.materials.indices {
                best = max(best, photon.table.totalMuOverRho(materialIndex: m, gridPoint: i),
                           photon.table.totalMuOverRho(materialIndex: m, gridPoint: min(i + 1, ne - 1)))
            }
            massAttenuationMax[i] = best
        }
        owner = MajorantOwner(densityMax, massAttenuationMax)
    }

    /// Majorant (1/cm) of block `block` for energy-grid interval `energyIndex`.
    @inline(__always)
    func majorant(block: Int, energyIndex: Int) -> Double {
        massAttenuationMax[energyIndex] * densityMax[block]
    }

    @inline(__always)
    func linear(_ b: SIMD3<Int>) -> Int { b.x &+ blocks.x &* (b.y &+ blocks.y &* b.z) }
}

/// Frees a `MajorantGrid`'s buffers.
final class MajorantOwner: @unchecked Sendable {
    let a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>
    init(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>) { self.a = a; self.b = b }
    deinit { a.deallocate(); b.deallocate() }
}
