import RPTCore

/// The image file formats RPTDose reads and writes, chosen from the file name's extension.
public enum ImageFormat: String, CaseIterable, Sendable, Codable {
    /// NIfTI-1 single file (`.nii`).
    case nifti
    /// NIfTI-1 single file compressed with gzip (`.nii.gz`).
    case niftiGz
    /// MetaImage: `.mhd` header with a separate `.raw` / `.zraw` data file, or `.mha` with the data
    /// after the header in the same file (`ElementDataFile = LOCAL`).
    case metaImage
    /// Interfile 3.3 subset: `.h33` (or `.hv`) header with a separate raw data file.
    case interfile
    /// NRRD (3D Slicer's format): `.nrrd` with attached data, `.nhdr` with a separate data file; a Slicer
    /// segmentation `.seg.nrrd` reads as its label map.
    case nrrd

    /// Every extension recognised by `forPath(_:)`, lower case with the leading dot.
    public static let knownExtensions = [".nii", ".nii.gz", ".mhd", ".mha", ".h33", ".hv", ".nrrd", ".nhdr", ".seg.nrrd"]

    /// The format of `path`, from its extension (case-insensitive).
    /// - Throws: `InputError` naming the extension and listing the known ones.
    public static func forPath(_ path: String) throws -> ImageFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".nii.gz") { return .niftiGz }
        if lower.hasSuffix(".nii") { return .nifti }
        if lower.hasSuffix(".mhd") || lower.hasSuffix(".mha") { return .metaImage }
        if lower.hasSuffix(".h33") || lower.hasSuffix(".hv") { return .interfile }
        if lower.hasSuffix(".nrrd") || lower.hasSuffix(".nhdr") { return .nrrd }
        let name = lower.split(separator: "/").last.map(String.init) ?? lower
        let ext = name.firstIndex(of: ".").map { String(name[$0...]) } ?? "(none)"
        throw InputError(source: path, field: "extension", value: ext,
                         reason: "unknown image file extension; known: " + knownExtensions.joined(separator: ", "))
    }
}
