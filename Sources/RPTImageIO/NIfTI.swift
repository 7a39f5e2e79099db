import Foundation
import RPTCore
import RPTVolume

/// NIfTI-1 single-file images (`.nii`, `.nii.gz`).
///
/// Layout of the 348-byte header: nifti1.h (NIfTI Data Format Working Group, 2004). Read: either
/// byte order (detected from `sizeof_hdr`), datatypes 2/4/8/16/64/512, 1–3 dimensions (or more when
/// every dimension past the third is 1), geometry from sform (code > 0), else qform, else pixdim, with
/// spatial units m/mm/µm converted to mm and RAS turned into LPS. Write: little endian, `vox_offset`
/// 352, qform and sform both set from the grid (code 1, scanner), units mm and s.
enum NIfTI {
    static let headerSize = 348
    static let dataOffset = 352

    /// NIfTI `datatype` codes of the supported voxel types.
    static func code(of type: VoxelType) -> Int {
        switch type {
        case .uint8: 2
        case .int16: 4
        case .int32: 8
        case .float32: 16
        case .float64: 64
        case .uint16: 512
        }
    }

    static let codeNames: [Int: String] = [
        1: "binary", 2: "uint8", 4: "int16", 8: "int32", 16: "float32", 32: "complex64", 64: "float64",
        128: "RGB24", 256: "int8", 512: "uint16", 768: "uint32", 1024: "int64", 1280: "uint64",
        1536: "float128", 1792: "complex128", 2048: "complex256", 2304: "RGBA32",
    ]

