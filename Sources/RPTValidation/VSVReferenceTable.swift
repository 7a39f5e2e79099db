import Foundation
import RPTCore

/// A published voxel S-value table for cubic voxels, stored as its first octant (i, j, k ≥ 0) in a reference
/// CSV with columns `i,j,k,s_mGy_per_MBq_s` (S in mGy/(MBq·s), source uniform in voxel (0,0,0)).
public struct VSVReferenceTable: Sendable, Equatable {
    /// S (mGy/(MBq·s)) by offset, first octant.
    public let values: [SIMD3<Int>: Double]

    public init(values: [SIMD3<Int>: Double]) { self.values = values }

    /// Reads `path` (see `ReferenceCSV`).
    /// - Throws: `InputError` naming the file for a missing file, a non-numeric field, a negative or non-integer
    ///   index, a repeated offset or a value that is not finite and > 0.
    public init(path: String) throws {
        var table: [SIMD3<Int>: Double] = [:]
        for row in try ReferenceCSV.rows(path) {
            var ijk = SIMD3<Int>(repeating: 0)
            for (a, key) in ["i", "j", "k"].enumerated() {
                let x = try ReferenceCSV.number(row, key, source: path)
                guard x >= 0, x == x.rounded(), x < 1e6 else {
                    throw InputError(source: path, field: key, value: row[key] ?? "", reason: "must be an integer ≥ 0")
                }
                ijk[a] = Int(x)
            }
            let s = try ReferenceCSV.number(row, "s_mGy_per_MBq_s", source: path)
            guard s > 0, s.isFinite else {
                throw InputError(source: path, field: "s_mGy_per_MBq_s", value: row["s_mGy_per_MBq_s"] ?? "", reason: "must be > 0")
            }
            guard table.updateValue(s, forKey: ijk) == nil else {
                throw InputError(source: path, field: "i,j,k", value: "\(ijk.x),\(ijk.y),\(ijk.z)", reason: "offset listed twice")
            }
        }
        values = table
    }

    /// S at any offset (mGy/(MBq·s)), using the reflection symmetry of the table; nil when not tabulated.
    public func value(_ offset: SIMD3<Int>) -> Double? {
        values[SIMD3(abs(offset.x), abs(offset.y), abs(offset.z))]
    }

    /// Throws `InputError` naming `source` when one of `offsets` is not tabulated.
    public func require(_ offsets: [SIMD3<Int>], source: String) throws {
        for o in offsets where value(o) == nil {
            throw InputError(source: source, field: "i,j,k", value: "\(o.x),\(o.y),\(o.z)", reason: "row missing")
        }
    }

    /// Largest relative difference |S(p) − S(i,j,k)| / S(i,j,k) over all tabulated (i,j,k) and their permutations
    /// p that are tabulated (0 for a table with the symmetry of a cube); `.infinity` when a permutation is missing.
    public var maxPermutationAsymmetry: Double {
        var worst = 0.0
        for (o, s) in values {
            for p in [SIMD3(o.x, o.z, o.y), SIMD3(o.y, o.x, o.z), SIMD3(o.y, o.z, o.x), SIMD3(o.z, o.x, o.y), SIMD3(o.z, o.y, o.x)] {
                guard let t = values[p] else { return .infinity }
                worst = max(worst, abs(t - s) / s)
            }
        }
        return worst
    }

    /// Energy (MeV per decay) the table puts in the 3×3×3 voxels around the source for voxels of `voxelMM` (mm)
    /// of density `density` (g/cm³): Σ S·m over the 27 voxels, with octant multiplicities 1 (centre), 2 per
    /// non-zero index (6 faces, 12 edges, 8 corners). Rows with an index > 1 are ignored.
    public func blockEnergyMeV(voxelMM: Double, density: Double) -> Double {
        var sum = 0.0  // mGy/(MBq·s) summed over the 27 voxels
        for (o, s) in values where o.x <= 1 && o.y <= 1 && o.z <= 1 {
            sum += s * Double((o.x == 0 ? 1 : 2) * (o.y == 0 ? 1 : 2) * (o.z == 0 ? 1 : 2))
        }
        let massKg = density * pow(voxelMM / 10, 3) * 1e-3
        return sum * 1e-9 * massKg / PhysicalConstants.joulePerMeV  // 1 mGy/(MBq·s) = 1e-9 Gy per decay
    }

    /// Half a unit in the last of `significantFigures` digits of `value`, relative to `value`: the largest
    /// relative rounding error of a number printed like 1.78E-01 (3 significant figures → ≤ 0.5 %).
    public static func relativeRoundingError(_ value: Double, significantFigures: Int = 3) -> Double {
        guard value > 0, value.isFinite else { return .nan }
        let exponent = floor(log10(value))
        return 0.5 * pow(10, exponent - Double(significantFigures - 1)) / value
    }
}
