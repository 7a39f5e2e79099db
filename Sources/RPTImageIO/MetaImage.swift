import Foundation
import RPTCore
import RPTVolume

/// MetaImage (ITK MetaIO) images: `.mhd` header + `.raw`/`.zraw` data, or `.mha` (data in the same
/// file after the header, `ElementDataFile = LOCAL`).
///
/// MetaImage world coordinates are already LPS. `TransformMatrix` (aliases `Rotation`,
/// `Orientation`) lists the direction cosines axis by axis: numbers 3i, 3i+1, 3i+2 are the LPS unit
/// vector of index axis i, i.e. column i of the direction matrix (ITK `MetaImageIO` writes
/// `TransformMatrix[i·N + j] = GetDirection(i)[j]`). This is the transpose of a row-major listing.
enum MetaImage {
    static let elementTypes: [(name: String, type: VoxelType)] = [
        ("MET_UCHAR", .uint8), ("MET_SHORT", .int16), ("MET_USHORT", .uint16),
        ("MET_INT", .int32), ("MET_FLOAT", .float32), ("MET_DOUBLE", .float64),
    ]

    /// The key = value lines of a header, keys lower-cased, plus the byte just after the
    /// `ElementDataFile` line.
    struct Fields {
        var values: [String: String] = [:]
        var dataStart = 0
        var path: String

        func value(_ names: String...) -> (key: String, value: String)? {
            for n in names { if let v = values[n.lowercased()] { return (n, v) } }
            return nil
        }

        func required(_ names: String...) throws -> (key: String, value: String) {
            for n in names { if let v = values[n.lowercased()] { return (n, v) } }
            throw InputError(source: path, field: names[0], reason: "required MetaImage key is missing")
        }

        func numbers(_ kv: (key: String, value: String), count: Int) throws -> [Double] {
            let parts = kv.value.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let nums = parts.compactMap { Double($0) }
            guard nums.count == parts.count, nums.count == count, nums.allSatisfy(\.isFinite) else {
                throw InputError(source: path, field: kv.key, value: kv.value,
                                 reason: "expected \(count) finite number(s)")
            }
            return nums
        }

        func bool(_ names: String...) throws -> Bool? {
            for n in names {
                guard let v = values[n.lowercased()] else { continue }
                switch v.lowercased() {
                case "true", "1": return true
                case "false", "0": return false
                default: throw InputError(source: path, field: n, value: v, reason: "expected True or False")
                }
            }
            return nil
        }
    }

