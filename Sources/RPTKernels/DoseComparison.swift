import RPTCore
import RPTVolume

/// Comparison of two dose maps on the same grid: a reference A (e.g. Monte Carlo) and an evaluated B
/// (e.g. VSV). Differences are B − A.
public enum DoseComparison {
    /// Mean dose of one region in both maps.
    public struct RegionMeanDifference: Equatable, Sendable {
        public var region: String
        public var label: UInt16
        public var voxelCount: Int
        public var referenceMeanGy: Double
        public var evaluatedMeanGy: Double
        /// 100 · (evaluated − reference) / reference (%); `nan` when the reference mean is 0.
        public var differencePercent: Double
    }

    /// Voxel-wise differences.
    public struct DifferenceMaps: Sendable {
        /// B − A (Gy).
        public var absoluteGy: Volume<Double>
        /// 100 · (B − A) / max(A) (% of the maximum reference dose).
        public var percentOfMaxReference: Volume<Double>
        /// max(A) (Gy).
        public var maxReferenceGy: Double
    }

    /// Mean dose difference per region (mass-weighted means when `density` is given), in label order.
    public static func regionMeanDifferences(reference: Volume<Double>, evaluated: Volume<Double>,
                                             regions: RegionMap, density: Volume<Double>? = nil) throws
        -> [RegionMeanDifference] {
        try requirePair(reference, evaluated)
        try regions.requireGrid(of: reference, source: "reference dose", density: density)
        let indices = regions.voxelIndices()
        return regions.sortedLabels.map { l in
            let idx = indices[l]!
            let a = RegionMap.mean(reference.voxels, over: idx, density: density?.voxels)
            let b = RegionMap.mean(evaluated.voxels, over: idx, density: density?.voxels)
            return RegionMeanDifference(region: regions.names[l]!, label: l, voxelCount: idx.count,
                                        referenceMeanGy: a, evaluatedMeanGy: b,
                                        differencePercent: a != 0 ? 100 * (b - a) / a : .nan)
        }
    }

    /// B − A in Gy and in % of max(A). A reference that is 0 everywhere gives a relative map of 0.
    public static func differenceMaps(reference: Volume<Double>, evaluated: Volume<Double>) throws -> DifferenceMaps {
        try requirePair(reference, evaluated)
        let maxA = reference.valueRange.upperBound
        let diff = zip(evaluated.voxels, reference.voxels).map { $0 - $1 }
        let rel = maxA > 0 ? diff.map { 100 * $0 / maxA } : [Double](repeating: 0, count: diff.count)
        return DifferenceMaps(absoluteGy: Volume(grid: reference.grid, voxels: diff, unit: "Gy"),
                              percentOfMaxReference: Volume(grid: reference.grid, voxels: rel, unit: "%"),
                              maxReferenceGy: maxA)
    }

    /// Both maps finite, ≥ 0 and on the same grid.
    static func requirePair(_ reference: Volume<Double>, _ evaluated: Volume<Double>) throws {
        try VolumeChecks.requireNonNegative(reference, source: "reference dose")
        try VolumeChecks.requireNonNegative(evaluated, source: "evaluated dose")
        try reference.grid.requireSameGrid(as: evaluated.grid, source: "evaluated dose")
    }
}
