import RPTCore
import RPTPhysics
import RPTVolume

/// The geometry seen by the transport: a box of voxels, each with a material and a mass density.
///
/// Transport works in the grid's own frame, in centimetres, with the corner of voxel (0, 0, 0) at the
/// origin: voxel (i, j, k) spans [i·Δx, (i+1)·Δx) × [j·Δy, (j+1)·Δy) × [k·Δz, (k+1)·Δz). Because sources
/// are isotropic and the medium is described voxel by voxel, the grid's direction cosines play no
/// role in transport; they are kept in `grid` for the output.
public struct VoxelWorld: Sendable {
    /// The grid in patient coordinates (mm), as given.
    public let grid: Grid3D
    /// Materials referenced by `materialIndex`.
    public let materials: [Material]
    /// Material of each voxel (index into `materials`), i fastest.
    public let materialIndex: [UInt8]
    /// Mass density of each voxel (g/cm³).
    public let density: [Float]

    public init(grid: Grid3D, materials: [Material], materialIndex: [UInt8], density: [Float]) throws {
        precondition(materialIndex.count == grid.voxelCount && density.count == grid.voxelCount)
        guard !materials.isEmpty, materials.count <= 255 else {
            throw InputError(source: "voxel world", field: "materials", value: "\(materials.count)",
                             reason: "between 1 and 255 materials are supported")
        }
        for (n, m) in materialIndex.enumerated() where Int(m) >= materials.count {
            throw InputError(source: "voxel world", field: "material index of voxel \(n)", value: "\(m)",
                             reason: "only \(materials.count) materials are defined")
        }
        for (n, d) in density.enumerated() where !(d > 0 && d.isFinite) {
            let ijk = grid.voxelIndex(n)
            throw InputError(source: "voxel world", field: "density of voxel (\(ijk.x), \(ijk.y), \(ijk.z))",
                             value: "\(d)", reason: "mass density must be finite and > 0 g/cm³")
        }
        self.grid = grid; self.materials = materials; self.materialIndex = materialIndex; self.density = density
    }

    /// A homogeneous box of one material (for validation geometries).
    public static func homogeneous(grid: Grid3D, material: Material, density: Double? = nil) throws -> VoxelWorld {
        try VoxelWorld(grid: grid, materials: [material],
                       materialIndex: [UInt8](repeating: 0, count: grid.voxelCount),
                       density: [Float](repeating: Float(density ?? material.density), count: grid.voxelCount))
    }

    /// Voxel size (cm).
    public var voxelSizeCm: SIMD3<Double> { grid.spacing * 0.1 }
    /// Voxel volume (cm³).
    public var voxelVolumeCm3: Double { grid.voxelVolumeML }

    /// Mass of each voxel (g).
    public var voxelMassG: [Double] { density.map { Double($0) * voxelVolumeCm3 } }

    /// Largest density of each material over the world (g/cm³): what the photon majorant needs.
    public var maximumDensityPerMaterial: [Double] {
        // Float maxima (exact: the densities are Floats), one pass over unsafe buffers.
        var m = [Float](repeating: 0, count: 256)
        m.withUnsafeMutableBufferPointer { m in
            materialIndex.withUnsafeBufferPointer { index in
                density.withUnsafeBufferPointer { density in
                    for n in 0..<density.count where density[n] > m[Int(index[n])] { m[Int(index[n])] = density[n] }
                }
            }
        }
        return m[0..<materials.count].map(Double.init)
    }
}
