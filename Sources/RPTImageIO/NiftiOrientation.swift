import RPTVolume

/// NIfTI-1 quaternion ⇄ rotation matrix conversions (nifti1.h, "METHOD 2" of the qform).
///
/// The qform rotation is `R(a, b, c, d)` with `a = √(1 − b² − c² − d²) ≥ 0`; the world (RAS)
/// position of voxel (i, j, k) is `R · diag(1, 1, qfac) · diag(pixdim) · (i, j, k) + qoffset`, where
/// `qfac = pixdim[0]` is −1 or +1 (0 is read as +1).
enum NiftiQuaternion {
    /// Rotation matrix of the unit quaternion (a, b, c, d), with a recomputed from b, c, d.
    static func rotation(b: Double, c: Double, d: Double) -> Matrix3 {
        var b = b, c = c, d = d
        var a = 1 - (b * b + c * c + d * d)
        if a < 1e-7 {
            // Rounding left |(b,c,d)| ≥ 1: a 180° rotation; renormalise as nifti1_io does.
            let s = 1 / (b * b + c * c + d * d).squareRoot()
            b *= s; c *= s; d *= s; a = 0
        } else {
            a = a.squareRoot()
        }
        return Matrix3(rowMajor: [
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b,
        ])
    }

    /// (b, c, d) of a proper rotation matrix (det +1), choosing the sign that makes a ≥ 0
    /// (Shepperd's method: divide by the largest of the four quaternion components).
    static func quaternion(of r: Matrix3) -> (b: Double, c: Double, d: Double) {
        let m = r.rowMajor
        let r00 = m[0], r01 = m[1], r02 = m[2], r10 = m[3], r11 = m[4], r12 = m[5], r20 = m[6], r21 = m[7], r22 = m[8]
        let trace = r00 + r11 + r22
        var a, b, c, d: Double
        if trace > 0 {
            let s = (trace + 1).squareRoot() * 2
            a = 0.25 * s; b = (r21 - r12) / s; c = (r02 - r20) / s; d = (r10 - r01) / s
        } else if r00 > r11 && r00 > r22 {
            let s = (1 + r00 - r11 - r22).squareRoot() * 2
            a = (r21 - r12) / s; b = 0.25 * s; c = (r01 + r10) / s; d = (r02 + r20) / s
        } else if r11 > r22 {
            let s = (1 + r11 - r00 - r22).squareRoot() * 2
            a = (r02 - r20) / s; b = (r01 + r10) / s; c = 0.25 * s; d = (r12 + r21) / s
        } else {
            let s = (1 + r22 - r00 - r11).squareRoot() * 2
            a = (r10 - r01) / s; b = (r02 + r20) / s; c = (r12 + r21) / s; d = 0.25 * s
        }
        if a < 0 { b = -b; c = -c; d = -d }
        return (b, c, d)
    }
}

/// NIfTI world coordinates are RAS (+x toward the patient's Right, +y Anterior, +z Superior);
/// DICOM/RPTDose patient coordinates are LPS (+x Left, +y Posterior, +z Superior). The two differ by
/// negating x and y.
enum RASLPS {
    static let flip = SIMD3<Double>(-1, -1, 1)
    /// Negates the x and y components of a position or of every direction column.
    static func convert(_ p: SIMD3<Double>) -> SIMD3<Double> { p * flip }
    static func convert(_ m: Matrix3) -> Matrix3 { Matrix3(columns: m.c0 * flip, m.c1 * flip, m.c2 * flip) }
}

extension Matrix3 {
    /// Determinant.
    var determinant: Double {
        let a = c0, b = c1, c = c2
        return a.x * (b.y * c.z - b.z * c.y) - b.x * (a.y * c.z - a.z * c.y) + c.x * (a.y * b.z - a.z * b.y)
    }
}
