import Foundation
import RPTVolume

/// The reference label map carried into a time point's own frame (VOI propagation): every reference label voxel,
/// split into sub-points no more than a third of a target voxel apart, is mapped by the registration's point map
/// T (reference → time point, the direction elastix transforms go) and its volume is added to the target voxel
/// it lands in. The time point's SPECT is then measured as acquired, without interpolation
/// (docs/methods/registration.md, "Region activity in each time point's own frame").
///
/// Volumes are reference volumes: the local volume change of a deformation (its Jacobian, within a few per cent
/// for breathing-like motion) is not applied. A partial-volume correction that uses these volumes only as
/// fractions of each label's total (the geometric transfer matrix) sees it only to second order.
public struct PropagatedLabels: Sendable {
    /// The time point's grid (its SPECT grid).
    public let grid: Grid3D
    /// The label values of the reference map (0 included when present), increasing.
    public let labels: [Int]
    /// `volumeMM3[u][v]`: reference volume (mm³) of label `labels[u]` mapped into voxel v of `grid`.
    public let volumeMM3: [[Float]]
    /// Total reference volume (mm³) of each label, including what maps outside `grid`.
    public let referenceVolumeMM3: [Double]
    /// Per voxel of `grid`: the index into `labels` of the label with the largest mapped volume, or −1 when less
    /// than `minimumCoverage` of the voxel is covered by mapped reference voxels (outside the reference field of
    /// view), so that it belongs to no region.
    public let majority: [Int32]
    /// Smallest covered fraction of a voxel for it to be assigned a label.
    public static let minimumCoverage = 0.75

    /// The distinct label values (rounded, increasing) and the index into them of every voxel.
    static func units(of voxels: [Double]) -> (values: [Int], unit: [Int32]) {
        var unit = [Int32](repeating: 0, count: voxels.count)
        var lo = Int.max, hi = Int.min
        for v in voxels { let l = Int(v.rounded()); lo = min(lo, l); hi = max(hi, l) }
        guard lo <= hi else { return ([], []) }
        if hi - lo < 1 << 20 {
            // A lookup table over the label range (label maps hold small integers).
            var present = [Bool](repeating: false, count: hi - lo + 1)
            voxels.withUnsafeBufferPointer { v in
                unit.withUnsafeMutableBufferPointer { u in
                    for n in 0..<v.count { let l = Int(v[n].rounded()) - lo; present[l] = true; u[n] = Int32(l) }
                }
            }
            var index = [Int32](repeating: -1, count: present.count)
            var values: [Int] = []
            for l in present.indices where present[l] { index[l] = Int32(values.count); values.append(l + lo) }
            unit.withUnsafeMutableBufferPointer { u in for n in 0..<u.count { u[n] = index[Int(u[n])] } }
            return (values, unit)
        }
        let rounded = voxels.map { Int($0.rounded()) }
        let values = Array(Set(rounded)).sorted()
        let unitOf = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
        return (values, rounded.map { Int32(unitOf[$0]!) })
    }

