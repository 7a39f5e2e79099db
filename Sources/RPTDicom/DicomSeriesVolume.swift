import RPTCore
import RPTVolume

/// A volume read from DICOM together with the identification of its series.
public struct DicomSeriesVolume<Scalar: VoxelScalar>: Sendable {
    public var volume: Volume<Scalar>
    public var metadata: DicomMetadata
    /// Source files; for slice series, sorted along the slice normal (index k of the grid is `files[k]` unless
    /// the stack was resampled, see `warnings`); for an enhanced multi-frame object, its one file.
    public var files: [String]
    /// What series assembly skipped (localizers, stray derived images, other sub-series), one line each, for the
    /// user to see.
    public var notes: [String] = []
    /// What changed the values and must be shown loudly (uneven slice spacing resampled), one line each.
    public var warnings: [String] = []
}

/// Reads CT series into Hounsfield units on a `Grid3D`: single-frame slices (CT Image Storage) or one
/// enhanced multi-frame object (Enhanced CT, Legacy Converted Enhanced CT) with per-frame functional groups.
public enum DicomCTReader {
    /// Tolerance (mm) on slice positions: a slice may lie this far from the regular stack fitted to the
    /// series (scanner jitter); see `SliceStack` and docs/formats/dicom.md.
    public static let defaultSpacingToleranceMM = 0.1

    /// Reads the CT series in `folder` (searched recursively).
    ///
    /// - Parameters:
    ///   - seriesInstanceUID: the series to read; may be nil when the folder holds a single CT series.
    ///   - as: voxel type; `Int16` rounds to whole HU (clamped to −32768…32767), `Float` keeps fractions.
    ///   - spacingToleranceMM: allowed deviation of each slice position from the fitted regular stack (mm).
    ///   - subSeriesFile: when the series mixes sub-series (orientations, image types, reconstructions), read the
    ///     one holding this file; nil: such a series is refused with a list of its sub-series.
    ///   - resampleUneven: resample uneven slice spacing linearly onto a regular stack (with a warning in
    ///     `warnings`); false: refuse it.
    /// - Returns: HU values (stored value × Rescale Slope + Rescale Intercept, per slice or frame), unit "HU".
    public static func read<T: VoxelScalar>(folder: String, seriesInstanceUID: String? = nil, as: T.Type = Int16.self,
                                            spacingToleranceMM: Double = defaultSpacingToleranceMM, subSeriesFile: String? = nil,
                                            resampleUneven: Bool = true) throws -> DicomSeriesVolume<T> {
        let headers = try DicomFolder.scanHeaders(folder)
        let series = try DicomFolder.selectSeries(headers, folder: folder, modalities: ["CT"],
                                                  seriesInstanceUID: seriesInstanceUID)
        let chosen = headers.filter { series.files.contains($0.path) }
        let name = "CT series \(series.seriesInstanceUID) in \(folder)"
        let multiFrame = try chosen.filter { (try $0.header.int(.numberOfFrames) ?? 1) > 1 }
        if !multiFrame.isEmpty {
            guard chosen.count == 1 else {
                throw InputError(source: multiFrame[0].path, field: DicomTag.numberOfFrames.label,
                                 reason: "\(name) holds \(chosen.count) files, \(multiFrame.count) of them multi-frame; "
                                     + "expected one enhanced multi-frame object or single-frame slices only")
            }
            return try readEnhanced(file: chosen[0].path, series: name, toleranceMM: spacingToleranceMM, resampleUneven: resampleUneven)
        }
        return try readSlices(chosen, unit: "HU", series: name, spacingToleranceMM: spacingToleranceMM, subSeriesFile: subSeriesFile,
                              resampleUneven: resampleUneven) { ds, stored in
            let (slope, intercept) = try RescaleValues.checked(slope: try ds.double(.rescaleSlope) ?? 1,
                                                               intercept: try ds.double(.rescaleIntercept) ?? 0,
                                                               source: ds.source)
            return stored.map { $0 * slope + intercept }
        }
    }

    /// What reading the slice series in `folder` would put in `warnings` (uneven slice spacing resampled), from
    /// the headers alone (no pixel data is read), so that a workflow can record it with its result. The series
    /// is chosen as by `read` (`modalities`: CT, or PT/NM for emission series); an enhanced multi-frame object
    /// gives no warnings here (its frames' geometry needs the whole file: read it to see them).
    public static func assemblyWarnings(folder: String, modalities: Set<String> = ["CT"], seriesInstanceUID: String? = nil,
                                        subSeriesFile: String? = nil,
                                        spacingToleranceMM: Double = defaultSpacingToleranceMM) throws -> [String] {
        let headers = try DicomFolder.scanHeaders(folder)
        let series = try DicomFolder.selectSeries(headers, folder: folder, modalities: modalities, seriesInstanceUID: seriesInstanceUID)
        let chosen = headers.filter { series.files.contains($0.path) }
        if try chosen.contains(where: { (try $0.header.int(.numberOfFrames) ?? 1) > 1 }) { return [] }
        let geometry = try chosen.map { try SliceGeometry(header: $0.header, path: $0.path) }
        let name = "\(modalities == ["CT"] ? "CT" : series.modality) series \(series.seriesInstanceUID) in \(folder)"
        return try SliceStack(slices: geometry, series: name, toleranceMM: spacingToleranceMM, selecting: subSeriesFile).warnings
    }

