import Foundation
import RPTCore
import RPTVolume

/// Criteria of a global 3-D gamma analysis (Low et al., Med Phys 25:656 (1998)).
public struct GammaCriteria: Sendable, Equatable {
    /// Dose-difference criterion ΔD as a percentage of the maximum reference dose (global gamma).
    public var doseDifferencePercent: Double
    /// Distance-to-agreement criterion (mm).
    public var distanceToAgreementMM: Double
    /// Reference voxels below this percentage of the maximum reference dose are not evaluated.
    public var lowerDoseThresholdPercent: Double
    /// Search radius as a multiple of the DTA; gamma values above it are reported as this value.
    public var searchRadiusInDTA: Double
    /// The evaluated dose is sampled on a lattice with step ≤ DTA / `samplesPerDTA` on every axis.
    public var samplesPerDTA: Int

    public init(doseDifferencePercent: Double, distanceToAgreementMM: Double, lowerDoseThresholdPercent: Double = 10,
                searchRadiusInDTA: Double = 3, samplesPerDTA: Int = 3) {
        self.doseDifferencePercent = doseDifferencePercent; self.distanceToAgreementMM = distanceToAgreementMM
        self.lowerDoseThresholdPercent = lowerDoseThresholdPercent; self.searchRadiusInDTA = searchRadiusInDTA
        self.samplesPerDTA = samplesPerDTA
    }

    func validate() throws {
        for (name, v) in [("doseDifferencePercent", doseDifferencePercent), ("distanceToAgreementMM", distanceToAgreementMM)]
        where !(v > 0 && v.isFinite) {
            throw InputError(source: "gamma criteria", field: name, value: "\(v)", reason: "must be a finite number > 0")
        }
        guard lowerDoseThresholdPercent >= 0, lowerDoseThresholdPercent < 100 else {
            throw InputError(source: "gamma criteria", field: "lowerDoseThresholdPercent",
                             value: "\(lowerDoseThresholdPercent)", reason: "must be in [0, 100)")
        }
        guard searchRadiusInDTA >= 1, searchRadiusInDTA <= 10 else {
            throw InputError(source: "gamma criteria", field: "searchRadiusInDTA", value: "\(searchRadiusInDTA)",
                             reason: "must be in [1, 10] (≥ 1 so that pass/fail is exact)")
        }
        guard samplesPerDTA >= 1, samplesPerDTA <= 20 else {
            throw InputError(source: "gamma criteria", field: "samplesPerDTA", value: "\(samplesPerDTA)",
                             reason: "must be in [1, 20]")
        }
    }
}

/// Result of a gamma analysis.
public struct GammaResult: Sendable {
    /// γ per voxel; NaN where the reference dose is below the threshold (not evaluated).
    public var gamma: Volume<Double>
    public var evaluatedVoxelCount: Int
    /// Evaluated voxels with γ ≤ 1.
    public var passedVoxelCount: Int
    /// passed / evaluated (0…1); 1 when nothing is evaluated.
    public var passRate: Double
    public var meanGamma: Double
    /// Largest γ found (≤ `searchRadiusInDTA`).
    public var maxGamma: Double
    /// Step of the evaluated-dose lattice along i, j, k (mm).
    public var samplingStepMM: SIMD3<Double>
}

/// Global 3-D gamma index of an evaluated dose against a reference dose on the same grid.
///
/// For each reference voxel r with D_r ≥ threshold, γ(r) = min over points e of
/// √(|e − r|²/DTA² + (D_e(e) − D_r(r))²/ΔD²), ΔD = `doseDifferencePercent` % of max D_r (Low et al. 1998).
/// The points e form a lattice around r with step spacing_a / ⌈spacing_a · samplesPerDTA / DTA⌉ ≤ DTA/samplesPerDTA
/// per axis, inside a sphere of radius `searchRadiusInDTA`·DTA, and D_e there is trilinearly interpolated
/// from the evaluated voxel values (points whose interpolation cell leaves the grid are skipped). Offsets are
/// visited in order of increasing distance and the search stops when the distance term plus a lower bound of
/// the dose term (from the evaluated dose range over the search box) exceeds the best γ² found (the sorted
/// search of Wendling et al., Med Phys 34:1647 (2007), with that extra bound). γ is capped at
/// `searchRadiusInDTA`.
public enum GammaIndex {
    struct Offset {
        var di: Int, dj: Int, dk: Int
        var wx: Double, wy: Double, wz: Double
        /// Index strides to the +1 neighbour on each axis; 0 when the weight is 0 (no read past the edge).
        var sx: Int, sy: Int, sz: Int
        /// |offset|² / DTA².
        var distance2: Double
    }

