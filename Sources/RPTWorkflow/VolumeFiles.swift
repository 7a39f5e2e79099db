import Foundation
import RPTCore
import RPTImageIO
import RPTStore
import RPTVolume

/// Reads and writes volumes in every format the CLI accepts: the image formats of RPTImageIO and
/// HDF5 (`.h5`, `.hdf5`; one volume per call, chosen by `volume`).
public enum VolumeFiles {
    public static let hdf5Extensions = [".h5", ".hdf5"]

    public static func isHDF5Path(_ path: String) -> Bool {
        hdf5Extensions.contains { path.lowercased().hasSuffix($0) }
    }

    /// Human-readable name of the format of `path`.
    public static func formatName(_ path: String) throws -> String {
        if isHDF5Path(path) || HDF5Store.isHDF5(path: path) { return "HDF5" }
        switch try ImageFormat.forPath(path) {
        case .nifti: return "NIfTI-1"
        case .niftiGz: return "NIfTI-1 (gzip)"
        case .metaImage: return "MetaImage"
        case .interfile: return "Interfile"
        case .nrrd: return "NRRD"
        }
    }

    public static func read(_ path: String, volume: String? = nil) throws -> AnyVolume {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(source: path, reason: "file not found")
        }
        if HDF5Store.isHDF5(path: path) { return try HDF5Store.readVolume(fromFile: path, volume: volume) }
        if isHDF5Path(path) { throw InputError(source: path, reason: "not an HDF5 file (no HDF5 signature)") }
        return try ImageIO.read(path)
    }

    public static func write(_ v: AnyVolume, to path: String, volume: String? = nil) throws {
        if isHDF5Path(path) {
            try HDF5Store.writeVolume(v, toFile: path, at: volume ?? "image")
        } else {
            try ImageIO.write(v, to: path)
        }
    }

    /// Reads a volume and converts it to doubles.
    public static func readDouble(_ path: String, volume: String? = nil) throws -> Volume<Double> {
        try read(path, volume: volume).asDouble
    }
}

extension VolumeFiles {
    /// Writes a dose kernel and its relative uncertainty as two volumes of one HDF5 file, with string
    /// attributes describing it (docs/formats/hdf5.md, "Kernels").
    public static func writeKernel(kernel: Volume<Double>, uncertainty: Volume<Double>, to path: String,
                            attributes: [String: String]) throws {
        try H5File.write(to: path) { f in
            try f.writeVolume(AnyVolume(kernel), at: "kernel")
            try f.writeVolume(AnyVolume(uncertainty), at: "kernel_rel_uncertainty")
            try f.createGroup("/kernel_info")
            for (k, v) in attributes { try f.setAttribute(k, .string(v), at: "/kernel_info") }
        }
    }
}
