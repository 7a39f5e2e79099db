import RPTCore

/// A voxel S-value (VSV) kernel: absorbed dose in each voxel of a small grid per decay in its centre voxel.
///
/// Unit: Gy per (Bq·s) — i.e. Gy per decay — so that dose (Gy) = TIA (Bq·s) ⊛ kernel. The kernel is
/// given per index axis (i fastest, then j, then k) with an odd size on every axis and the source voxel
/// at the middle, `shape / 2`; voxels may be non-cubic. Kernels are made by the Monte Carlo engine
/// elsewhere; this type only holds, checks and stores them (see docs/formats/vsv-kernel.md).
public struct VoxelSValueKernel: Equatable, Sendable, Codable {
    /// Nuclide the kernel is for (e.g. "Lu-177").
    public var nuclide: String
    /// Number of kernel voxels along i, j, k; each odd and ≥ 1.
    public var shape: SIMD3<Int>
    /// Kernel voxel size along i, j, k (mm); must equal the dose grid spacing.
    public var voxelSizeMM: SIMD3<Double>
    /// Medium the kernel was computed in (e.g. "ICRU soft tissue", "water").
    public var medium: String
    /// Mass density of that medium (g/cm³); the reference of the density correction.
    public var densityGPerCm3: Double
    /// Dose per decay in the centre voxel (Gy/(Bq·s)), `shape.x·shape.y·shape.z` values, i fastest.
    public var valuesGyPerBqS: [Double]
    /// Standard uncertainty (1σ, Gy/(Bq·s)) of each value; empty when not known.
    public var uncertaintiesGyPerBqS: [Double]
    /// Free-form provenance (code, version, histories, physics list, date, ...).
    public var provenance: [String: String]

    public init(nuclide: String, shape: SIMD3<Int>, voxelSizeMM: SIMD3<Double>, medium: String,
                densityGPerCm3: Double, valuesGyPerBqS: [Double], uncertaintiesGyPerBqS: [Double] = [],
                provenance: [String: String] = [:]) {
        self.nuclide = nuclide; self.shape = shape; self.voxelSizeMM = voxelSizeMM; self.medium = medium
        self.densityGPerCm3 = densityGPerCm3; self.valuesGyPerBqS = valuesGyPerBqS
        self.uncertaintiesGyPerBqS = uncertaintiesGyPerBqS; self.provenance = provenance
    }

    /// Index of the source (centre) voxel.
    public var centre: SIMD3<Int> { shape / 2 }

    /// Flat index of kernel voxel (a, b, c).
    @inlinable public func linearIndex(_ a: Int, _ b: Int, _ c: Int) -> Int { a + shape.x * (b + shape.y * c) }

    /// Kernel value at offset `d` (voxels) from the source voxel; 0 outside the kernel.
    public func value(atOffset d: SIMD3<Int>) -> Double {
        let p = d &+ centre
        guard p.x >= 0, p.y >= 0, p.z >= 0, p.x < shape.x, p.y < shape.y, p.z < shape.z else { return 0 }
        return valuesGyPerBqS[linearIndex(p.x, p.y, p.z)]
    }

    /// Sum of all values (Gy/(Bq·s)); times the voxel mass it is the energy per decay absorbed in the kernel.
    public var integralGyPerBqS: Double { valuesGyPerBqS.reduce(0, +) }

    /// Short name for messages: "Lu-177 in water, 4.0×4.0×4.0 mm".
    public var label: String {
        "VSV kernel \(nuclide) in \(medium), \(voxelSizeMM.x)×\(voxelSizeMM.y)×\(voxelSizeMM.z) mm"
    }

    /// Checks odd positive sizes, value count, finite non-negative values and uncertainties,
    /// positive voxel size and density. `source` names the kernel's origin (file or "kernel").
    public func validate(source: String) throws {
        for a in 0..<3 where !(shape[a] >= 1 && shape[a] % 2 == 1) {
            throw InputError(source: source, field: "shape[\(a)]", value: "\(shape[a])",
                             reason: "kernel size must be odd and ≥ 1 so that the source voxel is the middle one")
        }
        for a in 0..<3 where !(voxelSizeMM[a] > 0 && voxelSizeMM[a].isFinite) {
            throw InputError(source: source, field: "voxelSizeMM[\(a)]", value: "\(voxelSizeMM[a])",
                             reason: "must be a finite number > 0 mm")
        }
        guard densityGPerCm3 > 0, densityGPerCm3.isFinite else {
            throw InputError(source: source, field: "densityGPerCm3", value: "\(densityGPerCm3)",
                             reason: "must be a finite number > 0 g/cm³")
        }
        let count = shape.x * shape.y * shape.z
        guard valuesGyPerBqS.count == count else {
            throw InputError(source: source, field: "valuesGyPerBqS", value: "\(valuesGyPerBqS.count) values",
                             reason: "expected \(shape.x)×\(shape.y)×\(shape.z) = \(count) values")
        }
        guard uncertaintiesGyPerBqS.isEmpty || uncertaintiesGyPerBqS.count == count else {
            throw InputError(source: source, field: "uncertaintiesGyPerBqS",
                             value: "\(uncertaintiesGyPerBqS.count) values",
                             reason: "expected none or \(count) values, one per kernel voxel")
        }
        for (name, list) in [("valuesGyPerBqS", valuesGyPerBqS), ("uncertaintiesGyPerBqS", uncertaintiesGyPerBqS)] {
            for (n, x) in list.enumerated() where !(x >= 0 && x.isFinite) {
                throw InputError(source: source, field: "\(name)[\(n)]", value: "\(x)",
                                 reason: "kernel values must be finite and ≥ 0 Gy/(Bq·s)")
            }
        }
    }

    /// Throws unless the kernel's voxel size equals `spacing` (mm) on every axis within a relative 1e-4.
    public func requireVoxelSize(equalTo spacing: SIMD3<Double>, source: String) throws {
        for a in 0..<3 where abs(voxelSizeMM[a] - spacing[a]) > 1e-4 * spacing[a] {
            throw InputError(source: source, field: "voxelSizeMM[\(a)]", value: "\(voxelSizeMM[a])",
                             reason: "the kernel's voxel size must equal the dose grid spacing "
                                + "\(spacing.x)×\(spacing.y)×\(spacing.z) mm; resample the kernel or the image first")
        }
    }
}
