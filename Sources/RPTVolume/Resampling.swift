/// Resampling of a volume onto another grid.
///
/// - `trilinear`: for intensities (CT numbers, concentrations viewed as a field). Target voxel
///   centres are mapped to the source's continuous index; points within half a voxel of the source's
///   outer voxel centres are clamped to the edge, points further out get `fill`.
/// - `nearest`: for label maps; never invents labels.
/// - Content-conserving (`resampledConservingContent`): for activity or TIA maps holding an amount per
///   voxel (Bq, Bq·s). Each source voxel's content is shared among the target voxels it overlaps,
///   so the total inside the target grid's field of view is preserved; see that method.
public enum InterpolationMode: String, Sendable, CaseIterable {
    case trilinear, nearest
}

extension Volume {
    /// Resamples onto `target` with trilinear or nearest-neighbour interpolation.
    /// - Parameter fill: value for target voxels outside the source's field of view.
    @inlinable public func resampled(onto target: Grid3D, mode: InterpolationMode, fill: Double = 0) -> Volume<Scalar> {
        let values = resampledValues(onto: target, mode: mode, fill: fill)
        return Volume(grid: target, voxels: Scalar.self == Double.self ? values as! [Scalar] : values.map { Scalar(clampingDouble: $0) },
                      unit: unit)
    }

