import Foundation
import RPTCore
import RPTVolume

/// A point map of the reference (fixed) frame into a time point's (moving) frame, sampled on a grid of the
/// reference frame: `u(x) = T(x) − x` (mm, LPS) at every node, trilinearly interpolated between nodes.
/// A rigid map is linear in x, so it is interpolated exactly; the shipped B-spline (64 mm control points) varies
/// over centimetres, so nodes a few millimetres apart interpolate it to far below a millimetre.
public struct DisplacementField: Sendable {
    /// The nodes (reference frame).
    public let grid: Grid3D
    /// Displacement components (mm) at each node, flat in `grid` order.
    public let ux: [Double], uy: [Double], uz: [Double]

    public init(grid: Grid3D, ux: [Double], uy: [Double], uz: [Double]) {
        precondition(ux.count == grid.voxelCount && uy.count == grid.voxelCount && uz.count == grid.voxelCount)
        self.grid = grid; self.ux = ux; self.uy = uy; self.uz = uz
    }

    /// The field of an arbitrary map `T` (e.g. a known motion), sampled at the nodes of `grid`.
    public init(grid: Grid3D, map: (SIMD3<Double>) -> SIMD3<Double>) {
        var x = [Double](repeating: 0, count: grid.voxelCount), y = x, z = x
        for n in 0..<grid.voxelCount {
            let ijk = grid.voxelIndex(n)
            let p = grid.world(continuousIndex: SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)))
            let d = map(p) - p
            x[n] = d.x; y[n] = d.y; z[n] = d.z
        }
        self.init(grid: grid, ux: x, uy: y, uz: z)
    }

    /// A grid of nodes covering every voxel centre of `grid` (same origin and direction), with node spacing
    /// `spacingMM` rounded to a whole number of `grid` voxels (at least one).
    public static func nodes(covering grid: Grid3D, spacingMM: Double) -> Grid3D {
        var shape = SIMD3<Int>(repeating: 1), spacing = grid.spacing
        for a in 0..<3 {
            let step = max(1, Int((spacingMM / grid.spacing[a]).rounded()))
            spacing[a] = grid.spacing[a] * Double(step)
            shape[a] = (grid.shape[a] - 1 + step - 1) / step + 1
        }
        return Grid3D(shape: shape, spacing: spacing, origin: grid.origin, direction: grid.direction)
    }

    /// The displacement at every voxel centre of `target` (x, y, z components, flat in `target` order), or nil
    /// unless `target` has the nodes' direction (then trilinear interpolation separates into three passes of 1-D
    /// interpolation, which is fast enough for millions of voxels).
    public func resampled(onto target: Grid3D) -> (x: [Double], y: [Double], z: [Double])? {
        guard target.direction == grid.direction else { return nil }
        let shift = grid.direction.transposed * (target.origin - grid.origin)
        /// Per target index along `axis`: the lower node and the weight of the upper one (clamped).
        func axis(_ a: Int) -> (lower: [Int], upper: [Int], weight: [Double]) {
            let n = grid.shape[a]
            var lower: [Int] = [], upper: [Int] = [], weight: [Double] = []
            for i in 0..<target.shape[a] {
                let c = (shift[a] + Double(i) * target.spacing[a]) / grid.spacing[a]
                if n == 1 { lower.append(0); upper.append(0); weight.append(0); continue }
                let x = min(max(c, 0), Double(n - 1))
                let l = min(Int(x), n - 2)
                lower.append(l); upper.append(l + 1); weight.append(x - Double(l))
            }
            return (lower, upper, weight)
        }
        let ax = axis(0), ay = axis(1), az = axis(2)
        let (nx, ny, nz) = (grid.shape.x, grid.shape.y, grid.shape.z)
        let (tx, ty, tz) = (target.shape.x, target.shape.y, target.shape.z)
        func pass(_ u: [Double]) -> [Double] {
            // Along x: (tx, ny, nz); along y: (tx, ty, nz); along z: (tx, ty, tz).
            var a = [Double](repeating: 0, count: tx * ny * nz)
            for k in 0..<nz { for j in 0..<ny {
                let row = nx * (j + ny * k), out = tx * (j + ny * k)
                for i in 0..<tx { a[out + i] = u[row + ax.lower[i]] * (1 - ax.weight[i]) + u[row + ax.upper[i]] * ax.weight[i] }
            } }
            var b = [Double](repeating: 0, count: tx * ty * nz)
            for k in 0..<nz { for j in 0..<ty {
                let lo = tx * (ay.lower[j] + ny * k), hi = tx * (ay.upper[j] + ny * k), w = ay.weight[j], out = tx * (j + ty * k)
                for i in 0..<tx { b[out + i] = a[lo + i] * (1 - w) + a[hi + i] * w }
            } }
            var c = [Double](repeating: 0, count: tx * ty * tz)
            c.withUnsafeMutableBufferPointer { c in b.withUnsafeBufferPointer { b in
                for k in 0..<tz {
                    let lo = tx * ty * az.lower[k], hi = tx * ty * az.upper[k], w = az.weight[k], out = tx * ty * k
                    for n in 0..<(tx * ty) { c[out + n] = b[lo + n] * (1 - w) + b[hi + n] * w }
                }
            } }
            return c
        }
        return (pass(ux), pass(uy), pass(uz))
    }

    /// T(p): `p` plus the trilinearly interpolated displacement (the nearest node's outside the node grid).

    public func mapped(_ p: SIMD3<Double>) -> SIMD3<Double> {
        let c = grid.continuousIndex(world: p)
        return p + displacement(continuousIndex: c)
    }

    /// The displacement at a continuous node index (clamped to the node grid).

    public func displacement(continuousIndex c: SIMD3<Double>) -> SIMD3<Double> {
        let s = grid.shape
        func split(_ v: Double, _ n: Int) -> (Int, Double) {
            if n == 1 { return (0, 0) }
            let x = min(max(v, 0), Double(n - 1))
            let i = min(Int(x), n - 2)
            return (i, x - Double(i))
        }
        let (i, fx) = split(c.x, s.x), (j, fy) = split(c.y, s.y), (k, fz) = split(c.z, s.z)
        let di = s.x > 1 ? 1 : 0, dj = s.y > 1 ? s.x : 0, dk = s.z > 1 ? s.x * s.y : 0
        let n0 = i + s.x * (j + s.y * k)
        let w000 = (1 - fx) * (1 - fy) * (1 - fz), w100 = fx * (1 - fy) * (1 - fz)
        let w010 = (1 - fx) * fy * (1 - fz), w110 = fx * fy * (1 - fz)
        let w001 = (1 - fx) * (1 - fy) * fz, w101 = fx * (1 - fy) * fz
        let w011 = (1 - fx) * fy * fz, w111 = fx * fy * fz
        func interpolate(_ u: [Double]) -> Double {
            w000 * u[n0] + w100 * u[n0 + di] + w010 * u[n0 + dj] + w110 * u[n0 + di + dj]
                + w001 * u[n0 + dk] + w101 * u[n0 + di + dk] + w011 * u[n0 + dj + dk] + w111 * u[n0 + di + dj + dk]
        }
        return SIMD3(interpolate(ux), interpolate(uy), interpolate(uz))
    }
}

