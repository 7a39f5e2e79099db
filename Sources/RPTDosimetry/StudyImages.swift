import Foundation
import RPTCore
import RPTImageIO
import RPTStore
import RPTVolume

/// Reads the images a study refers to: NIfTI, MetaImage, Interfile (RPTImageIO) and HDF5 (RPTStore,
/// the file's only volume or `/volumes/image`).
public enum StudyImages {
    /// Reads a whole volume.
    public static func read(_ path: String) throws -> AnyVolume {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(source: path, reason: "file not found")
        }
        if HDF5Store.isHDF5(path: path) { return try HDF5Store.readVolume(fromFile: path) }
        return try ImageIO.read(path)
    }

    /// The grid of an image, from its header when the format allows it.
    public static func grid(_ path: String) throws -> Grid3D {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(source: path, reason: "file not found")
        }
        if HDF5Store.isHDF5(path: path) { return try HDF5Store.readVolume(fromFile: path).grid }
        return try ImageIO.readHeader(path).grid
    }

    /// World-space (LPS mm) axis-aligned bounding box of the voxels' outer faces (`GridOverlap.bounds`).
    public static func bounds(_ g: Grid3D) -> (lower: SIMD3<Double>, upper: SIMD3<Double>) { GridOverlap.bounds(g) }

    /// Volume (mm³) of the intersection of the two grids' bounding boxes (`GridOverlap.overlapMM3`).
    public static func overlapMM3(_ a: Grid3D, _ b: Grid3D) -> Double { GridOverlap.overlapMM3(a, b) }
}

/// A `label,name` table. Several labels may share a name: together they form one region.
public struct LabelTable: Sendable, Equatable {
    /// Label value → name.
    public var names: [Int: String]

    public init(names: [Int: String]) { self.names = names }

    /// Reads a `label,name` CSV file (RFC 4180: a name holding a comma is written in double quotes; see
    /// `CSVTable`). A header line (first field not a number, e.g. `label,name`) is optional; `#` starts a comment line.
    public static func load(_ path: String) throws -> LabelTable {
        let csv = try CSVTable(path: path)
        let hasHeader = Int(csv.header[0]) == nil
        var out: [Int: String] = [:]
        for row in (hasHeader ? [] : [csv.headerAsRow]) + csv.rows {
            guard row.fields.count == 2 else {
                throw InputError(source: csv.location(row), field: "record", value: row.fields.joined(separator: ","),
                                 reason: "expected 'label,name' (put a name holding a comma in double quotes)")
            }
            guard let label = Int(row.fields[0]), label > 0, label < 65536 else {
                throw csv.error(row, 0, reason: "expected a label from 1 to 65535")
            }
            guard !row.fields[1].isEmpty else { throw InputError(source: csv.location(row), field: "name", reason: "is empty") }
            guard out[label] == nil else { throw csv.error(row, 0, reason: "label \(label) is listed twice") }
            out[label] = row.fields[1]
        }
        guard !out.isEmpty else { throw InputError(source: path, reason: "no 'label,name' line") }
        return LabelTable(names: out)
    }

    /// Distinct names in order of their smallest label.
    public var orderedNames: [String] {
        var seen = Set<String>(), out: [String] = []
        for l in names.keys.sorted() where seen.insert(names[l]!).inserted { out.append(names[l]!) }
        return out
    }
}
