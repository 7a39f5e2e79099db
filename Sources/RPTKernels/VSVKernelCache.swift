import Foundation
import RPTCore

/// Identifies a cached VSV kernel: nuclide, medium and voxel size (mm).
public struct VSVKernelKey: Equatable, Hashable, Sendable {
    public var nuclide: String
    public var medium: String
    public var voxelSizeMM: SIMD3<Double>

    public init(nuclide: String, medium: String, voxelSizeMM: SIMD3<Double>) {
        self.nuclide = nuclide; self.medium = medium; self.voxelSizeMM = voxelSizeMM
    }

    public init(_ kernel: VoxelSValueKernel) {
        self.init(nuclide: kernel.nuclide, medium: kernel.medium, voxelSizeMM: kernel.voxelSizeMM)
    }

    /// File name: `vsv_<nuclide>_<medium>_<x>x<y>x<z>mm.json`, sizes with 4 decimals (0.1 µm), names with
    /// every character outside [A-Za-z0-9.-] replaced by '_'.
    public var fileName: String {
        func clean(_ s: String) -> String {
            String(s.unicodeScalars.map { c -> Character in
                let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "-"
                return ok ? Character(c) : "_"
            })
        }
        let size = (0..<3).map { String(format: "%.4f", voxelSizeMM[$0]) }.joined(separator: "x")
        return "vsv_\(clean(nuclide))_\(clean(medium))_\(size)mm.json"
    }

    /// Whether `kernel` is the kernel this key names (names equal, voxel sizes within a relative 1e-4).
    public func matches(_ kernel: VoxelSValueKernel) -> Bool {
        guard kernel.nuclide == nuclide, kernel.medium == medium else { return false }
        return (0..<3).allSatisfy { abs(kernel.voxelSizeMM[$0] - voxelSizeMM[$0]) <= 1e-4 * voxelSizeMM[$0] }
    }
}

/// On-disk cache of VSV kernels: one JSON file per (nuclide, medium, voxel size) in one folder.
/// Format: docs/formats/vsv-kernel.md. Files are written atomically (temporary file, then rename).
public struct VSVKernelCache: Sendable {
    /// Identifies the file format; stored in every file.
    public static let formatName = "rptdose-vsv-kernel"
    /// Current format version; files of another version are refused.
    public static let formatVersion = 1

    /// Folder holding the kernel files.
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// Path of the file for `key` (it may not exist).
    public func path(for key: VSVKernelKey) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(key.fileName).path
    }

    /// The cached kernel for `key`, or `nil` when there is none.
    /// - Throws: `InputError` if the file exists but is unreadable, invalid, or holds another key's kernel.
    public func load(_ key: VSVKernelKey) throws -> VoxelSValueKernel? {
        let file = path(for: key)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let kernel = try Self.read(path: file)
        guard key.matches(kernel) else {
            throw InputError(source: file, field: "kernel", value: VSVKernelKey(kernel).fileName,
                             reason: "file holds a different kernel than its name says (\(key.fileName))")
        }
        return kernel
    }

    /// Stores `kernel` under its key, creating the folder if needed; replaces an existing file atomically.
    @discardableResult
    public func store(_ kernel: VoxelSValueKernel) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = path(for: VSVKernelKey(kernel))
        try Self.write(kernel, to: file)
        return file
    }

    /// Reads and validates one kernel file.
    public static func read(path: String) throws -> VoxelSValueKernel {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(source: path, reason: "cannot read VSV kernel file: \(error.localizedDescription)")
        }
        let file: KernelFile
        do { file = try JSONDecoder().decode(KernelFile.self, from: data) } catch {
            throw InputError(source: path, reason: "not a valid VSV kernel JSON file: \(error)")
        }
        guard file.format == formatName else {
            throw InputError(source: path, field: "format", value: file.format, reason: "expected '\(formatName)'")
        }
        guard file.formatVersion == formatVersion else {
            throw InputError(source: path, field: "formatVersion", value: "\(file.formatVersion)",
                             reason: "this build reads version \(formatVersion)")
        }
        try file.kernel.validate(source: path)
        return file.kernel
    }

    /// Validates and writes one kernel file atomically.
    public static func write(_ kernel: VoxelSValueKernel, to path: String) throws {
        try kernel.validate(source: path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(KernelFile(format: formatName, formatVersion: formatVersion, kernel: kernel))
        try AtomicFile.write(data, to: path)
    }

    private struct KernelFile: Codable {
        var format: String
        var formatVersion: Int
        var kernel: VoxelSValueKernel
    }
}