    static func parseFields(_ path: String) throws -> Fields {
        // The header is text and short; an .mha's data follow it, so read only the first MiB.
        let bytes = [UInt8](try FileBytes.readPrefix(path, count: 1 << 20, source: path))
        var fields = Fields(path: path)
        var start = 0, lineNumber = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            lineNumber += 1
            let line = String(decoding: bytes[start..<end], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            start = end + 1
            if line.isEmpty { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw InputError(source: path, field: "line \(lineNumber)", value: String(line.prefix(60)),
                                 reason: "not a MetaImage 'Key = Value' line")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            fields.values[key] = value
            if key == "elementdatafile" {
                fields.dataStart = min(start, bytes.count)
                return fields
            }
        }
        throw InputError(source: path, field: "ElementDataFile", reason: "required MetaImage key is missing "
                             + "(it must be the last key of the header)")
    }

    static func readHeader(_ path: String) throws -> ParsedImageHeader {
        let f = try parseFields(path)
        if let obj = f.value("ObjectType"), obj.value.lowercased() != "image" {
            throw InputError(source: path, field: "ObjectType", value: obj.value, reason: "only 'Image' is supported")
        }
        let ndimKV = try f.required("NDims")
        guard let ndim = Int(ndimKV.value), ndim == 2 || ndim == 3 else {
            throw InputError(source: path, field: "NDims", value: ndimKV.value, reason: "only 2-D and 3-D images are supported")
        }
        let dims = try f.numbers(f.required("DimSize"), count: ndim)
        guard dims.allSatisfy({ $0 >= 1 && $0 == $0.rounded() }) else {
            throw InputError(source: path, field: "DimSize", value: f.values["dimsize"] ?? "",
                             reason: "sizes must be whole numbers ≥ 1")
        }
        let spacing = try f.numbers(f.required("ElementSpacing", "ElementSize"), count: ndim)
        let origin = try f.value("Offset", "Origin", "Position").map { try f.numbers($0, count: ndim) }
            ?? [Double](repeating: 0, count: ndim)
        let matrix = try f.value("TransformMatrix", "Rotation", "Orientation").map { try f.numbers($0, count: ndim * ndim) }
        if let ch = f.value("ElementNumberOfChannels"), ch.value != "1" {
            throw InputError(source: path, field: "ElementNumberOfChannels", value: ch.value,
                             reason: "only single-channel (scalar) images are supported")
        }
        if try f.bool("BinaryData") == false {
            throw InputError(source: path, field: "BinaryData", value: "False", reason: "ASCII voxel data are not supported")
        }
        let typeKV = try f.required("ElementType")
        guard let stored = elementTypes.first(where: { $0.name == typeKV.value.uppercased() })?.type else {
            throw InputError(source: path, field: "ElementType", value: typeKV.value,
                             reason: "unsupported element type; supported: " + elementTypes.map(\.name).joined(separator: ", "))
        }
        let bigEndian = try f.bool("ElementByteOrderMSB", "BinaryDataByteOrderMSB") ?? false
        let compressed = try f.bool("CompressedData") ?? false
        var grid = Grid3D(shape: SIMD3(1, 1, 1), spacing: SIMD3(1, 1, 1))
        for a in 0..<ndim {
            grid.shape[a] = Int(dims[a]); grid.spacing[a] = spacing[a]; grid.origin[a] = origin[a]
        }
        if let m = matrix {
            var cols = [SIMD3<Double>](repeating: .zero, count: 3)
            cols[2] = SIMD3(0, 0, 1)
            for i in 0..<ndim { for j in 0..<ndim { cols[i][j] = m[i * ndim + j] } }
            grid.direction = Matrix3(columns: cols[0], cols[1], cols[2])
        }
        try grid.validate(source: path)
        // Data location.
        let fileKV = try f.required("ElementDataFile")
        let dataPath: String, offset: Int?
        if fileKV.value.uppercased() == "LOCAL" {
            dataPath = path; offset = f.dataStart
        } else if fileKV.value.uppercased() == "LIST" || fileKV.value.contains("%") || fileKV.value.isEmpty {
            throw InputError(source: path, field: "ElementDataFile", value: fileKV.value,
                             reason: "only a single data file name or LOCAL is supported (not LIST or slice patterns)")
        } else {
            dataPath = FileBytes.resolve(fileKV.value, relativeTo: path)
            if let hs = f.value("HeaderSize") {
                guard let n = Int(hs.value), n >= -1 else {
                    throw InputError(source: path, field: "HeaderSize", value: hs.value, reason: "expected a whole number ≥ -1")
                }
                offset = n == -1 ? nil : n
            } else {
                offset = 0
            }
        }
        var unit = ""
        if let c = f.value("Comment"), c.value.hasPrefix(unitPrefix) { unit = String(c.value.dropFirst(unitPrefix.count)) }
        let header = ImageHeader(grid: grid, voxelType: stored, storedVoxelType: stored, format: .metaImage,
                                 unit: unit, dataPath: dataPath)
        return ParsedImageHeader(header: header, location: VoxelDataLocation(
            path: dataPath, offset: offset, bigEndian: bigEndian, compression: compressed ? .zlibStream : .none))
    }

    /// `Comment` holds `unit=<unit>` when RPTDose wrote a unit.
    static let unitPrefix = "unit="

    static func format(_ values: [Double]) -> String { values.map { "\($0)" }.joined(separator: " ") }

    /// Writes `.mhd` + `.raw`/`.zraw` (data file first, then header, each atomically) or a single `.mha`.
    static func write(_ volume: AnyVolume, to path: String, compressed: Bool) throws {
        let g = volume.grid
        try g.validate(source: path)
        guard !volume.unit.contains(where: \.isNewline) else {
            throw InputError(source: path, field: "unit", value: volume.unit, reason: "must be a single line")
        }
        let local = path.lowercased().hasSuffix(".mha")
        var data = VoxelData.encodeLittleEndian(volume)
        if compressed { data = Zlib.deflate(data) }
        let url = URL(fileURLWithPath: path)
        let dataName = url.deletingPathExtension().lastPathComponent + (compressed ? ".zraw" : ".raw")
        let typeName = elementTypes.first(where: { $0.type == volume.voxelType })!.name
        var lines = [
            "ObjectType = Image",
            "NDims = 3",
            "BinaryData = True",
            "BinaryDataByteOrderMSB = False",
            "CompressedData = \(compressed ? "True" : "False")",
        ]
        if compressed { lines.append("CompressedDataSize = \(data.count)") }
        let d = g.direction
        lines += [
            "TransformMatrix = " + format([d.c0.x, d.c0.y, d.c0.z, d.c1.x, d.c1.y, d.c1.z, d.c2.x, d.c2.y, d.c2.z]),
            "Offset = " + format([g.origin.x, g.origin.y, g.origin.z]),
            "CenterOfRotation = 0 0 0",
            "ElementSpacing = " + format([g.spacing.x, g.spacing.y, g.spacing.z]),
            "DimSize = \(g.shape.x) \(g.shape.y) \(g.shape.z)",
        ]
        if !volume.unit.isEmpty { lines.append("Comment = " + unitPrefix + volume.unit) }
        lines += ["ElementType = " + typeName, "ElementDataFile = " + (local ? "LOCAL" : dataName)]
        var header = Data((lines.joined(separator: "\n") + "\n").utf8)
        if local {
            header.append(data)
            try AtomicFile.write(header, to: path)
        } else {
            try AtomicFile.write(data, to: url.deletingLastPathComponent().path + "/" + dataName)
            try AtomicFile.write(header, to: path)
        }
    }
}
