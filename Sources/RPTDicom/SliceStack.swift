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
    /// Series Number (0020,0011), Series Description (0008,103E), Convolution Kernel (0018,1210) and Slice
    /// Thickness (0018,0050, mm): with the orientation, Image Type, matrix and Pixel Spacing they tell the
    /// sub-series of a mixed series apart ("" / nil when absent).
    var seriesNumber = ""
    var seriesDescription = ""
    var convolutionKernel = ""
    var sliceThickness: Double?

    /// The geometry of a single-frame image from its header.
    init(header h: DicomDataSet, path: String) throws {
        label = path; file = path
        orientation = try h.requiredDoubles(.imageOrientationPatient)
        position = try h.requiredDoubles(.imagePositionPatient)
        rows = try h.requiredInt(.rows); columns = try h.requiredInt(.columns)
        pixelSpacing = try h.requiredDoubles(.pixelSpacing)
        imageType = h.strings(.imageType).map { $0.uppercased() }
        nominalSpacing = try h.double(.spacingBetweenSlices) ?? h.double(.sliceThickness)
        seriesNumber = h.string(.seriesNumber) ?? ""
        seriesDescription = h.string(.seriesDescription) ?? ""
        convolutionKernel = h.strings(.convolutionKernel).joined(separator: "\\")
        sliceThickness = try h.double(.sliceThickness)
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

    /// The attributes (keywords) in which this image and `other` differ as images of one volume cannot:
    /// orientation (cosines within 1e-4), Image Type values 1–3, Rows / Columns, Pixel Spacing (within 1e-4
    /// relative), Convolution Kernel, Slice Thickness (within 1e-3 mm). Empty: same reconstruction.
    func reconstructionDifferences(from other: SliceGeometry) -> [String] {
        var d: [String] = []
        if orientation.count != other.orientation.count || zip(orientation, other.orientation).contains(where: { abs($0 - $1) >= 1e-4 }) {
            d.append(DicomTag.imageOrientationPatient.label)
        }
        if Array(imageType.prefix(3)) != Array(other.imageType.prefix(3)) { d.append(DicomTag.imageType.label) }
        if rows != other.rows || columns != other.columns { d.append("\(DicomTag.rows.label) / \(DicomTag.columns.label)") }
        if pixelSpacing.count != other.pixelSpacing.count
            || zip(pixelSpacing, other.pixelSpacing).contains(where: { abs($0 - $1) >= 1e-4 * max(abs($1), 1e-9) }) {
            d.append(DicomTag.pixelSpacing.label)
        }
        if convolutionKernel != other.convolutionKernel { d.append(DicomTag.convolutionKernel.label) }
        switch (sliceThickness, other.sliceThickness) {
        case (nil, nil): break
        case let (a?, b?) where abs(a - b) < 1e-3: break
        default: d.append(DicomTag.sliceThickness.label)
        }
        return d
    }

    /// One line describing the sub-series this image stands for, for the listing of a mixed series.
    func subSeriesDescription(count: Int) -> String {
        "\(count) image(s): Series Number \(seriesNumber.isEmpty ? "–" : seriesNumber), '\(seriesDescription)', "
            + "Image Type \(imageType.joined(separator: "\\")), Image Orientation (Patient) "
            + orientation.map { "\($0)" }.joined(separator: "\\") + ", \(rows)×\(columns) at "
            + pixelSpacing.map { fmt($0, digits: 4) }.joined(separator: "\\") + " mm"
            + (convolutionKernel.isEmpty ? "" : ", kernel \(convolutionKernel)")
            + (sliceThickness.map { ", Slice Thickness \(fmt($0)) mm" } ?? "") + ", e.g. \(label)"
    }
}

/// How grid slice k is made from the sorted input slices (indices into `SliceStack.order`):
/// value = (1 − weight) · slice[below] + weight · slice[above]. On a regular stack below == above == k, weight 0.
struct SliceSample: Equatable {
    var below: Int
    var above: Int
    /// Linear-interpolation weight of `above`, 0…1.
    var weight: Double
}

