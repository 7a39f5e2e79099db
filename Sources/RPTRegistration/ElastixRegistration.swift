import Foundation
import RPTCore
import RPTImageIO
import RPTVolume

/// Runs elastix and transformix on volumes in memory: writes MetaImage inputs to a temporary folder,
/// calls the executables, reads the results back and removes the folder.
public struct ElastixRegistration: Sendable {
    public let tools: ElastixTools
    /// Parameter files run in sequence (`elastix -p … -p …`).
    public let parameterFiles: [String]

    public init(tools: ElastixTools, parameterFiles: [String]) {
        self.tools = tools; self.parameterFiles = parameterFiles
    }

    /// The shipped parameter files of `mode` (phantoms/registration/), with the elastix found on `$PATH`.
    public init(mode: RegistrationMode, parameterDirectory: String? = nil) throws {
        precondition(mode != .none, "no registration to run for mode none")
        tools = try ElastixTools.locate()
        parameterFiles = try RegistrationParameterFiles.paths(for: mode,
                                                               directory: parameterDirectory ?? RegistrationParameterFiles.defaultDirectory())
    }

    /// Registers `moving` to `fixed` (both CT in HU); `what` names the pair in error messages.
    /// - Parameter fixedMask: the fixed-image voxels the similarity is measured on (elastix `-fMask`, every stage);
    ///   nil for all of them.
    public func register(fixed: Volume<Double>, moving: Volume<Double>, fixedMask: [Bool]? = nil,
                         what: String) throws -> ElastixTransform {
        try withTemporaryDirectory { dir in
            try ImageIO.write(fixed.converted(to: Float.self), to: dir + "/fixed.mhd")
            try ImageIO.write(moving.converted(to: Float.self), to: dir + "/moving.mhd")
            var args = ["-f", dir + "/fixed.mhd", "-m", dir + "/moving.mhd", "-out", dir]
            if let fixedMask {
                precondition(fixedMask.count == fixed.grid.voxelCount)
                let mask = Volume<UInt8>(grid: fixed.grid, voxels: fixedMask.map { $0 ? 1 : 0 }, unit: "mask")
                try ImageIO.write(mask, to: dir + "/fixedmask.mhd")
                args += ["-fMask", dir + "/fixedmask.mhd"]
            }
            for p in parameterFiles { args += ["-p", p] }
            try ElastixTools.run(tools.elastix, args, what: "elastix (\(what))", logFile: dir + "/elastix.log")
            let texts = try parameterFiles.indices.map { n -> String in
                let p = dir + "/TransformParameters.\(n).txt"
                guard let t = try? String(contentsOfFile: p, encoding: .utf8) else {
                    throw InputError(source: "elastix (\(what))", field: p, reason: "elastix wrote no transform")
                }
                return t
            }
            return ElastixTransform(parameterTexts: texts)
        }
    }

    /// `volume` resampled by transformix onto `grid` (in the fixed image's frame) through `transform`.
    public func resample(_ volume: Volume<Double>, with transform: ElastixTransform, onto grid: Grid3D,
                         interpolation: ElastixTransform.Interpolation, fill: Double = 0) throws -> Volume<Double> {
        try withTemporaryDirectory { dir in
            try ImageIO.write(volume.converted(to: Float.self), to: dir + "/input.mhd")
            let tp = try transform.write(to: dir, outputGrid: grid, interpolation: interpolation, fill: fill)
            try ElastixTools.run(tools.transformix, ["-in", dir + "/input.mhd", "-out", dir, "-tp", tp],
                                 what: "transformix", logFile: dir + "/transformix.log")
            let out = try ImageIO.read(dir + "/result.mhd").asDouble
            guard out.grid.isSameGrid(as: grid, toleranceMM: 1e-3 * max(1, grid.spacing.max())) else {
                throw InputError(source: "transformix", field: "result grid", value: out.grid.description,
                                 reason: "expected \(grid.description)")
            }
            return Volume(grid: grid, voxels: out.voxels, unit: volume.unit)
        }
    }

    /// Points of the fixed image's frame mapped through `transform` into the moving image's frame (LPS mm).
    public func transformPoints(_ points: [SIMD3<Double>], with transform: ElastixTransform,
                                fixedGrid: Grid3D) throws -> [SIMD3<Double>] {
        if points.isEmpty { return [] }
        return try withTemporaryDirectory { dir in
            var s = "point\n\(points.count)\n"
            for p in points { s += "\(ElastixTransform.number(p.x)) \(ElastixTransform.number(p.y)) \(ElastixTransform.number(p.z))\n" }
            try s.write(toFile: dir + "/points.txt", atomically: true, encoding: .utf8)
            let tp = try transform.write(to: dir, outputGrid: fixedGrid, interpolation: .linear, fill: 0)
            try ElastixTools.run(tools.transformix, ["-def", dir + "/points.txt", "-out", dir, "-tp", tp],
                                 what: "transformix -def", logFile: dir + "/transformix.log")
            let text = try String(contentsOfFile: dir + "/outputpoints.txt", encoding: .utf8)
            let out = try text.split(separator: "\n").map { line -> SIMD3<Double> in
                guard let r = line.range(of: "OutputPoint = [") else {
                    throw InputError(source: "transformix outputpoints.txt", value: String(line), reason: "no OutputPoint")
                }
                let v = line[r.upperBound...].prefix { $0 != "]" }.split(separator: " ").compactMap { Double($0) }
                guard v.count == 3 else {
                    throw InputError(source: "transformix outputpoints.txt", value: String(line), reason: "expected 3 coordinates")
                }
                return SIMD3(v[0], v[1], v[2])
            }
            guard out.count == points.count else {
                throw InputError(source: "transformix outputpoints.txt", value: "\(out.count) points",
                                 reason: "expected \(points.count)")
            }
            return out
        }
    }

    /// Runs `body` in a new temporary folder, removed afterwards unless `RPTDOSE_KEEP_ELASTIX_FILES` is set in
    /// the environment (for inspecting elastix's inputs, logs and results).
    func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rptdose-elastix-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let keep = ProcessInfo.processInfo.environment["RPTDOSE_KEEP_ELASTIX_FILES"] != nil
        defer { if !keep { try? FileManager.default.removeItem(atPath: dir) } }
        return try body(dir)
    }
}
