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
    ///
    /// One pass over the voxels with a flat open-addressing hash of the (material, density) keys (2¹⁷ slots, at
    /// most half full) and a shortcut for a voxel equal to the previous one (runs of air, of one organ).
    public init(materialIndex: [UInt8], density: [Float], indices: UnsafeMutablePointer<UInt16>) {
        precondition(materialIndex.count == density.count)
        let slotBits = 17, empty = UInt64.max  // keys are < 2⁴⁰: `empty` is never a key
        let mask = (1 << slotBits) - 1
        var keys = [UInt64](repeating: empty, count: 1 << slotBits)
        var codes = [UInt16](repeating: 0, count: 1 << slotBits)
        var media: [VoxelMedium] = []
        var overflowVoxels = 0
        var lastKey = empty, lastCode: UInt16 = 0
        keys.withUnsafeMutableBufferPointer { keys in
            codes.withUnsafeMutableBufferPointer { codes in
                materialIndex.withUnsafeBufferPointer { material in
                    density.withUnsafeBufferPointer { density in
                        for n in 0..<density.count {
                            let key = UInt64(density[n].bitPattern) | (UInt64(material[n]) << 32)
                            if key != lastKey {
                                // Fibonacci hashing (Knuth, TAOCP vol. 3, 6.4) and linear probing.
                                var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slotBits))
                                while keys[slot] != key && keys[slot] != empty { slot = (slot &+ 1) & mask }
                                if keys[slot] == key {
                                    lastCode = codes[slot]
                                } else if media.count < Int(Self.overflow) {
                                    lastCode = UInt16(media.count)
                                    keys[slot] = key; codes[slot] = lastCode
                                    media.append(VoxelMedium(density: density[n], material: material[n]))
                                } else {
                                    lastCode = Self.overflow
                                }
                                lastKey = key
                            }
                            indices[n] = lastCode
                            if lastCode == Self.overflow { overflowVoxels += 1 }
                        }
                    }
                }
            }
        }
        self.media = media
        self.overflowVoxels = overflowVoxels
    }
}