    /// Propagates `labels` (reference frame, values rounded to integers) through `field` onto `grid`.
    public init(labels: Volume<Double>, field: DisplacementField, onto grid: Grid3D) {
        let lg = labels.grid
        let (values, unit) = Self.units(of: labels.voxels)
        // Sub-points per axis: spacing ≤ one third of the target voxel along the same world extent.
        var m = SIMD3<Int>(repeating: 1)
        for a in 0..<3 { m[a] = max(1, Int((3 * lg.spacing[a] / grid.spacing.min() - 1e-9).rounded(.up))) }
        let subVolume = lg.voxelVolumeMM3 / Double(m.x * m.y * m.z)
        var referenceVolume = [Double](repeating: 0, count: values.count)
        var count = [Int](repeating: 0, count: values.count)
        unit.withUnsafeBufferPointer { for u in $0 { count[Int(u)] += 1 } }
        for u in values.indices { referenceVolume[u] = Double(count[u]) * lg.voxelVolumeMM3 }

        var volume = [Double](repeating: 0, count: values.count * grid.voxelCount)
        let (gx, gy, gz) = (grid.shape.x, grid.shape.y, grid.shape.z)
        let gdT = grid.direction.transposed.rowMajor, ld = lg.direction.rowMajor
        let gsx = grid.spacing.x, gsy = grid.spacing.y, gsz = grid.spacing.z
        let N = grid.voxelCount
        /// Adds `v` mm³ of unit `u` at the point (x, y, z) (LPS mm) to the target voxel containing it.
        func deposit(_ out: UnsafeMutableBufferPointer<Double>, _ u: Int, _ x: Double, _ y: Double, _ z: Double, _ v: Double) {
            let tx = x - grid.origin.x, ty = y - grid.origin.y, tz = z - grid.origin.z
            let ti = Int(((gdT[0] * tx + gdT[1] * ty + gdT[2] * tz) / gsx).rounded())
            let tj = Int(((gdT[3] * tx + gdT[4] * ty + gdT[5] * tz) / gsy).rounded())
            let tk = Int(((gdT[6] * tx + gdT[7] * ty + gdT[8] * tz) / gsz).rounded())
            guard ti >= 0, tj >= 0, tk >= 0, ti < gx, tj < gy, tk < gz else { return }
            out[u * N + ti + gx * (tj + gy * tk)] += v
        }
        volume.withUnsafeMutableBufferPointer { out in
            if m == SIMD3(1, 1, 1), let d = field.resampled(onto: lg) {
                // Fast path (fine labels): the field resampled onto the label grid, one point per label voxel.
                // Scalar arithmetic over millions of voxels (SIMD3 is slow in debug builds).
                let (gox, goy, goz) = (grid.origin.x, grid.origin.y, grid.origin.z)
                let (t0, t1, t2, t3, t4, t5, t6, t7, t8) = (gdT[0], gdT[1], gdT[2], gdT[3], gdT[4], gdT[5], gdT[6], gdT[7], gdT[8])
                d.x.withUnsafeBufferPointer { dx in d.y.withUnsafeBufferPointer { dy in d.z.withUnsafeBufferPointer { dz in
                    unit.withUnsafeBufferPointer { unit in
                        var n = 0
                        for k in 0..<lg.shape.z {
                            let c = Double(k) * lg.spacing.z
                            for j in 0..<lg.shape.y {
                                let b = Double(j) * lg.spacing.y
                                let rx = lg.origin.x + ld[1] * b + ld[2] * c, ry = lg.origin.y + ld[4] * b + ld[5] * c
                                let rz = lg.origin.z + ld[7] * b + ld[8] * c
                                for i in 0..<lg.shape.x {
                                    let a = Double(i) * lg.spacing.x
                                    // deposit(…), written out (called millions of times).
                                    let tx = rx + ld[0] * a + dx[n] - gox, ty = ry + ld[3] * a + dy[n] - goy
                                    let tz = rz + ld[6] * a + dz[n] - goz
                                    let ti = Int(((t0 * tx + t1 * ty + t2 * tz) / gsx).rounded())
                                    let tj = Int(((t3 * tx + t4 * ty + t5 * tz) / gsy).rounded())
                                    let tk = Int(((t6 * tx + t7 * ty + t8 * tz) / gsz).rounded())
                                    if ti >= 0, tj >= 0, tk >= 0, ti < gx, tj < gy, tk < gz {
                                        out[Int(unit[n]) * N + ti + gx * (tj + gy * tk)] += subVolume
                                    }
                                    n += 1
                                }
                            }
                        }
                    }
                } } }
            } else {
                // Coarse labels: every sub-point mapped through the field.
                for n in 0..<lg.voxelCount {
                    let ijk = lg.voxelIndex(n)
                    for c in 0..<m.z { for b in 0..<m.y { for a in 0..<m.x {
                        let o = (SIMD3(Double(a), Double(b), Double(c)) + 0.5) / SIMD3(Double(m.x), Double(m.y), Double(m.z)) - 0.5
                        let q = field.mapped(lg.world(continuousIndex: SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)) + o))
                        deposit(out, Int(unit[n]), q.x, q.y, q.z, subVolume)
                    } } }
                }
            }
        }

        var majority = [Int32](repeating: -1, count: grid.voxelCount)
        let needed = Self.minimumCoverage * grid.voxelVolumeMM3
        for v in 0..<grid.voxelCount {
            var best = -1, bestVolume = 0.0, covered = 0.0
            for u in 0..<values.count {
                let x = volume[u * grid.voxelCount + v]
                covered += x
                if x > bestVolume { best = u; bestVolume = x }
            }
            if covered >= needed { majority[v] = Int32(best) }
        }
        self.grid = grid
        self.labels = values
        self.volumeMM3 = (0..<values.count).map { u in volume[u * grid.voxelCount..<(u + 1) * grid.voxelCount].map { Float($0) } }
        self.referenceVolumeMM3 = referenceVolume
        self.majority = majority
    }
}
