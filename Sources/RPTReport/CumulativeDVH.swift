import RPTCore

/// A cumulative dose-volume histogram: V(D), the percentage of a region's volume receiving at least D.
///
/// Built exactly from voxel doses (optionally weighted by voxel volume or mass), not from bins.
public struct CumulativeDVH: Equatable, Sendable {
    public var name: String
    /// Voxel doses (Gy), ascending.
    public let sortedDoses: [Double]
    /// `tailWeight[i]`: summed weight of voxels `i…` in `sortedDoses` order; `tailWeight[count]` = 0.
    private let tailWeight: [Double]

    /// - Parameters:
    ///   - doses: absorbed dose of each voxel of the region (Gy), finite.
    ///   - weights: volume (or mass) of each voxel, > 0; nil for equal voxels.
    public init(name: String, doses: [Double], weights: [Double]? = nil) throws {
        let source = "DVH '\(name)'"
        guard !doses.isEmpty else { throw InputError(source: source, field: "doses", reason: "the region has no voxels") }
        if let weights, weights.count != doses.count {
            throw InputError(source: source, field: "weights", value: "\(weights.count)",
                             reason: "need one weight per dose (\(doses.count))")
        }
        for (n, d) in doses.enumerated() where !d.isFinite {
            throw InputError(source: source, field: "doses[\(n)]", value: "\(d)", reason: "doses must be finite")
        }
        if let weights, let n = weights.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
            throw InputError(source: source, field: "weights[\(n)]", value: "\(weights[n])",
                             reason: "weights must be finite and > 0")
        }
        let order = doses.indices.sorted { doses[$0] < doses[$1] }
        var tail = [Double](repeating: 0, count: doses.count + 1)
        for r in stride(from: doses.count - 1, through: 0, by: -1) {
            tail[r] = tail[r + 1] + (weights?[order[r]] ?? 1)
        }
        self.name = name
        sortedDoses = order.map { doses[$0] }
        tailWeight = tail
    }

    /// Total weight (voxel count when unweighted).
    public var totalWeight: Double { tailWeight[0] }
    public var minimumDoseGy: Double { sortedDoses[0] }
    public var maximumDoseGy: Double { sortedDoses[sortedDoses.count - 1] }

    /// Weighted mean dose (Gy).
    public var meanDoseGy: Double {
        var sum = 0.0
        for r in sortedDoses.indices { sum += sortedDoses[r] * (tailWeight[r] - tailWeight[r + 1]) }
        return sum / totalWeight
    }

    /// V(D): percentage (0…100) of the weight in voxels with dose ≥ `doseGy`.
    public func volumePercent(receivingAtLeast doseGy: Double) -> Double {
        100 * tailWeight[firstIndex(atLeast: doseGy)] / totalWeight
    }

    /// D_p: the highest dose D with V(D) ≥ `percent`, i.e. the minimum dose to the hottest `percent`
    /// of the region (D_0 = maximum, D_100 = minimum dose).
    public func dose(coveringPercent percent: Double) -> Double {
        precondition(percent >= 0 && percent <= 100, "percent must be in 0…100")
        let need = percent / 100 * totalWeight * (1 - 1e-12)
        var lo = 0, hi = sortedDoses.count - 1  // largest r with tailWeight[r] ≥ need
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if tailWeight[mid] >= need { lo = mid } else { hi = mid - 1 }
        }
        return sortedDoses[lo]
    }

    /// Points (dose Gy, volume %) of the curve for plotting, from (0, 100) to (max, 0). Exact steps
    /// when there are at most `maximumPoints / 2` distinct doses; otherwise V sampled at
    /// `maximumPoints` evenly spaced doses.
    public func curve(maximumPoints: Int = 512) -> [SIMD2<Double>] {
        var distinct = [Int]()  // first index of each distinct dose
        for r in sortedDoses.indices where r == 0 || sortedDoses[r] != sortedDoses[r - 1] {
            distinct.append(r)
            if distinct.count > maximumPoints / 2 { break }
        }
        let top = maximumDoseGy
        var points = [SIMD2<Double>(min(0, minimumDoseGy), 100)]
        if distinct.count <= maximumPoints / 2 {
            for r in distinct {
                points.append(SIMD2(sortedDoses[r], 100 * tailWeight[r] / totalWeight))
                let next = firstIndex(above: sortedDoses[r])
                points.append(SIMD2(sortedDoses[r], 100 * tailWeight[next] / totalWeight))
            }
        } else {
            let start = min(0, minimumDoseGy)
            for n in 0...maximumPoints {
                let d = start + (top - start) * Double(n) / Double(maximumPoints)
                points.append(SIMD2(d, volumePercent(receivingAtLeast: d)))
            }
            points.append(SIMD2(top, 0))
        }
        return points
    }

    /// First sorted index with dose ≥ d (count if none).
    private func firstIndex(atLeast d: Double) -> Int {
        var lo = 0, hi = sortedDoses.count
        while lo < hi { let mid = (lo + hi) / 2; if sortedDoses[mid] < d { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// First sorted index with dose > d (count if none).
    private func firstIndex(above d: Double) -> Int {
        var lo = 0, hi = sortedDoses.count
        while lo < hi { let mid = (lo + hi) / 2; if sortedDoses[mid] <= d { lo = mid + 1 } else { hi = mid } }
        return lo
    }
}