    static func readHeader(_ path: String, gzipped: Bool) throws -> ParsedImageHeader {
        let prefix: Data
        if gzipped {
            prefix = try Zlib.readGzipFile(path, source: path, limit: headerSize)
        } else {
            prefix = try FileBytes.readPrefix(path, count: headerSize, source: path)
        }
        guard prefix.count >= headerSize else {
            throw InputError(source: path, field: "header", value: "\(prefix.count) bytes",
                             reason: "truncated: a NIfTI-1 header is \(headerSize) bytes")
        }
        let bytes = [UInt8](prefix)
        let le = BinaryFieldReader(bytes: bytes, bigEndian: false)
        let be = BinaryFieldReader(bytes: bytes, bigEndian: true)
        let r: BinaryFieldReader
        if le.int32(0) == headerSize { r = le } else if be.int32(0) == headerSize { r = be } else {
            let v = le.int32(0)
            throw InputError(source: path, field: "sizeof_hdr", value: "\(v)",
                             reason: v == 540 || be.int32(0) == 540
                                 ? "this is a NIfTI-2 file; only NIfTI-1 (sizeof_hdr = 348) is supported"
                                 : "not a NIfTI-1 file (sizeof_hdr must be 348 in either byte order)")
        }
        let magic = r.text(344, 4)
        guard magic == "n+1" else {
            throw InputError(source: path, field: "magic", value: magic,
                             reason: magic == "ni1" ? "separate .hdr/.img NIfTI pairs are not supported; "
                                 + "convert to a single .nii file" : "expected 'n+1' (single-file NIfTI-1)")
        }
        // Dimensions.
        let ndim = r.int16(40)
        guard (1...7).contains(ndim) else {
            throw InputError(source: path, field: "dim[0]", value: "\(ndim)", reason: "must be 1…7")
        }
        var shape = SIMD3<Int>(1, 1, 1)
        for a in 1...ndim {
            let n = r.int16(40 + 2 * a)
            guard n >= 1 else {
                throw InputError(source: path, field: "dim[\(a)]", value: "\(n)", reason: "every dimension must be ≥ 1")
            }
            if a <= 3 { shape[a - 1] = n } else if n > 1 {
                throw InputError(source: path, field: "dim[\(a)]", value: "\(n)",
                                 reason: "only 3-D images are supported (dim[0] = \(ndim) with a dimension "
                                     + "\(a) of size \(n) > 1, e.g. a time series)")
            }
        }
        // Voxel type.
        let datatype = r.int16(70)
        guard let stored = VoxelType.allCases.first(where: { code(of: $0) == datatype }) else {
            let name = codeNames[datatype].map { " (\($0))" } ?? ""
            throw InputError(source: path, field: "datatype", value: "\(datatype)\(name)",
                             reason: "unsupported data type; supported: 2 uint8, 4 int16, 512 uint16, 8 int32, "
                                 + "16 float32, 64 float64")
        }
        // Units: xyzt_units bits 0–2 = space unit (1 m, 2 mm, 3 µm; 0 unknown → mm).
        let spaceUnit = r.uint8(123) & 7
        let mmPerUnit: Double
        switch spaceUnit {
        case 1: mmPerUnit = 1000
        case 3: mmPerUnit = 0.001
        case 0, 2: mmPerUnit = 1
        default:
            throw InputError(source: path, field: "xyzt_units", value: "\(r.uint8(123))",
                             reason: "unknown spatial unit code \(spaceUnit) (expected 0, 1 m, 2 mm or 3 µm)")
        }
        let pixdim = (0..<8).map { r.float32(76 + 4 * $0) }
        let qformCode = r.int16(252), sformCode = r.int16(254)
        var grid = Grid3D(shape: shape, spacing: SIMD3(1, 1, 1))
        if sformCode > 0 {
            let rows = (0..<3).map { row in (0..<4).map { r.float32(280 + 16 * row + 4 * $0) } }
            var cols: [SIMD3<Double>] = []
            for c in 0..<3 {
                let v = SIMD3(rows[0][c], rows[1][c], rows[2][c]) * mmPerUnit
                let len = (v * v).sum().squareRoot()
                grid.spacing[c] = len
                cols.append(len > 0 ? v / len : v)
            }
            grid.direction = RASLPS.convert(Matrix3(columns: cols[0], cols[1], cols[2]))
            grid.origin = RASLPS.convert(SIMD3(rows[0][3], rows[1][3], rows[2][3]) * mmPerUnit)
        } else if qformCode > 0 {
            let rot = NiftiQuaternion.rotation(b: r.float32(256), c: r.float32(260), d: r.float32(264))
            let qfac: Double = pixdim[0] < 0 ? -1 : 1
            let ras = Matrix3(columns: rot.c0, rot.c1, rot.c2 * qfac)
            grid.direction = RASLPS.convert(ras)
            grid.spacing = SIMD3(abs(pixdim[1]), abs(pixdim[2]), abs(pixdim[3])) * mmPerUnit
            grid.origin = RASLPS.convert(SIMD3(r.float32(268), r.float32(272), r.float32(276)) * mmPerUnit)
        } else {
            // "Method 1" (Analyze compatibility): RAS = pixdim ⊙ index, so LPS axes are −x, −y, +z.
            grid.direction = RASLPS.convert(Matrix3.identity)
            grid.spacing = SIMD3(abs(pixdim[1]), abs(pixdim[2]), abs(pixdim[3])) * mmPerUnit
        }
        for a in 0..<3 where a >= ndim { grid.spacing[a] = grid.spacing[a] > 0 ? grid.spacing[a] : 1 }
        try grid.validate(source: path)
        // Scaling.
        let slope = r.float32(112), inter = r.float32(116)
        var scaling: ValueScaling?
        if slope != 0 && slope.isFinite && !(slope == 1 && (inter == 0 || !inter.isFinite)) {
            scaling = ValueScaling(slope: slope, intercept: inter.isFinite ? inter : 0)
        }
        let voxOffset = r.float32(108)
        guard voxOffset >= Double(headerSize), voxOffset == voxOffset.rounded() else {
            throw InputError(source: path, field: "vox_offset", value: "\(voxOffset)",
                             reason: "must be a whole number ≥ 348 for a single-file NIfTI")
        }
        let descrip = r.text(148, 80)
        let unit = descrip.hasPrefix(unitPrefix) ? String(descrip.dropFirst(unitPrefix.count)) : ""
        let header = ImageHeader(grid: grid, voxelType: scaling == nil ? stored : .float64, storedVoxelType: stored,
                                 format: gzipped ? .niftiGz : .nifti, unit: unit, scaling: scaling, dataPath: path)
        return ParsedImageHeader(header: header, location: VoxelDataLocation(
            path: path, offset: Int(voxOffset), bigEndian: r.bigEndian, compression: gzipped ? .gzipFile : .none))
    }

