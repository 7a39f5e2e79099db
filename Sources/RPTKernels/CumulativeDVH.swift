import RPTCore
import RPTVolume

/// Cumulative dose–volume histogram of one region: fraction of the region's voxels receiving at least
/// each dose, and the dose-coverage metrics D2, D50, D98.
///
/// Volume fractions count voxels (all voxels of a grid have the same volume). Dx, the minimum dose to the
/// hottest x % of the volume, is read from the sorted voxel doses, not from the binned histogram: with
/// doses sorted in decreasing order d₁ ≥ … ≥ d_N, voxel r covers the volume fraction ((r − 1)/N, r/N] and
/// is placed at its midpoint v_r = (r − ½)/N; Dx interpolates linearly in v between these points and is
/// d₁ for x/100 ≤ v₁ and d_N for x/100 ≥ v_N. (For N voxel-centre samples of a continuous distribution
/// this midpoint rule is exact for a uniform distribution of doses; see docs/methods/kernel-methods.md.)
public struct CumulativeDVH: Equatable, Sendable {
    public var region: String
    public var voxelCount: Int
    /// Dose axis (Gy): bin edges from 0 to the maximum dose, increasing.
    public var doseAxisGy: [Double]
    /// Fraction (0…1) of the region's voxels with dose ≥ `doseAxisGy[n]`.
    public var volumeFraction: [Double]
    public var minGy: Double, meanGy: Double, maxGy: Double
    /// Dose to the hottest 2 %, 50 %, 98 % of the volume (Gy).
    public var d2Gy: Double, d50Gy: Double, d98Gy: Double

    /// DVH of `doses` (Gy, one per voxel, finite and ≥ 0) on the axis 0…`axisMaxGy` with `binCount` bins
    /// (`binCount + 1` edges); `axisMaxGy` defaults to the largest dose.
    public init(region: String, doses: [Double], binCount: Int = 200, axisMaxGy: Double? = nil) throws {
        guard !doses.isEmpty else {
            throw InputError(source: "DVH", field: region, reason: "region has no voxels")
        }
        guard binCount >= 1 else {
            throw InputError(source: "DVH", field: "binCount", value: "\(binCount)", reason: "must be ≥ 1")
        }
        for d in doses where !(d >= 0 && d.isFinite) {
            throw InputError(source: "DVH", field: region, value: "\(d)", reason: "doses must be finite and ≥ 0 Gy")
        }
        let ascending = doses.sorted()
        let top = axisMaxGy ?? ascending.last!
        self.region = region
        voxelCount = doses.count
        doseAxisGy = (0...binCount).map { top * Double($0) / Double(binCount) }
        volumeFraction = doseAxisGy.map { edge in
            // First index with dose ≥ edge (binary search); the rest of the sorted array is ≥ edge.
            var lo = 0, hi = ascending.count
            while lo < hi { let mid = (lo + hi) / 2; if ascending[mid] < edge { lo = mid + 1 } else { hi = mid } }
            return Double(ascending.count - lo) / Double(ascending.count)
        }
        minGy = ascending.first!
        maxGy = ascending.last!
        meanGy = ascending.reduce(0, +) / Double(ascending.count)
        let descending = Array(ascending.reversed())
        d2Gy = Self.dose(coveringVolumePercent: 2, descending: descending)
        d50Gy = Self.dose(coveringVolumePercent: 50, descending: descending)
        d98Gy = Self.dose(coveringVolumePercent: 98, descending: descending)
    }

    /// Dx (Gy) of decreasing doses by the midpoint rule described on the type.
    public static func dose(coveringVolumePercent x: Double, descending d: [Double]) -> Double {
        let n = Double(d.count)
        let v = x / 100
        let pos = v * n + 0.5            // v = (r − ½)/N  ⇔  r = vN + ½ (1-based rank)
        if pos <= 1 { return d[0] }
        if pos >= n { return d[d.count - 1] }
        let r = Int(pos.rounded(.down))  // 1 ≤ r < N
        let f = pos - Double(r)
        return d[r - 1] * (1 - f) + d[r] * f
    }

    /// One DVH per region of `regions`, in label order, all on the common axis 0…max dose over the regions.
    public static func compute(dose: Volume<Double>, regions: RegionMap, binCount: Int = 200) throws -> [CumulativeDVH] {
        try VolumeChecks.requireNonNegative(dose, source: "dose map")
        try regions.requireGrid(of: dose, source: "dose map", density: nil)
        let indices = regions.voxelIndices()
        let top = regions.sortedLabels.flatMap { indices[$0]! }.reduce(0.0) { max($0, dose.voxels[$1]) }
        return try regions.sortedLabels.map { l in
            try CumulativeDVH(region: regions.names[l]!, doses: indices[l]!.map { dose.voxels[$0] },
                              binCount: binCount, axisMaxGy: top)
        }
    }
}
