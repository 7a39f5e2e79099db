import Foundation
import RPTCore
import RPTVolume

/// A 3D Slicer segmentation file (`.seg.nrrd`): a NRRD label map with one layer (3-D) or several (4-D, layer axis
/// first, for overlapping segments), and per segment the key/value pairs `Segment<i>_Name`, `Segment<i>_ID`,
/// `Segment<i>_LabelValue` (default 1) and `Segment<i>_Layer` (default 0, or i when the file has one layer per
/// segment as Slicer wrote before version 4.11). Layout after Slicer's `vtkMRMLSegmentationStorageNode`
/// (Slicer documentation, "Segmentation file format").
public struct SlicerSegmentation: Sendable {
    public struct Segment: Sendable, Equatable {
        public var index: Int
        public var id: String
        public var name: String
        public var layer: Int
        public var labelValue: Int
    }
    public let segments: [Segment]
    /// One label volume per layer, on the segmentation's own grid (LPS).
    public let layers: [Volume<UInt16>]
    public let source: String

    /// True for names ending in `.seg.nrrd` (any letter case).
    public static func isSegmentationPath(_ path: String) -> Bool { path.lowercased().hasSuffix(".seg.nrrd") }

    /// Reads a `.seg.nrrd` (or any NRRD carrying `Segment<i>_…` keys).
    /// - Throws: `InputError` for a non-integer label type, a segment whose layer does not exist or whose label value is
    ///   out of 1…65535, or a file without segments.
    public static func read(_ path: String) throws -> SlicerSegmentation {
        let header = try NRRD.readHeader(path)
        guard header.voxelType.isInteger else {
            throw InputError(source: path, field: "type", value: "\(header.voxelType)", reason: "a segmentation must hold integer labels")
        }
        var segments: [Segment] = []
        var i = 0
        while let name = header.keyValues["Segment\(i)_Name"] {
            func integer(_ key: String, default value: Int) throws -> Int {
                guard let text = header.keyValues["Segment\(i)_\(key)"] else { return value }
                guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw InputError(source: path, field: "Segment\(i)_\(key)", value: text, reason: "expected a whole number")
                }
                return v
            }
            let layer = try integer("Layer", default: header.layerCount > 1 ? i : 0)
            let value = try integer("LabelValue", default: 1)
            guard (0..<header.layerCount).contains(layer) else {
                throw InputError(source: path, field: "Segment\(i)_Layer", value: "\(layer)",
                                 reason: "the file has \(header.layerCount) layer(s)")
            }
            guard (1...65535).contains(value) else {
                throw InputError(source: path, field: "Segment\(i)_LabelValue", value: "\(value)", reason: "expected 1…65535")
            }
            segments.append(Segment(index: i, id: header.keyValues["Segment\(i)_ID"] ?? "Segment_\(i + 1)", name: name,
                                    layer: layer, labelValue: value))
            i += 1
        }
        guard !segments.isEmpty else {
            throw InputError(source: path, field: "Segment0_Name", reason: "no segments: not a 3D Slicer segmentation")
        }
        let layers = try NRRD.readLayers(header, path: path).map { v -> Volume<UInt16> in
            let d = v.asDouble
            return Volume(grid: d.grid, voxels: try d.voxels.map { try UInt16(LabelValue.integer($0, source: path)) })
        }
        return SlicerSegmentation(segments: segments, layers: layers, source: path)
    }

    /// The label maps of `path` with their names when it is a Slicer segmentation (one per layer, as doubles), else nil.
    public static func labelMapLayers(_ path: String) throws -> [(labels: Volume<Double>, names: [Int: String])]? {
        guard isSegmentationPath(path) else { return nil }
        return try read(path).layerLabelMaps().map { ($0.labels.converted(to: Double.self), $0.names) }
    }

    /// Every layer as a label map with its segments' names (label value → name); layers of a segmentation may overlap.
    public func layerLabelMaps() -> [(labels: Volume<UInt16>, names: [Int: String])] {
        layers.indices.map { l in
            (layers[l], Dictionary(segments.filter { $0.layer == l }.map { ($0.labelValue, $0.name) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    /// All segments in one label map, with names. With one layer the file's label values are kept. With several, the
    /// file's label values are kept when they differ between all segments, else segment i gets label i + 1; a voxel in
    /// two segments cannot be merged and is refused (read the layers as separate maps instead).
    /// - Throws: `InputError` naming the segments that overlap, or a voxel value that no segment of its layer has.
    public func mergedLabelMap() throws -> (labels: Volume<UInt16>, names: [Int: String]) {
        let values = segments.map(\.labelValue)
        let keep = layers.count == 1 || Set(values).count == values.count
        var names: [Int: String] = [:]
        var labelOf: [Int: [Int: Int]] = [:]  // layer → file value → merged label
        for s in segments {
            let label = keep ? s.labelValue : s.index + 1
            if let other = names[label], layers.count == 1 {
                throw InputError(source: source, field: "Segment\(s.index)_LabelValue", value: "\(s.labelValue)",
                                 reason: "also the label value of segment '\(other)'")
            }
            names[label] = s.name
            labelOf[s.layer, default: [:]][s.labelValue] = label
        }
        let grid = layers[0].grid
        var merged = [UInt16](repeating: 0, count: grid.voxelCount)
        for (l, layer) in layers.enumerated() {
            for (n, v) in layer.voxels.enumerated() where v != 0 {
                guard let label = labelOf[l]?[Int(v)] else {
                    throw InputError(source: source, field: "layer \(l)", value: "\(v)",
                                     reason: "voxel value with no segment (no Segment<i>_LabelValue = \(v) in this layer)")
                }
                if merged[n] != 0 {
                    throw InputError(source: source, field: "segments", value: "'\(names[Int(merged[n])]!)' and '\(names[label]!)'",
                                     reason: "overlap (layers \(l) and another); they cannot share one label map — give the "
                                        + "layers as separate region maps")
                }
                merged[n] = UInt16(label)
            }
        }
        return (Volume(grid: grid, voxels: merged), names)
    }

    /// Writes a one-layer segmentation (`labels` values = segment label values) with the given names, as Slicer reads
    /// it: 3-D uchar/ushort NRRD, gzip, `Segment<i>_…` keys in label order.
    public static func write(labels: Volume<UInt16>, names: [Int: String], to path: String) throws {
        try labels.grid.validate(source: path)
        var keyValues: [(String, String)] = []
        for (i, label) in names.keys.sorted().enumerated() {
            guard !names[label]!.contains(where: \.isNewline) else {
                throw InputError(source: path, field: "segment name", value: names[label]!, reason: "must be a single line")
            }
            keyValues += [("Segment\(i)_ID", "Segment_\(label)"), ("Segment\(i)_Name", names[label]!),
                          ("Segment\(i)_LabelValue", "\(label)"), ("Segment\(i)_Layer", "0"),
                          ("Segment\(i)_NameAutoGenerated", "0")]
        }
        keyValues.append(("Segmentation_MasterRepresentation", "Binary labelmap"))
        try NRRD.write(data: VoxelData.encodeLittleEndian(.uint16(labels)), grid: labels.grid, type: .uint16, layers: 1,
                       to: path, gzip: true, keyValues: keyValues)
    }
}
