import RPTCore
import RPTVolume

/// One ROI of an RT Structure Set with its closed planar contours (mm, LPS).
public struct RTROI: Sendable {
    public var number: Int
    public var name: String
    /// CLOSED_PLANAR contours, each a polygon of points (mm, LPS).
    public var contours: [[SIMD3<Double>]]
    /// Contours of other geometric types (POINT, OPEN_PLANAR, …), which are not rasterised.
    public var ignoredContours: Int
}

/// An RT Structure Set (RTSTRUCT, PS3.3 A.19): ROI names and contours.
public struct RTStructureSet: Sendable {
    public var rois: [RTROI]
    /// Frame of Reference the contours are in (Referenced Frame of Reference UID of the first ROI).
    public var frameOfReferenceUID: String
    public var metadata: DicomMetadata
    public var file: String

    /// Reads an RTSTRUCT file.
    public static func read(_ path: String) throws -> RTStructureSet {
        let ds = try DicomFile.read(path)
        let modality = ds.string(.modality) ?? ""
        guard modality == "RTSTRUCT" else {
            throw InputError(source: path, field: DicomTag.modality.label, value: modality, reason: "expected RTSTRUCT")
        }
        var names: [Int: String] = [:]
        var order: [Int] = []
        var frame = ""
        for item in ds.sequence(.structureSetROISequence) {
            let n = try item.requiredInt(.roiNumber)
            names[n] = item.string(.roiName) ?? "ROI \(n)"
            order.append(n)
            if frame.isEmpty { frame = item.string(DicomTag(0x3006, 0x0024)) ?? "" }
        }
        var contours: [Int: [[SIMD3<Double>]]] = [:]
        var ignored: [Int: Int] = [:]
        for item in ds.sequence(.roiContourSequence) {
            let n = try item.requiredInt(.referencedROINumber)
            guard names[n] != nil else {
                throw InputError(source: path, field: DicomTag.referencedROINumber.label, value: "\(n)",
                                 reason: "no ROI with this number in the Structure Set ROI Sequence")
            }
            for c in item.sequence(.contourSequence) {
                guard c.string(.contourGeometricType) == "CLOSED_PLANAR" else { ignored[n, default: 0] += 1; continue }
                let xyz = try c.requiredDoubles(.contourData)
                // One or two points (OpenCV / rt-utils trace a lone voxel or a one-voxel-wide line so) enclose no
                // area: they mark the voxel centres they pass through (ContourRasterizer.markOnContour).
                guard xyz.count % 3 == 0, xyz.count >= 3 else {
                    throw InputError(source: path, field: DicomTag.contourData.label, value: "\(xyz.count) numbers",
                                     reason: "a closed planar contour needs ≥ 1 point (x\\y\\z triplets) in ROI '\(names[n]!)'")
                }
                contours[n, default: []].append(stride(from: 0, to: xyz.count, by: 3).map { SIMD3(xyz[$0], xyz[$0 + 1], xyz[$0 + 2]) })
            }
        }
        let rois = order.map { RTROI(number: $0, name: names[$0]!, contours: contours[$0] ?? [], ignoredContours: ignored[$0] ?? 0) }
        return RTStructureSet(rois: rois, frameOfReferenceUID: frame, metadata: DicomMetadata(ds), file: path)
    }

    /// Rasterises the ROIs onto `grid` (normally the CT grid) as a label map.
    ///
    /// Labels are 1, 2, … in the order of `roiNames` (default: all ROIs in file order); where ROIs
    /// overlap the later one wins. A voxel belongs to an ROI when its centre, projected on the slice
    /// plane, is inside the ROI's contours on that slice by the even-odd rule, so a contour inside
    /// another makes a hole, or lies on one of its contours (within `ContourRasterizer.onContourTolerance`
    /// voxel): contours traced through the centres of a mask's boundary voxels (OpenCV, rt-utils) give the
    /// mask back. Contours are assigned to the nearest grid slice and must be parallel
    /// to the slices (all points within 0.25 slice spacing of the slice plane).
    /// - Parameter frameOfReferenceUID: if given, must equal the structure set's.
    public func rasterize(onto grid: Grid3D, roiNames: [String]? = nil, frameOfReferenceUID: String? = nil) throws -> LabelMap {
        if let f = frameOfReferenceUID, !self.frameOfReferenceUID.isEmpty, f != self.frameOfReferenceUID {
            throw InputError(source: file, field: "(3006,0024) ReferencedFrameOfReferenceUID", value: self.frameOfReferenceUID,
                             reason: "contours are in another frame of reference than the image grid (\(f))")
        }
        let selected: [RTROI] = try (roiNames ?? rois.map(\.name)).map { name in
            guard let r = rois.first(where: { $0.name == name }) else {
                throw InputError(source: file, field: DicomTag.roiName.label, value: name,
                                 reason: "no such ROI; ROIs: " + rois.map { "'\($0.name)'" }.joined(separator: ", "))
            }
            return r
        }
        guard selected.count < Int(UInt16.max) else {
            throw InputError(source: file, field: DicomTag.structureSetROISequence.label, value: "\(selected.count)", reason: "too many ROIs")
        }
        var labels = [UInt16](repeating: 0, count: grid.voxelCount)
        var names: [UInt16: String] = [:]
        for (index, roi) in selected.enumerated() {
            let label = UInt16(index + 1)
            names[label] = roi.name
            var bySlice: [Int: [[SIMD2<Double>]]] = [:]
            for contour in roi.contours {
                let ijk = contour.map { grid.continuousIndex(world: $0) }
                let meanZ = ijk.reduce(0) { $0 + $1.z } / Double(ijk.count)
                guard ijk.allSatisfy({ abs($0.z - meanZ) <= 0.25 }) else {
                    throw InputError(source: file, field: DicomTag.contourData.label, value: "ROI '\(roi.name)'",
                                     reason: "contour is not parallel to the grid's slices (points span more than 0.25 slice)")
                }
                let k = Int(meanZ.rounded())
                guard k >= 0, k < grid.shape.z else { continue }
                bySlice[k, default: []].append(ijk.map { SIMD2($0.x, $0.y) })
            }
            for (k, polygons) in bySlice {
                ContourRasterizer.fillEvenOdd(polygons, slice: k, grid: grid, label: label, into: &labels)
                ContourRasterizer.markOnContour(polygons, slice: k, grid: grid, label: label, into: &labels)
            }
        }
        return LabelMap(volume: Volume(grid: grid, voxels: labels, unit: "label"), names: names)
    }
}