/// Builds a 3-D grid from image planes of one series (single-frame CT/PT/NM slices or the frames of an
/// enhanced object): drops localizers and stray derived images with a note, sorts the slices along the slice
/// normal (row direction × column direction of Image Orientation (Patient)) and checks that they form a
/// regular, orthogonal stack — or resamples an unevenly spaced stack onto a regular one, with a warning.
///
/// Rules (docs/formats/dicom.md, "Series assembly"):
/// - images whose Image Type says LOCALIZER (or SCOUT, TOPOGRAM, SURVIEW) are skipped with a note; so is a
///   single image whose orientation differs from that of all the others (an unlabelled scout);
/// - DERIVED images in a series that also holds ORIGINAL images are skipped with a note;
/// - several sub-series (images differing in orientation, Image Type, matrix, Pixel Spacing, Convolution
///   Kernel or Slice Thickness, with more than one image besides the largest group): refused, listing them,
///   unless `selecting` names a file of one of them, which is then read;
/// - slice positions may deviate by up to `toleranceMM` (default 0.1 mm) from the regular stack fitted to them
///   by least squares (scanner jitter); the grid places every slice on that stack;
/// - a gap of more than 1.5 × the median gap is a missing slice: refused, naming the positions;
/// - **uneven spacing** (slices off the fitted stack by more than `toleranceMM`, every gap between 0.5 and
///   1.5 × the median gap): with `resampleUneven`, resampled linearly along the normal onto a regular stack
///   from the first to the last slice at the smallest gap (rounded down so both end slices are kept), with a
///   warning naming the series, the gaps found and the new spacing; otherwise refused;
/// - slices offset in-plane beyond `toleranceMM` from the slice normal (gantry tilt, sheared stack): refused,
///   naming the tilt angle.
struct SliceStack {
    /// Smallest and largest gap between consecutive slices, as fractions of the median gap, for which an
    /// uneven stack is resampled. Above 1.5 × a gap is taken for missing slices (one missing slice makes a gap
    /// of 2 ×, which must not be interpolated over); below 0.5 × for an extra slice of another reconstruction.
    /// The bounds also keep the resampled grid at most twice as many slices as the input.
    static let unevenGapRange = 0.5...1.5

    var grid: Grid3D
    /// The input slices used, sorted along the normal (indices into the input). On a regular stack grid slice
    /// k is `input[order[k]]`; a resampled stack combines them as `samples` say.
    var order: [Int]
    /// How each grid slice is made from the sorted slices (`order`).
    var samples: [SliceSample]
    /// What was skipped, one line each.
    var notes: [String]
    /// What the user must know about the values (resampling of uneven spacing), one line each.
    var warnings: [String] = []

