/// A 3×3 matrix stored by columns; used for direction cosines.
public struct Matrix3: Equatable, Hashable, Sendable {
    public var c0: SIMD3<Double>, c1: SIMD3<Double>, c2: SIMD3<Double>

    public init(columns c0: SIMD3<Double>, _ c1: SIMD3<Double>, _ c2: SIMD3<Double>) {
        self.c0 = c0; self.c1 = c1; self.c2 = c2
    }

    public static let identity = Matrix3(columns: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    /// Row-major 9 numbers (m00 m01 m02 m10 …), the order of the HDF5 `direction` attribute. (MetaImage's
    /// `TransformMatrix` is the transpose: column by column; see docs/formats/images.md.)
    public var rowMajor: [Double] {
        [c0.x, c1.x, c2.x, c0.y, c1.y, c2.y, c0.z, c1.z, c2.z]
    }

    public init(rowMajor m: [Double]) {
        precondition(m.count == 9)
        self.init(columns: SIMD3(m[0], m[3], m[6]), SIMD3(m[1], m[4], m[7]), SIMD3(m[2], m[5], m[8]))
    }

    public subscript(column i: Int) -> SIMD3<Double> { i == 0 ? c0 : (i == 1 ? c1 : c2) }

    public static func * (m: Matrix3, v: SIMD3<Double>) -> SIMD3<Double> {
        m.c0 * v.x + m.c1 * v.y + m.c2 * v.z
    }

    public var transposed: Matrix3 {
        Matrix3(columns: SIMD3(c0.x, c1.x, c2.x), SIMD3(c0.y, c1.y, c2.y), SIMD3(c0.z, c1.z, c2.z))
    }

    /// Largest deviation of MᵀM from the identity; 0 for an exactly orthonormal matrix.
    public var orthonormalityError: Double {
        let cols = [c0, c1, c2]
        var worst = 0.0
        for i in 0..<3 {
            for j in 0..<3 {
                let d = (cols[i] * cols[j]).sum() - (i == j ? 1 : 0)
                worst = max(worst, abs(d))
            }
        }
        return worst
    }
}
