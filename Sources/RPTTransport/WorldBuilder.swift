import Dispatch
import RPTCore
import RPTPhysics
import RPTVolume

/// Builds the transport geometry from patient images.
public enum WorldBuilder {
    /// From a CT in Hounsfield units through a CT calibration (HU → density, HU → material).
    /// - Parameters:
    ///   - ct: CT numbers (HU).
    ///   - grid: the dose/transport grid; when it differs from the CT's, the CT is resampled onto it
    ///     trilinearly (air, −1000 HU, outside the CT).
    public static func fromCT(_ ct: Volume<Double>, calibration: CTCalibration, grid: Grid3D? = nil,
                              source: String = "CT") throws -> VoxelWorld {
        try build(ct, calibration: calibration, grid: grid, source: source)
    }

    /// The same from a CT in its stored precision, as read from a file: integer CT numbers are converted voxel by
    /// voxel (no copy of the CT as doubles, 8 bytes per voxel), except when the CT is resampled onto `grid`.
    public static func fromCT(_ ct: AnyVolume, calibration: CTCalibration, grid: Grid3D? = nil,
                              source: String = "CT") throws -> VoxelWorld {
        switch ct {
        case .uint8(let v): try build(v, calibration: calibration, grid: grid, source: source)
        case .int16(let v): try build(v, calibration: calibration, grid: grid, source: source)
        case .uint16(let v): try build(v, calibration: calibration, grid: grid, source: source)
        case .int32(let v): try build(v, calibration: calibration, grid: grid, source: source)
        case .float32(let v): try build(v, calibration: calibration, grid: grid, source: source)
        case .float64(let v): try build(v, calibration: calibration, grid: grid, source: source)
        }
    }

    /// `fromCT` for each stored voxel type (specialised by the compiler for each).
    static func build<T: VoxelScalar>(_ ct: Volume<T>, calibration: CTCalibration, grid: Grid3D?,
                                      source: String) throws -> VoxelWorld {
        try ct.requireFinite(source: source)
        try CTNumberCheck.check(ct, source: source)
        let target = grid ?? ct.grid
        let lookup = CTCalibrationLookup(calibration)
        // Every voxel is written by `convert`, in slabs of 2²⁰ voxels spread over the cores.
        func convert<S: VoxelScalar>(_ hu: [S]) -> (index: [UInt8], density: [Float]) {
            let n = hu.count, slab = 1 << 20
            guard n > 0 else { return ([], []) }
            var density: [Float] = []
            let index = [UInt8](unsafeUninitializedCapacity: n) { i, count in
                density = [Float](unsafeUninitializedCapacity: n) { d, count in
                    hu.withUnsafeBufferPointer { h in
                        let (ip, dp) = (i.baseAddress!, d.baseAddress!)
                        DispatchQueue.concurrentPerform(iterations: (n + slab - 1) / slab) { s in
                            lookup.convert(h, (s * slab)..<min(n, s * slab + slab), index: ip, rho: dp)
                        }
                    }
                    count = n
                }
                count = n
            }
            return (index, density)
        }
        let (index, density) = target.isSameGrid(as: ct.grid)
            ? convert(ct.voxels)
            : convert(ct.resampledValues(onto: target, mode: .trilinear, fill: -1000))
        return try VoxelWorld(grid: target, materials: calibration.materials, materialIndex: index, density: density)
    }

    /// From a label map and a label → (material, density) table (computational phantoms).
    /// - Throws: `InputError` naming a label value present in the map but missing from the table.
    public static func fromLabels(_ labels: Volume<Double>, table: LabelMaterialTable, source: String = "label map",
                                  tableSource: String = "material table") throws -> VoxelWorld {
        var index = [UInt8](repeating: 0, count: labels.grid.voxelCount)
        var density = [Float](repeating: 0, count: labels.grid.voxelCount)
        var cache: [Int: LabelMaterialTable.Entry] = [:]
        for n in 0..<labels.voxels.count {
            let l = try LabelValue.integer(labels.voxels[n], source: source)
            let entry: LabelMaterialTable.Entry
            if let e = cache[l] { entry = e } else {
                guard let e = table.entry(label: l) else {
                    let count = labels.voxels.filter { Int($0) == l }.count
                    throw InputError(source: tableSource, field: "label", value: "\(l)",
                                     reason: "label occurs in \(count) voxels of \(source) but has no material in the table")
                }
                cache[l] = e
                entry = e
            }
            index[n] = UInt8(entry.materialIndex)
            density[n] = Float(entry.density)
        }
        return try VoxelWorld(grid: labels.grid, materials: table.materials, materialIndex: index, density: density)
    }
}
