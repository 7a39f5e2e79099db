import Foundation
import RPTCore
import RPTDosimetry
import RPTStore
import RPTVolume

/// One cycle's dosimetry as written by `rptdose dosimetry` (`dosimetry.h5`, layout in
/// docs/formats/hdf5.md "Dosimetry results"), read back for the report. Every number the report
/// prints about the cycle comes from here.
public struct CycleDosimetryRecord: Sendable {
    /// The `dosimetry.h5` read.
    public var path: String
    public var cycle: Int
    public var administeredActivityGBq: Double
    public var administrationTime: String
    public var nuclide: String
    public var tiaMapMethod: String
    public var partialVolumeCorrection: String
    public var decays: UInt64
    public var partial: Bool
    public var notes: [String]
    /// The RPTDose that wrote the file: version and git commit (root attributes), e.g. "0.1.0 (commit 4df7af7…)".
    public var softwareVersion: String
    /// Git commit of the software that wrote the file (root attribute `git_commit`; "unknown" when not recorded).
    public var gitCommit: String
    public var provenance: Provenance
    /// `/tables/regions`, one row per reported region, in file order.
    public var regions: [RegionDoseRecord]
    /// `/fits/<region>` of every region with a time-activity analysis (including `(unlabelled)`).
    public var fits: [RegionFitRecord]
    /// Red-marrow attributes (`/dosimetry/red_marrow`), when present.
    public var marrow: [String: Double]
    public var marrowBloodMethod: String?
    /// Absorbed dose of the cycle (Gy) on the dose grid.
    public var dose: Volume<Double>
    /// Relative standard uncertainty of each voxel dose (`/volumes/dose_rel_uncertainty`), nil when the dose
    /// method defines none.
    public var doseRelativeUncertainty: Volume<Double>? = nil
    /// `/registration` (docs/formats/hdf5.md): what the registration of each time point found, with its QA slices;
    /// empty when the study was not registered.
    public var registrations: [RegistrationQARecord] = []
    /// Region number per dose-grid voxel (0 = unlabelled, n = `regionLabels[n − 1]`).
    public var regionMap: Volume<Double>
    /// Names of the region numbers of `regionMap`, 1-based.
    public var regionLabels: [String]

    /// The row of region `name`.
    public func region(_ name: String) -> RegionDoseRecord? { regions.first { $0.region == name } }
    /// The fit of region `name`.
    public func fit(_ name: String) -> RegionFitRecord? { fits.first { $0.region == name } }

    /// Voxel doses (Gy) of a region on the dose grid (from `/volumes/dose` and `/volumes/regions`).
    public func voxelDoses(of name: String) -> [Double] {
        guard let n = regionLabels.firstIndex(of: name) else { return [] }
        let value = Double(n + 1)
        var out: [Double] = []
        for (i, r) in regionMap.voxels.enumerated() where r == value { out.append(dose.voxels[i]) }
        return out
    }

    /// Voxel relative uncertainties of a region, in the order of `voxelDoses(of:)`; nil without them.
    public func voxelRelativeUncertainties(of name: String) -> [Double]? {
        guard let u = doseRelativeUncertainty, let n = regionLabels.firstIndex(of: name) else { return nil }
        let value = Double(n + 1)
        var out: [Double] = []
        for (i, r) in regionMap.voxels.enumerated() where r == value { out.append(u.voxels[i]) }
        return out
    }

    /// Whether the region's D2, D50 and D98 can be trusted at this number of decays (`DVHReliability`), keyed by x.
    public func dvhReliability(of name: String) -> [Double: DVHReliability] {
        let doses = voxelDoses(of: name)
        guard !doses.isEmpty else { return [:] }
        let u = voxelRelativeUncertainties(of: name)
        var out: [Double: DVHReliability] = [:]
        for x in [2.0, 50, 98] { out[x] = DVHReliability(percent: x, doses: doses, relativeUncertainties: u) }
        return out
    }

