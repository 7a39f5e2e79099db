import RPTCore
import RPTPhysics
import RPTVolume

/// A sphere of a material inside a cube of the same material, voxelised so that the sphere spans
/// about `voxelsAcrossDiameter` voxels; the sphere is the set of voxels whose centre lies within R.
///
/// The surrounding medium extends min(3R, 10 cm) beyond the sphere on every side: photons leaving
/// it are lost, which omits backscatter from further away (a small underestimate of the photon
/// contribution to the sphere dose; see docs/methods/transport.md).
public struct SphereGeometry: Sendable {
    public let radiusCm: Double
    public let world: VoxelWorld
    /// Flat indices of the sphere's voxels.
    public let sphereVoxels: [Int]
    /// Mass of the voxelised sphere (g).
    public let sphereMassG: Double

    public init(massG: Double, material: Material, voxelsAcrossDiameter: Int = 24) throws {
        guard massG > 0 && massG.isFinite else {
            throw InputError(source: "--mass-g", value: "\(massG)", reason: "sphere mass must be a finite number > 0 g")
        }
        // 4 voxels hardly make a sphere; 400 across already means ≥ 3·10⁷ voxels in the surrounding medium.
        guard (4...400).contains(voxelsAcrossDiameter) else {
            throw InputError(source: "--voxels-across", value: "\(voxelsAcrossDiameter)", reason: "must be 4…400 voxels")
        }
        guard massG <= 1e7 else {
            throw InputError(source: "--mass-g", value: "\(massG)", reason: "sphere mass must be ≤ 10⁷ g (10 t)")
        }
        let rho = material.density
        radiusCm = _pow(3 * massG / (4 * Double.pi * rho), 1.0 / 3.0)
        let voxel = 2 * radiusCm / Double(voxelsAcrossDiameter)
        let half = radiusCm + min(3 * radiusCm, 10)
        let n = 2 * Int((half / voxel).rounded(.up))
        let mm = voxel * 10
        let grid = Grid3D(shape: SIMD3(n, n, n), spacing: SIMD3(repeating: mm),
                          origin: SIMD3(repeating: -(Double(n) / 2 - 0.5) * mm))
        try grid.validate(source: "--mass-g")
        world = try VoxelWorld.homogeneous(grid: grid, material: material)
        var voxels: [Int] = []
        let c = Double(n) / 2
        for k in 0..<n { for j in 0..<n { for i in 0..<n {
            let d = (SIMD3(Double(i), Double(j), Double(k)) + 0.5 - c) * voxel
            if (d * d).sum() <= radiusCm * radiusCm { voxels.append(grid.linearIndex(i, j, k)) }
        }}}
        sphereVoxels = voxels
        sphereMassG = Double(voxels.count) * rho * world.voxelVolumeCm3
    }

    /// Source weights: 1 in every sphere voxel.
    public var sourceWeights: [Double] {
        var w = [Double](repeating: 0, count: world.grid.voxelCount)
        for v in sphereVoxels { w[v] = 1 }
        return w
    }
}
