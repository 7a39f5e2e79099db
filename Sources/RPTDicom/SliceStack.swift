import RPTCore
import RPTVolume

/// Builds a 3-D grid from single-frame slices (CT, PT, NM): sorts them along the slice normal
/// (row direction × column direction of Image Orientation (Patient)) and checks that they form a
/// regular, unsheared stack.
struct SliceStack {
    var grid: Grid3D
    /// Files in slice order: index k of the grid is `paths[k]`.
    var paths: [String]

    init(headers: [(path: String, header: DicomDataSet)], spacingToleranceMM: Double) throws {
        precondition(!headers.isEmpty)
        let first = headers[0].header
        let iopTag = DicomTag.imageOrientationPatient, ippTag = DicomTag.imagePositionPatient
        let iop0 = try first.requiredDoubles(iopTag)
        let (rowDir, colDir) = try ImagePlane.orientation(iop0, source: first.source, field: iopTag.label)
        let normal = cross(rowDir, colDir)
        let rows = try first.requiredInt(.rows), columns = try first.requiredInt(.columns)
        let ps0 = try first.requiredDoubles(.pixelSpacing)
        let inPlane = try ImagePlane.inPlaneSpacing(ps0, source: first.source, field: DicomTag.pixelSpacing.label)

        var placed: [(d: Double, position: SIMD3<Double>, path: String)] = []
        for (path, h) in headers {
            let iop = try h.requiredDoubles(iopTag)
            guard iop.count == 6, zip(iop, iop0).allSatisfy({ abs($0 - $1) < 1e-4 }) else {
                throw InputError(source: path, field: iopTag.label, value: iop.map { "\($0)" }.joined(separator: "\\"),
                                 reason: "differs from \(headers[0].path) (\(iop0.map { "\($0)" }.joined(separator: "\\"))); "
                                     + "all slices of a series must share one orientation")
            }
            let r = try h.requiredInt(.rows), c = try h.requiredInt(.columns)
            guard r == rows, c == columns else {
                throw InputError(source: path, field: "\(DicomTag.rows.label) / \(DicomTag.columns.label)", value: "\(r) / \(c)",
                                 reason: "differs from \(headers[0].path) (\(rows) / \(columns))")
            }
            let ps = try h.requiredDoubles(.pixelSpacing)
            guard ps.count == 2, abs(ps[0] - ps0[0]) < 1e-4 * ps0[0], abs(ps[1] - ps0[1]) < 1e-4 * ps0[1] else {
                throw InputError(source: path, field: DicomTag.pixelSpacing.label, value: ps.map { "\($0)" }.joined(separator: "\\"),
                                 reason: "differs from \(headers[0].path) (\(ps0.map { "\($0)" }.joined(separator: "\\")))")
            }
            let p = try ImagePlane.position(try h.requiredDoubles(ippTag), source: path, field: ippTag.label)
            placed.append((dot(p, normal), p, path))
        }
        placed.sort { $0.d < $1.d }
        func ipp(_ p: SIMD3<Double>) -> String { "\(p.x)\\\(p.y)\\\(p.z)" }

        var sliceSpacing: Double
        if placed.count == 1 {
            guard let s = try first.double(.spacingBetweenSlices) ?? first.double(.sliceThickness), s > 0 else {
                throw InputError(source: first.source, field: DicomTag.sliceThickness.label,
                                 reason: "a single-slice series needs Spacing Between Slices or Slice Thickness")
            }
            sliceSpacing = s
        } else {
            var gaps: [Double] = []
            for k in 1..<placed.count {
                let gap = placed[k].d - placed[k - 1].d
                guard gap > 1e-3 else {
                    throw InputError(source: placed[k].path, field: ippTag.label, value: ipp(placed[k].position),
                                     reason: "same slice position as \(placed[k - 1].path); duplicate slice or mixed acquisitions")
                }
                gaps.append(gap)
            }
            let median = gaps.sorted()[gaps.count / 2]
            for k in 1..<placed.count where abs(gaps[k - 1] - median) > spacingToleranceMM {
                throw InputError(source: placed[k].path, field: ippTag.label, value: ipp(placed[k].position),
                                 reason: "inconsistent slice spacing: \(gaps[k - 1]) mm from the previous slice "
                                     + "\(placed[k - 1].path), but the series' spacing is \(median) mm "
                                     + "(tolerance \(spacingToleranceMM) mm); missing or extra slice?")
            }
            sliceSpacing = (placed.last!.d - placed[0].d) / Double(placed.count - 1)
            // Positions must lie on the normal through the first slice (no gantry tilt / shear).
            for s in placed {
                let offset = s.position - placed[0].position - normal * (s.d - placed[0].d)
                guard (offset * offset).sum().squareRoot() <= max(spacingToleranceMM, 1e-3) else {
                    throw InputError(source: s.path, field: ippTag.label, value: ipp(s.position),
                                     reason: "slice is shifted in-plane relative to \(placed[0].path) (sheared stack, "
                                         + "e.g. gantry tilt); resample it to an orthogonal stack first")
                }
            }
        }
        grid = Grid3D(shape: SIMD3(columns, rows, placed.count),
                      spacing: SIMD3(inPlane.x, inPlane.y, sliceSpacing),
                      origin: placed[0].position,
                      direction: Matrix3(columns: rowDir, colDir, normal))
        try grid.validate(source: first.source)
        paths = placed.map(\.path)
    }
}