    /// Stacks single-frame slices and converts each slice's stored values with `transform` (before any
    /// interpolation of an uneven stack).
    static func readSlices<T: VoxelScalar>(_ headers: [(path: String, header: DicomDataSet)], unit: String, series: String,
                                           spacingToleranceMM: Double, subSeriesFile: String? = nil, resampleUneven: Bool = true,
                                           transform: (DicomDataSet, [Double]) throws -> [Double]) throws -> DicomSeriesVolume<T> {
        let geometry = try headers.map { try SliceGeometry(header: $0.header, path: $0.path) }
        let stack = try SliceStack(slices: geometry, series: series, toleranceMM: spacingToleranceMM, selecting: subSeriesFile,
                                   resampleUneven: resampleUneven)
        let paths = stack.order.map { headers[$0].path }
        let grid = stack.grid
        var firstFull: DicomDataSet?
        let voxels: [T] = try stack.voxels(perSlice: grid.shape.x * grid.shape.y) { i in
            let ds = try DicomFile.read(paths[i])
            if firstFull == nil { firstFull = ds }
            let pixels = try DicomPixelData(ds)
            guard pixels.frames == 1 else {
                throw InputError(source: paths[i], field: DicomTag.numberOfFrames.label, value: "\(pixels.frames)",
                                 reason: "expected single-frame slices in a slice series")
            }
            return try transform(ds, pixels.frame(0))
        }
        return DicomSeriesVolume(volume: Volume(grid: grid, voxels: voxels, unit: unit),
                                 metadata: DicomMetadata(firstFull!), files: paths, notes: stack.notes, warnings: stack.warnings)
    }

    /// Reads an enhanced multi-frame CT: each frame's Plane Position, Plane Orientation, Pixel Measures and
    /// Pixel Value Transformation (rescale) from the per-frame functional groups, else the shared ones, else the
    /// top-level attributes; the frames are assembled by the same rules as slices (`SliceStack`).
    static func readEnhanced<T: VoxelScalar>(file: String, series: String, toleranceMM: Double,
                                             resampleUneven: Bool = true) throws -> DicomSeriesVolume<T> {
        let ds = try DicomFile.read(file)
        let pixels = try DicomPixelData(ds)
        let imageType = ds.strings(.imageType).map { $0.uppercased() }
        var frames: [SliceGeometry] = []
        for f in 0..<pixels.frames {
            let label = "\(file) (frame \(f + 1))"
            guard let position = ds.functionalGroupItem(.planePositionSequence, frame: f) else {
                throw InputError(source: file, field: DicomTag.planePositionSequence.label,
                                 reason: "missing for frame \(f + 1): an enhanced CT needs each frame's Image Position (Patient)")
            }
            let orientation = try ds.functionalGroupItem(.planeOrientationSequence, frame: f)?.doubles(.imageOrientationPatient)
                ?? ds.doubles(.imageOrientationPatient)
            let measures = ds.functionalGroupItem(.pixelMeasuresSequence, frame: f)
            guard let orientation, let spacing = try measures?.doubles(.pixelSpacing) ?? ds.doubles(.pixelSpacing) else {
                throw InputError(source: file, field: "\(DicomTag.planeOrientationSequence.label) / \(DicomTag.pixelMeasuresSequence.label)",
                                 reason: "frame \(f + 1) has no Image Orientation (Patient) or Pixel Spacing in its functional groups")
            }
            let frameType = ds.functionalGroupItem(.ctImageFrameTypeSequence, frame: f)?.strings(.frameType).map { $0.uppercased() }
            frames.append(SliceGeometry(label: label, file: file, orientation: orientation,
                                        position: try position.requiredDoubles(.imagePositionPatient),
                                        rows: pixels.rows, columns: pixels.columns, pixelSpacing: spacing,
                                        imageType: frameType ?? imageType,
                                        nominalSpacing: try measures?.double(.spacingBetweenSlices) ?? measures?.double(.sliceThickness)))
        }
        let stack = try SliceStack(slices: frames, series: series, toleranceMM: toleranceMM, resampleUneven: resampleUneven)
        let grid = stack.grid
        let voxels: [T] = try stack.voxels(perSlice: grid.shape.x * grid.shape.y) { i in
            let f = stack.order[i]
            let rescale = ds.functionalGroupItem(.pixelValueTransformationSequence, frame: f) ?? ds
            let (slope, intercept) = try RescaleValues.checked(slope: try rescale.double(.rescaleSlope) ?? ds.double(.rescaleSlope) ?? 1,
                                                               intercept: try rescale.double(.rescaleIntercept) ?? ds.double(.rescaleIntercept) ?? 0,
                                                               source: "\(file) (frame \(f + 1))")
            return pixels.frame(f).map { $0 * slope + intercept }
        }
        return DicomSeriesVolume(volume: Volume(grid: grid, voxels: voxels, unit: "HU"), metadata: DicomMetadata(ds),
                                 files: [file], notes: stack.notes, warnings: stack.warnings)
    }
}