/// Scan-line even-odd filling of polygons given in continuous voxel index coordinates (i, j).
enum ContourRasterizer {
    /// Distance (voxel index units, in-plane) within which a voxel centre counts as lying on a contour.
    static let onContourTolerance = 1e-3

    /// Sets `label` at voxel centres (i, j, slice) that lie on an edge of one of `polygons` (within
    /// `onContourTolerance`), including degenerate contours of one or two points. The even-odd fill leaves such
    /// centres to its half-open tie-break (in on the low side, out on the high side); a contour drawn through
    /// voxel centres means those voxels belong to the structure, on every side.
    static func markOnContour(_ polygons: [[SIMD2<Double>]], slice k: Int, grid: Grid3D, label: UInt16, into labels: inout [UInt16]) {
        let nx = grid.shape.x, ny = grid.shape.y, tol = onContourTolerance
        // Whole index nearest below/above v, clamped to −1…n first so that far-off points cannot overflow Int.
        func index(_ v: Double, _ n: Int, _ rule: FloatingPointRoundingRule) -> Int { Int(min(max(v, -1), Double(n)).rounded(rule)) }
        for poly in polygons where !poly.isEmpty && poly.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) {
            var a = poly[poly.count - 1]
            for b in poly {
                let d = b - a, length2 = (d * d).sum()
                let jLo = max(0, index(min(a.y, b.y) - tol, ny, .up)), jHi = min(ny - 1, index(max(a.y, b.y) + tol, ny, .down))
                if jLo <= jHi {
                    for j in jLo...jHi {
                        let y = Double(j)
                        let candidates: ClosedRange<Int>
                        if abs(d.y) <= tol {
                            let lo = index(min(a.x, b.x) - tol, nx, .up), hi = index(max(a.x, b.x) + tol, nx, .down)
                            guard lo <= hi else { continue }
                            candidates = lo...hi
                        } else {
                            let x = index(a.x + (y - a.y) * d.x / d.y, nx, .toNearestOrAwayFromZero)
                            candidates = x...x
                        }
                        for i in candidates where i >= 0 && i < nx {
                            let p = SIMD2(Double(i), y)
                            let t = length2 > 0 ? min(max(((p - a) * d).sum() / length2, 0), 1) : 0
                            let off = p - (a + t * d)
                            if (off * off).sum() <= tol * tol { labels[grid.linearIndex(i, j, k)] = label }
                        }
                    }
                }
                a = b
            }
        }
    }

    /// Sets `label` at voxel centres (i, j, slice) inside an odd number of `polygons`.
    /// Crossing rule: a centre is inside when the number of polygon edges crossing the ray towards +i
    /// strictly to its right is odd; edges take their lower end point but not the upper one (half-open),
    /// so shared vertices are counted once.
    static func fillEvenOdd(_ polygons: [[SIMD2<Double>]], slice k: Int, grid: Grid3D, label: UInt16, into labels: inout [UInt16]) {
        let nx = grid.shape.x, ny = grid.shape.y
        var xs: [Double] = []
        for j in 0..<ny {
            let y = Double(j)
            xs.removeAll(keepingCapacity: true)
            for poly in polygons {
                var a = poly[poly.count - 1]
                for b in poly {
                    if (a.y > y) != (b.y > y) {
                        xs.append(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y))
                    }
                    a = b
                }
            }
            if xs.isEmpty { continue }
            xs.sort()
            // Centres i with an odd count of crossings at x > i lie in [xs[2m], xs[2m+1]) (counted from the right).
            let odd = xs.count % 2
            var m = odd
            while m + 1 < xs.count {
                // Clamped to −1…nx before the conversion, so that far-off contour points cannot overflow Int.
                let lo = max(0, Int(min(max(xs[m], -1), Double(nx)).rounded(.up)))
                let hi = min(nx - 1, Int(min(max(xs[m + 1], -1), Double(nx)).rounded(.up)) - 1)
                if lo <= hi {
                    let row = grid.linearIndex(0, j, k)
                    for i in lo...hi { labels[row + i] = label }
                }
                m += 2
            }
        }
    }
}