extension ElastixRegistration {
    /// The displacement field of `transform` at the nodes of `grid` (reference frame), computed by
    /// `transformix -def all` (elastix writes it as a 3-component float MetaImage, `deformationField.mhd`).
    public func displacementField(of transform: ElastixTransform, on grid: Grid3D) throws -> DisplacementField {
        try withTemporaryDirectory { dir in
            let tp = try transform.write(to: dir, outputGrid: grid, interpolation: .linear, fill: 0)
            let args = ["-def", "all", "-out", dir, "-tp", tp]
            do {
                try ElastixTools.run(tools.transformix, args, what: "transformix -def all", logFile: dir + "/transformix.log")
            } catch {
                // transformix 5.0.1 was seen once to abort (exit status 6) after logging that it had finished; run it
                // once more before giving up (its result is checked below either way).
                try? FileManager.default.removeItem(atPath: dir + "/deformationField.mhd")
                try ElastixTools.run(tools.transformix, args, what: "transformix -def all", logFile: dir + "/transformix.log")
            }
            let components = try Self.readVectorMetaImage(dir + "/deformationField.mhd", expected: grid)
            return DisplacementField(grid: grid, ux: components[0], uy: components[1], uz: components[2])
        }
    }

    /// The three components of a 3-channel MetaImage (`MET_FLOAT` or `MET_DOUBLE`, little-endian, uncompressed,
    /// data in a separate file) whose grid must be `expected`.
    static func readVectorMetaImage(_ path: String, expected grid: Grid3D) throws -> [[Double]] {
        let header = try String(contentsOfFile: path, encoding: .utf8)
        var fields: [String: String] = [:]
        for line in header.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()] =
                line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        }
        func fail(_ field: String, _ reason: String) -> InputError {
            InputError(source: path, field: field, value: fields[field.lowercased()] ?? "", reason: reason)
        }
        let dims = (fields["dimsize"] ?? "").split(separator: " ").compactMap { Int($0) }
        guard dims == [grid.shape.x, grid.shape.y, grid.shape.z] else { throw fail("DimSize", "expected \(grid.shape)") }
        guard fields["elementnumberofchannels"] == "3" else { throw fail("ElementNumberOfChannels", "expected 3") }
        guard (fields["compresseddata"] ?? "False").lowercased() == "false" else { throw fail("CompressedData", "expected False") }
        guard ["false", nil].contains(fields["binarydatabyteordermsb"]?.lowercased()),
              ["false", nil].contains(fields["elementbyteordermsb"]?.lowercased()) else {
            throw fail("BinaryDataByteOrderMSB", "expected little-endian data")
        }
        let bytesPerValue: Int
        switch fields["elementtype"] {
        case "MET_FLOAT": bytesPerValue = 4
        case "MET_DOUBLE": bytesPerValue = 8
        default: throw fail("ElementType", "expected MET_FLOAT or MET_DOUBLE")
        }
        guard let file = fields["elementdatafile"], file.uppercased() != "LOCAL" else {
            throw fail("ElementDataFile", "expected a separate data file")
        }
        let dataPath = file.hasPrefix("/") ? file : URL(fileURLWithPath: path).deletingLastPathComponent().path + "/" + file
        let data = try Data(contentsOf: URL(fileURLWithPath: dataPath))
        let n = grid.voxelCount
        guard data.count == n * 3 * bytesPerValue else {
            throw InputError(source: dataPath, field: "size", value: "\(data.count) bytes", reason: "expected \(n * 3 * bytesPerValue)")
        }
        var out = [[Double]](repeating: [Double](repeating: 0, count: n), count: 3)
        data.withUnsafeBytes { raw in
            for v in 0..<n {
                for c in 0..<3 {
                    let offset = (v * 3 + c) * bytesPerValue
                    out[c][v] = bytesPerValue == 4
                        ? Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
                        : Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                }
            }
        }
        return out
    }
}
