import RPTDosimetry
import Foundation
import RPTCore
import RPTKernels
import RPTStore
import RPTVolume

/// Comparison of two dose files (A = reference, B = evaluated; differences B − A) for `rptdose compare`:
/// per-region mean dose difference, voxel-wise difference maps, DVHs side by side with D2/D50/D98, and the
/// global 3-D gamma pass rate (docs/methods/kernel-methods.md, "rptdose compare").
public struct DoseFileComparison {
    public var fileA: String, fileB: String
    public var doseA: Volume<Double>, doseB: Volume<Double>
    /// Regions used (empty when the files and options name none).
    public var regions: RegionMap?
    /// Where the regions came from (for provenance).
    public var regionSource: String
    /// Mass weights for region means (A's `/simulation/voxel_mass_g` as density), `nil` for plain voxel means.
    public var density: Volume<Double>?
    public var resampled: Bool

    public var regionDifferences: [DoseComparison.RegionMeanDifference] = []
    public var dvhA: [CumulativeDVH] = [], dvhB: [CumulativeDVH] = []
    public var maps: DoseComparison.DifferenceMaps?
    public var gamma: GammaResult?
    public var criteria: GammaCriteria

    /// Reads the `dose` volume of an HDF5 dose file (simulate, dosimetry or merge output), or any image file.
    public static func readDose(_ path: String) throws -> Volume<Double> {
        if HDF5Store.isHDF5(path: path) {
            let names = try H5File.read(path) { try $0.listVolumes() }.map(Self.lastComponent)
            guard names.contains("dose") else {
                throw InputError(source: path, field: "dose", reason: "no 'dose' volume (volumes: "
                                 + (names.isEmpty ? "none" : names.joined(separator: ", ")) + ")")
            }
            return try VolumeFiles.readDouble(path, volume: "dose")
        }
        return try VolumeFiles.readDouble(path)
    }

    /// "/volumes/dose" → "dose".
    public static func lastComponent(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }

    /// Regions of a dosimetry.h5: its `regions` volume (0 = unlabelled, r + 1 = region r) and `region_labels` table.
    public static func regionsFromDosimetryFile(_ path: String) throws -> RegionMap? {
        guard HDF5Store.isHDF5(path: path) else { return nil }
        return try H5File.read(path) { f -> RegionMap? in
            guard try f.listVolumes().map(Self.lastComponent).contains("regions"),
                  try f.listTables().map(Self.lastComponent).contains("region_labels") else { return nil }
            let labels = try f.readVolume(at: "regions").converted(to: UInt16.self)
            let table = try f.readTable(at: "region_labels")
            guard case .int(let values)? = table["value"]?.data, case .string(let names)? = table["region"]?.data else {
                throw InputError(source: path, field: "region_labels", reason: "expected columns value (int) and region (string)")
            }
            return RegionMap(labels: labels, names: Dictionary(uniqueKeysWithValues: zip(values.map { UInt16($0) }, names)))
        }
    }

    /// Voxel density (g/cm³) from A's `/simulation/voxel_mass_g`, when present and positive everywhere.
    public static func density(fromSimulationFile path: String, grid: Grid3D) throws -> Volume<Double>? {
        guard HDF5Store.isHDF5(path: path) else { return nil }
        return try H5File.read(path) { f -> Volume<Double>? in
            let p = "/simulation/voxel_mass_g"
            guard f.exists(p) else { return nil }
            let m = try f.readDataset(at: p, as: Double.self).values
            guard m.count == grid.voxelCount, m.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
            let ml = grid.voxelVolumeML
            return Volume(grid: grid, voxels: m.map { $0 / ml }, unit: "g/cm3")
        }
    }

