import Foundation
import RPTCore
import RPTVolume

/// NRRD images (Teem "Nearly Raw Raster Data", teem.sourceforge.net/nrrd/format.html, magic `NRRD0001`–`NRRD0005`),
/// the native format of 3D Slicer: `.nrrd` (header and data in one file) or `.nhdr` (header naming a data file).
///
/// Read: `type` (uchar/uint8, short/int16, ushort/uint16, int/int32, float, double and their Teem synonyms),
/// `dimension` 3 (or 4 with one non-spatial axis, which must be the first and have `kinds` list/vector/…; see
/// `NRRDHeader.layerCount`), `sizes`, `encoding` raw or gzip, `endian`, `space` (left-posterior-superior,
/// right-anterior-superior, left-anterior-superior and their abbreviations, or `space dimension: 3`), `space
/// directions` (one vector per axis, `none` for the non-spatial one: spacing = its length, direction = its unit
/// vector), `space origin` (centre of the first voxel), `spacings` (without `space`: index axes = LPS axes, origin
/// 0), `data file` (relative to the header), `byte skip`, `line skip`, key/value pairs `key:=value`.
/// World coordinates are turned into LPS: RAS negates x and y, LAS negates y.
/// Write: `NRRD0004`, `space: left-posterior-superior`, `space directions`, `space origin`, `kinds: domain ×3`,
/// little endian, gzip (default) or raw, voxel unit as `rptdose_unit:=<unit>`.
public struct NRRDHeader: Sendable {
    /// Header fields (lower-case names, values trimmed) and key/value pairs (keys as written).
    public var fields: [String: String] = [:]
    public var keyValues: [String: String] = [:]
    /// Voxel grid of the spatial axes, in LPS millimetres.
    public var grid: Grid3D
    public var voxelType: VoxelType
    /// Size of the non-spatial first axis (segmentation layers, vector components); 1 for a 3-D image.
    public var layerCount: Int
    var location: VoxelDataLocation
    public var dataPath: String { location.path }
}

enum NRRD {
    static let typeNames: [(names: [String], type: VoxelType)] = [
        (["uchar", "unsigned char", "uint8", "uint8_t"], .uint8),
        (["short", "short int", "signed short", "signed short int", "int16", "int16_t"], .int16),
        (["ushort", "unsigned short", "unsigned short int", "uint16", "uint16_t"], .uint16),
        (["int", "signed int", "int32", "int32_t"], .int32),
        (["float"], .float32),
        (["double"], .float64),
    ]
    static let unitKey = "rptdose_unit"

    /// Space names → the factors turning their x, y, z into LPS.
    static let spaces: [String: SIMD3<Double>] = [
        "left-posterior-superior": SIMD3(1, 1, 1), "lps": SIMD3(1, 1, 1),
        "right-anterior-superior": SIMD3(-1, -1, 1), "ras": SIMD3(-1, -1, 1),
        "left-anterior-superior": SIMD3(1, -1, 1), "las": SIMD3(1, -1, 1),
    ]

    static func error(_ path: String, _ field: String, _ value: String = "", _ reason: String) -> InputError {
        InputError(source: path, field: field, value: value, reason: reason)
    }

    /// Parses `(x,y,z)` into numbers.
    static func vector(_ text: Substring, path: String, field: String) throws -> [Double] {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("("), t.hasSuffix(")") else { throw error(path, field, String(text), "expected a vector such as (1,0,0)") }
        let parts = t.dropFirst().dropLast().split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.allSatisfy({ $0 != nil && $0!.isFinite }) else {
            throw error(path, field, String(text), "expected finite numbers in the vector")
        }
        return parts.map { $0! }
    }