    /// Reads `dosimetry.h5`.
    /// - Throws: `InputError` naming the file and the missing object for anything absent or malformed.
    public static func load(path: String) throws -> CycleDosimetryRecord {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(source: path, reason: "dosimetry result not found (written by `rptdose dosimetry`)")
        }
        return try H5File.read(path) { f in
            let g = "/dosimetry"
            guard f.kind(of: g) == .group else {
                throw InputError(source: path, field: g, reason: "not a dosimetry result (no /dosimetry group)")
            }
            let table = try f.readTable(at: "regions")
            let regions = try RegionDoseRecord.rows(of: table, source: path)
            var fits: [RegionFitRecord] = []
            if f.kind(of: "/fits") == .group {
                for name in try f.members(of: "/fits") {
                    fits.append(try RegionFitRecord.read(from: f, group: "/fits/" + name, region: name))
                }
            }
            var marrow: [String: Double] = [:]
            var bloodMethod: String?
            let mg = g + "/red_marrow"
            if f.kind(of: mg) == .group {
                for name in try f.attributeNames(at: mg) {
                    let v = try f.attribute(name, at: mg)
                    if let d = v.asDouble { marrow[name] = d } else if name == "blood_method" { bloodMethod = v.asString }
                }
            }
            let labelTable = try f.readTable(at: "region_labels")
            guard case .string(let labelNames)? = labelTable["region"]?.data,
                  case .int(let labelValues)? = labelTable["value"]?.data,
                  labelValues == labelNames.indices.map({ Int64($0 + 1) }) else {
                throw InputError(source: path, field: "/tables/region_labels", reason: "expected values 1…n with region names")
            }
            let dose = try f.readVolume(at: "dose").asDouble
            let regionMap = try f.readVolume(at: "regions").asDouble
            try dose.grid.requireSameGrid(as: regionMap.grid, source: path, field: "/volumes/regions")
            var uncertainty: Volume<Double>?
            if f.kind(of: "/volumes/dose_rel_uncertainty") == .group {
                let u = try f.readVolume(at: "dose_rel_uncertainty").asDouble
                try dose.grid.requireSameGrid(as: u.grid, source: path, field: "/volumes/dose_rel_uncertainty")
                uncertainty = u
            }
            let registrations = try RegistrationQARecord.readAll(from: f, source: path)
            var record = CycleDosimetryRecord(
                path: path,
                cycle: Int(try f.intAttribute("cycle", at: g)),
                administeredActivityGBq: try f.doubleAttribute("administered_activity_gbq", at: g),
                administrationTime: try f.stringAttribute("administration_time", at: g),
                nuclide: try f.stringAttribute("nuclide", at: g),
                tiaMapMethod: try f.stringAttribute("tia_map_method", at: g),
                partialVolumeCorrection: try f.stringAttribute("partial_volume_correction", at: g),
                decays: try f.attribute("decays", at: g).asUInt ?? 0,
                partial: (try f.attributeIfPresent("partial", at: g)?.asInt ?? 0) != 0,
                notes: try f.attributeIfPresent("notes", at: g)?.asStrings ?? [],
                softwareVersion: try f.attributeIfPresent("software_version")?.asString ?? "unknown",
                gitCommit: try f.attributeIfPresent("git_commit")?.asString ?? "unknown",
                provenance: try f.readProvenance(),
                regions: regions, fits: fits, marrow: marrow, marrowBloodMethod: bloodMethod,
                dose: dose, regionMap: regionMap, regionLabels: labelNames)
            record.doseRelativeUncertainty = uncertainty
            record.registrations = registrations
            return record
        }
    }
}

/// One row of the region table (`/tables/regions`; NaN = not applicable).
public struct RegionDoseRecord: Equatable, Sendable {
    public var region: String
    /// `organ`, `lesion` or `red_marrow`.
    public var kind: String
    public var massG: Double
    public var tiaBqS: Double
    public var tiaRelativeUncertainty: Double
    public var residenceTimeHours: Double
    public var meanDoseGy: Double
    public var dosePerGBqGy: Double
    public var minDoseGy: Double, maxDoseGy: Double
    public var d2Gy: Double, d50Gy: Double, d98Gy: Double
    public var mcRelativeUncertainty: Double
    public var fitRelativeUncertainty: Double
    public var combinedRelativeUncertainty: Double
    public var effectiveHalfLifeHours: Double
    public var kinetics: String

    /// The rows of the HDF5 region table (columns: `RegionTableSchema`).
    static func rows(of t: Table, source: String) throws -> [RegionDoseRecord] {
        try RegionTableSchema.rows(of: t, source: source).map { r in
            RegionDoseRecord(region: r.region, kind: r.kind.rawValue, massG: r.massG, tiaBqS: r.tiaBqS,
                             tiaRelativeUncertainty: r.tiaRelativeUncertainty, residenceTimeHours: r.residenceTimeHours,
                             meanDoseGy: r.meanDoseGy, dosePerGBqGy: r.dosePerGBqGy, minDoseGy: r.minDoseGy,
                             maxDoseGy: r.maxDoseGy, d2Gy: r.d2Gy, d50Gy: r.d50Gy, d98Gy: r.d98Gy,
                             mcRelativeUncertainty: r.mcRelativeUncertainty, fitRelativeUncertainty: r.fitRelativeUncertainty,
                             combinedRelativeUncertainty: r.combinedRelativeUncertainty,
                             effectiveHalfLifeHours: r.effectiveHalfLifeHours, kinetics: r.kineticsMethod)
        }
    }
}
