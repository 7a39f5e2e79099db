import RPTCore
import RPTKinetics
import RPTVolume

/// How the region Ã is spread over the voxels of the transport source.
public enum TIAMapMethod: String, Sendable, CaseIterable {
    /// Reference-time activity distribution × region Ã / region activity at the reference time (default).
    case hybrid
    /// Per-voxel mono-exponential fits (`VoxelMonoExponentialFitter`), the hybrid value where a voxel fit
    /// fails, then rescaled so that every region keeps its region-fit Ã.
    case voxel
}

/// A time-integrated activity map on the dose grid.
public struct TIAMap: Sendable {
    /// Ã per voxel (Bq·s).
    public var tiaBqS: [Double]
    public var method: TIAMapMethod
    /// Voxel method: fraction of region voxels whose own fit succeeded.
    public var voxelFitSuccessFraction: Double?
    /// Ã of every region put into the map (Bq·s), by region index; equals the region fit's Ã exactly
    /// (to rounding) unless the region was excluded.
    public var regionTIABqS: [Double]
    /// Ã of the unlabelled voxels (Bq·s).
    public var unlabelledTIABqS: Double
}

/// Builds the transport source from the region kinetics (docs/methods/dosimetry.md, "TIA map").
public enum TIAMapBuilder {
    /// - Parameters:
    ///   - regionTIA: Ã of each reporting region (Bq·s), by region index.
    ///   - unlabelledTIA: Ã of the unlabelled voxels (Bq·s).
    ///   - excluded: regions whose voxels get no decays (the red marrow, whose self-dose is blood-based).
    public static func build(images: CycleImages, regionTIA: [Double], unlabelledTIA: Double, method: TIAMapMethod,
                             physicalDecayConstantPerSecond: Double, excluded: Set<Int> = []) throws -> TIAMap {
        let ref = images.cycle.referenceIndex
        let refActivity = images.activityBq[ref]
        let regionOf = images.referenceRegionIndex
        let nr = regionTIA.count
        // Reference activity per region (slot nr = unlabelled) and voxel counts.
        var refSum = [Double](repeating: 0, count: nr + 1), count = [Int](repeating: 0, count: nr + 1)
        func slot(_ r: Int32) -> Int { r >= 0 ? Int(r) : nr }
        for (v, r) in regionOf.enumerated() { refSum[slot(r)] += refActivity[v]; count[slot(r)] += 1 }
        let target = regionTIA + [unlabelledTIA]
        for s in 0..<(nr + 1) where count[s] == 0 && target[s] > 0 {
            let name = s < nr ? images.regions.names[s] : "unlabelled voxels"
            throw InputError(source: images.labelMaps[images.labelMapOfTimePoint[ref]].path, field: name,
                             reason: "the region has activity but no voxel on the dose grid")
        }
        // Hybrid values.
        var map = [Double](repeating: 0, count: regionOf.count)
        for (v, r) in regionOf.enumerated() {
            let s = slot(r)
            map[v] = refSum[s] > 0 ? refActivity[v] * target[s] / refSum[s] : target[s] / Double(count[s])
        }
        var successFraction: Double?
        if method == .voxel {
            let times = images.cycle.timePoints.map(\.hoursAfterAdministration)
            var frames = times.indices.filter { times[$0] >= 20 }
            if frames.count < 2 { frames = Array(times.indices) }
            guard frames.count >= 2 else {
                throw InputError(source: "--tia-map", value: "voxel", reason: "voxel fits need at least 2 time points")
            }
            let fitter = try VoxelMonoExponentialFitter(timesHours: frames.map { times[$0] },
                                                        physicalDecayConstantPerSecond: physicalDecayConstantPerSecond)
            let floatFrames: [[Float]] = frames.map { f in images.activityBq[f].map { Float($0) } }
            var voxelTIA = [Double](repeating: .nan, count: map.count)
            var status = [UInt8](repeating: 0, count: map.count)
            try floatFrames.withUnsafeBufferPointers { pointers in
                try voxelTIA.withUnsafeMutableBufferPointer { tia in
                    try status.withUnsafeMutableBufferPointer { st in
                        _ = try fitter.fit(frames: pointers, timeIntegratedActivityBqS: tia, status: st)
                    }
                }
            }
            var sum = [Double](repeating: 0, count: nr + 1)
            var ok = 0, labelled = 0
            for (v, r) in regionOf.enumerated() {
                if r >= 0 { labelled += 1 }
                if status[v] == VoxelFitStatus.success.rawValue, voxelTIA[v].isFinite {
                    map[v] = voxelTIA[v]
                    if r >= 0 { ok += 1 }
                }
                sum[slot(r)] += map[v]
            }
            for (v, r) in regionOf.enumerated() {
                let s = slot(r)
                map[v] = sum[s] > 0 ? map[v] * target[s] / sum[s] : 0
            }
            successFraction = labelled > 0 ? Double(ok) / Double(labelled) : 0
        }
        var placed = [Double](repeating: 0, count: nr)
        var unl = 0.0
        for (v, r) in regionOf.enumerated() {
            if r >= 0 && excluded.contains(Int(r)) { map[v] = 0 }
            if r >= 0 { placed[Int(r)] += map[v] } else { unl += map[v] }
        }
        return TIAMap(tiaBqS: map, method: method, voxelFitSuccessFraction: successFraction, regionTIABqS: placed,
                      unlabelledTIABqS: unl)
    }
}

extension Array where Element == [Float] {
    /// Calls `body` with one buffer pointer per inner array.
    func withUnsafeBufferPointers<R>(_ body: ([UnsafeBufferPointer<Float>]) throws -> R) rethrows -> R {
        var pointers: [UnsafeBufferPointer<Float>] = []
        func recurse(_ i: Int) throws -> R {
            if i == count { return try body(pointers) }
            return try self[i].withUnsafeBufferPointer { p in
                pointers.append(p)
                return try recurse(i + 1)
            }
        }
        return try recurse(0)
    }
}