    public static func compute(reference: Volume<Double>, evaluated: Volume<Double>,
                               criteria: GammaCriteria) throws -> GammaResult {
        try criteria.validate()
        try DoseComparison.requirePair(reference, evaluated)
        let grid = reference.grid
        let n = grid.shape
        let maxRef = reference.valueRange.upperBound
        let cap2 = criteria.searchRadiusInDTA * criteria.searchRadiusInDTA
        let (offsets, step) = makeOffsets(grid: grid, criteria: criteria)
        var gamma = [Double](repeating: .nan, count: grid.voxelCount)
        guard maxRef > 0 else {
            return GammaResult(gamma: Volume(grid: grid, voxels: gamma, unit: "gamma"), evaluatedVoxelCount: 0,
                               passedVoxelCount: 0, passRate: 1, meanGamma: 0, maxGamma: 0, samplingStepMM: step)
        }
        let threshold = criteria.lowerDoseThresholdPercent / 100 * maxRef
        let deltaD = criteria.doseDifferencePercent / 100 * maxRef
        let invDD2 = 1 / (deltaD * deltaD)
        // Range of the evaluated dose over each voxel's search box (+1 voxel for the interpolation cell):
        // every interpolated D_e in the sphere lies in [lo, hi], so γ² ≥ d²/DTA² + dist(D_r, [lo, hi])²/ΔD².
        let boxHalf = SIMD3<Int>((0..<3).map { Int((criteria.searchRadiusInDTA * criteria.distanceToAgreementMM
                                                    / grid.spacing[$0]).rounded(.up)) + 1 })
        let (lo, hi) = boxMinMax(evaluated.voxels, shape: n, halfWidth: boxHalf)

        reference.voxels.withUnsafeBufferPointer { ref in
            evaluated.voxels.withUnsafeBufferPointer { ev in
              lo.withUnsafeBufferPointer { lo in
                hi.withUnsafeBufferPointer { hi in
                offsets.withUnsafeBufferPointer { off in
                    gamma.withUnsafeMutableBufferPointer { out in
                        let outBase = out.baseAddress!
                        DispatchQueue.concurrentPerform(iterations: n.z) { k in
                            for j in 0..<n.y {
                                for i in 0..<n.x {
                                    let idx = i + n.x * (j + n.y * k)
                                    let dr = ref[idx]
                                    if dr < threshold { continue }
                                    var best = cap2
                                    let gap = dr < lo[idx] ? lo[idx] - dr : (dr > hi[idx] ? dr - hi[idx] : 0)
                                    let bound = gap * gap * invDD2
                                    for o in off {
                                        if o.distance2 + bound >= best { break }
                                        let i0 = i + o.di, j0 = j + o.dj, k0 = k + o.dk
                                        if i0 < 0 || j0 < 0 || k0 < 0 { continue }
                                        if i0 + (o.sx != 0 ? 1 : 0) >= n.x || j0 + (o.sy != 0 ? 1 : 0) >= n.y
                                            || k0 + (o.sz != 0 ? 1 : 0) >= n.z { continue }
                                        let b = i0 + n.x * (j0 + n.y * k0)
                                        let c00 = ev[b] + o.wx * (ev[b + o.sx] - ev[b])
                                        let c10 = ev[b + o.sy] + o.wx * (ev[b + o.sy + o.sx] - ev[b + o.sy])
                                        let c01 = ev[b + o.sz] + o.wx * (ev[b + o.sz + o.sx] - ev[b + o.sz])
                                        let c11 = ev[b + o.sz + o.sy] + o.wx * (ev[b + o.sz + o.sy + o.sx] - ev[b + o.sz + o.sy])
                                        let c0 = c00 + o.wy * (c10 - c00)
                                        let c1 = c01 + o.wy * (c11 - c01)
                                        let de = c0 + o.wz * (c1 - c0)
                                        let g2 = o.distance2 + (de - dr) * (de - dr) * invDD2
                                        if g2 < best { best = g2 }
                                    }
                                    outBase[idx] = best.squareRoot()
                                }
                            }
                        }
                    }
                }
                }
              }
            }
        }
        var evaluatedCount = 0, passed = 0, sum = 0.0, worst = 0.0
        for g in gamma where !g.isNaN {
            evaluatedCount += 1
            if g <= 1 { passed += 1 }
            sum += g
            worst = max(worst, g)
        }
        return GammaResult(gamma: Volume(grid: grid, voxels: gamma, unit: "gamma"),
                           evaluatedVoxelCount: evaluatedCount, passedVoxelCount: passed,
                           passRate: evaluatedCount > 0 ? Double(passed) / Double(evaluatedCount) : 1,
                           meanGamma: evaluatedCount > 0 ? sum / Double(evaluatedCount) : 0, maxGamma: worst,
                           samplingStepMM: step)
    }

