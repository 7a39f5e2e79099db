import Foundation
import RPTCore
import RPTVolume

/// Geometry of one image plane offered to a `SliceStack`: a single-frame file, or one frame of an enhanced
/// multi-frame object.
struct SliceGeometry {
    /// Names the slice in messages: the file path, or "path (frame n)".
    var label: String
    /// The file the slice comes from (the error's `source`).
    var file: String
    /// Image Orientation (Patient): six direction cosines.
    var orientation: [Double]
    /// Image Position (Patient) (mm, LPS).
    var position: [Double]
    var rows: Int
    var columns: Int
    /// Pixel Spacing (row spacing, column spacing) in mm.
    var pixelSpacing: [Double]
    /// Image Type (0008,0008) values, upper-cased (empty when absent).
    var imageType: [String]
    /// Spacing Between Slices or Slice Thickness, used for a one-slice stack.
    var nominalSpacing: Double?

    /// The geometry of a single-frame image from its header.
    init(header h: DicomDataSet, path: String) throws {
        label = path; file = path
        orientation = try h.requiredDoubles(.imageOrientationPatient)
        position = try h.requiredDoubles(.imagePositionPatient)
        rows = try h.requiredInt(.rows); columns = try h.requiredInt(.columns)
        pixelSpacing = try h.requiredDoubles(.pixelSpacing)
        imageType = h.strings(.imageType).map { $0.uppercased() }
        nominalSpacing = try h.double(.spacingBetweenSlices) ?? h.double(.sliceThickness)
    }

    init(label: String, file: String, orientation: [Double], position: [Double], rows: Int, columns: Int,
         pixelSpacing: [Double], imageType: [String], nominalSpacing: Double?) {
        self.label = label; self.file = file; self.orientation = orientation; self.position = position
        self.rows = rows; self.columns = columns; self.pixelSpacing = pixelSpacing; self.imageType = imageType
        self.nominalSpacing = nominalSpacing
    }

    /// Localizer (scout, topogram, surview) images by Image Type value 3 or later.
    var isLocalizer: Bool {
        imageType.dropFirst(2).contains { ["LOCALIZER", "SCOUT", "TOPOGRAM", "SURVIEW"].contains($0) }
    }
    /// Derived images (Image Type value 1 DERIVED: MIPs, reformats, secondary captures placed in the series).
    var isDerived: Bool { imageType.first == "DERIVED" }
}

/// Builds a 3-D grid from image planes of one series (single-frame CT/PT/NM slices or the frames of an
/// enhanced object): drops localizers and stray derived images with a note, sorts the slices along the slice
/// normal (row direction × column direction of Image Orientation (Patient)) and checks that they form a
/// regular, orthogonal stack.
///
/// Rules (docs/formats/dicom.md, "Series assembly"):
/// - images whose Image Type says LOCALIZER (or SCOUT, TOPOGRAM, SURVIEW) are skipped with a note; so is a
///   single image whose orientation differs from that of all the others (an unlabelled scout);
/// - DERIVED images in a series that also holds ORIGINAL images are skipped with a note;
/// - two or more images in each of several orientations: refused (mixed orientations), listing them;
/// - slice positions may deviate by up to `toleranceMM` (default 0.1 mm) from the regular stack fitted to them
///   by least squares (scanner jitter); the grid places every slice on that stack;
/// - a gap of more than 1.5 × the series' spacing is a missing slice: refused, naming the positions;
/// - slices offset in-plane beyond `toleranceMM` from the slice normal (gantry tilt, sheared stack): refused,
///   naming the tilt angle.
struct SliceStack {
    var grid: Grid3D
    /// Index into the input slices of each grid slice: grid slice k is `input[order[k]]`.
    var order: [Int]
    /// What was skipped, one line each.
    var notes: [String]

