import RPTCore

/// CT calibration in the style of Schneider, Bortfeld & Schlegel, Phys. Med. Biol. 45 (2000) 459:
/// a piecewise-linear HU → mass-density ramp and HU intervals → material, read from user-replaceable files.
///
/// Folder layout (see phantoms/scanners/default/README.md and docs/methods/materials-and-ct.md):
/// - `density.csv`, header `hu,density_g_cm3`: nodes with strictly increasing HU, density > 0. Between nodes
///   the density is linear in HU; outside, it is the end node's value (clamped).
/// - `materials.csv`, header `hu_min,hu_max,material`: half-open intervals [hu_min, hu_max), contiguous
///   (each hu_min equals the previous hu_max) and in increasing order, materials from `MaterialLibrary`.
///   HU below the first interval take the first material, HU at or above the last take the last.
public struct CTCalibration: Sendable {
    /// Density ramp nodes.
    public let densityHU: [Double]
    public let densityValues: [Double]
    /// Interval lower bounds (HU), plus the last interval's upper bound at the end.
    public let intervalBoundsHU: [Double]
    /// Material index (into `materials`) of each interval.
    public let intervalMaterial: [Int]
    /// The distinct materials used, in order of first appearance.
    public let materials: [Material]

    /// Reads `density.csv` and `materials.csv` from `directory`.
    /// - Throws: `InputError` naming the file and line: malformed numbers, non-increasing HU, non-positive
    ///   density, unknown material, gaps or overlaps between intervals, empty intervals.
    public static func load(directory: String) throws -> CTCalibration {
        let densityPath = directory + "/density.csv", materialsPath = directory + "/materials.csv"
        let d = try CalibrationCSV(path: densityPath, expectedHeader: ["hu", "density_g_cm3"])
        var hu: [Double] = [], rho: [Double] = []
        for row in d.rows {
            let h = try d.number(row, 0), r = try d.number(row, 1)
            if let last = hu.last, h <= last {
                throw InputError(source: "\(densityPath):\(row.line)", field: "hu", value: row.fields[0],
                                 reason: "HU values must increase strictly (previous node: \(last))")
            }
            guard r > 0 else {
                throw InputError(source: "\(densityPath):\(row.line)", field: "density_g_cm3", value: row.fields[1],
                                 reason: "density must be > 0 g/cm³")
            }
            hu.append(h); rho.append(r)
        }
        let m = try CalibrationCSV(path: materialsPath, expectedHeader: ["hu_min", "hu_max", "material"])
        var bounds: [Double] = [], which: [Int] = [], materials: [Material] = []
        for row in m.rows {
            let lo = try m.number(row, 0), hi = try m.number(row, 1)
            let here = "\(materialsPath):\(row.line)"
            guard hi > lo else {
                throw InputError(source: here, field: "hu_max", value: row.fields[1], reason: "must exceed hu_min (\(row.fields[0]))")
            }
            if let previousUpper = bounds.last {
                if lo > previousUpper {
                    throw InputError(source: here, field: "hu_min", value: row.fields[0],
                                     reason: "gap: the previous interval ends at \(previousUpper)")
                }
                if lo < previousUpper {
                    throw InputError(source: here, field: "hu_min", value: row.fields[0],
                                     reason: "overlap: the previous interval ends at \(previousUpper)")
                }
                bounds.removeLast()
            }
            let material = try MaterialLibrary.material(named: row.fields[2], source: here, field: "material")
            var index = materials.firstIndex(where: { $0.name == material.name }) ?? -1
            if index < 0 { materials.append(material); index = materials.count - 1 }
            bounds.append(lo); bounds.append(hi); which.append(index)
        }
        return CTCalibration(densityHU: hu, densityValues: rho, intervalBoundsHU: bounds, intervalMaterial: which,
                             materials: materials)
    }

    /// Mass density (g/cm³) for a CT number: piecewise linear in HU, clamped at the ends.
    public func density(hu: Double) -> Double {
        let n = densityHU.count
        if n == 1 || hu <= densityHU[0] { return densityValues[0] }
        if hu >= densityHU[n - 1] { return densityValues[n - 1] }
        var lo = 0, hi = n - 1
        while hi - lo > 1 { let mid = (lo + hi) >> 1; if densityHU[mid] <= hu { lo = mid } else { hi = mid } }
        let f = (hu - densityHU[lo]) / (densityHU[hi] - densityHU[lo])
        return densityValues[lo] + f * (densityValues[hi] - densityValues[lo])
    }

    /// Index into `materials` for a CT number (intervals [hu_min, hu_max); clamped at the ends).
    public func materialIndex(hu: Double) -> Int {
        let n = intervalMaterial.count
        if hu < intervalBoundsHU[1] { return intervalMaterial[0] }
        if hu >= intervalBoundsHU[n - 1] { return intervalMaterial[n - 1] }
        var lo = 0, hi = n  // bounds[lo] ≤ hu < bounds[hi]
        while hi - lo > 1 { let mid = (lo + hi) >> 1; if intervalBoundsHU[mid] <= hu { lo = mid } else { hi = mid } }
        return intervalMaterial[lo]
    }
}
