import Foundation
import RPTCore
import RPTVolume

/// How the voxel bytes of an image are stored on disk.
enum VoxelCompression: Equatable, Sendable {
    /// Plain bytes.
    case none
    /// The whole file is one gzip stream (`.nii.gz`); `offset` counts decompressed bytes.
    case gzipFile
    /// The voxel bytes starting at `offset` are one zlib (or gzip) stream (MetaImage `CompressedData`).
    case zlibStream
}

/// Where and how the voxel data of an image are stored, as parsed from its header.
struct VoxelDataLocation: Sendable {
    /// File holding the voxel bytes.
    var path: String
    /// Byte offset of the first voxel (in the decompressed stream for `.gzipFile`); nil means the data
    /// are the last bytes of the file (MetaImage `HeaderSize = -1`).
    var offset: Int?
    var bigEndian: Bool
    var compression: VoxelCompression
}

/// A parsed header plus the location of its voxels.
struct ParsedImageHeader: Sendable {
    var header: ImageHeader
    var location: VoxelDataLocation
}

enum VoxelData {
    /// Reads the voxels described by `parsed`, checking their byte count against the grid.
    static func load(_ parsed: ParsedImageHeader, source: String) throws -> AnyVolume {
        let h = parsed.header, loc = parsed.location
        let expected = h.grid.voxelCount * h.storedVoxelType.byteCount
        var bytes: Data
        switch loc.compression {
        case .none:
            let file = try FileBytes.read(loc.path, source: source)
            let offset = loc.offset ?? (file.count - expected)
            try checkCount(available: file.count - max(0, offset), expected: expected, offset: max(0, offset),
                           file: loc.path, source: source, what: "voxel data")
            bytes = file[offset..<(offset + expected)]  // a slice: no copy
        case .gzipFile:
            let file = try Zlib.readGzipFile(loc.path, source: source, sizeHint: (loc.offset ?? 0) + expected)
            let offset = loc.offset ?? (file.count - expected)
            try checkCount(available: file.count - max(0, offset), expected: expected, offset: max(0, offset),
                           file: loc.path, source: source, what: "decompressed voxel data")
            bytes = file[offset..<(offset + expected)]  // a slice: no copy
        case .zlibStream:
            let file = try FileBytes.read(loc.path, source: source)
            let offset = loc.offset ?? 0
            guard offset <= file.count else {
                throw InputError(source: source, field: "voxel data", value: loc.path,
                                 reason: "data offset \(offset) lies beyond the end of the \(file.count)-byte file")
            }
            // Deflate cannot expand data more than 1032-fold (zlib FAQ, "maximum compression ratio"): a header
            // asking for more than that is inconsistent with the data, refused before allocating its size.
            let compressedCount = file.count - offset
            guard expected <= compressedCount * Zlib.maximumInflationRatio + 1024 else {
                throw InputError(source: source, field: "compressed data", value: loc.path,
                                 reason: "header/data size mismatch: the header needs \(expected) bytes but \(compressedCount) "
                                    + "compressed bytes can hold at most \(compressedCount * Zlib.maximumInflationRatio + 1024)")
            }
            bytes = try Zlib.inflate(file.subdata(in: offset..<file.count), expectedCount: expected,
                                     file: loc.path, source: source)
        }
        if loc.bigEndian != hostIsBigEndian { swapBytes(&bytes, width: h.storedVoxelType.byteCount) }
        let stored = decode(bytes, type: h.storedVoxelType, grid: h.grid, unit: h.unit)
        guard let s = h.scaling else { return stored }
        var d = stored.asDouble
        for n in d.voxels.indices { d.voxels[n] = d.voxels[n] * s.slope + s.intercept }
        return .float64(d)
    }