    /// Loads both files and the regions; throws on mismatched grids unless `resample` (B trilinearly onto A).
    public init(fileA: String, fileB: String, labels: String?, labelNames: String?, resample: Bool,
         criteria: GammaCriteria) throws {
        self.fileA = fileA; self.fileB = fileB; self.criteria = criteria
        doseA = try Self.readDose(fileA)
        var b = try Self.readDose(fileB)
        // Both in Gy, or a Gy file against one without a unit (taken as Gy); never Gy against cGy or mGy.
        let unitA = doseA.unit.trimmingCharacters(in: .whitespaces), unitB = b.unit.trimmingCharacters(in: .whitespaces)
        if !unitA.isEmpty && !unitB.isEmpty && unitA.lowercased() != unitB.lowercased() {
            throw InputError(source: fileB, field: "unit", value: unitB,
                             reason: "differs from the unit of \(fileA) ('\(unitA)'); convert one of them first")
        }
        resampled = false
        if !b.grid.isSameGrid(as: doseA.grid) {
            guard resample else {
                throw InputError(source: fileB, field: "grid", value: b.grid.description,
                                 reason: "differs from the grid of \(fileA) (\(doseA.grid.description)); "
                                     + "pass --resample to resample B onto A's grid")
            }
            b = b.resampled(onto: doseA.grid, mode: .trilinear)
            resampled = true
        }
        doseB = b
        if let labels {
            var l = try VolumeFiles.readDouble(labels)
            if !l.grid.isSameGrid(as: doseA.grid) { l = l.resampled(onto: doseA.grid, mode: .nearest) }
            let table = try labelNames.map { try LabelTable.load($0).names } ?? [:]
            var names: [UInt16: String] = [:]
            for v in Set(l.voxels) where v != 0 {
                let label = try LabelValue.integer(v, source: labels)
                names[UInt16(label)] = table[label] ?? "label_\(label)"
            }
            regions = RegionMap(labels: l.converted(to: UInt16.self), names: names)
            regionSource = labels
        } else if let r = try Self.regionsFromDosimetryFile(fileA) ?? Self.regionsFromDosimetryFile(fileB) {
            var r = r
            if !r.labels.grid.isSameGrid(as: doseA.grid) { r.labels = r.labels.resampled(onto: doseA.grid, mode: .nearest) }
            regions = r
            regionSource = "regions + region_labels of the dosimetry file"
        } else {
            regions = nil
            regionSource = "none"
        }
        density = try Self.density(fromSimulationFile: fileA, grid: doseA.grid)
    }

    /// Runs every comparison.
    public mutating func compute(dvhBins: Int) throws {
        maps = try DoseComparison.differenceMaps(reference: doseA, evaluated: doseB)
        if let regions, !regions.names.isEmpty {
            let present = regions.voxelIndices().filter { !$0.value.isEmpty }
            let used = RegionMap(labels: regions.labels, names: regions.names.filter { present[$0.key] != nil })
            regionDifferences = try DoseComparison.regionMeanDifferences(reference: doseA, evaluated: doseB, regions: used,
                                                                         density: density)
            let idx = used.voxelIndices()
            let top = used.sortedLabels.flatMap { idx[$0]! }.reduce(0.0) { max($0, doseA.voxels[$1], doseB.voxels[$1]) }
            for l in used.sortedLabels {
                let name = used.names[l]!
                dvhA.append(try CumulativeDVH(region: name, doses: idx[l]!.map { doseA.voxels[$0] }, binCount: dvhBins,
                                              axisMaxGy: top > 0 ? top : nil))
                dvhB.append(try CumulativeDVH(region: name, doses: idx[l]!.map { doseB.voxels[$0] }, binCount: dvhBins,
                                              axisMaxGy: top > 0 ? top : nil))
            }
        }
        gamma = try GammaIndex.compute(reference: doseA, evaluated: doseB, criteria: criteria)
    }