    /// The values `resampled` interpolates, as doubles, read from the voxels in their stored type (no copy of the
    /// source as doubles: a whole-body int16 CT would take 8 bytes per voxel more).
    @inlinable public func resampledValues(onto target: Grid3D, mode: InterpolationMode, fill: Double = 0) -> [Double] {
        let src = grid
        let n = src.shape
        var out = [Double](repeating: fill, count: target.voxelCount)
        // Affine map from target index to source continuous index: p = A·t + b.
        let toSrc = src.direction.transposed
        let b = (toSrc * (target.origin - src.origin)) / src.spacing
        let ax = (toSrc * (target.direction.c0 * target.spacing.x)) / src.spacing
        let ay = (toSrc * (target.direction.c1 * target.spacing.y)) / src.spacing
        let az = (toSrc * (target.direction.c2 * target.spacing.z)) / src.spacing
        let hi = SIMD3<Double>(Double(n.x - 1), Double(n.y - 1), Double(n.z - 1))
        voxels.withUnsafeBufferPointer { v in
            for k in 0..<target.shape.z {
                for j in 0..<target.shape.y {
                    var idx = target.linearIndex(0, j, k)
                    for i in 0..<target.shape.x {
                        defer { idx += 1 }
                        let p = b + ax * Double(i) + ay * Double(j) + az * Double(k)
                        if p.x < -0.5 || p.y < -0.5 || p.z < -0.5
                            || p.x > hi.x + 0.5 || p.y > hi.y + 0.5 || p.z > hi.z + 0.5 { continue }
                        let q = p.clamped(lowerBound: .zero, upperBound: hi)
                        switch mode {
                        case .nearest:
                            let r = q.rounded(.toNearestOrAwayFromZero)
                            out[idx] = v[src.linearIndex(Int(r.x), Int(r.y), Int(r.z))].doubleValue
                        case .trilinear:
                            let f = q.rounded(.down)
                            let i0 = Int(f.x), j0 = Int(f.y), k0 = Int(f.z)
                            let i1 = min(i0 + 1, n.x - 1), j1 = min(j0 + 1, n.y - 1), k1 = min(k0 + 1, n.z - 1)
                            let w = q - f
                            func at(_ a: Int, _ b: Int, _ c: Int) -> Double { v[src.linearIndex(a, b, c)].doubleValue }
                            let c00 = at(i0, j0, k0) * (1 - w.x) + at(i1, j0, k0) * w.x
                            let c10 = at(i0, j1, k0) * (1 - w.x) + at(i1, j1, k0) * w.x
                            let c01 = at(i0, j0, k1) * (1 - w.x) + at(i1, j0, k1) * w.x
                            let c11 = at(i0, j1, k1) * (1 - w.x) + at(i1, j1, k1) * w.x
                            let c0 = c00 * (1 - w.y) + c10 * w.y
                            let c1 = c01 * (1 - w.y) + c11 * w.y
                            out[idx] = c0 * (1 - w.z) + c1 * w.z
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Result of a content-conserving resampling.
public struct ConservingResample: Sendable {
    /// The content (e.g. Bq) per target voxel.
    public var volume: Volume<Double>
    /// Content of the source that fell outside the target grid (same unit as the voxel values).
    public var contentOutside: Double

    @inlinable public init(volume: Volume<Double>, contentOutside: Double) {
        self.volume = volume; self.contentOutside = contentOutside
    }
}

extension Volume {
    /// Resamples a map of content per voxel (Bq, Bq·s, counts) so that content is conserved.
    ///
    /// When both grids share direction cosines, the overlap of every source voxel with every target
    /// voxel is computed exactly, axis by axis (the overlap of two boxes is the product of the 1-D
    /// overlaps), and content is shared in proportion to overlapping volume — the source is taken
    /// as uniform inside each voxel. Otherwise each source voxel is split into `subdivisions`³
    /// equal sub-voxels whose content goes to the target voxel holding the sub-voxel centre.
    /// Either way, Σ target + `contentOutside` = Σ source (to rounding).
    @inlinable public func resampledConservingContent(onto target: Grid3D, subdivisions: Int = 4) -> ConservingResample {
        let values = voxels.map { $0.doubleValue }
        let total = values.reduce(0, +)
        let sameAxes = (0..<3).allSatisfy { a in
            let d = grid.direction[column: a] - target.direction[column: a]
            return (d * d).sum() < 1e-12
        }
        var out: [Double]
        if sameAxes {
            out = values
            var shape = grid.shape
            for axis in 0..<3 {
                let weights = Self.overlapWeights(source: grid, target: target, axis: axis)
                out = Self.applyAlongAxis(out, shape: shape, axis: axis, newLength: target.shape[axis],
                                          weights: weights)
                shape[axis] = target.shape[axis]
            }
        } else {
            out = [Double](repeating: 0, count: target.voxelCount)
            let m = max(1, subdivisions)
            let w = 1.0 / Double(m * m * m)
            for n in 0..<values.count where values[n] != 0 {
                let ijk = grid.voxelIndex(n)
                for c in 0..<m { for b in 0..<m { for a in 0..<m {
                    let sub = SIMD3<Double>((Double(a) + 0.5) / Double(m) - 0.5,
                                            (Double(b) + 0.5) / Double(m) - 0.5,
                                            (Double(c) + 0.5) / Double(m) - 0.5)
                    let p = SIMD3<Double>(Double(ijk.x), Double(ijk.y), Double(ijk.z)) + sub
                    let t = target.continuousIndex(world: grid.world(continuousIndex: p))
                        .rounded(.toNearestOrAwayFromZero)
                    let ti = Int(t.x), tj = Int(t.y), tk = Int(t.z)
                    guard ti >= 0, tj >= 0, tk >= 0, ti < target.shape.x, tj < target.shape.y,
                          tk < target.shape.z else { continue }
                    out[target.linearIndex(ti, tj, tk)] += values[n] * w
                }}}
            }
        }
        let inside = out.reduce(0, +)
        return ConservingResample(volume: Volume<Double>(grid: target, voxels: out, unit: unit),
                                  contentOutside: total - inside)
    }

    /// Sparse 1-D overlap weights along one axis: for each source index, (target index, fraction of
    /// the source voxel's length inside that target voxel).
    @usableFromInline static func overlapWeights(source: Grid3D, target: Grid3D, axis: Int) -> [[(Int, Double)]] {
        let dir = source.direction[column: axis]
        // Position along the shared axis of voxel centre 0, for each grid.
        let s0 = (source.origin * dir).sum(), t0 = (target.origin * dir).sum()
        let ds = source.spacing[axis], dt = target.spacing[axis]
        let nt = target.shape[axis]
        return (0..<source.shape[axis]).map { s in
            let lo = s0 + (Double(s) - 0.5) * ds, hi = lo + ds
            let first = max(0, Int(((lo - t0) / dt + 0.5).rounded(.down)))
            let last = min(nt - 1, Int(((hi - t0) / dt + 0.5).rounded(.down)))
            guard first <= last else { return [] }
            var row: [(Int, Double)] = []
            for t in first...last {
                let tlo = t0 + (Double(t) - 0.5) * dt, thi = tlo + dt
                let overlap = min(hi, thi) - max(lo, tlo)
                if overlap > 0 { row.append((t, overlap / ds)) }
            }
            return row
        }
    }

    @usableFromInline static func applyAlongAxis(_ v: [Double], shape: SIMD3<Int>, axis: Int, newLength: Int,
                               weights: [[(Int, Double)]]) -> [Double] {
        var newShape = shape
        newShape[axis] = newLength
        var out = [Double](repeating: 0, count: newShape.x * newShape.y * newShape.z)
        for k in 0..<shape.z { for j in 0..<shape.y { for i in 0..<shape.x {
            let value = v[i + shape.x * (j + shape.y * k)]
            if value == 0 { continue }
            let src = axis == 0 ? i : (axis == 1 ? j : k)
            for (t, w) in weights[src] {
                var p = SIMD3(i, j, k)
                p[axis] = t
                out[p.x + newShape.x * (p.y + newShape.y * p.z)] += value * w
            }
        }}}
        return out
    }

    /// Resamples a concentration map (e.g. Bq/mL) conserving the total content: values are turned
    /// into content with the source voxel volume, resampled with `resampledConservingContent`, and
    /// turned back into concentration with the target voxel volume. `contentOutside` is in content units
    /// (concentration × mL).
    public func resampledConservingConcentration(onto target: Grid3D, subdivisions: Int = 4) -> ConservingResample {
        let content = Volume<Double>(grid: grid, voxels: voxels.map { $0.doubleValue * grid.voxelVolumeML }, unit: unit)
        var r = content.resampledConservingContent(onto: target, subdivisions: subdivisions)
        let inv = 1 / target.voxelVolumeML
        r.volume.voxels = r.volume.voxels.map { $0 * inv }
        return r
    }
}
