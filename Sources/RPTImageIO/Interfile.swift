import Foundation
import RPTCore
import RPTVolume

/// Interfile 3.3 static images, the subset used by GATE/STIR-style voxel phantoms (`.h33` or `.hv`
/// header, raw data file named in it).
///
/// Keys are matched ignoring a leading '!', letter case and all white space ("!matrix size [1]" =
/// "matrix size[1]"); ';' starts a comment. Read: `matrix size [1]`, `[2]` (and `[3]`), `number of
/// slices` / `total number of images`, `scaling factor (mm/pixel) [1]`, `[2]`, `[3]`,
/// `slice thickness (pixels)`, `number format`, `number of bytes per pixel`, `imagedata byte order`
/// (absent = BIGENDIAN, the Interfile 3.3 default), `name of data file` (relative to the header),
/// `data offset in bytes`. The slice spacing is `scaling factor (mm/pixel) [3]` when present, else
/// `slice thickness (pixels)` taken as millimetres (what GATE phantoms such as patient15 store there,
/// despite the key's name). Interfile carries no position or orientation: origin 0, identity direction.
enum Interfile {
    /// Canonical form of a key: no '!', lower case, no white space.
    static func canonical(_ key: String) -> String {
        String(key.lowercased().filter { !$0.isWhitespace && $0 != "!" })
    }

    struct Fields {
        var values: [String: (key: String, value: String)] = [:]
        var path: String

        func value(_ names: String...) -> (key: String, value: String)? {
            for n in names { if let v = values[canonical(n)] { return v } }
            return nil
        }

        func required(_ names: String...) throws -> (key: String, value: String) {
            for n in names { if let v = values[canonical(n)] { return v } }
            throw InputError(source: path, field: names[0], reason: "required Interfile key is missing")
        }

        func integer(_ kv: (key: String, value: String), min: Int) throws -> Int {
            guard let n = Int(kv.value), n >= min else {
                throw InputError(source: path, field: kv.key, value: kv.value, reason: "expected a whole number ≥ \(min)")
            }
            return n
        }

        func positive(_ kv: (key: String, value: String)) throws -> Double {
            guard let x = Double(kv.value), x > 0, x.isFinite else {
                throw InputError(source: path, field: kv.key, value: kv.value, reason: "expected a number > 0 (mm)")
            }
            return x
        }
    }

