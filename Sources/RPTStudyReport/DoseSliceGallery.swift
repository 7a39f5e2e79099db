import Foundation
import RPTCore
import RPTDosimetry
import RPTReport
import RPTVolume

/// Dose colour-wash figures of one cycle: axial, coronal and sagittal slices of the reference CT through
/// the centroid of each structure (kidneys, then lesions), the cycle's dose resampled onto the CT grid
/// (trilinear), and the outlines of the kidneys, lesions, liver and spleen.
public struct DoseSliceGallery {
    /// One structure's three slices.
    public struct Row {
        public var structure: String
        public var figures: [SliceFigure]
        /// Zoomed views (same planes) when the structure is smaller than `insetThresholdPixels` on the figures.
        public var insets: [SliceFigure] = []
        /// Colour scale of the row (Gy).
        public var style: DoseOverlayStyle
    }

    /// Regions outlined on every slice, besides the structures.
    public static let contextRegions = ["liver", "spleen"]
    /// Bottom of each row's colour scale as a fraction of its top (the structure's D2).
    public static let lowerFraction = 0.25
    /// Displayed width of each slice image (CSS px).
    public static let displayWidth = 260.0
    /// A structure narrower than this on the displayed slices (CSS px, its largest extent) gets zoomed insets.
    public static let insetThresholdPixels = 30.0
    /// Field of view of an inset: this many times the structure's largest extent (at least `minimumInsetMM`).
    public static let insetFieldFactor = 3.0
    public static let minimumInsetMM = 40.0

    /// - Parameters:
    ///   - structures: region names to centre rows on, in order (those absent from the labels are skipped).
    ///   - sharedScale: one colour scale for all rows (top = the highest D2 of the structures).
    public static func rows(record: CycleDosimetryRecord, manifest: StudyManifest, cycle: StudyCycle,
                            structures: [String], sharedScale: Bool = false) throws -> [Row] {
        let tp = cycle.timePoints[cycle.referenceIndex]
        let ct = try StudyImages.read(tp.ct).asDouble
        try ct.grid.validate(source: tp.ct)
        guard let labelRef = tp.labels ?? manifest.sharedLabels else {
            throw InputError(source: manifest.path, field: "labels", reason: "no label map for the reference time point")
        }
        let table = try LabelTable.load(labelRef.names)
        let regions = try ReportingRegions(table: table, groups: manifest.regionGroups, source: manifest.path)
        let native = try StudyImages.read(labelRef.image).asDouble
        let labels = native.grid.isSameGrid(as: ct.grid) ? native : native.resampled(onto: ct.grid, mode: .nearest)
        // Region number (index + 1, 0 = none) per CT voxel.
        let regionNumber = Volume<UInt16>(grid: ct.grid, voxels: labels.voxels.map {
            UInt16(regions.region(ofLabel: Int($0.rounded())) + 1)
        })
        let dose = record.dose.resampled(onto: ct.grid, mode: .trilinear, fill: 0)
        let renderer = try SliceRenderer(ct: ct, dose: dose, labels: regionNumber)

        let outlined = (structures + contextRegions).filter { regions.index(of: $0) != nil }
        var seen = Set<String>()
        let outlines = outlined.filter { seen.insert($0).inserted }.enumerated().map { n, name in
            RegionOutlineStyle(label: regions.index(of: name)! + 1, name: ClinicalNames.region(name), color: RGBColor.distinct(n))
        }
        let pixel = min(ct.grid.spacing.x, ct.grid.spacing.y, ct.grid.spacing.z) / 2
        var rows: [Row] = []
        for name in structures {
            guard let r = regions.index(of: name), let centre = centroid(of: UInt16(r + 1), in: regionNumber) else { continue }
            // Colour scale: lowerFraction × top … top, top = the structure's D2 (its maximum is a single,
            // noisy voxel); below lowerFraction the CT shows through, so the wash marks where the dose is.
            let own = record.region(name)?.d2Gy ?? 0
            let shared = structures.compactMap { record.region($0)?.d2Gy }.filter(\.isFinite).max() ?? 0
            let top = sharedScale && own > 0 ? shared : own
            guard top > 0, top.isFinite else { continue }
            let style = DoseOverlayStyle(lowerGy: lowerFraction * top, upperGy: top, opacity: 0.55)
            let options = SliceRenderOptions(window: .softTissue, dose: style, outlines: outlines, pixelSizeMM: pixel,
                                             maximumDimension: 480)
            let figures = try SlicePlane.allCases.map { plane in
                try SliceFigure(slice: renderer.render(plane, through: centre, options: options),
                                caption: "\(ClinicalNames.region(name)), \(plane.rawValue), cycle \(cycle.number).", displayWidth: displayWidth)
            }
            var row = Row(structure: name, figures: figures, style: style)
            let extent = extentMM(of: UInt16(r + 1), in: regionNumber)
            let shown = figures.map { extent * $0.displayWidth / (Double($0.slice.image.width) * $0.slice.pixelSizeMM) }.min() ?? .infinity
            if shown < insetThresholdPixels {
                let fov = max(minimumInsetMM, insetFieldFactor * extent)
                var zoom = options
                zoom.fieldOfViewMM = fov
                zoom.pixelSizeMM = fov / 240
                row.insets = try SlicePlane.allCases.map { plane in
                    let s = renderer.render(plane, through: centre, options: zoom)
                    let factor = (Double(figures[0].slice.image.width) * figures[0].slice.pixelSizeMM / figures[0].displayWidth)
                        / (fov / displayWidth)
                    return try SliceFigure(slice: s, caption: "\(ClinicalNames.region(name)), \(plane.rawValue), zoomed ×"
                                           + NumberFormat.significant(2).string(factor) + " (\(Int(fov.rounded())) mm field).",
                                           displayWidth: displayWidth)
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Largest extent (mm) of the voxels equal to `value` along the grid axes (bounding box, voxel faces).
    static func extentMM(of value: UInt16, in map: Volume<UInt16>) -> Double {
        let g = map.grid
        var lo = SIMD3<Int>(repeating: Int.max), hi = SIMD3<Int>(repeating: Int.min)
        for (n, v) in map.voxels.enumerated() where v == value {
            let ijk = g.voxelIndex(n)
            lo = pointwiseMin(lo, ijk); hi = pointwiseMax(hi, ijk)
        }
        guard lo.x <= hi.x else { return 0 }
        let size = SIMD3<Double>(Double(hi.x - lo.x + 1), Double(hi.y - lo.y + 1), Double(hi.z - lo.z + 1)) * g.spacing
        return size.max()
    }

    /// World position (LPS mm) of the voxel centre nearest to the centroid of the voxels equal to `value`.
    static func centroid(of value: UInt16, in map: Volume<UInt16>) -> SIMD3<Double>? {
        var sum = SIMD3<Double>.zero, count = 0.0
        let g = map.grid
        for (n, v) in map.voxels.enumerated() where v == value {
            let ijk = g.voxelIndex(n)
            sum += SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)); count += 1
        }
        guard count > 0 else { return nil }
        return g.world(continuousIndex: (sum / count).rounded(.toNearestOrAwayFromZero))
    }
}
