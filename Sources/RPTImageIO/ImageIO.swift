import RPTCore
import RPTVolume

/// Options for `ImageIO.write`.
public struct ImageWriteOptions: Sendable {
    /// MetaImage only: compress the voxel data with zlib (`.zraw`, or compressed `.mha` data).
    public var compressMetaImage: Bool
    /// Interfile only: write even when the grid's origin is not zero or its direction is not the
    /// identity; Interfile cannot store either, so the file loses the placement.
    public var discardInterfilePlacement: Bool
    /// NRRD only: gzip-compress the voxel data (`encoding: gzip`, as 3D Slicer saves by default); else raw.
    public var compressNRRD: Bool

    public init(compressMetaImage: Bool = false, discardInterfilePlacement: Bool = false, compressNRRD: Bool = true) {
        self.compressMetaImage = compressMetaImage
        self.discardInterfilePlacement = discardInterfilePlacement
        self.compressNRRD = compressNRRD
    }
}

/// Reads and writes 3-D images as NIfTI-1 (`.nii`, `.nii.gz`), MetaImage (`.mhd`+`.raw`/`.zraw`,
/// `.mha`), Interfile (`.h33`/`.hv` + raw data) and NRRD (`.nrrd`, `.nhdr`; a Slicer `.seg.nrrd` reads as its
/// merged label map, `SlicerSegmentation`); the format comes from the extension.
/// Geometry is always returned in DICOM LPS millimetres. See docs/formats/images.md.
public enum ImageIO {
    /// Reads the header of `path` without its voxel data.
    public static func readHeader(_ path: String) throws -> ImageHeader {
        if SlicerSegmentation.isSegmentationPath(path) {
            var h = NRRD.parsed(try NRRD.readHeader(path), path: path).header
            h.voxelType = .uint16  // the merged label map (`SlicerSegmentation.mergedLabelMap`)
            return h
        }
        return try parse(path).header
    }

    /// Reads a whole image. Voxels come back in the stored type, or as float64 when the file
    /// carries a value scaling (NIfTI `scl_slope` ≠ 0 and not the identity).
    public static func read(_ path: String) throws -> AnyVolume {
        if SlicerSegmentation.isSegmentationPath(path) { return .uint16(try SlicerSegmentation.read(path).mergedLabelMap().labels) }
        let parsed = try parse(path)
        return try VoxelData.load(parsed, source: path)
    }

    /// Writes `volume` to `path` in the format given by its extension, atomically (data files first,
    /// headers last).
    public static func write(_ volume: AnyVolume, to path: String, options: ImageWriteOptions = .init()) throws {
        switch try ImageFormat.forPath(path) {
        case .nifti: try NIfTI.write(volume, to: path, gzipped: false)
        case .niftiGz: try NIfTI.write(volume, to: path, gzipped: true)
        case .metaImage: try MetaImage.write(volume, to: path, compressed: options.compressMetaImage)
        case .interfile: try Interfile.write(volume, to: path, discardPlacement: options.discardInterfilePlacement)
        case .nrrd: try NRRD.write(volume, to: path, gzip: options.compressNRRD)
        }
    }

    /// Convenience for a typed volume.
    public static func write<T: VoxelScalar>(_ volume: Volume<T>, to path: String,
                                             options: ImageWriteOptions = .init()) throws {
        try write(AnyVolume(volume), to: path, options: options)
    }

    static func parse(_ path: String) throws -> ParsedImageHeader {
        let format = try ImageFormat.forPath(path)
        try FileBytes.requireReadable(path, source: path)
        switch format {
        case .nifti: return try NIfTI.readHeader(path, gzipped: false)
        case .niftiGz: return try NIfTI.readHeader(path, gzipped: true)
        case .metaImage: return try MetaImage.readHeader(path)
        case .interfile: return try Interfile.readHeader(path)
        case .nrrd: return try NRRD.parsedHeader(path)
        }
    }
}