    static func parseFields(_ path: String) throws -> Fields {
        let data = try FileBytes.readPrefix(path, count: 1 << 20, source: path)
        let text = String(decoding: data, as: UTF8.self)
        var fields = Fields(path: path)
        var sawMagic = false
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(raw)
            if let semi = line.firstIndex(of: ";") { line = line[..<semi] }
            guard let sep = line.range(of: ":=") else { continue }
            let key = line[..<sep.lowerBound].trimmingCharacters(in: .whitespaces)
            let value = line[sep.upperBound...].trimmingCharacters(in: .whitespaces)
            let c = canonical(key)
            if c == "interfile" { sawMagic = true }
            if c == "endofinterfile" { break }
            fields.values[c] = (key, value)
        }
        guard sawMagic else {
            throw InputError(source: path, field: "!INTERFILE", reason: "not an Interfile header (missing '!INTERFILE :=')")
        }
        return fields
    }

    static func readHeader(_ path: String) throws -> ParsedImageHeader {
        let f = try parseFields(path)
        let nx = try f.integer(f.required("matrix size [1]"), min: 1)
        let ny = try f.integer(f.required("matrix size [2]"), min: 1)
        let nzKV = try f.value("number of slices") ?? f.value("matrix size [3]") ?? f.required("total number of images")
        let nz = try f.integer(nzKV, min: 1)
        if let total = f.value("total number of images") {
            let t = try f.integer(total, min: 1)
            guard t == nz else {
                throw InputError(source: path, field: total.key, value: total.value,
                                 reason: "differs from \(nzKV.key) = \(nz); multi-frame or gated images are not supported")
            }
        }
        let sx = try f.positive(f.required("scaling factor (mm/pixel) [1]"))
        let sy = try f.positive(f.required("scaling factor (mm/pixel) [2]"))
        let sz = try f.positive(f.value("scaling factor (mm/pixel) [3]") ?? f.required("slice thickness (pixels)"))
        let formatKV = try f.required("number format")
        let bytesKV = try f.required("number of bytes per pixel")
        let nbytes = try f.integer(bytesKV, min: 1)
        let stored: VoxelType
        switch (canonical(formatKV.value), nbytes) {
        case ("unsignedinteger", 1): stored = .uint8
        case ("unsignedinteger", 2): stored = .uint16
        case ("signedinteger", 2): stored = .int16
        case ("signedinteger", 4): stored = .int32
        case ("float", 4), ("shortfloat", 4): stored = .float32
        case ("float", 8), ("longfloat", 8): stored = .float64
        default:
            throw InputError(source: path, field: "\(formatKV.key) / \(bytesKV.key)", value: "\(formatKV.value) / \(nbytes)",
                             reason: "unsupported data type; supported: unsigned integer 1 or 2 bytes, signed integer "
                                 + "2 or 4, short float 4, long float 8")
        }
        var bigEndian = true
        if let order = f.value("imagedata byte order") {
            switch canonical(order.value) {
            case "littleendian": bigEndian = false
            case "bigendian": bigEndian = true
            default:
                throw InputError(source: path, field: order.key, value: order.value,
                                 reason: "expected LITTLEENDIAN or BIGENDIAN")
            }
        }
        let fileKV = try f.required("name of data file")
        guard !fileKV.value.isEmpty else {
            throw InputError(source: path, field: fileKV.key, reason: "data file name is empty")
        }
        let offset = try f.value("data offset in bytes").map { try f.integer($0, min: 0) } ?? 0
        let grid = Grid3D(shape: SIMD3(nx, ny, nz), spacing: SIMD3(sx, sy, sz))
        try grid.validate(source: path)
        let dataPath = FileBytes.resolve(fileKV.value, relativeTo: path)
        let unit = f.value(unitKey)?.value ?? ""
        let header = ImageHeader(grid: grid, voxelType: stored, storedVoxelType: stored, format: .interfile,
                                 unit: unit, dataPath: dataPath)
        return ParsedImageHeader(header: header, location: VoxelDataLocation(
            path: dataPath, offset: offset, bigEndian: bigEndian, compression: .none))
    }

    /// Non-standard key in which RPTDose records the voxel unit (other readers ignore it).
    static let unitKey = "rptdose voxel unit"

    static func numberFormat(_ t: VoxelType) -> String {
        switch t {
        case .uint8, .uint16: "unsigned integer"
        case .int16, .int32: "signed integer"
        case .float32: "short float"
        case .float64: "long float"
        }
    }

    /// Writes the raw data file (next to the header, `.i33` for `.h33`, `.v` for `.hv`) and then the
    /// header, each atomically. Origin and direction cannot be stored: unless `discardPlacement`,
    /// a grid with a non-zero origin or non-identity direction is refused.
    static func write(_ volume: AnyVolume, to path: String, discardPlacement: Bool) throws {
        let g = volume.grid
        try g.validate(source: path)
        if !discardPlacement && (g.origin != .zero || g.direction != .identity) {
            throw InputError(source: path, field: "grid", value: g.description,
                             reason: "Interfile cannot store the origin or direction cosines; write NIfTI or "
                                 + "MetaImage instead, or allow discarding the placement")
        }
        guard !volume.unit.contains(where: { $0.isNewline || $0 == ";" }) else {
            throw InputError(source: path, field: "unit", value: volume.unit, reason: "must be one line without ';'")
        }
        let url = URL(fileURLWithPath: path)
        let dataExt = url.pathExtension.lowercased() == "hv" ? ".v" : ".i33"
        let dataName = url.deletingPathExtension().lastPathComponent + dataExt
        let t = volume.voxelType
        var lines = [
            "!INTERFILE :=",
            "!imaging modality := nucmed",
            "!version of keys := 3.3",
            "; written by RPTDose; origin and orientation are not stored",
            "!data offset in bytes := 0",
            "!name of data file := \(dataName)",
            "imagedata byte order := LITTLEENDIAN",
            "!total number of images := \(g.shape.z)",
            "!matrix size [1] := \(g.shape.x)",
            "!matrix size [2] := \(g.shape.y)",
            "!number format := \(numberFormat(t))",
            "!number of bytes per pixel := \(t.byteCount)",
            "scaling factor (mm/pixel) [1] := \(g.spacing.x)",
            "scaling factor (mm/pixel) [2] := \(g.spacing.y)",
            "scaling factor (mm/pixel) [3] := \(g.spacing.z)",
            "!number of slices := \(g.shape.z)",
            "; slice thickness holds millimetres, as in GATE phantoms",
            "slice thickness (pixels) := \(g.spacing.z)",
            "slice orientation := Transverse",
        ]
        if !volume.unit.isEmpty { lines.append("\(unitKey) := \(volume.unit)") }
        lines.append("!END OF INTERFILE :=")
        try AtomicFile.write(VoxelData.encodeLittleEndian(volume), to: url.deletingLastPathComponent().path + "/" + dataName)
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: path)
    }
}