    /// `descrip` holds `unit=<unit>` when RPTDose wrote a unit.
    static let unitPrefix = "unit="

    /// The 352 bytes (header + empty extension flag) describing `volume`.
    static func headerBytes(for volume: AnyVolume, destination: String) throws -> [UInt8] {
        let g = volume.grid
        try g.validate(source: destination)
        guard g.shape.x <= Int(Int16.max), g.shape.y <= Int(Int16.max), g.shape.z <= Int(Int16.max) else {
            throw InputError(source: destination, field: "shape", value: "\(g.shape)",
                             reason: "NIfTI-1 dimensions are limited to 32767")
        }
        guard volume.unit.utf8.count <= 79 - unitPrefix.count else {
            throw InputError(source: destination, field: "unit", value: volume.unit,
                             reason: "too long for the NIfTI descrip field (at most \(79 - unitPrefix.count) bytes)")
        }
        var w = BinaryFieldWriter(count: dataOffset)
        w.int32(0, headerSize)
        w.uint8(39, 0) // dim_info
        w.int16(40, 3)
        w.int16(42, g.shape.x); w.int16(44, g.shape.y); w.int16(46, g.shape.z)
        for a in 4...7 { w.int16(40 + 2 * a, 1) }
        let type = volume.voxelType
        w.int16(70, code(of: type))
        w.int16(72, type.byteCount * 8)
        // Orientation: RAS direction = LPS direction with x, y negated.
        let ras = RASLPS.convert(g.direction)
        let qfac: Double = ras.determinant < 0 ? -1 : 1
        let rot = Matrix3(columns: ras.c0, ras.c1, ras.c2 * qfac)
        let q = NiftiQuaternion.quaternion(of: rot)
        w.float32(76, qfac)
        w.float32(80, g.spacing.x); w.float32(84, g.spacing.y); w.float32(88, g.spacing.z)
        for a in 4...7 { w.float32(76 + 4 * a, 1) }
        w.float32(108, Double(dataOffset))
        w.float32(112, 1) // scl_slope: identity scaling
        w.float32(116, 0)
        w.uint8(123, 2 | 8) // NIFTI_UNITS_MM | NIFTI_UNITS_SEC
        w.text(148, 80, volume.unit.isEmpty ? "RPTDose" : unitPrefix + volume.unit)
        w.int16(252, 1); w.int16(254, 1) // qform_code = sform_code = NIFTI_XFORM_SCANNER_ANAT
        w.float32(256, q.b); w.float32(260, q.c); w.float32(264, q.d)
        let o = RASLPS.convert(g.origin)
        w.float32(268, o.x); w.float32(272, o.y); w.float32(276, o.z)
        for row in 0..<3 {
            for c in 0..<3 { w.float32(280 + 16 * row + 4 * c, ras[column: c][row] * g.spacing[c]) }
            w.float32(280 + 16 * row + 12, o[row])
        }
        w.text(344, 4, "n+1")
        return w.bytes
    }

    static func write(_ volume: AnyVolume, to path: String, gzipped: Bool) throws {
        var data = Data(try headerBytes(for: volume, destination: path))
        data.append(VoxelData.encodeLittleEndian(volume))
        if gzipped {
            try AtomicFile.write(to: path) { tmp in try Zlib.writeGzipFile(data, to: tmp, destination: path) }
        } else {
            try AtomicFile.write(data, to: path)
        }
    }
}
