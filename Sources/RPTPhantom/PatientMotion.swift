import Foundation
import RPTCore
import RPTVolume

/// Known motion of the synthetic patient at one scan, relative to the reference anatomy (the patient's `ct`
/// and `labels`): a rigid repositioning (rotation about `centreMM`, then translation) plus a mild smooth
/// breathing-like deformation, a Gaussian bump of cranio-caudal (z) displacement.
///
/// `referencePoint(ofScanPoint:)` maps a point of the scan's frame (LPS mm) to the reference anatomy:
/// y = R·(x − c) + c + t + d(x), with d(x) = A·exp(−|x − c_d|² / (2σ²))·ẑ. The scan's images show at x what the
/// reference anatomy has at y. Method: docs/methods/synthetic-patient.md.
public struct PatientMotion: Equatable, Sendable {
    /// Rotation angles about the x, y and z axes (degrees), applied in that order (R = Rz·Ry·Rx).
    public var rotationDegrees: SIMD3<Double>
    /// Translation (mm).
    public var translationMM: SIMD3<Double>
    /// Centre of rotation (mm).
    public var centreMM: SIMD3<Double>
    /// Peak cranio-caudal displacement of the deformation (mm, signed).
    public var deformationAmplitudeMM: Double
    /// Centre c_d of the deformation (mm).
    public var deformationCentreMM: SIMD3<Double>
    /// Width σ of the deformation (mm).
    public var deformationWidthMM: Double

    public init(rotationDegrees: SIMD3<Double> = .zero, translationMM: SIMD3<Double> = .zero, centreMM: SIMD3<Double> = .zero,
                deformationAmplitudeMM: Double = 0, deformationCentreMM: SIMD3<Double> = .zero, deformationWidthMM: Double = 80) {
        self.rotationDegrees = rotationDegrees; self.translationMM = translationMM; self.centreMM = centreMM
        self.deformationAmplitudeMM = deformationAmplitudeMM; self.deformationCentreMM = deformationCentreMM
        self.deformationWidthMM = deformationWidthMM
    }

    /// The rotation matrix R = Rz·Ry·Rx.
    public var rotation: Matrix3 {
        let a = rotationDegrees * (Double.pi / 180)
        let (cx, sx, cy, sy, cz, sz) = (cos(a.x), sin(a.x), cos(a.y), sin(a.y), cos(a.z), sin(a.z))
        // Rows of Rz·Ry·Rx.
        return Matrix3(rowMajor: [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
                                  sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
                                  -sy, cy * sx, cy * cx])
    }

    /// The deformation d(x) (mm).
    public func deformation(at x: SIMD3<Double>) -> SIMD3<Double> {
        let r = x - deformationCentreMM
        let s = deformationWidthMM
        return SIMD3(0, 0, deformationAmplitudeMM * exp(-(r * r).sum() / (2 * s * s)))
    }

    /// The reference-anatomy point shown at scan point `x`.
    public func referencePoint(ofScanPoint x: SIMD3<Double>) -> SIMD3<Double> {
        rotation * (x - centreMM) + centreMM + translationMM + deformation(at: x)
    }

    /// The scan point showing reference point `y` (the inverse map, by fixed-point iteration; the deformation's
    /// gradient is at most A/σ·e^(−1/2) ≪ 1, so it converges to 1e-9 mm in a few steps).
    public func scanPoint(ofReferencePoint y: SIMD3<Double>) -> SIMD3<Double> {
        let rt = rotation.transposed
        var x = rt * (y - centreMM - translationMM) + centreMM
        for _ in 0..<50 {
            let next = rt * (y - centreMM - translationMM - deformation(at: x)) + centreMM
            if ((next - x) * (next - x)).sum() < 1e-18 { return next }
            x = next
        }
        return x
    }

