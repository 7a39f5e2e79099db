import CHDF5
import Foundation
import RPTCore
import RPTVolume

/// Volumes: one group per volume holding dataset `data` [nz][ny][nx] and the geometry attributes.
extension H5File {
    /// Writes `volume` as a group at `volumePath` ("/volumes/ct", or a bare name "ct" placed under
    /// `/volumes`). `data` is chunked, shuffled and gzip-compressed (level 4).
    public func writeVolume(_ volume: AnyVolume, at volumePath: String) throws {
        let g = HDF5Store.resolve(volumePath, under: HDF5Store.volumesGroup)
        _ = try requireWritable(g)
        let grid = volume.grid
        try grid.validate(source: "\(path) \(g)")
        guard !exists(g) else { throw InputError(source: path, field: g, reason: "an object already exists at this path") }
        try createGroup(g)
        switch volume {
        case .uint8(let v): try writeVoxels(v, g)
        case .int16(let v): try writeVoxels(v, g)
        case .uint16(let v): try writeVoxels(v, g)
        case .int32(let v): try writeVoxels(v, g)
        case .float32(let v): try writeVoxels(v, g)
        case .float64(let v): try writeVoxels(v, g)
        }
        try writeVolumeAttributes(grid: grid, unit: volume.unit, voxelType: volume.voxelType, at: g)
    }

    /// Writes a volume of `T` on `grid` like `writeVolume`, computing it slab by slab: `fill(slices, buffer)` writes
    /// the voxels of the z slices `slices` (i fastest, then j, then k) into `buffer`. The volume never exists in
    /// memory as a whole; the file holds the same bytes as `writeVolume` of the whole volume.
    public func writeVolumeInSlabs<T: VoxelScalar & H5Scalar>(grid: Grid3D, unit: String, at volumePath: String,
                                                              fill: (Range<Int>, UnsafeMutableBufferPointer<T>) throws -> Void) throws {
        let g = HDF5Store.resolve(volumePath, under: HDF5Store.volumesGroup)
        _ = try requireWritable(g)
        try grid.validate(source: "\(path) \(g)")
        guard !exists(g) else { throw InputError(source: path, field: g, reason: "an object already exists at this path") }
        try createGroup(g)
        let s = grid.shape
        let chunk = Self.volumeChunkShape(shapeXYZ: s, bytesPerVoxel: T.voxelType.byteCount)
        // Whole chunks per slab (each chunk compressed once), about 8 MiB of voxels.
        let sliceBytes = Swift.max(1, s.x * s.y * T.voxelType.byteCount)
        let slices = Swift.max(1, (8 << 20) / sliceBytes / chunk[0]) * chunk[0]
        try writeDatasetInSlabs(shape: [s.z, s.y, s.x], at: g + "/data", options: .compressed(chunkShape: chunk, level: 4),
                                slabRows: slices, fill: fill)
        try writeVolumeAttributes(grid: grid, unit: unit, voxelType: T.voxelType, at: g)
    }

    private func writeVolumeAttributes(grid: Grid3D, unit: String, voxelType: VoxelType, at g: String) throws {
        try setAttribute("shape_xyz", .ints([Int64(grid.shape.x), Int64(grid.shape.y), Int64(grid.shape.z)]), at: g)
        try setAttribute("spacing_mm", .doubles([grid.spacing.x, grid.spacing.y, grid.spacing.z]), at: g)
        try setAttribute("origin_mm", .doubles([grid.origin.x, grid.origin.y, grid.origin.z]), at: g)
        try setAttribute("direction", .doubles(grid.direction.rowMajor), at: g)
        try setAttribute("unit", .string(unit), at: g)
        try setAttribute("voxel_type", .string(voxelType.rawValue), at: g)
        try setAttribute("coordinate_system", .string("LPS"), at: g)
    }