    /// - Parameters:
    ///   - series: names the series in messages (e.g. "CT series 1.2.3 in /data/ct").
    init(slices input: [SliceGeometry], series: String, toleranceMM: Double) throws {
        precondition(!input.isEmpty)
        var notes: [String] = []
        func list(_ items: [SliceGeometry]) -> String {
            items.count <= 3 ? items.map(\.label).joined(separator: ", ")
                : items.prefix(3).map(\.label).joined(separator: ", ") + " and \(items.count - 3) more"
        }
        var candidates = Array(input.indices)
        let localizers = candidates.filter { input[$0].isLocalizer }
        if !localizers.isEmpty && localizers.count < candidates.count {
            notes.append("\(series): skipped \(localizers.count) localizer image(s) (Image Type \(input[localizers[0]].imageType.joined(separator: "\\"))): "
                         + list(localizers.map { input[$0] }))
            candidates.removeAll { input[$0].isLocalizer }
        }
        let derived = candidates.filter { input[$0].isDerived }
        if !derived.isEmpty && derived.count < candidates.count {
            notes.append("\(series): skipped \(derived.count) DERIVED image(s) in a series of ORIGINAL images: "
                         + list(derived.map { input[$0] }))
            candidates.removeAll { input[$0].isDerived }
        }

        // Orientation groups (direction cosines equal within 1e-4).
        var groups: [[Int]] = []
        for i in candidates {
            if let g = groups.firstIndex(where: { zip(input[$0[0]].orientation, input[i].orientation).allSatisfy { abs($0 - $1) < 1e-4 }
                                                  && input[$0[0]].orientation.count == input[i].orientation.count }) {
                groups[g].append(i)
            } else {
                groups.append([i])
            }
        }
        groups.sort { $0.count > $1.count }
        if groups.count > 1 {
            let strays = groups.dropFirst().filter { $0.count == 1 }
            if groups.dropFirst().allSatisfy({ $0.count == 1 }) && groups[0].count >= 3 {
                let skipped = strays.map { input[$0[0]] }
                notes.append("\(series): skipped \(skipped.count) image(s) whose orientation differs from the series' "
                             + "(unlabelled localizer?): " + list(skipped))
                candidates = groups[0]
            } else {
                let described = groups.map { g in
                    "\n  - \(g.count) image(s) with Image Orientation (Patient) "
                        + input[g[0]].orientation.map { "\($0)" }.joined(separator: "\\") + ", e.g. \(input[g[0]].label)"
                }.joined()
                throw InputError(source: input[groups[1][0]].file, field: DicomTag.imageOrientationPatient.label,
                                 reason: "\(series) mixes orientations; all slices of a volume must share one:" + described
                                     + "\nexport each orientation as its own series, or remove the stray images")
            }
        }
        let slices = candidates.map { input[$0] }
        let first = slices[0]
        let iopTag = DicomTag.imageOrientationPatient, ippTag = DicomTag.imagePositionPatient
        let (rowDir, colDir) = try ImagePlane.orientation(first.orientation, source: first.file, field: iopTag.label)
        let normal = cross(rowDir, colDir)
        let inPlane = try ImagePlane.inPlaneSpacing(first.pixelSpacing, source: first.file, field: DicomTag.pixelSpacing.label)
        let ps0 = first.pixelSpacing
        var placed: [(d: Double, position: SIMD3<Double>, index: Int)] = []
        for (n, s) in slices.enumerated() {
            guard s.rows == first.rows, s.columns == first.columns else {
                throw InputError(source: s.file, field: "\(DicomTag.rows.label) / \(DicomTag.columns.label)", value: "\(s.rows) / \(s.columns)",
                                 reason: "\(s.label) differs from \(first.label) (\(first.rows) / \(first.columns))")
            }
            let ps = s.pixelSpacing
            guard ps.count == 2, abs(ps[0] - ps0[0]) < 1e-4 * ps0[0], abs(ps[1] - ps0[1]) < 1e-4 * ps0[1] else {
                throw InputError(source: s.file, field: DicomTag.pixelSpacing.label, value: ps.map { "\($0)" }.joined(separator: "\\"),
                                 reason: "\(s.label) differs from \(first.label) (\(ps0.map { "\($0)" }.joined(separator: "\\")))")
            }
            let p = try ImagePlane.position(s.position, source: s.file, field: ippTag.label)
            placed.append((dot(p, normal), p, candidates[n]))
        }
        placed.sort { $0.d < $1.d }
        func ipp(_ p: SIMD3<Double>) -> String { "\(p.x)\\\(p.y)\\\(p.z)" }
        func label(_ k: Int) -> String { input[placed[k].index].label }
        func file(_ k: Int) -> String { input[placed[k].index].file }

        var sliceSpacing: Double
        var origin = placed[0].position
        if placed.count == 1 {
            guard let s = first.nominalSpacing, s > 0 else {
                throw InputError(source: first.file, field: DicomTag.sliceThickness.label,
                                 reason: "a single-slice series needs Spacing Between Slices or Slice Thickness")
            }
            sliceSpacing = s
        } else {
            var gaps: [Double] = []
            for k in 1..<placed.count {
                let gap = placed[k].d - placed[k - 1].d
                guard gap > max(toleranceMM, 1e-3) else {
                    throw InputError(source: file(k), field: ippTag.label, value: ipp(placed[k].position),
                                     reason: "\(label(k)) is at the same slice position as \(label(k - 1)) (within \(toleranceMM) mm); "
                                         + "duplicate slice or mixed acquisitions in \(series)")
                }
                gaps.append(gap)
            }
            let median = gaps.sorted()[gaps.count / 2]
            for k in 1..<placed.count where gaps[k - 1] > 1.5 * median {
                let missing = Int((gaps[k - 1] / median).rounded()) - 1
                throw InputError(source: file(k), field: ippTag.label, value: ipp(placed[k].position),
                                 reason: "missing slice(s) in \(series): a gap of \(fmt(gaps[k - 1])) mm between \(label(k - 1)) "
                                     + "(at \(fmt(placed[k - 1].d)) mm along the normal) and \(label(k)) (at \(fmt(placed[k].d)) mm), "
                                     + "but the series' slice spacing is \(fmt(median)) mm (about \(max(missing, 1)) slice(s) missing)")
            }
            // Least-squares regular stack d_k = a + k s; every slice within the tolerance of it.
            let n = Double(placed.count)
            let ks = placed.indices.map(Double.init), ds = placed.map(\.d)
            let kMean = ks.reduce(0, +) / n, dMean = ds.reduce(0, +) / n
            let sxx = ks.reduce(0) { $0 + ($1 - kMean) * ($1 - kMean) }
            let sxy = zip(ks, ds).reduce(0) { $0 + ($1.0 - kMean) * ($1.1 - dMean) }
            sliceSpacing = sxy / sxx
            let a = dMean - sliceSpacing * kMean
            for k in placed.indices {
                let residual = placed[k].d - (a + Double(k) * sliceSpacing)
                guard abs(residual) <= toleranceMM else {
                    throw InputError(source: file(k), field: ippTag.label, value: ipp(placed[k].position),
                                     reason: "inconsistent slice spacing in \(series): \(label(k)) lies \(fmt(residual)) mm from the regular "
                                         + "stack (spacing \(fmt(sliceSpacing)) mm) fitted to the series' slice positions; the tolerance is "
                                         + "\(toleranceMM) mm; missing, extra or unevenly spaced slices?")
                }
            }
            // Positions must lie on one line along the normal (no gantry tilt / shear).
            let inPlaneOffsets = placed.map { $0.position - normal * $0.d }
            let meanOffset = inPlaneOffsets.reduce(SIMD3<Double>.zero, +) / n
            for k in placed.indices {
                let off = inPlaneOffsets[k] - meanOffset
                let drift = inPlaneOffsets[placed.count - 1] - inPlaneOffsets[0]
                let tilt = atan2((drift * drift).sum().squareRoot(), placed[placed.count - 1].d - placed[0].d) * 180 / .pi
                guard (off * off).sum().squareRoot() <= max(toleranceMM, 1e-3) else {
                    throw InputError(source: file(k), field: ippTag.label, value: ipp(placed[k].position),
                                     reason: "\(series) is stacked \(fmt(tilt, digits: 2))° off its slice normal (gantry tilt or a sheared "
                                         + "stack: \(label(k)) is offset \(fmt((off * off).sum().squareRoot())) mm in-plane, tolerance "
                                         + "\(toleranceMM) mm); RPTDose needs an orthogonal stack: reconstruct without tilt or resample "
                                         + "the series first")
                }
            }
            origin = meanOffset + normal * a
        }
        grid = Grid3D(shape: SIMD3(first.columns, first.rows, placed.count),
                      spacing: SIMD3(inPlane.x, inPlane.y, sliceSpacing),
                      origin: origin,
                      direction: Matrix3(columns: rowDir, colDir, normal))
        try grid.validate(source: first.file)
        order = placed.map(\.index)
        self.notes = notes
    }
}

/// A length for messages: up to `digits` decimals, no trailing zeros.
func fmt(_ v: Double, digits: Int = 3) -> String {
    var s = String(format: "%.\(digits)f", v)
    while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
    return s == "-0" ? "0" : s
}