    /// - Parameters:
    ///   - series: names the series in messages (e.g. "CT series 1.2.3 in /data/ct").
    ///   - selecting: a file (path) of the sub-series to read when the series mixes several; nil: refuse mixed series.
    ///   - resampleUneven: resample uneven slice spacing (with a warning) instead of refusing it.
    init(slices input: [SliceGeometry], series: String, toleranceMM: Double, selecting: String? = nil,
         resampleUneven: Bool = true) throws {
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

        // Sub-series: images of one reconstruction (SliceGeometry.reconstructionDifferences empty).
        var groups: [[Int]] = []
        for i in candidates {
            if let g = groups.firstIndex(where: { input[$0[0]].reconstructionDifferences(from: input[i]).isEmpty }) {
                groups[g].append(i)
            } else {
                groups.append([i])
            }
        }
        groups.sort { $0.count > $1.count }
        if groups.count > 1 {
            let main = input[groups[0][0]]
            let strays = groups.dropFirst()
            let chosen = selecting.flatMap { file in groups.firstIndex { g in g.contains { input[$0].file == file } } }
            if let chosen {
                let others = groups.indices.filter { $0 != chosen }
                notes.append("\(series): read the sub-series of \(selecting!) (\(groups[chosen].count) image(s)); skipped "
                             + "\(others.count) other sub-series: "
                             + others.map { input[groups[$0][0]].subSeriesDescription(count: groups[$0].count) }.joined(separator: "; "))
                candidates = groups[chosen]
            } else if strays.allSatisfy({ $0.count == 1 && input[$0[0]].reconstructionDifferences(from: main).contains(DicomTag.imageOrientationPatient.label) })
                        && groups[0].count >= 3 {
                let skipped = strays.map { input[$0[0]] }
                notes.append("\(series): skipped \(skipped.count) image(s) whose orientation differs from the series' "
                             + "(unlabelled localizer?): " + list(skipped))
                candidates = groups[0]
            } else {
                var differing: [String] = []
                for g in strays {
                    for d in input[g[0]].reconstructionDifferences(from: main) where !differing.contains(d) { differing.append(d) }
                }
                let described = groups.enumerated().map { n, g in
                    "\n  - sub-series \(n + 1): " + input[g[0]].subSeriesDescription(count: g.count)
                }.joined()
                throw InputError(source: input[groups[1][0]].file, field: differing.joined(separator: " / "),
                                 reason: "\(series) mixes \(groups.count) sub-series (images that differ in "
                                     + differing.joined(separator: ", ") + "); all slices of a volume must share them:" + described
                                     + "\nto read one, give a file of it instead of the folder (the manifest's image path, or "
                                     + "rptdose export --reference-ct FILE), or export each as its own series")
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
        var samples = placed.indices.map { SliceSample(below: $0, above: $0, weight: 0) }
        var warnings: [String] = []
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
            for k in 1..<placed.count where gaps[k - 1] > Self.unevenGapRange.upperBound * median {
                let missing = Int((gaps[k - 1] / median).rounded()) - 1
                throw InputError(source: file(k), field: ippTag.label, value: ipp(placed[k].position),
                                 reason: "missing slice(s) in \(series): a gap of \(fmt(gaps[k - 1])) mm between \(label(k - 1)) "
                                     + "(at \(fmt(placed[k - 1].d)) mm along the normal) and \(label(k)) (at \(fmt(placed[k].d)) mm), "
                                     + "but the series' slice spacing is \(fmt(median)) mm (about \(max(missing, 1)) slice(s) missing)")
            }
            let n = Double(placed.count)
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
            // Least-squares regular stack d_k = a + k s; every slice within the tolerance of it.
            let ks = placed.indices.map(Double.init), ds = placed.map(\.d)
            let kMean = ks.reduce(0, +) / n, dMean = ds.reduce(0, +) / n
            let sxx = ks.reduce(0) { $0 + ($1 - kMean) * ($1 - kMean) }
            let sxy = zip(ks, ds).reduce(0) { $0 + ($1.0 - kMean) * ($1.1 - dMean) }
            sliceSpacing = sxy / sxx
            var a = dMean - sliceSpacing * kMean
            if let k = placed.indices.first(where: { abs(placed[$0].d - (a + Double($0) * sliceSpacing)) > toleranceMM }) {
                let residual = placed[k].d - (a + Double(k) * sliceSpacing)
                guard resampleUneven else {
                    throw InputError(source: file(k), field: ippTag.label, value: ipp(placed[k].position),
                                     reason: "inconsistent slice spacing in \(series): \(label(k)) lies \(fmt(residual)) mm from the regular "
                                         + "stack (spacing \(fmt(sliceSpacing)) mm) fitted to the series' slice positions; the tolerance is "
                                         + "\(toleranceMM) mm; missing, extra or unevenly spaced slices?")
                }
                if let j = gaps.indices.first(where: { gaps[$0] < Self.unevenGapRange.lowerBound * median }) {
                    throw InputError(source: file(j + 1), field: ippTag.label, value: ipp(placed[j + 1].position),
                                     reason: "uneven slice spacing in \(series): a gap of \(fmt(gaps[j])) mm between \(label(j)) and "
                                         + "\(label(j + 1)), less than half the median gap (\(fmt(median)) mm); an extra slice or mixed "
                                         + "reconstructions? (uneven stacks are resampled only when every gap is 0.5–1.5 × the median)")
                }
                let span = placed[placed.count - 1].d - placed[0].d
                let intervals = Int((span / gaps.min()! - 1e-9).rounded(.up))
                sliceSpacing = span / Double(intervals)
                a = placed[0].d
                samples = Self.linearSamples(positions: ds, start: a, spacing: sliceSpacing, count: intervals + 1)
                var found: [(gap: Double, count: Int)] = []
                for g in gaps {
                    if let i = found.firstIndex(where: { abs($0.gap - g) <= toleranceMM }) { found[i].count += 1 } else { found.append((g, 1)) }
                }
                found.sort { $0.gap < $1.gap }
                warnings.append("\(series) has uneven slice spacing: the gaps between its \(placed.count) slices range from "
                                + "\(fmt(gaps.min()!)) to \(fmt(gaps.max()!)) mm ("
                                + found.map { "\(fmt($0.gap, digits: 2)) mm ×\($0.count)" }.joined(separator: ", ")
                                + "), more than the \(toleranceMM) mm tolerance of a regular stack; RESAMPLED linearly along the slice "
                                + "normal onto \(intervals + 1) slices at \(fmt(sliceSpacing, digits: 4)) mm (the smallest gap, rounded down to "
                                + "fit the span) from the first to the last slice")
            }
            origin = meanOffset + normal * a
        }
        grid = Grid3D(shape: SIMD3(first.columns, first.rows, samples.count),
                      spacing: SIMD3(inPlane.x, inPlane.y, sliceSpacing),
                      origin: origin,
                      direction: Matrix3(columns: rowDir, colDir, normal))
        try grid.validate(source: first.file)
        order = placed.map(\.index)
        self.samples = samples
        self.notes = notes
        self.warnings = warnings
    }

    /// Linear interpolation along the normal: grid slice k at `start + k·spacing` from the two sorted input
    /// positions around it (`positions` increasing).
    static func linearSamples(positions: [Double], start: Double, spacing: Double, count: Int) -> [SliceSample] {
        var out: [SliceSample] = []
        var j = 0
        for k in 0..<count {
            let d = start + Double(k) * spacing
            while j + 1 < positions.count - 1 && positions[j + 1] <= d { j += 1 }
            guard j + 1 < positions.count else { out.append(SliceSample(below: j, above: j, weight: 0)); continue }
            let w = min(max((d - positions[j]) / (positions[j + 1] - positions[j]), 0), 1)
            if w < 1e-9 { out.append(SliceSample(below: j, above: j, weight: 0)) }
            else if w > 1 - 1e-9 { out.append(SliceSample(below: j + 1, above: j + 1, weight: 0)) }
            else { out.append(SliceSample(below: j, above: j + 1, weight: w)) }
        }
        return out
    }

    /// The grid's voxels from the sorted input slices: `slice(i)` gives the values of `order[i]` (one slice,
    /// `perSlice` values); each input slice is read once, and at most two are held at a time.
    func voxels<T: VoxelScalar>(perSlice: Int, slice: (Int) throws -> [Double]) throws -> [T] {
        var out = [T](repeating: T(clampingDouble: 0), count: grid.voxelCount)
        var cache: [Int: [Double]] = [:]
        func values(_ i: Int) throws -> [Double] {
            if let v = cache[i] { return v }
            let v = try slice(i)
            precondition(v.count >= perSlice, "slice \(i) has \(v.count) values, expected \(perSlice)")
            cache[i] = v
            return v
        }
        for (k, s) in samples.enumerated() {
            for key in cache.keys where key < s.below { cache[key] = nil }
            let lo = try values(s.below)
            if s.weight == 0 {
                for p in 0..<perSlice { out[k * perSlice + p] = T(clampingDouble: lo[p]) }
            } else {
                let hi = try values(s.above), w = s.weight
                for p in 0..<perSlice { out[k * perSlice + p] = T(clampingDouble: (1 - w) * lo[p] + w * hi[p]) }
            }
        }
        return out
    }
}

/// A length for messages: up to `digits` decimals, no trailing zeros.
func fmt(_ v: Double, digits: Int = 3) -> String {
    var s = String(format: "%.\(digits)f", v)
    while s.contains(".") && (s.hasSuffix("0") || s.hasSuffix(".")) { s.removeLast() }
    return s == "-0" ? "0" : s
}
