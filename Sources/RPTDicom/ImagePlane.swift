import RPTCore

/// Image Plane geometry of one frame (PS3.3 C.7.6.2): position and direction cosines in LPS (mm).
struct ImagePlane {
    /// Direction of increasing column index (along a row), first three values of Image Orientation (Patient).
    var rowDirection: SIMD3<Double>
    /// Direction of increasing row index (down a column), last three values.
    var columnDirection: SIMD3<Double>
    /// Centre of the first transmitted pixel (mm, LPS).
    var position: SIMD3<Double>

    /// rowDirection × columnDirection: the slice normal.
    var normal: SIMD3<Double> { cross(rowDirection, columnDirection) }

    /// Reads and validates Image Orientation (Patient): two unit vectors, orthogonal within 1e-3.
    static func orientation(_ values: [Double], source: String, field: String) throws -> (SIMD3<Double>, SIMD3<Double>) {
        guard values.count == 6 else {
            throw InputError(source: source, field: field, value: values.map { "\($0)" }.joined(separator: "\\"),
                             reason: "expected 6 direction cosines")
        }
        let r = SIMD3(values[0], values[1], values[2]), c = SIMD3(values[3], values[4], values[5])
        let rn = (r * r).sum().squareRoot(), cn = (c * c).sum().squareRoot()
        guard abs(rn - 1) < 1e-3, abs(cn - 1) < 1e-3, abs((r * c).sum()) < 1e-3 else {
            throw InputError(source: source, field: field, value: values.map { "\($0)" }.joined(separator: "\\"),
                             reason: "row and column direction cosines must be orthogonal unit vectors")
        }
        // Normalise so that the grid's direction matrix is orthonormal to rounding.
        let rr = r / rn
        var cc = c - rr * (rr * c).sum()
        cc /= (cc * cc).sum().squareRoot()
        return (rr, cc)
    }

    static func position(_ values: [Double], source: String, field: String) throws -> SIMD3<Double> {
        guard values.count == 3 else {
            throw InputError(source: source, field: field, value: values.map { "\($0)" }.joined(separator: "\\"),
                             reason: "expected 3 coordinates (mm)")
        }
        return SIMD3(values[0], values[1], values[2])
    }

    /// Pixel Spacing (row spacing, column spacing) → (spacing along i = column spacing, along j = row spacing).
    static func inPlaneSpacing(_ values: [Double], source: String, field: String) throws -> SIMD2<Double> {
        guard values.count == 2, values[0] > 0, values[1] > 0 else {
            throw InputError(source: source, field: field, value: values.map { "\($0)" }.joined(separator: "\\"),
                             reason: "expected two positive spacings (row spacing\\column spacing, mm)")
        }
        return SIMD2(values[1], values[0])
    }
}

@inline(__always) func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

@inline(__always) func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }
