import RPTCore
import RPTVolume

/// A volume read from DICOM together with the identification of its series.
public struct DicomSeriesVolume<Scalar: VoxelScalar>: Sendable {
    public var volume: Volume<Scalar>
    public var metadata: DicomMetadata
    /// Source files; for slice series, in slice order (index k of the grid is `files[k]`).
    public var files: [String]
}

/// Reads CT series (one slice per file) into Hounsfield units on a `Grid3D`.
public enum DicomCTReader {
    /// Reads the CT series in `folder` (searched recursively).
    ///
    /// - Parameters:
    ///   - seriesInstanceUID: the series to read; may be nil when the folder holds a single CT series.
    ///   - as: voxel type; `Int16` rounds to whole HU (clamped to −32768…32767), `Float` keeps fractions.
    ///   - spacingToleranceMM: allowed deviation of each slice gap from the series' median gap (mm).
    /// - Returns: HU values (stored value × Rescale Slope + Rescale Intercept, per slice), unit "HU".
    public static func read<T: VoxelScalar>(folder: String, seriesInstanceUID: String? = nil, as: T.Type = Int16.self,
                                            spacingToleranceMM: Double = 0.02) throws -> DicomSeriesVolume<T> {
        let headers = try DicomFolder.scanHeaders(folder)
        let series = try DicomFolder.selectSeries(headers, folder: folder, modalities: ["CT"],
                                                  seriesInstanceUID: seriesInstanceUID)
        let chosen = headers.filter { series.files.contains($0.path) }
        return try readSlices(chosen, unit: "HU", spacingToleranceMM: spacingToleranceMM) { ds, stored in
            let (slope, intercept) = try RescaleValues.checked(slope: try ds.double(.rescaleSlope) ?? 1,
                                                               intercept: try ds.double(.rescaleIntercept) ?? 0,
                                                               source: "CT series in \(folder)")
            return stored.map { $0 * slope + intercept }
        }
    }

    /// Stacks single-frame slices and converts each slice's stored values with `transform`.
    static func readSlices<T: VoxelScalar>(_ headers: [(path: String, header: DicomDataSet)], unit: String,
                                           spacingToleranceMM: Double,
                                           transform: (DicomDataSet, [Double]) throws -> [Double]) throws -> DicomSeriesVolume<T> {
        let stack = try SliceStack(headers: headers, spacingToleranceMM: spacingToleranceMM)
        let grid = stack.grid
        let perSlice = grid.shape.x * grid.shape.y
        var voxels = [T](repeating: T(clampingDouble: 0), count: grid.voxelCount)
        var firstFull: DicomDataSet?
        for (k, path) in stack.paths.enumerated() {
            let ds = try DicomFile.read(path)
            if firstFull == nil { firstFull = ds }
            let pixels = try DicomPixelData(ds)
            guard pixels.frames == 1 else {
                throw InputError(source: path, field: DicomTag.numberOfFrames.label, value: "\(pixels.frames)",
                                 reason: "expected single-frame slices in a slice series")
            }
            let values = try transform(ds, pixels.frame(0))
            for p in 0..<perSlice { voxels[k * perSlice + p] = T(clampingDouble: values[p]) }
        }
        return DicomSeriesVolume(volume: Volume(grid: grid, voxels: voxels, unit: unit),
                                 metadata: DicomMetadata(firstFull!), files: stack.paths)
    }
}
