/// A straight photon track through the super-voxel blocks of a `MajorantGrid`, walked block by block
/// (the 3-D DDA of Amanatides & Woo, Eurographics 1987, on blocks instead of voxels).
///
/// Positions on the track are `origin + direction · s` for the path length s (cm). For each axis the
/// track keeps the path length at which it leaves the current block through that axis' face, so the
/// next block exit is the smallest of three numbers and a crossing updates one of them.
struct BlockTrack {
    /// Start of the track (cm) and its unit direction.
    var origin: SIMD3<Double>
    var direction: SIMD3<Double>
    /// Block coordinates of the current block.
    var bx: Int, by: Int, bz: Int
    /// Path length (cm) from `origin` at which the track leaves the current block through an x, y or z face
    /// (+∞ when it runs parallel to that axis).
    var exitX = Double.infinity, exitY = Double.infinity, exitZ = Double.infinity
    /// Linear index of the current block (`MajorantGrid.linear`).
    var blockLinear: Int

    /// A track starting at `origin` (cm), inside block `block`.
    @inline(__always)
    init(origin: SIMD3<Double>, direction: SIMD3<Double>, block: SIMD3<Int>, grid: MajorantGrid, extent: SIMD3<Double>) {
        self.origin = origin; self.direction = direction
        bx = block.x; by = block.y; bz = block.z
        blockLinear = grid.linear(block)
        restart(at: origin, direction: direction, grid: grid, extent: extent)
    }

    /// Starts a new straight segment at `position` (cm) with unit direction `d`, in the same block.
    @inline(__always)
    mutating func restart(at position: SIMD3<Double>, direction d: SIMD3<Double>, grid: MajorantGrid, extent: SIMD3<Double>) {
        origin = position; direction = d
        exitX = Self.exitDistance(block: bx, d: d.x, x0: position.x, blockCm: grid.blockSizeCm.x, extent: extent.x)
        exitY = Self.exitDistance(block: by, d: d.y, x0: position.y, blockCm: grid.blockSizeCm.y, extent: extent.y)
        exitZ = Self.exitDistance(block: bz, d: d.z, x0: position.z, blockCm: grid.blockSizeCm.z, extent: extent.z)
    }

    /// Path length (cm) from x0 along a direction component d to the face of block b on that axis that
    /// the track leaves through (the world's edge for the last, possibly cut, block); +∞ when d = 0.
    @inline(__always)
    static func exitDistance(block b: Int, d: Double, x0: Double, blockCm: Double, extent: Double) -> Double {
        if d > 0 { return (min(Double(b &+ 1) * blockCm, extent) - x0) / d }
        if d < 0 { return (Double(b) * blockCm - x0) / d }
        return .infinity
    }

    /// The next block exit along the track: its path length (cm) and axis (0, 1, 2).
    @inline(__always)
    func nextExit() -> (s: Double, axis: Int) {
        var s = exitX, axis = 0
        if exitY < s { s = exitY; axis = 1 }
        if exitZ < s { s = exitZ; axis = 2 }
        return (s, axis)
    }

    /// Moves into the neighbouring block through the face of `axis`; false when that leaves the world.
    @inline(__always)
    mutating func cross(axis: Int, grid: MajorantGrid, extent: SIMD3<Double>) -> Bool {
        switch axis {
        case 0:
            if direction.x > 0 { bx &+= 1; if bx >= grid.blocks.x { return false }; blockLinear &+= 1 }
            else { bx &-= 1; if bx < 0 { return false }; blockLinear &-= 1 }
            exitX = Self.exitDistance(block: bx, d: direction.x, x0: origin.x, blockCm: grid.blockSizeCm.x, extent: extent.x)
        case 1:
            if direction.y > 0 { by &+= 1; if by >= grid.blocks.y { return false }; blockLinear &+= grid.blocks.x }
            else { by &-= 1; if by < 0 { return false }; blockLinear &-= grid.blocks.x }
            exitY = Self.exitDistance(block: by, d: direction.y, x0: origin.y, blockCm: grid.blockSizeCm.y, extent: extent.y)
        default:
            let plane = grid.blocks.x &* grid.blocks.y
            if direction.z > 0 { bz &+= 1; if bz >= grid.blocks.z { return false }; blockLinear &+= plane }
            else { bz &-= 1; if bz < 0 { return false }; blockLinear &-= plane }
            exitZ = Self.exitDistance(block: bz, d: direction.z, x0: origin.z, blockCm: grid.blockSizeCm.z, extent: extent.z)
        }
        return true
    }
}
