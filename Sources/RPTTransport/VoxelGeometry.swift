import CPrefetch

/// Read-only view of a `VoxelWorld` for the transport loop: raw pointers and precomputed sizes.
///
/// Valid only while the `VoxelWorld`'s arrays it was made from are alive and unchanged (the
/// simulation keeps them alive for the whole run).
public struct VoxelGeometry {
    public let nx: Int, ny: Int, nz: Int
    /// Voxel size (cm) and its inverse (1/cm).
    public let size: SIMD3<Double>, inverseSize: SIMD3<Double>
    /// Extent of the world (cm).
    public let extent: SIMD3<Double>
    /// Material index and density (g/cm³) of each voxel: read only for voxels whose medium index is
    /// `VoxelMediumTable.overflow`.
    public let materialIndex: UnsafePointer<UInt8>
    public let density: UnsafePointer<Float>
    /// Medium index of each voxel (`VoxelMediumTable`) and the table of distinct media.
    public let mediumIndex: UnsafePointer<UInt16>
    public let media: UnsafePointer<VoxelMedium>

    public init(shape: SIMD3<Int>, sizeCm: SIMD3<Double>, materialIndex: UnsafePointer<UInt8>,
                density: UnsafePointer<Float>, mediumIndex: UnsafePointer<UInt16>, media: UnsafePointer<VoxelMedium>) {
        nx = shape.x; ny = shape.y; nz = shape.z
        size = sizeCm; inverseSize = 1 / sizeCm
        extent = SIMD3(Double(nx), Double(ny), Double(nz)) * sizeCm
        self.materialIndex = materialIndex; self.density = density
        self.mediumIndex = mediumIndex; self.media = media
    }

    /// Material index and mass density (g/cm³) of voxel n (linear index).
    @inline(__always)
    public func medium(_ n: Int) -> (material: Int, density: Double) {
        let c = mediumIndex[n]
        if c != VoxelMediumTable.overflow {
            let m = media[Int(c)]
            return (Int(m.material), Double(m.density))
        }
        return (Int(materialIndex[n]), Double(density[n]))
    }

    /// Starts loading the medium of the voxel holding `p` into the cache (a hint for a look-up that will
    /// probably follow; nothing happens when p is outside the world).
    @inline(__always)
    public func prefetch(at p: SIMD3<Double>) {
        let f = p * inverseSize
        guard f.x >= 0, f.y >= 0, f.z >= 0, f.x < Double(nx), f.y < Double(ny), f.z < Double(nz) else { return }
        let n = Int(f.x) &+ nx &* (Int(f.y) &+ ny &* Int(f.z))  // inside the grid: cannot overflow
        rpt_prefetch(mediumIndex + n)
    }

    /// Integer voxel coordinates of a position, or nil when outside the world.
    @inline(__always)
    public func voxel(at p: SIMD3<Double>) -> SIMD3<Int>? {
        let f = p * inverseSize
        // Non-negative and below the grid size (false for NaN): truncation is then the floor, without a libm call.
        guard f.x >= 0, f.y >= 0, f.z >= 0, f.x < Double(nx), f.y < Double(ny), f.z < Double(nz) else { return nil }
        return SIMD3(Int(f.x), Int(f.y), Int(f.z))
    }
    /// Linear index of voxel v (which must lie in the grid, so the wrapping arithmetic cannot overflow).
    @inline(__always)
    public func linear(_ v: SIMD3<Int>) -> Int { v.x &+ nx &* (v.y &+ ny &* v.z) }
    @inline(__always)
    public func contains(_ v: SIMD3<Int>) -> Bool {
        v.x >= 0 && v.y >= 0 && v.z >= 0 && v.x < nx && v.y < ny && v.z < nz
    }

    /// Distance (cm) along unit direction `d` from `p` (inside voxel `v`) to the voxel's boundary,
    /// and the axis (0, 1, 2) of the face reached.
    @inline(__always)
    public func distanceToExit(_ p: SIMD3<Double>, _ d: SIMD3<Double>, voxel v: SIMD3<Int>) -> (Double, Int) {
        let inverse = 1 / d  // one vector division; ±∞ for a zero component, which is never used
        var best = Double.infinity, axis = 0
        for a in 0..<3 {
            let da = d[a]
            if da > 0 {
                let t = (Double(v[a] &+ 1) * size[a] - p[a]) * inverse[a]
                if t < best { best = t; axis = a }
            } else if da < 0 {
                let t = (Double(v[a]) * size[a] - p[a]) * inverse[a]
                if t < best { best = t; axis = a }
            }
        }
        return (max(0, best), axis)
    }

    /// Shortest distance (cm) from `p` to any face of voxel `v` (in any direction).
    @inline(__always)
    public func distanceToNearestFace(_ p: SIMD3<Double>, voxel v: SIMD3<Int>) -> Double {
        let lo = p - SIMD3(Double(v.x), Double(v.y), Double(v.z)) * size
        let hi = size - lo
        // Scalar minimum: SIMD3.min() is a generic, non-inlined reduction.
        return max(0, min(min(lo.x, lo.y), min(lo.z, hi.x), min(hi.y, hi.z)))
    }
}