    /// Text table: per region mean A, B, difference, D2/D50/D98 of A and B; then the gamma summary.
    public func renderTable() -> String {
        func f(_ x: Double) -> String { String(format: "%10.4g", x) }
        var s = "A (reference): \(fileA)\nB (evaluated): \(fileB)\(resampled ? " (resampled onto A's grid)" : "")\n"
        s += "regions: \(regionSource); means \(density != nil ? "mass-weighted (A's voxel masses)" : "per voxel")\n"
        if !regionDifferences.isEmpty {
            s += "  region                voxels     mean A (Gy) mean B (Gy)  B−A (%)     D2 A       D2 B      D50 A      D50 B      D98 A      D98 B\n"
            for (n, d) in regionDifferences.enumerated() {
                s += "  " + d.region.padding(toLength: 20, withPad: " ", startingAt: 0)
                s += String(format: "%8d  ", d.voxelCount) + f(d.referenceMeanGy) + "  " + f(d.evaluatedMeanGy)
                s += String(format: " %8.2f ", d.differencePercent)
                s += [dvhA[n].d2Gy, dvhB[n].d2Gy, dvhA[n].d50Gy, dvhB[n].d50Gy, dvhA[n].d98Gy, dvhB[n].d98Gy].map(f).joined(separator: " ")
                s += "\n"
            }
        }
        if let m = maps {
            let diffs = m.percentOfMaxReference.voxels
            let maxAbs = diffs.reduce(0.0) { max($0, abs($1)) }
            s += String(format: "max |B − A| = %.3g %% of max A (%.4g Gy)\n", maxAbs, m.maxReferenceGy)
        }
        if let g = gamma {
            s += String(format: "gamma %g %%/%g mm (global, threshold %g %% of max A): pass rate %.2f %% of %d voxels, mean γ %.3f, max γ %.3f\n",
                        criteria.doseDifferencePercent, criteria.distanceToAgreementMM, criteria.lowerDoseThresholdPercent,
                        100 * g.passRate, g.evaluatedVoxelCount, g.meanGamma, g.maxGamma)
        }
        return s
    }

    /// Writes the comparison: volumes `difference_gy`, `difference_percent_of_max`, `gamma`; tables
    /// `region_comparison`, `dvh`, `dvh_metrics`; group `/comparison`; provenance.
    public func write(to path: String) throws {
        try H5File.write(to: path) { f in
            if let m = maps {
                try f.writeVolume(AnyVolume(m.absoluteGy), at: "difference_gy")
                try f.writeVolume(AnyVolume(m.percentOfMaxReference), at: "difference_percent_of_max")
            }
            if let g = gamma { try f.writeVolume(AnyVolume(g.gamma), at: "gamma") }
            if !regionDifferences.isEmpty {
                let r = regionDifferences
                try f.writeTable(Table(columns: [
                    .init("region", .string(r.map(\.region))), .init("label", .int(r.map { Int64($0.label) })),
                    .init("voxels", .int(r.map { Int64($0.voxelCount) })),
                    .init("mean_a_gy", .double(r.map(\.referenceMeanGy)), unit: "Gy"),
                    .init("mean_b_gy", .double(r.map(\.evaluatedMeanGy)), unit: "Gy"),
                    .init("difference_percent", .double(r.map(\.differencePercent)), unit: "%"),
                ]), at: "region_comparison")
                var cols: [Table.Column] = [.init("dose_gy", .double(dvhA[0].doseAxisGy), unit: "Gy")]
                for (a, b) in zip(dvhA, dvhB) {
                    cols.append(.init(a.region + " A", .double(a.volumeFraction), unit: "1"))
                    cols.append(.init(b.region + " B", .double(b.volumeFraction), unit: "1"))
                }
                try f.writeTable(Table(columns: cols), at: "dvh")
                try f.writeTable(Table(columns: [
                    .init("region", .string(dvhA.map(\.region))),
                    .init("d2_a_gy", .double(dvhA.map(\.d2Gy)), unit: "Gy"), .init("d2_b_gy", .double(dvhB.map(\.d2Gy)), unit: "Gy"),
                    .init("d50_a_gy", .double(dvhA.map(\.d50Gy)), unit: "Gy"), .init("d50_b_gy", .double(dvhB.map(\.d50Gy)), unit: "Gy"),
                    .init("d98_a_gy", .double(dvhA.map(\.d98Gy)), unit: "Gy"), .init("d98_b_gy", .double(dvhB.map(\.d98Gy)), unit: "Gy"),
                ]), at: "dvh_metrics")
            }
            let g = "/comparison"
            try f.createGroup(g)
            try f.setAttribute("file_a", .string(fileA), at: g)
            try f.setAttribute("file_b", .string(fileB), at: g)
            try f.setAttribute("resampled_b", .int(resampled ? 1 : 0), at: g)
            try f.setAttribute("regions", .string(regionSource), at: g)
            try f.setAttribute("mass_weighted", .int(density != nil ? 1 : 0), at: g)
            try f.setAttribute("gamma_dose_percent", .double(criteria.doseDifferencePercent), at: g)
            try f.setAttribute("gamma_dta_mm", .double(criteria.distanceToAgreementMM), at: g)
            try f.setAttribute("gamma_threshold_percent", .double(criteria.lowerDoseThresholdPercent), at: g)
            if let r = gamma {
                try f.setAttribute("gamma_pass_rate", .double(r.passRate), at: g)
                try f.setAttribute("gamma_evaluated_voxels", .int(Int64(r.evaluatedVoxelCount)), at: g)
                try f.setAttribute("gamma_mean", .double(r.meanGamma), at: g)
                try f.setAttribute("gamma_max", .double(r.maxGamma), at: g)
            }
            try f.writeProvenance(Provenance(settings: SoftwareInfo.provenanceAttributes
                                                .merging(["file_a": .string(fileA), "file_b": .string(fileB)]) { $1 }))
        }
    }
}
