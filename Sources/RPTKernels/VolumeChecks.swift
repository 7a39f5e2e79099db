import RPTCore
import RPTVolume

/// Input checks shared by the dose methods; each error names the input and the voxel.
enum VolumeChecks {
    /// Throws unless every voxel is finite and ≥ 0 (activity, TIA, dose).
    static func requireNonNegative(_ v: Volume<Double>, source: String) throws {
        try v.grid.validate(source: source)
        for (n, x) in v.voxels.enumerated() where !(x >= 0 && x.isFinite) {
            let ijk = v.grid.voxelIndex(n)
            throw InputError(source: source, field: "voxel (\(ijk.x), \(ijk.y), \(ijk.z))", value: "\(x)",
                             reason: "must be a finite number ≥ 0")
        }
    }

    /// Throws unless every voxel is finite and > 0 (mass density, g/cm³).
    static func requirePositive(_ v: Volume<Double>, source: String) throws {
        try v.grid.validate(source: source)
        for (n, x) in v.voxels.enumerated() where !(x > 0 && x.isFinite) {
            let ijk = v.grid.voxelIndex(n)
            throw InputError(source: source, field: "voxel (\(ijk.x), \(ijk.y), \(ijk.z))", value: "\(x)",
                             reason: "mass density must be a finite number > 0 g/cm³")
        }
    }

    /// Throws unless `v` lies on `grid` (same shape, spacing, origin and direction within 1 µm).
    static func requireGrid(_ v: Volume<Double>, equalTo grid: Grid3D, source: String) throws {
        try grid.requireSameGrid(as: v.grid, source: source)
    }
}
