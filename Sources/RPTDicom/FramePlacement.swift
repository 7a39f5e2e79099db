import RPTCore
import RPTVolume

/// Geometry of a multi-frame object whose frames carry their own Plane Position (Patient):
/// frames are placed on slices of a regular stack along the normal of a common orientation.
struct FramePlacement {
    var grid: Grid3D
    /// Slice index (k) of each frame.
    var sliceOfFrame: [Int]

    /// - Parameters:
    ///   - positions: Image Position (Patient) of each frame (mm, LPS).
    ///   - sliceSpacing: known spacing between slices (e.g. Spacing Between Slices); nil: the smallest gap.
    ///   - field: the tag named in errors about positions.
    init(positions: [SIMD3<Double>], rowDirection: SIMD3<Double>, columnDirection: SIMD3<Double>,
         inPlaneSpacing: SIMD2<Double>, rows: Int, columns: Int, sliceSpacing: Double?,
         toleranceMM: Double, source: String, field: String) throws {
        let normal = cross(rowDirection, columnDirection)
        let d = positions.map { dot($0, normal) }
        let sorted = d.sorted()
        var distinct: [Double] = []
        for v in sorted where distinct.last.map({ v - $0 > toleranceMM }) ?? true { distinct.append(v) }
        var spacing = sliceSpacing ?? 0
        if sliceSpacing == nil {
            spacing = distinct.count > 1 ? zip(distinct.dropFirst(), distinct).map { $0 - $1 }.min()! : 1
        }
        guard spacing > 0, spacing.isFinite else {
            throw InputError(source: source, field: DicomTag.spacingBetweenSlices.label, value: "\(spacing)",
                             reason: "slice spacing must be > 0 mm")
        }
        let d0 = distinct[0]
        let originFrame = d.firstIndex(where: { abs($0 - d0) <= toleranceMM })!
        let origin = positions[originFrame]
        var slices: [Int] = []
        for (f, p) in positions.enumerated() {
            let m = (d[f] - d0) / spacing
            let k = Int(m.rounded())
            let off = p - origin - normal * (d[f] - d0)
            guard abs(m - Double(k)) * spacing <= toleranceMM, (off * off).sum().squareRoot() <= max(toleranceMM, 1e-3) else {
                throw InputError(source: source, field: "\(field) of frame \(f + 1)", value: "\(p.x)\\\(p.y)\\\(p.z)",
                                 reason: "frame does not lie on the regular stack (spacing \(spacing) mm along the normal "
                                     + "through the first slice)")
            }
            slices.append(k)
        }
        let count = (slices.max() ?? 0) + 1
        grid = Grid3D(shape: SIMD3(columns, rows, count), spacing: SIMD3(inPlaneSpacing.x, inPlaneSpacing.y, spacing),
                      origin: origin, direction: Matrix3(columns: rowDirection, columnDirection, normal))
        try grid.validate(source: source)
        sliceOfFrame = slices
    }
}

extension DicomDataSet {
    /// An attribute looked up in a per-frame functional group item, then in the shared functional
    /// groups (PS3.3 C.7.6.16): `sequence` is the functional group macro sequence holding `tag`.
    func functionalGroupItem(_ sequence: DicomTag, frame: Int) -> DicomDataSet? {
        let perFrame = self.sequence(.perFrameFunctionalGroupsSequence)
        if frame < perFrame.count, let item = perFrame[frame].sequence(sequence).first { return item }
        return self.sequence(.sharedFunctionalGroupsSequence).first?.sequence(sequence).first
    }
}
