/// The (material, density) pair of a voxel, as the transport loop reads it.
public struct VoxelMedium: Sendable, Equatable {
    /// Mass density (g/cm³), exactly the world's Float value.
    public var density: Float
    /// Index into the world's materials.
    public var material: UInt8
}

/// The world's voxels as 16-bit indices into a table of their distinct (material, density) pairs.
///
/// A CT gives at most a few thousand distinct pairs (integer CT numbers through the calibration; 1 856 in the
/// patient15 phantom), a label map a handful, so the transport reads 2 bytes per voxel from a
/// 2 byte/voxel array (1.4 MB for 680 000 voxels, mostly cache-resident) plus a small hot table, instead of 1 + 4
/// bytes from two arrays on different cache lines. Exact: the table holds the world's own values.
/// If a world has more than 65 535 distinct pairs (e.g. densities interpolated during resampling), the
/// pairs met first get indices and the other voxels hold `VoxelMediumTable.overflow`, which sends the
/// reader to the full per-voxel arrays.
public struct VoxelMediumTable {
    /// Index value meaning "not in the table: read the per-voxel arrays".
    public static let overflow = UInt16.max
    /// Distinct pairs in order of first appearance (at most 65 535).
    public let media: [VoxelMedium]
    /// Number of voxels marked `overflow`.
    public let overflowVoxels: Int

    /// Fills `indices[0..<count]` for the world's voxels and returns the table.
    public init(materialIndex: [UInt8], density: [Float], indices: UnsafeMutablePointer<UInt16>) {
        precondition(materialIndex.count == density.count)
        var lookup: [UInt64: UInt16] = [:]
        var media: [VoxelMedium] = []
        var overflowVoxels = 0
        for n in 0..<density.count {
            let key = UInt64(density[n].bitPattern) | (UInt64(materialIndex[n]) << 32)
            if let c = lookup[key] {
                indices[n] = c
            } else if media.count < Int(Self.overflow) {
                let c = UInt16(media.count)
                lookup[key] = c
                media.append(VoxelMedium(density: density[n], material: materialIndex[n]))
                indices[n] = c
            } else {
                indices[n] = Self.overflow
                overflowVoxels += 1
            }
        }
        self.media = media
        self.overflowVoxels = overflowVoxels
    }
}
