import RPTCore
import RPTVolume

/// Where decays happen.
public enum SourceGeometry: Sendable {
    /// Decays distributed over voxels in proportion to `weights` (a TIA map in Bq·s, or an activity
    /// map), uniformly inside each voxel of the world grid.
    case voxelMap(weights: [Double])
    /// A point (cm, world frame).
    case point(SIMD3<Double>)
    /// Uniform inside a sphere (centre cm, radius cm).
    case sphere(center: SIMD3<Double>, radius: Double)
    /// Uniform inside an axis-aligned box (corners cm).
    case box(lower: SIMD3<Double>, upper: SIMD3<Double>)
}

/// Samples decay positions in O(1): an alias table over voxels for maps, analytic sampling otherwise.
public struct PositionSampler: Sendable {
    let geometry: SourceGeometry
    /// Alias table over `activeVoxels` (a one-bin placeholder for analytic sources): 8 + 4 bytes per voxel with
    /// activity (threshold as Double, alias as Int32), plus 8 bytes of packed coordinates in `activeVoxels`.
    let alias: AliasTable
    /// Voxel coordinates (i, j, k) of each alias-table entry, packed as i | j << 21 | k << 42 (only voxels
    /// with activity are tabulated, so the table stays small and cache-resident; no division per decay).
    let activeVoxels: [UInt64]
    let shape: SIMD3<Int>
    let voxelSize: SIMD3<Double>
    /// Systematic sampling only (else empty): cumulative weight of `activeVoxels` 0…i over the total, the last
    /// entry exactly 1 — voxel i holds the quantiles [cumulative[i − 1], cumulative[i]).
    let cumulative: [Double]

    /// - Parameter sampling: `.systematic` also builds the cumulative table of `sample(quantile:_:)` (voxel maps only).
    /// - Throws: `InputError` if a map has the wrong size, negative, NaN or all-zero weights, or if systematic
    ///   sampling is asked of an analytic source.
    public init(_ geometry: SourceGeometry, world: VoxelWorld, sampling: SourceSampling = .analog) throws {
        // A map's weights are not kept (8 bytes per voxel of the world grid): the alias table (and, for systematic
        // sampling, the cumulative table) hold what sampling needs.
        if case .voxelMap = geometry { self.geometry = .voxelMap(weights: []) } else { self.geometry = geometry }
        shape = world.grid.shape
        voxelSize = world.voxelSizeCm
        switch geometry {
        case .voxelMap(let w):
            guard w.count == world.grid.voxelCount else {
                throw InputError(source: "activity map", field: "voxel count", value: "\(w.count)",
                                 reason: "must equal the geometry grid's \(world.grid.voxelCount) voxels")
            }
            if let n = w.withUnsafeBufferPointer({ w in w.indices.first { !(w[$0] >= 0 && w[$0].isFinite) } }) {
                let ijk = world.grid.voxelIndex(n)
                throw InputError(source: "activity map", field: "voxel (\(ijk.x), \(ijk.y), \(ijk.z))",
                                 value: "\(w[n])", reason: "activity must be finite and ≥ 0")
            }
            guard shape.x < 1 << 21, shape.y < 1 << 21, shape.z < 1 << 21 else {
                throw InputError(source: "activity map", field: "grid shape", value: "\(shape)", reason: "at most 2 097 151 voxels per axis")
            }
            // One pass over the map, row by row (no division per voxel).
            var active: [UInt64] = [], weights: [Double] = []
            let shape = self.shape
            w.withUnsafeBufferPointer { w in
                var n = 0
                for k in 0..<shape.z { for j in 0..<shape.y {
                    let row = UInt64(j) << 21 | UInt64(k) << 42
                    for i in 0..<shape.x {
                        if w[n] > 0 { active.append(UInt64(i) | row); weights.append(w[n]) }
                        n += 1
                    }
                }}
            }
            guard !weights.isEmpty else {
                throw InputError(source: "activity map", reason: "the map holds no activity (all voxels are 0)")
            }
            activeVoxels = active
            alias = AliasTable(weights: weights)
            if sampling == .systematic {
                var c = [Double](repeating: 0, count: weights.count), running = 0.0
                for (i, x) in weights.enumerated() { running += x; c[i] = running }
                for i in c.indices { c[i] /= running }
                c[c.count - 1] = 1
                cumulative = c
            } else {
                cumulative = []
            }
        case .sphere(_, let r):
            guard r > 0 else { throw InputError(source: "sphere source", field: "radius", value: "\(r)", reason: "must be > 0") }
            alias = AliasTable(weights: [1])
            activeVoxels = []
            cumulative = []
        default:
            alias = AliasTable(weights: [1])
            activeVoxels = []
            cumulative = []
        }
        if sampling == .systematic, case .voxelMap = geometry {} else if sampling == .systematic {
            throw InputError(source: "--source-sampling", value: sampling.rawValue,
                             reason: "systematic source sampling needs a voxel activity map (this source is analytic)")
        }
    }

    /// Samples the decay position at quantile `t` ∈ [0, 1) of the cumulative activity (systematic sampling): the
    /// voxel holding t (binary search), then a uniform point inside it from `rng`.
    @inline(__always)
    public func sample(quantile t: Double, _ rng: inout RandomStream) -> SIMD3<Double> {
        let index = cumulative.withUnsafeBufferPointer { c -> Int in
            // First i with t < c[i]; c is non-decreasing and ends at 1 > t.
            var lo = 0, hi = c.count - 1
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                if t < c[mid] { hi = mid } else { lo = mid &+ 1 }
            }
            return lo
        }
        let packed = activeVoxels.withUnsafeBufferPointer { $0[index] }
        let mask: UInt64 = (1 << 21) - 1
        let i = Int(packed & mask), j = Int((packed >> 21) & mask), k = Int(packed >> 42)
        let u = SIMD3(rng.uniform32(), rng.uniform32(), rng.uniform32())
        return (SIMD3(Double(i), Double(j), Double(k)) + u) * voxelSize
    }

    /// Samples one decay position (cm, world frame).
    @inline(__always)
    public func sample(_ rng: inout RandomStream) -> SIMD3<Double> {
        switch geometry {
        case .voxelMap:
            let packed = activeVoxels.withUnsafeBufferPointer { $0[alias.sample(&rng)] }
            let mask: UInt64 = (1 << 21) - 1
            let i = Int(packed & mask), j = Int((packed >> 21) & mask), k = Int(packed >> 42)
            // 32-bit uniforms: 2⁻³² of a voxel is far below any length that matters.
            let u = SIMD3(rng.uniform32(), rng.uniform32(), rng.uniform32())
            return (SIMD3(Double(i), Double(j), Double(k)) + u) * voxelSize
        case .point(let p):
            return p
        case .sphere(let c, let r):
            // Direction isotropic, radius with density ∝ r² → r·u^{1/3}.
            let d = rng.isotropicDirection()
            return c + d * (r * _pow(rng.uniform(), 1.0 / 3.0))
        case .box(let lo, let hi):
            return lo + (hi - lo) * SIMD3(rng.uniform(), rng.uniform(), rng.uniform())
        }
    }
}
