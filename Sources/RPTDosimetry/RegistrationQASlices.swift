import Foundation
import RPTCore
import RPTRegistration
import RPTVolume

/// What the report's registration QA figure of one time point needs, stored with the dosimetry so that the
/// report does not need the original images (`/registration/tp<N>/qa_*` in dosimetry.h5, docs/formats/hdf5.md):
/// one axial slice of the reference CT's grid, through the kidneys' centroid (else the middle slice),
/// downsampled to at most `maximumPixels` across, of the reference CT, of the time point's CT without
/// registration and of its CT registered to the reference; and how far the registration moved the kidneys.
public struct RegistrationQASlices: Sendable {
    /// Largest number of pixels along a slice axis (the slices are downsampled by whole voxel factors).
    public static let maximumPixels = 128

    /// The slice of the reference CT (HU; a one-slice volume on the QA grid).
    public var reference: Volume<Float>
    /// The time point's CT on the same slice, without registration (resampled as it lies; HU).
    public var before: Volume<Float>
    /// The time point's CT on the same slice through the registration's transform (HU).
    public var after: Volume<Float>
    /// What the slice goes through, e.g. "the kidneys' centroid".
    public var through: String
    /// |T(c) − c| (mm): the displacement the registration applies at the centroid c of the reference kidney labels
    /// (how far the kidneys had moved from the reference position); NaN without kidney labels.
    public var centroidShiftMM: Double

    /// The QA slice grid: the reference CT grid's axial slice nearest `point` (LPS mm), downsampled in-plane by the
    /// smallest whole factor giving at most `maximumPixels` voxels along each axis.
    public static func sliceGrid(reference g: Grid3D, through point: SIMD3<Double>) -> Grid3D {
        let f = max(1, Int((Double(max(g.shape.x, g.shape.y)) / Double(maximumPixels)).rounded(.up)))
        let k = min(g.shape.z - 1, max(0, Int(g.continuousIndex(world: point).z.rounded())))
        // The first coarse voxel covers fine voxels 0…f−1: its centre is at continuous index (f − 1)/2.
        let first = g.world(continuousIndex: SIMD3(Double(f - 1) / 2, Double(f - 1) / 2, Double(k)))
        return Grid3D(shape: SIMD3(max(1, g.shape.x / f), max(1, g.shape.y / f), 1),
                      spacing: SIMD3(g.spacing.x * Double(f), g.spacing.y * Double(f), g.spacing.z),
                      origin: first, direction: g.direction)
    }

    /// - Parameters:
    ///   - kidneyCentroid: centroid (LPS mm) of the reference kidney labels, or nil (then the middle slice).
    public static func make(referenceCT: Volume<Double>, ct: Volume<Double>, transform: ElastixTransform,
                            registration: ElastixRegistration, kidneyCentroid: SIMD3<Double>?) throws -> RegistrationQASlices {
        let g = referenceCT.grid
        let middle = g.world(continuousIndex: SIMD3(Double(g.shape.x - 1) / 2, Double(g.shape.y - 1) / 2, Double(g.shape.z - 1) / 2))
        let grid = sliceGrid(reference: g, through: kidneyCentroid ?? middle)
        let air = -1000.0
        // Box-average the reference (no aliasing); the moving CTs are sampled trilinearly (as the registration's QA).
        let reference = referenceCT.resampledConservingConcentration(onto: grid).volume
        let before = ct.resampled(onto: grid, mode: .trilinear, fill: air)
        let after = try registration.resample(ct, with: transform, onto: grid, interpolation: .linear, fill: air)
        var shift = Double.nan
        if let c = kidneyCentroid, let moved = try registration.transformPoints([c], with: transform, fixedGrid: g).first {
            let d = moved - c
            shift = (d * d).sum().squareRoot()
        }
        func float(_ v: Volume<Double>) -> Volume<Float> { Volume(grid: grid, voxels: v.voxels.map { Float($0) }, unit: "HU") }
        return RegistrationQASlices(reference: float(reference), before: float(before), after: float(after),
                                    through: kidneyCentroid == nil ? "the middle slice of the reference CT" : "the kidneys' centroid",
                                    centroidShiftMM: shift)
    }
}
