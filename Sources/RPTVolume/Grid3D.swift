import RPTCore

/// A regular 3-D voxel grid placed in patient coordinates (DICOM LPS, millimetres).
///
/// Voxel (i, j, k) has its centre at `origin + direction · (spacing ⊙ (i, j, k))`; index i runs
/// fastest in memory, then j, then k. `direction`'s columns are the unit vectors of the i, j and k
/// axes in LPS (right→Left, anterior→Posterior, inferior→Superior).
public struct Grid3D: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Number of voxels along i, j, k.
    public var shape: SIMD3<Int>
    /// Voxel size along i, j, k (mm), all > 0.
    public var spacing: SIMD3<Double>
    /// World position of the centre of voxel (0, 0, 0) (mm, LPS).
    public var origin: SIMD3<Double>
    /// Direction cosines: column n is the unit vector of index axis n in LPS.
    public var direction: Matrix3

    public init(shape: SIMD3<Int>, spacing: SIMD3<Double>, origin: SIMD3<Double> = .zero,
                direction: Matrix3 = .identity) {
        self.shape = shape; self.spacing = spacing; self.origin = origin; self.direction = direction
    }

    public var voxelCount: Int { shape.x * shape.y * shape.z }
    /// Voxel volume (mm³).
    public var voxelVolumeMM3: Double { spacing.x * spacing.y * spacing.z }
    /// Voxel volume (mL = cm³).
    public var voxelVolumeML: Double { voxelVolumeMM3 * 1e-3 }

    /// Flat index of voxel (i, j, k).
    @inlinable public func linearIndex(_ i: Int, _ j: Int, _ k: Int) -> Int { i + shape.x * (j + shape.y * k) }

    /// (i, j, k) of a flat index.
    public func voxelIndex(_ n: Int) -> SIMD3<Int> {
        SIMD3(n % shape.x, (n / shape.x) % shape.y, n / (shape.x * shape.y))
    }

    /// World position (mm, LPS) of a continuous index (voxel centres at integers).
    public func world(continuousIndex p: SIMD3<Double>) -> SIMD3<Double> {
        origin + direction * (spacing * p)
    }

    /// Continuous index of a world point (mm, LPS). Uses Dᵀ = D⁻¹ (orthonormal directions).
    public func continuousIndex(world x: SIMD3<Double>) -> SIMD3<Double> {
        (direction.transposed * (x - origin)) / spacing
    }

    /// Whether `other` describes the same voxels within `toleranceMM` in every corner position.
    public func isSameGrid(as other: Grid3D, toleranceMM: Double = 1e-3) -> Bool {
        guard shape == other.shape else { return false }
        let far = SIMD3<Double>(Double(shape.x - 1), Double(shape.y - 1), Double(shape.z - 1))
        for corner in [SIMD3<Double>.zero, far, SIMD3(far.x, 0, 0), SIMD3(0, far.y, 0), SIMD3(0, 0, far.z)] {
            let d = world(continuousIndex: corner) - other.world(continuousIndex: corner)
            if (d * d).sum().squareRoot() > toleranceMM { return false }
        }
        let ds = spacing - other.spacing
        return max(abs(ds.x), abs(ds.y), abs(ds.z)) <= toleranceMM
    }

    /// Throws unless `other` is the same grid; `what` names the two inputs for the message.
    public func requireSameGrid(as other: Grid3D, source: String, field: String = "grid") throws {
        guard isSameGrid(as: other) else {
            throw InputError(source: source, field: field, value: other.description,
                             reason: "grid differs from the required grid \(description)")
        }
    }

    /// Checks shape > 0, finite positive spacing, finite origin, orthonormal direction cosines.
    public func validate(source: String) throws {
        guard shape.x > 0, shape.y > 0, shape.z > 0 else {
            throw InputError(source: source, field: "shape", value: "\(shape.x)x\(shape.y)x\(shape.z)",
                             reason: "every dimension must be ≥ 1")
        }
        for a in 0..<3 where !(spacing[a] > 0 && spacing[a].isFinite) {
            throw InputError(source: source, field: "spacing[\(a)]", value: "\(spacing[a])",
                             reason: "voxel spacing must be a finite number > 0 mm")
        }
        for a in 0..<3 where !origin[a].isFinite {
            throw InputError(source: source, field: "origin[\(a)]", value: "\(origin[a])", reason: "must be finite")
        }
        let err = direction.orthonormalityError
        guard err < 1e-4 else {
            throw InputError(source: source, field: "direction",
                             value: direction.rowMajor.map { String($0) }.joined(separator: " "),
                             reason: "direction cosines are not orthonormal (max |DᵀD − I| = \(err))")
        }
    }

    public var description: String {
        "shape \(shape.x)×\(shape.y)×\(shape.z), spacing \(spacing.x)×\(spacing.y)×\(spacing.z) mm, "
            + "origin (\(origin.x), \(origin.y), \(origin.z)) mm"
    }
}
