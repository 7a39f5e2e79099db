import RPTCore
import RPTVolume

/// Cumulative dose–volume histogram of one region — the one DVH of RPTDose, used by the dosimetry
/// region table (D2/D50/D98 in `dosimetry.h5`), `rptdose compare` and the report's DVH charts.
///
/// Volume fractions count voxels (all voxels of a grid have the same volume). **Dx**, the minimum dose
/// to the hottest x % of the volume, is read from the sorted voxel doses, not from a binned histogram:
/// with doses sorted in decreasing order d₁ ≥ … ≥ d_N, voxel r covers the volume fraction ((r − 1)/N, r/N]
/// and is placed at its midpoint v_r = (r − ½)/N; Dx interpolates linearly in v between these points and
/// is d₁ for x/100 ≤ v₁ and d_N for x/100 ≥ v_N. (For N voxel-centre samples of a continuous distribution
/// this midpoint rule is exact for a uniform distribution of doses; docs/methods/kernel-methods.md.)
///
/// **V(D)**, the volume receiving at least D, is the inverse of the same piecewise-linear curve
/// (100 % for D ≤ d_N, 0 for D > d₁), so a V read off the plotted curve at x % gives exactly Dx:
/// the binned table (`volumeFraction`), the chart (`curve`) and D2/D50/D98 are one curve.
public struct CumulativeDVH: Equatable, Sendable {
    public var region: String
    public var voxelCount: Int
    /// Dose axis (Gy): bin edges from 0 to the axis maximum, increasing.
    public var doseAxisGy: [Double]
    /// V(D)/100 (0…1) at each `doseAxisGy` edge.
    public var volumeFraction: [Double]
    public var minGy: Double, meanGy: Double, maxGy: Double
    /// Dose to the hottest 2 %, 50 %, 98 % of the volume (Gy).
    public var d2Gy: Double, d50Gy: Double, d98Gy: Double
    /// Voxel doses (Gy), decreasing.
    public let descendingDoses: [Double]

    /// DVH of `doses` (Gy, one per voxel, finite and ≥ 0) with a binned table on 0…`axisMaxGy` in
    /// `binCount` bins (`binCount + 1` edges); `axisMaxGy` defaults to the largest dose.
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
        let descending = doses.sorted(by: >)
        self.region = region
        voxelCount = doses.count
        descendingDoses = descending
        minGy = descending.last!
        maxGy = descending.first!
        meanGy = descending.reduce(0, +) / Double(descending.count)
        let top = axisMaxGy ?? maxGy
        doseAxisGy = (0...binCount).map { top * Double($0) / Double(binCount) }
        volumeFraction = []
        d2Gy = Self.dose(coveringVolumePercent: 2, descending: descending)
        d50Gy = Self.dose(coveringVolumePercent: 50, descending: descending)
        d98Gy = Self.dose(coveringVolumePercent: 98, descending: descending)
        volumeFraction = doseAxisGy.map { volumePercent(receivingAtLeast: $0) / 100 }
    }

    /// Dx (Gy) for x = `percent` (0…100), by the midpoint rule described on the type.
    public func dose(coveringVolumePercent percent: Double) -> Double {
        Self.dose(coveringVolumePercent: percent, descending: descendingDoses)
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

    /// V(D) (%, 0…100): the largest volume percentage x with Dx ≥ `doseGy` on the midpoint curve
    /// (100 for D ≤ the minimum dose, 0 above the maximum).
    public func volumePercent(receivingAtLeast doseGy: Double) -> Double {
        let d = descendingDoses, n = d.count
        if doseGy <= d[n - 1] { return 100 }
        if doseGy > d[0] { return 0 }
        // Largest 0-based r with d[r] ≥ D (exists since D ≤ d[0]; r < n − 1 since D > d[n − 1]).
        var lo = 0, hi = n - 1
        while lo < hi { let mid = (lo + hi + 1) / 2; if d[mid] >= doseGy { lo = mid } else { hi = mid - 1 } }
        let r = lo
        let f = (d[r] - doseGy) / (d[r] - d[r + 1])
        return 100 * (Double(r) + 0.5 + f) / Double(n)
    }

    /// Points (dose Gy, volume %) of the curve for plotting, in increasing dose, from (0, 100) to
    /// (maximum, 0). All lie on the curve of `dose(coveringVolumePercent:)`: the exact vertices
    /// (d_r, 100·v_r) when N ≤ `maximumPoints`, otherwise samples every 0.2 % of volume (including
    /// 2, 50 and 98 %) merged with `maximumPoints` doses evenly spaced from the minimum to the maximum.
    public func curve(maximumPoints: Int = 500) -> [SIMD2<Double>] {
        let d = descendingDoses, n = d.count
        var points: [SIMD2<Double>] = []
        if n <= maximumPoints {
            points = d.indices.map { SIMD2(d[$0], 100 * (Double($0) + 0.5) / Double(n)) }
        } else {
            var percents = (0...500).map { Double($0) * 0.2 } + [2, 50, 98]
            percents += [50 / Double(n), 100 - 50 / Double(n)]  // the first and last vertices
            points = percents.map { SIMD2(dose(coveringVolumePercent: $0), $0) }
            let lo = d[n - 1], hi = d[0]
            for k in 1..<maximumPoints {
                let x = lo + (hi - lo) * Double(k) / Double(maximumPoints)
                points.append(SIMD2(x, volumePercent(receivingAtLeast: x)))
            }
        }
        // Ends: 100 % up to the minimum dose, 0 % beyond the maximum.
        points += [SIMD2(0, 100), SIMD2(d[n - 1], 100), SIMD2(d[0], 0)]
        points.sort { $0.x != $1.x ? $0.x < $1.x : $0.y > $1.y }
        var out: [SIMD2<Double>] = []
        for p in points where out.last != p { out.append(p) }
        return out
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
