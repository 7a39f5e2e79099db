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
        try ct.requireFinite(source: source)
        try CTNumberCheck.validate(ct, source: source)
        let target = grid ?? ct.grid
        let hu = target.isSameGrid(as: ct.grid) ? ct : ct.resampled(onto: target, mode: .trilinear, fill: -1000)
        var index = [UInt8](repeating: 0, count: target.voxelCount)
        var density = [Float](repeating: 0, count: target.voxelCount)
        for n in 0..<target.voxelCount {
            let h = hu.voxels[n]
            index[n] = UInt8(calibration.materialIndex(hu: h))
            density[n] = Float(calibration.density(hu: h))
        }
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