    /// Minimum and maximum of `v` over the box of ±`halfWidth` voxels around each voxel (clipped at the
    /// edges), by three separable running passes.
    static func boxMinMax(_ v: [Double], shape n: SIMD3<Int>, halfWidth h: SIMD3<Int>) -> ([Double], [Double]) {
        var lo = v, hi = v
        let strides = [1, n.x, n.x * n.y]
        for axis in 0..<3 {
            let len = n[axis], stride = strides[axis], w = h[axis]
            let srcLo = lo, srcHi = hi
            srcLo.withUnsafeBufferPointer { sl in
                srcHi.withUnsafeBufferPointer { sh in
                    lo.withUnsafeMutableBufferPointer { dl in
                        hi.withUnsafeMutableBufferPointer { dh in
                            for start in 0..<v.count where (start / stride) % len == 0 {
                                for t in 0..<len {
                                    var a = Double.infinity, b = -Double.infinity
                                    for u in max(0, t - w)...min(len - 1, t + w) {
                                        let m = start + u * stride
                                        a = min(a, sl[m]); b = max(b, sh[m])
                                    }
                                    dl[start + t * stride] = a; dh[start + t * stride] = b
                                }
                            }
                        }
                    }
                }
            }
        }
        return (lo, hi)
    }

    /// Search lattice offsets inside the search sphere, sorted by distance, and the lattice step (mm).
    static func makeOffsets(grid: Grid3D, criteria: GammaCriteria) -> ([Offset], SIMD3<Double>) {
        let dta = criteria.distanceToAgreementMM
        let radius = criteria.searchRadiusInDTA * dta
        let spacing = grid.spacing
        var sub = SIMD3<Int>(1, 1, 1), reach = SIMD3<Int>(0, 0, 0)
        var step = SIMD3<Double>(0, 0, 0)
        for a in 0..<3 {
            sub[a] = max(1, Int((spacing[a] * Double(criteria.samplesPerDTA) / dta).rounded(.up)))
            step[a] = spacing[a] / Double(sub[a])
            reach[a] = Int((radius / step[a]).rounded(.down))
        }
        let strideY = grid.shape.x, strideZ = grid.shape.x * grid.shape.y
        var offsets = [Offset]()
        for mz in -reach.z...reach.z {
            for my in -reach.y...reach.y {
                for mx in -reach.x...reach.x {
                    let mm = SIMD3<Double>(Double(mx), Double(my), Double(mz)) * step
                    let d2 = (mm * mm).sum()
                    if d2 > radius * radius { continue }
                    // Lattice index m = q·sub + rem with 0 ≤ rem < sub: voxel q, weight rem/sub.
                    func split(_ m: Int, _ s: Int) -> (Int, Double) {
                        let q = Int((Double(m) / Double(s)).rounded(.down))
                        return (q, Double(m - q * s) / Double(s))
                    }
                    let (di, wx) = split(mx, sub.x), (dj, wy) = split(my, sub.y), (dk, wz) = split(mz, sub.z)
                    offsets.append(Offset(di: di, dj: dj, dk: dk, wx: wx, wy: wy, wz: wz,
                                          sx: wx > 0 ? 1 : 0, sy: wy > 0 ? strideY : 0, sz: wz > 0 ? strideZ : 0,
                                          distance2: d2 / (dta * dta)))
                }
            }
        }
        offsets.sort { $0.distance2 < $1.distance2 }
        return (offsets, step)
    }
}
