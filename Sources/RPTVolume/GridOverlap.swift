import RPTCore

/// Whether an image lies where the CT is: the one rule used by `simulate` (activity map vs CT) and by the
/// study manifest (SPECT vs CT, label map vs SPECT).
///
/// The world-space bounding boxes of the voxels' outer faces must intersect in at least `minimumFraction`
/// of the image's box. A SPECT's field of view is usually a little wider or longer than the CT's, so the
/// rule is loose (10 %); it refuses images placed in another frame of reference (an origin metres away,
/// a map in another patient position) whose activity would be transported through air.
public enum GridOverlap {
    /// Smallest accepted fraction of the image's bounding box inside the reference's.
    public static let minimumFraction = 0.1

    /// World-space (LPS mm) axis-aligned bounding box of the voxels' outer faces.
    public static func bounds(_ g: Grid3D) -> (lower: SIMD3<Double>, upper: SIMD3<Double>) {
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for c in 0..<8 {
            let p = SIMD3<Double>(c & 1 == 0 ? -0.5 : Double(g.shape.x) - 0.5,
                                  c & 2 == 0 ? -0.5 : Double(g.shape.y) - 0.5,
                                  c & 4 == 0 ? -0.5 : Double(g.shape.z) - 0.5)
            let w = g.world(continuousIndex: p)
            lo = pointwiseMin(lo, w); hi = pointwiseMax(hi, w)
        }
        return (lo, hi)
    }

    /// Volume (mm³) of the intersection of the two grids' bounding boxes (0 when they do not overlap).
    public static func overlapMM3(_ a: Grid3D, _ b: Grid3D) -> Double {
        let x = bounds(a), y = bounds(b)
        let lo = pointwiseMax(x.lower, y.lower), hi = pointwiseMin(x.upper, y.upper)
        let d = hi - lo
        return d.x > 0 && d.y > 0 && d.z > 0 ? d.x * d.y * d.z : 0
    }

    /// Fraction of `image`'s bounding box inside `reference`'s.
    public static func fraction(of image: Grid3D, inside reference: Grid3D) -> Double {
        let b = bounds(image), d = b.upper - b.lower
        let volume = d.x * d.y * d.z
        return volume > 0 ? overlapMM3(image, reference) / volume : 0
    }

    /// Throws unless at least `minimumFraction` of `image`'s box lies inside `reference`'s.
    /// - Parameters: imageSource/referenceSource: the files (or fields) named in the message.
    public static func require(_ image: Grid3D, imageSource: String, field: String = "grid",
                               inside reference: Grid3D, referenceSource: String) throws {
        let f = fraction(of: image, inside: reference)
        guard f >= minimumFraction else {
            let b = bounds(image), r = bounds(reference)
            func box(_ x: (lower: SIMD3<Double>, upper: SIMD3<Double>)) -> String {
                "(\(Int(x.lower.x)), \(Int(x.lower.y)), \(Int(x.lower.z)))…(\(Int(x.upper.x)), \(Int(x.upper.y)), \(Int(x.upper.z))) mm"
            }
            throw InputError(source: imageSource, field: field, value: box(b),
                             reason: "the grids do not overlap enough: only \(Int((100 * f).rounded())) % of this image lies inside \(referenceSource) "
                                + "\(box(r)) (at least \(Int(100 * minimumFraction)) % needed): different frame of reference or origin?")
        }
    }
}
