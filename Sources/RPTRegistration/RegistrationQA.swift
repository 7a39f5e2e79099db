import RPTVolume

/// Similarity numbers for registration quality assurance (docs/methods/registration.md).
public enum RegistrationQA {
    /// Pearson normalised cross-correlation of two images on the same grid, over the voxels where `mask`
    /// is true (all voxels when nil): 1 = identical up to a linear intensity map, 0 = unrelated.
    public static func normalisedCrossCorrelation(_ a: [Double], _ b: [Double], mask: [Bool]? = nil) -> Double {
        precondition(a.count == b.count)
        var n = 0.0, sa = 0.0, sb = 0.0
        for i in a.indices where mask?[i] ?? true { n += 1; sa += a[i]; sb += b[i] }
        guard n > 1 else { return 0 }
        let ma = sa / n, mb = sb / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices where mask?[i] ?? true {
            let da = a[i] - ma, db = b[i] - mb
            sab += da * db; saa += da * da; sbb += db * db
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
    }

    /// Dice coefficient 2|A∩B| / (|A| + |B|) of two masks on the same grid (1 when both are empty).
    public static func dice(_ a: [Bool], _ b: [Bool]) -> Double {
        precondition(a.count == b.count)
        var both = 0, na = 0, nb = 0
        for i in a.indices {
            if a[i] { na += 1 }
            if b[i] { nb += 1 }
            if a[i] && b[i] { both += 1 }
        }
        return na + nb == 0 ? 1 : 2 * Double(both) / Double(na + nb)
    }

    /// Centroid (LPS mm) of the voxels where `mask` is true, or nil when none is.
    public static func centroid(_ mask: [Bool], grid: Grid3D) -> SIMD3<Double>? {
        var s = SIMD3<Double>.zero, n = 0.0
        for i in mask.indices where mask[i] {
            let ijk = grid.voxelIndex(i)
            s += grid.world(continuousIndex: SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z))); n += 1
        }
        return n > 0 ? s / n : nil
    }
}