    /// The vectors of a `space directions` value: `(…) (…) none …` (nil for `none`).
    static func vectors(_ text: String, path: String, field: String) throws -> [[Double]?] {
        var out: [[Double]?] = []
        var rest = Substring(text)
        while let first = rest.firstIndex(where: { !$0.isWhitespace }) {
            rest = rest[first...]
            if rest.lowercased().hasPrefix("none") { out.append(nil); rest = rest.dropFirst(4); continue }
            guard let close = rest.firstIndex(of: ")") else { throw error(path, field, text, "unterminated vector") }
            out.append(try vector(rest[...close], path: path, field: field))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    static func readHeader(_ path: String) throws -> NRRDHeader {
        let prefix = [UInt8](try FileBytes.readPrefix(path, count: 1 << 20, source: path))
        guard prefix.starts(with: Array("NRRD000".utf8)), prefix.count >= 8, (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(prefix[7]) else {
            throw error(path, "magic", String(decoding: prefix.prefix(8), as: UTF8.self), "not a NRRD file (expected NRRD0001 … NRRD0005)")
        }
        var header = NRRDHeader(grid: Grid3D(shape: SIMD3(1, 1, 1), spacing: SIMD3(1, 1, 1)), voxelType: .uint8, layerCount: 1,
                                location: VoxelDataLocation(path: path, offset: 0, bigEndian: false, compression: .none))
        // Header lines up to the first empty line (or the end of a detached header).
        var start = 0, dataStart: Int? = nil, lineNumber = 0
        while start < prefix.count {
            let end = prefix[start...].firstIndex(of: UInt8(ascii: "\n")) ?? prefix.count
            var line = String(decoding: prefix[start..<end], as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            lineNumber += 1
            start = end + 1
            if lineNumber == 1 { continue }  // magic
            if line.isEmpty { dataStart = min(start, prefix.count); break }
            if line.hasPrefix("#") { continue }
            if let kv = line.range(of: ":=") {
                header.keyValues[String(line[..<kv.lowerBound])] = String(line[kv.upperBound...])
            } else if let colon = line.range(of: ": ") {
                header.fields[line[..<colon.lowerBound].lowercased()] = line[colon.upperBound...].trimmingCharacters(in: .whitespaces)
            } else {
                throw error(path, "line \(lineNumber)", String(line.prefix(60)), "not a NRRD 'field: value' or 'key:=value' line")
            }
        }
        let f = header.fields
        func required(_ name: String) throws -> String {
            guard let v = f[name] else { throw error(path, name, "", "required NRRD field is missing") }
            return v
        }
        // Type.
        let typeText = try required("type")
        guard let type = typeNames.first(where: { $0.names.contains(typeText.lowercased()) })?.type else {
            throw error(path, "type", typeText, "unsupported type; supported: uchar, short, ushort, int, float, double")
        }
        header.voxelType = type
        // Axes.
        let dimText = try required("dimension")
        guard let dimension = Int(dimText), dimension == 3 || dimension == 4 else {
            throw error(path, "dimension", dimText, "only 3-D images (or 4-D with one non-spatial first axis, e.g. segmentation layers) are supported")
        }
        let sizeText = try required("sizes")
        let sizes = sizeText.split(separator: " ").compactMap { Int($0) }
        guard sizes.count == dimension, sizes.allSatisfy({ $0 >= 1 }) else {
            throw error(path, "sizes", sizeText, "expected \(dimension) whole numbers ≥ 1")
        }
        let spatial = dimension == 4 ? 1 : 0  // index of the first spatial axis
        if dimension == 4 {
            if let kinds = f["kinds"]?.split(separator: " ").map({ $0.lowercased() }),
               kinds.count == 4, kinds[1...].contains(where: { !["domain", "space"].contains($0) }) || ["domain", "space"].contains(kinds[0]) {
                throw error(path, "kinds", f["kinds"]!, "a 4-D image must have its one non-spatial axis first (e.g. 'list domain domain domain')")
            }
        }
        header.layerCount = spatial == 1 ? sizes[0] : 1
        var grid = Grid3D(shape: SIMD3(sizes[spatial], sizes[spatial + 1], sizes[spatial + 2]), spacing: SIMD3(1, 1, 1))
        if f["space"] == nil, let sd = f["space dimension"] {
            throw error(path, "space dimension", sd, "a 'space dimension' without a named 'space' has no anatomical meaning; "
                        + "expected space: left-posterior-superior (or right-anterior-superior)")
        }
        if let spaceText = f["space"] {
            guard let flip = spaces[spaceText.lowercased()] else {
                throw error(path, "space", spaceText, "supported: left-posterior-superior, right-anterior-superior, left-anterior-superior")
            }
            let dirsText = try required("space directions")
            let dirs = try vectors(dirsText, path: path, field: "space directions")
            guard dirs.count == dimension, dirs[spatial...].allSatisfy({ $0?.count == 3 }), spatial == 0 || dirs[0] == nil else {
                throw error(path, "space directions", dirsText,
                            "expected \(dimension) entries: " + (spatial == 1 ? "none, then " : "") + "three 3-vectors")
            }
            var columns: [SIMD3<Double>] = []
            for a in 0..<3 {
                let v = dirs[spatial + a]!
                let lps = SIMD3(v[0], v[1], v[2]) * flip
                let length = (lps * lps).sum().squareRoot()
                guard length > 0 else { throw error(path, "space directions", dirsText, "axis \(a + 1) has a zero vector") }
                grid.spacing[a] = length
                columns.append(lps / length)
            }
            grid.direction = Matrix3(columns: columns[0], columns[1], columns[2])
            if let o = f["space origin"] {
                let v = try vector(Substring(o), path: path, field: "space origin")
                guard v.count == 3 else { throw error(path, "space origin", o, "expected 3 numbers") }
                grid.origin = SIMD3(v[0], v[1], v[2]) * flip
            }
        } else if let sp = f["spacings"] {
            let values = sp.split(separator: " ").map { Double($0) }
            guard values.count == dimension, values[spatial...].allSatisfy({ $0 != nil && $0!.isFinite && $0! > 0 }) else {
                throw error(path, "spacings", sp, "expected \(dimension) spacings (nan for a non-spatial axis), spatial ones > 0")
            }
            for a in 0..<3 { grid.spacing[a] = values[spatial + a]! }
        } else {
            throw error(path, "space directions", "", "no geometry: the header has neither 'space' + 'space directions' nor 'spacings'")
        }
        try grid.validate(source: path)
        header.grid = grid
        // Data.
        let encoding = try required("encoding").lowercased()
        let compression: VoxelCompression
        switch encoding {
        case "raw": compression = .none
        case "gzip", "gz": compression = .zlibStream
        default: throw error(path, "encoding", encoding, "supported encodings: raw, gzip (re-save from Slicer with compression on or off)")
        }
        var bigEndian = false
        if type.byteCount > 1 {
            switch f["endian"]?.lowercased() {
            case "little": bigEndian = false
            case "big": bigEndian = true
            default: throw error(path, "endian", f["endian"] ?? "", "expected little or big (required for multi-byte types)")
            }
        }
        var dataPath = path, offset: Int? = dataStart
        if let file = f["data file"] ?? f["datafile"] {
            guard !file.isEmpty, !file.uppercased().hasPrefix("LIST"), file.split(separator: " ").count == 1 else {
                throw error(path, "data file", file, "only a single data file is supported (not LIST or a file pattern)")
            }
            dataPath = FileBytes.resolve(file, relativeTo: path)
            offset = 0
        } else if dataStart == nil {
            throw error(path, "header", "", "no blank line ends the header and no 'data file' is given")
        }
        if let ls = f["line skip"] ?? f["lineskip"] {
            guard let n = Int(ls), n >= 0 else { throw error(path, "line skip", ls, "expected a whole number ≥ 0") }
            if n > 0 {
                guard compression == .none else { throw error(path, "line skip", ls, "only supported with raw encoding") }
                let bytes = [UInt8](try FileBytes.readPrefix(dataPath, count: 1 << 20, source: path))
                var o = offset ?? 0
                for _ in 0..<n {
                    guard let nl = bytes[o...].firstIndex(of: UInt8(ascii: "\n")) else {
                        throw error(path, "line skip", ls, "the data file has fewer lines than skipped")
                    }
                    o = nl + 1
                }
                offset = o
            }
        }
        if let bs = f["byte skip"] ?? f["byteskip"] {
            guard let n = Int(bs), n >= -1 else { throw error(path, "byte skip", bs, "expected a whole number ≥ -1") }
            if n == -1 {
                guard compression == .none else { throw error(path, "byte skip", bs, "-1 is only allowed with raw encoding") }
                offset = nil  // the data are the last bytes of the file
            } else if n > 0 {
                guard compression == .none else { throw error(path, "byte skip", bs, "only supported with raw encoding") }
                offset = (offset ?? 0) + n
            }
        }
        header.location = VoxelDataLocation(path: dataPath, offset: offset, bigEndian: bigEndian, compression: compression)
        return header
    }

    static func parsedHeader(_ path: String) throws -> ParsedImageHeader {
        let h = try readHeader(path)
        guard h.layerCount == 1 else {
            throw error(path, "sizes", h.fields["sizes"] ?? "",
                        "a 4-D NRRD with \(h.layerCount) layers is not one image; a Slicer segmentation (.seg.nrrd) is read with its layers merged")
        }
        return parsed(h, path: path)
    }

    static func parsed(_ h: NRRDHeader, path: String) -> ParsedImageHeader {
        ParsedImageHeader(header: ImageHeader(grid: h.grid, voxelType: h.voxelType, storedVoxelType: h.voxelType, format: .nrrd,
                                              unit: h.keyValues[unitKey] ?? "", dataPath: h.dataPath),
                          location: h.location)
    }

    /// Reads every layer of a (possibly 4-D) NRRD as separate volumes on the spatial grid.
    static func readLayers(_ h: NRRDHeader, path: String) throws -> [AnyVolume] {
        var whole = parsed(h, path: path)
        guard h.layerCount > 1 else { return [try VoxelData.load(whole, source: path)] }
        whole.header.grid.shape.x *= h.layerCount  // read all samples at once, then split the interleaved layers
        let all = try VoxelData.load(whole, source: path)
        func split<T: VoxelScalar>(_ v: Volume<T>) -> [Volume<T>] {
            (0..<h.layerCount).map { layer in
                Volume(grid: h.grid, voxels: stride(from: layer, to: v.voxels.count, by: h.layerCount).map { v.voxels[$0] }, unit: v.unit)
            }
        }
        switch all {
        case .uint8(let v): return split(v).map { .uint8($0) }
        case .int16(let v): return split(v).map { .int16($0) }
        case .uint16(let v): return split(v).map { .uint16($0) }
        case .int32(let v): return split(v).map { .int32($0) }
        case .float32(let v): return split(v).map { .float32($0) }
        case .float64(let v): return split(v).map { .float64($0) }
        }
    }

    static func format(_ v: SIMD3<Double>) -> String { "(\(v.x),\(v.y),\(v.z))" }

    static func typeName(_ t: VoxelType) -> String {
        switch t {
        case .uint8: "uchar"
        case .int16: "short"
        case .uint16: "ushort"
        case .int32: "int"
        case .float32: "float"
        case .float64: "double"
        }
    }

    /// Header text of `volume` (3-D, or with `layers` > 1 the 4-D layout of a multi-layer segmentation).
    static func headerText(grid g: Grid3D, type: VoxelType, layers: Int = 1, gzip: Bool, dataFile: String?,
                           keyValues: [(String, String)]) -> String {
        var lines = ["NRRD0004", "# Complete NRRD file format specification at:", "# http://teem.sourceforge.net/nrrd/format.html",
                     "# Written by RPTDose.", "type: \(typeName(type))", "dimension: \(layers > 1 ? 4 : 3)",
                     "space: left-posterior-superior",
                     "sizes: " + (layers > 1 ? "\(layers) " : "") + "\(g.shape.x) \(g.shape.y) \(g.shape.z)"]
        let d = g.direction
        lines.append("space directions: " + (layers > 1 ? "none " : "")
                     + [d.c0 * g.spacing.x, d.c1 * g.spacing.y, d.c2 * g.spacing.z].map(format).joined(separator: " "))
        lines.append("kinds: " + (layers > 1 ? "list " : "") + "domain domain domain")
        if type.byteCount > 1 { lines.append("endian: little") }
        lines.append("encoding: " + (gzip ? "gzip" : "raw"))
        lines.append("space origin: " + format(g.origin))
        if let dataFile { lines.append("data file: " + dataFile) }
        for (k, v) in keyValues { lines.append("\(k):=\(v)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `.nrrd` (header, blank line, data) or `.nhdr` + data file (data first, then header), atomically.
    static func write(_ volume: AnyVolume, to path: String, gzip: Bool) throws {
        try volume.grid.validate(source: path)
        guard !volume.unit.contains(where: \.isNewline) else {
            throw InputError(source: path, field: "unit", value: volume.unit, reason: "must be a single line")
        }
        try write(data: VoxelData.encodeLittleEndian(volume), grid: volume.grid, type: volume.voxelType, layers: 1, to: path,
                  gzip: gzip, keyValues: volume.unit.isEmpty ? [] : [(unitKey, volume.unit)])
    }

    static func write(data raw: Data, grid: Grid3D, type: VoxelType, layers: Int, to path: String, gzip: Bool,
                      keyValues: [(String, String)]) throws {
        let data = gzip ? Zlib.gzip(raw) : raw
        if path.lowercased().hasSuffix(".nhdr") {
            let url = URL(fileURLWithPath: path)
            let dataName = url.deletingPathExtension().lastPathComponent + (gzip ? ".raw.gz" : ".raw")
            try AtomicFile.write(data, to: url.deletingLastPathComponent().path + "/" + dataName)
            try AtomicFile.write(Data(headerText(grid: grid, type: type, layers: layers, gzip: gzip, dataFile: dataName,
                                                 keyValues: keyValues).utf8), to: path)
        } else {
            var file = Data((headerText(grid: grid, type: type, layers: layers, gzip: gzip, dataFile: nil, keyValues: keyValues) + "\n").utf8)
            file.append(data)
            try AtomicFile.write(file, to: path)
        }
    }
}