    static func checkCount(available: Int, expected: Int, offset: Int, file: String, source: String,
                           what: String) throws {
        if available < expected {
            throw InputError(source: source, field: what, value: file,
                             reason: "truncated: the header needs \(expected) bytes from offset \(offset), "
                                 + "but only \(max(0, available)) are there")
        }
        if available > expected {
            throw InputError(source: source, field: what, value: file,
                             reason: "header/data size mismatch: the header needs \(expected) bytes from offset "
                                 + "\(offset), but \(available) are there")
        }
    }

    static let hostIsBigEndian = 1.bigEndian == 1

    /// Reverses the byte order of every `width`-byte word in `data`.
    static func swapBytes(_ data: inout Data, width: Int) {
        guard width > 1 else { return }
        data.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) in
            let p = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start + width <= p.count {
                var a = start, b = start + width - 1
                while a < b { p.swapAt(a, b); a += 1; b -= 1 }
                start += width
            }
        }
    }

    /// Host-order bytes → volume.
    static func decode(_ bytes: Data, type: VoxelType, grid: Grid3D, unit: String) -> AnyVolume {
        func make<T: VoxelScalar>(_: T.Type) -> Volume<T> {
            let n = grid.voxelCount
            let voxels = [T](unsafeUninitializedCapacity: n) { buf, count in
                bytes.withUnsafeBytes { src in
                    UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<(n * MemoryLayout<T>.stride)]))
                }
                count = n
            }
            return Volume(grid: grid, voxels: voxels, unit: unit)
        }
        switch type {
        case .uint8: return .uint8(make(UInt8.self))
        case .int16: return .int16(make(Int16.self))
        case .uint16: return .uint16(make(UInt16.self))
        case .int32: return .int32(make(Int32.self))
        case .float32: return .float32(make(Float.self))
        case .float64: return .float64(make(Double.self))
        }
    }

    /// Volume → little-endian bytes.
    static func encodeLittleEndian(_ volume: AnyVolume) -> Data {
        func bytes<T>(_ v: [T]) -> Data { v.withUnsafeBytes { Data($0) } }
        var data: Data
        switch volume {
        case .uint8(let v): data = bytes(v.voxels)
        case .int16(let v): data = bytes(v.voxels)
        case .uint16(let v): data = bytes(v.voxels)
        case .int32(let v): data = bytes(v.voxels)
        case .float32(let v): data = bytes(v.voxels)
        case .float64(let v): data = bytes(v.voxels)
        }
        if hostIsBigEndian { swapBytes(&data, width: volume.voxelType.byteCount) }
        return data
    }
}

/// Reading whole files with errors that say what went wrong.
enum FileBytes {
    static func read(_ path: String, source: String) throws -> Data {
        try requireReadable(path, source: source)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw InputError(source: source, field: "file", value: path,
                             reason: "cannot read file: \(error.localizedDescription)")
        }
    }

    /// The first `count` bytes of a file (fewer when the file is shorter).
    static func readPrefix(_ path: String, count: Int, source: String) throws -> Data {
        try requireReadable(path, source: source)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(source: source, field: "file", value: path, reason: "cannot open file")
        }
        defer { try? handle.close() }
        do {
            return try handle.read(upToCount: count) ?? Data()
        } catch {
            throw InputError(source: source, field: "file", value: path,
                             reason: "cannot read file: \(error.localizedDescription)")
        }
    }

    static func requireReadable(_ path: String, source: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(source: source, field: "file", value: path, reason: "file does not exist")
        }
        guard !isDir.boolValue else {
            throw InputError(source: source, field: "file", value: path, reason: "is a folder, not a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InputError(source: source, field: "file", value: path, reason: "file is not readable (permissions)")
        }
    }

    /// Folder of `path` ("." when none), for resolving data files named relative to a header.
    static func folder(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path
    }

    /// `name` resolved against the folder of `headerPath` unless absolute.
    static func resolve(_ name: String, relativeTo headerPath: String) -> String {
        name.hasPrefix("/") ? name : folder(of: headerPath) + "/" + name
    }
}
