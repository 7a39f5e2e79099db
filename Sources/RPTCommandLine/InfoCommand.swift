import ArgumentParser
import Foundation
import RPTCore
import RPTWorkflow
import RPTDicom
import RPTDosimetry
import RPTImageIO
import RPTStore
import RPTVolume

/// `rptdose info FILE`: geometry, data type and value range of an image or HDF5 file.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show format, shape, spacing, origin, direction, data type and value range of an image or HDF5 file.")

    @Argument(help: "An image (.nii, .nii.gz, .mhd, .mha, .h33, .hv), HDF5 (.h5) file, DICOM file or DICOM folder.", completion: .file())
    var file: String

    @Option(help: "For HDF5 files: the volume to describe (default: every volume).")
    var volume: String?

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var identifiers: IdentifierOptions

    func run() throws {
        if DicomStudyImages.isDicom(file) {
            try DicomInfo(path: file, identifiers: identifiers).print(json: json, describe: describe)
            return
        }
        let format = try VolumeFiles.formatName(file)
        var entries: [(String, AnyVolume)] = []
        if format == "HDF5" {
            let names: [String] = try volume.map { [$0] } ?? H5File.read(file) { try $0.listVolumes() }
            for n in names { entries.append((n, try HDF5Store.readVolume(fromFile: file, volume: n))) }
        } else {
            entries.append(("", try VolumeFiles.read(file)))
        }
        let described = entries.map { describe(name: $0.0, $0.1) }
        if json {
            var out: [String: Any] = ["file": file, "format": format]
            if format == "HDF5" { out["volumes"] = described } else { out.merge(described[0]) { a, _ in a } }
            try JSONOutput.print(out)
            return
        }
        print("\(file): \(format)")
        if format == "HDF5" && entries.isEmpty { print("  (no volumes)") }
        for d in described {
            if let n = d["name"] as? String, !n.isEmpty { print("volume \(n)") }
            Self.printGeometry(d)
        }
    }

    /// Prints the geometry lines of a `describe` dictionary.
    static func printGeometry(_ d: [String: Any]) {
        let shape = d["shape"] as! [Int], sp = d["spacing_mm"] as! [Double], o = d["origin_mm"] as! [Double]
        let dir = d["direction"] as! [Double], range = d["value_range"] as! [Double]
        print("  shape      \(shape.map(String.init).joined(separator: " × "))")
        print("  spacing    \(sp.map { fmt($0) }.joined(separator: " × ")) mm")
        print("  origin     (\(o.map { fmt($0) }.joined(separator: ", "))) mm, LPS")
        print("  direction  [\(dir.map { fmt($0) }.joined(separator: " "))] (row-major; columns are the i, j, k axes)")
        print("  data type  \(d["data_type"]!)\((d["unit"] as? String).map { $0.isEmpty ? "" : ", unit \($0)" } ?? "")")
        print("  values     \(fmt(range[0])) … \(fmt(range[1]))")
    }

    func describe(name: String, _ v: AnyVolume) -> [String: Any] {
        let g = v.grid
        let r = v.valueRange
        return [
            "name": name,
            "shape": [g.shape.x, g.shape.y, g.shape.z],
            "spacing_mm": [g.spacing.x, g.spacing.y, g.spacing.z],
            "origin_mm": [g.origin.x, g.origin.y, g.origin.z],
            "direction": g.direction.rowMajor,
            "data_type": v.voxelType.rawValue,
            "unit": v.unit,
            "value_range": [r.lowerBound, r.upperBound],
        ]
    }
}

/// `rptdose convert IN OUT`: converts between every supported format, HDF5 included.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a volume between NIfTI, MetaImage, Interfile and HDF5 (format from the extensions).")

    @Argument(help: "Input file.", completion: .file()) var input: String
    @Argument(help: "Output file (written atomically).", completion: .file()) var output: String
    @Option(help: "HDF5 input: volume to read; HDF5 output: name of the volume written (default 'image').")
    var volume: String?
    @Option(help: "Convert voxels to this type: \(VoxelType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var type: String?

    func run() throws {
        var v = try VolumeFiles.read(input, volume: volume)  // `volume` only applies to HDF5 (by signature)
        if let type {
            guard let t = VoxelType(rawValue: type) else {
                throw InputError(source: "--type", value: type,
                                 reason: "unknown data type; valid: " + VoxelType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            v = v.converted(toType: t)
        }
        try VolumeFiles.write(v, to: output, volume: volume)  // `volume` only names an HDF5 volume
        print("wrote \(output) (\(try VolumeFiles.formatName(output)), \(v.voxelType.rawValue))")
    }
}

extension AnyVolume {
    /// The same volume with voxels of type `t` (rounded and clamped into integer types).
    func converted(toType t: VoxelType) -> AnyVolume {
        switch t {
        case .uint8: AnyVolume(converted(to: UInt8.self))
        case .int16: AnyVolume(converted(to: Int16.self))
        case .uint16: AnyVolume(converted(to: UInt16.self))
        case .int32: AnyVolume(converted(to: Int32.self))
        case .float32: AnyVolume(converted(to: Float.self))
        case .float64: AnyVolume(converted(to: Double.self))
        }
    }
}
