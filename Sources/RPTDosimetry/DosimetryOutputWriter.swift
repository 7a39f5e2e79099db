import Foundation
import RPTCore
import RPTStore
import RPTVolume

/// Writes one cycle's dosimetry to a folder: `dosimetry.h5`, `regions.csv`, `regions.json` and
/// `summary.json` (layouts: docs/formats/hdf5.md "Dosimetry", docs/formats/study-manifest.md "Outputs").
/// Every file is written atomically.
public enum DosimetryOutputWriter {
    public static let hdf5Name = "dosimetry.h5"
    public static let csvName = "regions.csv"
    public static let jsonName = "regions.json"
    public static let summaryName = "summary.json"

    /// - Parameters:
    ///   - settings: extra provenance (run control, fingerprint, command line …).
    /// - Returns: the paths written.
    @discardableResult
    public static func write(_ result: CycleDosimetryResult, setup: CycleDosimetrySetup, to dir: String,
                             seed: UInt64, settings: [String: String] = [:]) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let h5 = dir + "/" + hdf5Name
        try writeHDF5(result, setup: setup, to: h5, seed: seed, settings: settings)
        let csv = dir + "/" + csvName
        try AtomicFile.write(Data(csvText(result).utf8), to: csv)
        let json = dir + "/" + jsonName
        try AtomicFile.write(try jsonData(regionObjects(result)), to: json)
        let summary = dir + "/" + summaryName
        try AtomicFile.write(try jsonData(summaryObject(result, setup: setup)), to: summary)
        return [h5, csv, json, summary]
    }

    /// Column names of `regions.csv` and keys of every `regions.json` object, in order (`RegionTableSchema`).
    public static var columns: [String] { RegionTableSchema.names }

    static func values(_ r: RegionDoseRow) -> [Any] { RegionTableSchema.values(r) }

    static func csvText(_ result: CycleDosimetryResult) -> String {
        func field(_ v: Any) -> String {
            if let d = v as? Double { return d.isFinite ? "\(d)" : "" }
            let s = "\(v)"
            return s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return columns.joined(separator: ",") + "\n"
            + result.rows.map { values($0).map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func clean(_ v: Any) -> Any {
        if let d = v as? Double { return d.isFinite ? d : NSNull() }
        return v
    }

    static func regionObjects(_ result: CycleDosimetryResult) -> [[String: Any]] {
        result.rows.map { row in
            var o = Dictionary(uniqueKeysWithValues: zip(columns, values(row).map(clean)))
            if row.kind == .redMarrow, let m = result.marrow {
                o["self_dose_gy"] = m.selfDoseGy
                o["cross_dose_gy"] = clean(m.crossDoseGy)
                o["blood_tia_concentration_bq_s_per_ml"] = m.bloodTIAConcentrationBqSPerML
            }
            // Kinetics details (docs/methods/kinetics.md): method, points and prior weight; half-life change.
            if !row.kineticsDetail.isEmpty { o["kinetics_detail"] = row.kineticsDetail }
            if let prior = row.priorName {
                o["kinetics_prior"] = prior
                o["kinetics_prior_tia_fraction"] = clean(row.priorTIAFraction)
            }
            if row.halfLifeChange.isFinite {
                o["half_life_change_vs_cycle1"] = row.halfLifeChange
                o["half_life_change_uncertainty"] = clean(row.halfLifeChangeUncertainty)
            }
            return o
        }
    }

    static func summaryObject(_ result: CycleDosimetryResult, setup: CycleDosimetrySetup) -> [String: Any] {
        var o: [String: Any] = [
            "format_version": 1, "cycle": result.cycle, "administered_activity_gbq": result.administeredActivityGBq,
            "administration_time": ManifestFieldReader.format(setup.cycle.administrationTime),
            "manifest": setup.manifest.path, "arm": setup.manifest.arm.rawValue, "decays": result.decays,
            "partial": result.partial, "dose_method": result.method, "tia_map_method": setup.tiaMap.method.rawValue,
            "partial_volume_correction": setup.activities.correction, "notes": result.notes,
            "lesions": result.rows.filter { $0.kind == .lesion }.map {
                ["region": $0.region, "dose_per_gbq_gy": clean($0.dosePerGBqGy),
                 "combined_rel_uncertainty": clean($0.combinedRelativeUncertainty)]
            },
        ]
        o["registration"] = registrationSummary(setup)
        if let k = result.kidneys {
            o["kidneys"] = ["regions": k.regions, "dose_per_gbq_gy": clean(k.dosePerGBqGy),
                            "mc_rel_uncertainty": clean(k.mcRelativeUncertainty),
                            "fit_rel_uncertainty": clean(k.fitRelativeUncertainty),
                            "combined_rel_uncertainty": clean(k.combinedRelativeUncertainty),
                            "effective_decay_per_h": clean(k.effectiveDecayPerHour)]
        }
        if let m = result.marrow {
            o["red_marrow"] = ["self_dose_gy": m.selfDoseGy, "cross_dose_gy": clean(m.crossDoseGy),
                               "total_dose_gy": m.totalDoseGy, "dose_per_gbq_gy": m.totalDoseGy / result.administeredActivityGBq,
                               "mass_g": m.marrowMassG, "marrow_to_blood_ratio": m.marrowToBloodRatio,
                               "blood_tia_concentration_bq_s_per_ml": m.bloodTIAConcentrationBqSPerML,
                               "blood_method": m.bloodMethod, "mc_rel_uncertainty": clean(m.mcRelativeUncertainty),
                               "fit_rel_uncertainty": m.fitRelativeUncertainty,
                               // An undefined (NaN) Monte Carlo term (kernel methods) counts as 0, as for `RegionDoseRow`.
                               "combined_rel_uncertainty": clean(((m.mcRelativeUncertainty.isNaN ? 0 : m.mcRelativeUncertainty * m.mcRelativeUncertainty)
                                                            + m.fitRelativeUncertainty * m.fitRelativeUncertainty).squareRoot())]
        }
        return o
    }

    static func jsonData(_ object: Any) throws -> Data {
        var d = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        d.append(0x0A)
        return d
    }

    static func writeHDF5(_ result: CycleDosimetryResult, setup: CycleDosimetrySetup, to path: String, seed: UInt64,
                          settings: [String: String]) throws {
        try H5File.write(to: path) { f in
            try f.writeVolume(AnyVolume(result.dose), at: "dose")
            if let u = result.doseRelativeUncertainty { try f.writeVolume(AnyVolume(u), at: "dose_rel_uncertainty") }
            try f.writeVolume(AnyVolume(result.tiaMap), at: "tia")
            try f.writeVolume(AnyVolume(result.regionMap), at: "regions")
            try f.writeTable(RegionTableSchema.table(result.rows), at: "regions")
            // Region numbers of the /volumes/regions map.
            try f.writeTable(Table(columns: [
                .init("value", .int(result.regionNames.indices.map { Int64($0 + 1) })),
                .init("region", .string(result.regionNames)),
            ]), at: "region_labels")
            // Time-activity data, one row per (region, time point).
            let act = setup.activities
            var tRegion: [String] = [], tTime: [Double] = [], tMeasured: [Double] = [], tCorrected: [Double] = []
            for (r, name) in (act.regionNames + [CycleDosimetrySetup.unlabelledName]).enumerated() {
                for (t, h) in act.timesHours.enumerated() {
                    tRegion.append(name); tTime.append(h)
                    tMeasured.append(r < act.regionNames.count ? act.measuredBq[r][t] : .nan)
                    tCorrected.append(r < act.regionNames.count ? act.correctedBq[r][t] : act.unlabelledBq[t])
                }
            }
            try f.writeTable(Table(columns: [
                .init("region", .string(tRegion)), .init("time_h", .double(tTime), unit: "h"),
                .init("measured_bq", .double(tMeasured), unit: "Bq"), .init("corrected_bq", .double(tCorrected), unit: "Bq"),
            ]), at: "time_activity")
            // DVHs on a common dose axis.
            if let first = result.dvhs.first {
                var cols: [Table.Column] = [.init("dose_gy", .double(first.doseAxisGy), unit: "Gy")]
                for d in result.dvhs { cols.append(.init(d.region, .double(d.volumeFraction), unit: "1")) }
                try f.writeTable(Table(columns: cols), at: "dvh")
            }
            // Fits.
            try f.createGroup("/fits")
            for k in setup.kinetics + [setup.unlabelledKinetics] {
                let g = "/fits/" + k.region
                try f.createGroup(g)
                try f.setAttribute("method", .string(k.method), at: g)
                try f.setAttribute("model", .string(k.curve?.model.rawValue ?? "none"), at: g)
                try f.setAttribute("parameter_names", .strings(k.curve?.model.parameterNames ?? []), at: g)
                try f.setAttribute("parameters", .doubles(k.curve?.parameters ?? []), at: g)
                try f.setAttribute("covariance", .doubles(k.parameterCovariance), at: g)
                try f.setAttribute("tia_bq_s", .double(k.tiaBqS), at: g)
                try f.setAttribute("tia_standard_uncertainty_bq_s", .double(k.timeIntegratedActivity.standardUncertaintyBqS), at: g)
                try f.setAttribute("effective_decay_per_s", .double(k.effectiveDecayPerSecond), at: g)
                try f.setAttribute("time_h", .doubles(k.points.map(\.timeHours)), at: g)
                try f.setAttribute("activity_bq", .doubles(k.points.map(\.activityBq)), at: g)
                try f.setAttribute("aicc_models", .strings(k.aicc.map(\.model.rawValue)), at: g)
                try f.setAttribute("aicc_values", .doubles(k.aicc.map(\.value)), at: g)
                try f.setAttribute("note", .string(k.note), at: g)
                if let prior = k.priorName {
                    try f.setAttribute("prior", .string(prior), at: g)
                    try f.setAttribute("prior_tia_fraction", .double(k.priorTIAFraction), at: g)
                }
                if k.halfLifeChange.isFinite {
                    try f.setAttribute("half_life_change_vs_cycle1", .double(k.halfLifeChange), at: g)
                    try f.setAttribute("half_life_change_uncertainty", .double(k.halfLifeChangeUncertainty), at: g)
                }
            }
            // Cycle-level record.
            let g = "/dosimetry"
            try f.createGroup(g)
            try f.setAttribute("cycle", .int(Int64(result.cycle)), at: g)
            try f.setAttribute("administered_activity_gbq", .double(result.administeredActivityGBq), at: g)
            try f.setAttribute("administration_time", .string(ManifestFieldReader.format(setup.cycle.administrationTime)), at: g)
            try f.setAttribute("reference_time_point", .int(Int64(setup.cycle.referenceIndex)), at: g)
            try f.setAttribute("tia_map_method", .string(setup.tiaMap.method.rawValue), at: g)
            try f.setAttribute("dose_method", .string(result.method), at: g)
            try f.setAttribute("partial_volume_correction", .string(setup.activities.correction), at: g)
            try f.setAttribute("nuclide", .string(setup.nuclide.name), at: g)
            try f.setAttribute("decays", .uint(result.decays), at: g)
            try f.setAttribute("partial", .int(result.partial ? 1 : 0), at: g)
            try f.setAttribute("notes", .strings(result.notes), at: g)
            if let k = result.kidneys {
                try f.setAttribute("kidney_regions", .strings(k.regions), at: g)
                try f.setAttribute("kidney_dose_per_gbq_gy", .double(k.dosePerGBqGy), at: g)
                try f.setAttribute("kidney_combined_rel_uncertainty", .double(k.combinedRelativeUncertainty), at: g)
                try f.setAttribute("kidney_effective_decay_per_h", .double(k.effectiveDecayPerHour), at: g)
            }
            if let m = result.marrow {
                let mg = g + "/red_marrow"
                try f.createGroup(mg)
                try f.setAttribute("self_dose_gy", .double(m.selfDoseGy), at: mg)
                try f.setAttribute("cross_dose_gy", .double(m.crossDoseGy), at: mg)
                try f.setAttribute("total_dose_gy", .double(m.totalDoseGy), at: mg)
                try f.setAttribute("marrow_mass_g", .double(m.marrowMassG), at: mg)
                try f.setAttribute("marrow_tia_bq_s", .double(m.marrowTIABqS), at: mg)
                try f.setAttribute("marrow_to_blood_ratio", .double(m.marrowToBloodRatio), at: mg)
                try f.setAttribute("blood_tia_concentration_bq_s_per_ml", .double(m.bloodTIAConcentrationBqSPerML), at: mg)
                try f.setAttribute("blood_tia_concentration_sd_bq_s_per_ml", .double(m.bloodTIAConcentrationUncertaintyBqSPerML), at: mg)
                try f.setAttribute("blood_method", .string(m.bloodMethod), at: mg)
                try f.setAttribute("electron_energy_per_decay_mev", .double(m.electronEnergyPerDecayMeV), at: mg)
                try f.setAttribute("cross_mc_rel_uncertainty", .double(m.crossMCRelativeUncertainty), at: mg)
            }
            try writeRegistration(f, setup: setup)
            var prov: [String: H5AttributeValue] = [
                "manifest": .string(setup.manifest.path), "cycle": .int(Int64(result.cycle)),
                "patient_sex": .string(setup.manifest.patient.sex.rawValue),
                "patient_mass_kg": .double(setup.manifest.patient.massKg),
                "activity_relative_uncertainty": .double(setup.manifest.activityRelativeUncertainty),
                "activity_common_relative_uncertainty": .double(setup.manifest.activityCommonRelativeUncertainty),
            ]
            if let h = setup.manifest.haematocrit { prov["haematocrit"] = .double(h) }
            prov["method"] = .string(result.method)
            prov["registration"] = .string(setup.manifest.registration.rawValue)
            for (k, v) in settings where !Provenance.reservedKeys.contains(k) { prov[k] = .string(v) }
            try f.writeProvenance(Provenance(seed: seed, settings: prov))
        }
    }
}