    /// The reference `volume` as the scan sees it on `grid`: each scan voxel centre x takes the value of the
    /// reference voxel nearest to `referencePoint(ofScanPoint: x)`, `fill` outside the reference grid.
    public func apply<T: VoxelScalar>(to volume: Volume<T>, onto grid: Grid3D, fill: T) -> Volume<T> {
        let g = volume.grid
        var out = [T](repeating: fill, count: grid.voxelCount)
        for n in 0..<grid.voxelCount {
            let ijk = grid.voxelIndex(n)
            let x = grid.world(continuousIndex: SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)))
            let p = g.continuousIndex(world: referencePoint(ofScanPoint: x))
            let i = Int(p.x.rounded()), j = Int(p.y.rounded()), k = Int(p.z.rounded())
            guard i >= 0, j >= 0, k >= 0, i < g.shape.x, j < g.shape.y, k < g.shape.z else { continue }
            out[n] = volume.voxels[g.linearIndex(i, j, k)]
        }
        return Volume(grid: grid, voxels: out, unit: volume.unit)
    }
}

/// Settings of the synthetic patient's motion between scans (`SyntheticPatientConfig.motion`): each scan gets a
/// rigid repositioning and a deformation drawn uniformly within these bounds from its own random stream.
public struct SyntheticMotion: Equatable, Sendable {
    /// Largest translation along each axis (mm).
    public var maximumTranslationMM = 10.0
    /// Largest rotation about each axis (degrees).
    public var maximumRotationDegrees = 3.0
    /// Largest |amplitude| of the cranio-caudal deformation (mm).
    public var maximumDeformationMM = 5.0
    /// Width σ of the deformation (mm), centred on the kidneys' midpoint.
    public var deformationWidthMM = 80.0

    public init(maximumTranslationMM: Double = 10, maximumRotationDegrees: Double = 3, maximumDeformationMM: Double = 5,
                deformationWidthMM: Double = 80) {
        self.maximumTranslationMM = maximumTranslationMM; self.maximumRotationDegrees = maximumRotationDegrees
        self.maximumDeformationMM = maximumDeformationMM; self.deformationWidthMM = deformationWidthMM
    }

    /// The motion of the scan (cycle, time), deterministic for the seed.
    func motion(seed: UInt64, cycle: Int, timeHours: Double, centreMM: SIMD3<Double>,
                deformationCentreMM: SIMD3<Double>) -> PatientMotion {
        var rng = RandomStream(seed: seed, stream: PhantomStream.motion(cycle: cycle, timeHours: timeHours))
        func u() -> Double { 2 * rng.uniform() - 1 }
        let t = SIMD3(u(), u(), u()) * maximumTranslationMM
        let r = SIMD3(u(), u(), u()) * maximumRotationDegrees
        let a = u() * maximumDeformationMM
        return PatientMotion(rotationDegrees: r, translationMM: t, centreMM: centreMM, deformationAmplitudeMM: a,
                             deformationCentreMM: deformationCentreMM, deformationWidthMM: deformationWidthMM)
    }

    func validate(source: String) throws {
        for (field, v, hi) in [("maximumTranslationMM", maximumTranslationMM, 50.0),
                               ("maximumRotationDegrees", maximumRotationDegrees, 15.0),
                               ("maximumDeformationMM", maximumDeformationMM, 20.0)] where !(v >= 0 && v <= hi) {
            throw InputError(source: source, field: "motion.\(field)", value: "\(v)", reason: "must be between 0 and \(hi)")
        }
        guard deformationWidthMM >= 20, deformationWidthMM <= 500 else {
            throw InputError(source: source, field: "motion.deformationWidthMM", value: "\(deformationWidthMM)",
                             reason: "must be between 20 and 500 mm")
        }
        // Invertible and mild: |∇d| ≤ A/σ·e^(−1/2) must stay well below 1.
        guard maximumDeformationMM / deformationWidthMM * exp(-0.5) < 0.2 else {
            throw InputError(source: source, field: "motion.maximumDeformationMM", value: "\(maximumDeformationMM)",
                             reason: "too strong for the width \(deformationWidthMM) mm (A/σ·e^(−1/2) must be < 0.2)")
        }
    }
}