    /// Reads the volume in group `volumePath` (absolute, or a bare name under `/volumes`).
    /// - Throws: `InputError` naming the file and the path if there is no volume there, the data is
    ///   not 3-D or of an unsupported type, or the geometry attributes are missing or inconsistent.
    public func readVolume(at volumePath: String) throws -> AnyVolume {
        let g = HDF5Store.resolve(volumePath, under: HDF5Store.volumesGroup)
        try requireCompatibleFormat()
        guard kind(of: g) == .group, kind(of: g + "/data") == .dataset else {
            let present = (try? listVolumes()) ?? []
            throw InputError(source: path, field: g, reason: "no volume at this path (volumes in the file: "
                             + (present.isEmpty ? "none" : present.joined(separator: ", ")) + ")")
        }
        let dataPath = g + "/data"
        let info = try datasetInfo(at: dataPath)
        guard info.shape.count == 3 else {
            throw InputError(source: path, field: dataPath, value: "\(info.shape)", reason: "volume data must be 3-D [nz][ny][nx]")
        }
        guard let element = info.elementType, let type = VoxelType(element) else {
            throw InputError(source: path, field: dataPath, value: info.elementType?.rawValue ?? (info.isString ? "string" : "unknown"),
                             reason: "unsupported voxel type (expected uint8, int16, uint16, int32, float32 or float64)")
        }
        if let declared = try attributeIfPresent("voxel_type", at: g)?.asString, declared != type.rawValue {
            throw InputError(source: path, field: "\(g)@voxel_type", value: declared,
                             reason: "disagrees with the stored data type \(type.rawValue)")
        }
        let shape = SIMD3(info.shape[2], info.shape[1], info.shape[0])
        if let declared = try attributeIfPresent("shape_xyz", at: g) {
            guard let s = declared.asInts, s == [Int64(shape.x), Int64(shape.y), Int64(shape.z)] else {
                throw InputError(source: path, field: "\(g)@shape_xyz", value: declared.description,
                                 reason: "disagrees with data shape [nz, ny, nx] = \(info.shape)")
            }
        }
        let spacing = try vector3("spacing_mm", g, default: nil)
        let origin = try vector3("origin_mm", g, default: .zero)
        var direction = Matrix3.identity
        if try hasAttribute("direction", at: g) {
            let d = try doublesAttribute("direction", at: g)
            guard d.count == 9 else {
                throw InputError(source: path, field: "\(g)@direction", value: "\(d.count) numbers",
                                 reason: "expected 9 numbers (row-major 3×3, columns = axis directions)")
            }
            direction = Matrix3(rowMajor: d)
        }
        if let system = try attributeIfPresent("coordinate_system", at: g)?.asString, system != "LPS" {
            throw InputError(source: path, field: "\(g)@coordinate_system", value: system, reason: "only LPS is supported")
        }
        let unit = try attributeIfPresent("unit", at: g)?.asString ?? ""
        let grid = Grid3D(shape: shape, spacing: spacing, origin: origin, direction: direction)
        try grid.validate(source: "\(path) \(g)")
        switch type {
        case .uint8: return .uint8(try readVoxels(dataPath, grid, unit))
        case .int16: return .int16(try readVoxels(dataPath, grid, unit))
        case .uint16: return .uint16(try readVoxels(dataPath, grid, unit))
        case .int32: return .int32(try readVoxels(dataPath, grid, unit))
        case .float32: return .float32(try readVoxels(dataPath, grid, unit))
        case .float64: return .float64(try readVoxels(dataPath, grid, unit))
        }
    }

    /// Paths of every volume in the file (groups holding a 3-D `data` dataset and `spacing_mm`), sorted.
    public func listVolumes() throws -> [String] {
        try allGroups().filter { g in
            guard kind(of: g + "/data") == .dataset, (try? hasAttribute("spacing_mm", at: g)) == true else { return false }
            return (try? datasetInfo(at: g + "/data").shape.count) == 3
        }
    }

    /// Chunk shape [cz, cy, cx] for a volume: whole x-rows and y-planes, about 1 MiB per chunk.
    static func volumeChunkShape(shapeXYZ s: SIMD3<Int>, bytesPerVoxel: Int) -> [Int] {
        let target = 1 << 20
        let rowBytes = s.x * bytesPerVoxel
        let planeBytes = rowBytes * s.y
        if planeBytes >= target {
            return [1, Swift.max(1, Swift.min(s.y, target / Swift.max(1, rowBytes))), s.x]
        }
        return [Swift.max(1, Swift.min(s.z, target / planeBytes)), s.y, s.x]
    }

    private func writeVoxels<T: VoxelScalar & H5Scalar>(_ v: Volume<T>, _ g: String) throws {
        let s = v.grid.shape
        let chunk = Self.volumeChunkShape(shapeXYZ: s, bytesPerVoxel: T.voxelType.byteCount)
        try writeDataset(v.voxels, shape: [s.z, s.y, s.x], at: g + "/data", options: .compressed(chunkShape: chunk, level: 4))
    }

    private func readVoxels<T: VoxelScalar & H5Scalar>(_ dataPath: String, _ grid: Grid3D, _ unit: String) throws -> Volume<T> {
        Volume(grid: grid, voxels: try readDataset(at: dataPath, as: T.self).values, unit: unit)
    }

    private func vector3(_ name: String, _ g: String, default fallback: SIMD3<Double>?) throws -> SIMD3<Double> {
        guard try hasAttribute(name, at: g) else {
            if let fallback { return fallback }
            throw InputError(source: path, field: "\(g)@\(name)", reason: "attribute is missing (3 numbers, x y z)")
        }
        let d = try doublesAttribute(name, at: g)
        guard d.count == 3 else {
            throw InputError(source: path, field: "\(g)@\(name)", value: "\(d)", reason: "expected 3 numbers (x y z)")
        }
        return SIMD3(d[0], d[1], d[2])
    }
}

extension VoxelType {
    /// The voxel type stored as HDF5 element type `e`, if volumes support it.
    init?(_ e: H5ElementType) {
        switch e {
        case .uint8: self = .uint8
        case .int16: self = .int16
        case .uint16: self = .uint16
        case .int32: self = .int32
        case .float32: self = .float32
        case .float64: self = .float64
        case .int64, .uint64: return nil
        }
    }
}
