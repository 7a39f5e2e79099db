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

    /// Smallest voxel spacing accepted (mm): 1 µm, below any CT, SPECT or dose-kernel grid (micro-CT ≈ 10 µm).
    public static let minimumSpacingMM = 1e-3
    /// Largest voxel spacing accepted (mm): 10 cm, coarser than any patient image.
    public static let maximumSpacingMM = 100.0
    /// Largest extent of an image along any axis (mm): 3 m, more than any patient or scanner field of view.
    public static let maximumExtentMM = 3000.0
    /// Largest |origin| coordinate accepted (mm): 10 m from the scanner's origin.
    public static let maximumOriginMM = 10_000.0
    /// Largest voxel count accepted: 2²⁹ ≈ 5.4·10⁸ (e.g. 1024 × 1024 × 512; a few GB per double volume), so that
    /// voxel counts × bytes per voxel never overflow and a corrupt header cannot ask for unbounded memory.
    public static let maximumVoxelCount = 1 << 29

    /// The voxel count of `shape`, or nil when a dimension is < 1 or the product overflows or exceeds
    /// `maximumVoxelCount` (checked multiplication: never traps).
    public static func checkedVoxelCount(_ shape: SIMD3<Int>) -> Int? {
        guard shape.x > 0, shape.y > 0, shape.z > 0 else { return nil }
        let (xy, o1) = shape.x.multipliedReportingOverflow(by: shape.y)
        guard !o1 else { return nil }
        let (n, o2) = xy.multipliedReportingOverflow(by: shape.z)
        guard !o2, n <= maximumVoxelCount else { return nil }
        return n
    }

    /// Checks shape > 0 with a bounded voxel count, finite spacing within [`minimumSpacingMM`,
    /// `maximumSpacingMM`], extent ≤ `maximumExtentMM`, finite bounded origin, orthonormal direction cosines.
    public func validate(source: String) throws {
        guard shape.x > 0, shape.y > 0, shape.z > 0 else {
            throw InputError(source: source, field: "shape", value: "\(shape.x)x\(shape.y)x\(shape.z)",
                             reason: "every dimension must be ≥ 1")
        }
        guard Self.checkedVoxelCount(shape) != nil else {
            throw InputError(source: source, field: "shape", value: "\(shape.x)x\(shape.y)x\(shape.z)",
                             reason: "too many voxels: at most \(Self.maximumVoxelCount) (e.g. 1024×1024×512) are supported")
        }
        for a in 0..<3 where !(spacing[a] > 0 && spacing[a].isFinite) {
            throw InputError(source: source, field: "spacing[\(a)]", value: "\(spacing[a])",
                             reason: "voxel spacing must be a finite number > 0 mm")
        }
        for a in 0..<3 where !(spacing[a] >= Self.minimumSpacingMM && spacing[a] <= Self.maximumSpacingMM) {
            throw InputError(source: source, field: "spacing[\(a)]", value: "\(spacing[a])",
                             reason: "implausible voxel spacing: expected \(Self.minimumSpacingMM)…\(Self.maximumSpacingMM) mm "
                                + "(is the header's unit metres or micrometres instead of mm?)")
        }
        for a in 0..<3 where Double(shape[a]) * spacing[a] > Self.maximumExtentMM {
            throw InputError(source: source, field: "extent[\(a)]", value: "\(Double(shape[a]) * spacing[a]) mm",
                             reason: "implausible image extent: at most \(Self.maximumExtentMM) mm along an axis")
        }
        for a in 0..<3 where !origin[a].isFinite {
            throw InputError(source: source, field: "origin[\(a)]", value: "\(origin[a])", reason: "must be finite")
        }
        for a in 0..<3 where abs(origin[a]) > Self.maximumOriginMM {
            throw InputError(source: source, field: "origin[\(a)]", value: "\(origin[a])",
                             reason: "implausible origin: expected within ±\(Self.maximumOriginMM) mm of the scanner origin")
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
