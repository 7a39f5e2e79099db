import Foundation
import RPTCore
import RPTImageIO
import RPTPlanner
import RPTVolume

/// Writes a synthetic trial as study folders that `rptdose cohort` reads like a real study: per patient
/// `study.yaml` (manifest with arm, cycles, activities and `dosimetry_outputs`), `cycle-K/summary.json` (the
/// dose per activity of each organ and lesion, the keys `PlanRequestBuilder` reads, marked
/// `"method": "trial-sim organ-S"`) and `followup.csv` (REDCap layout). The manifests point to 4×4×4
/// placeholder images in `images/` (a manifest must name images): the synthetic doses come from the model,
/// not from these images — do not run `dosimetry` on them. `truth.json` states the ground truth; each patient's
/// `anatomy.json` the drawn anatomy (sex, height, mass, organ masses, lesions), the true spleen and liver doses per
/// activity and the toxicity rules' decisions during treatment.
public enum SyntheticTrialWriter {
    /// Writes the trial into `out` (created); returns the patient folders in order.
    @discardableResult
    public static func write(_ trial: SyntheticTrial, seed: UInt64, to out: String) throws -> [String] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: out + "/images", withIntermediateDirectories: true)
        let g = Grid3D(shape: SIMD3(4, 4, 4), spacing: SIMD3(repeating: 10))
        try ImageIO.write(AnyVolume(Volume<Float>(grid: g, voxels: .init(repeating: 0, count: 64), unit: "HU")), to: out + "/images/ct.nii")
        try ImageIO.write(AnyVolume(Volume<Float>(grid: g, voxels: .init(repeating: 0, count: 64), unit: "Bq/mL")), to: out + "/images/spect.nii")
        try ImageIO.write(AnyVolume(Volume<UInt16>(grid: g, voxels: (0..<64).map { UInt16($0 % (SyntheticAnatomy.maximumLesions + 3)) }, unit: "label")), to: out + "/images/labels.nii")
        let names = ["kidney_left", "kidney_right"] + (1...SyntheticAnatomy.maximumLesions).map { "tumor_\($0)" }
        try ("label,name\n" + names.enumerated().map { "\($0.offset + 1),\($0.element)" }.joined(separator: "\n") + "\n")
            .write(toFile: out + "/images/labels.csv", atomically: true, encoding: .utf8)
        let t = trial.truth
        let truth: [String: Any] = [
            "seed": seed, "patients": trial.patients.count,
            "dose_toxicity": ["outcome": "haematologic CTCAE grade >= 3", "intercept": t.toxicityIntercept, "slope_per_gy": t.toxicitySlopePerGy,
                              "neutropenia_share": t.neutropeniaShare],
            "renal_toxicity": ["outcome": "label renal-toxicity criteria met", "dose": "cumulative kidney BED (Gy)",
                               "intercept": t.renalIntercept, "slope_per_gy_bed": t.renalSlopePerGyBED],
            "dose_response": ["outcome": "lesion longest diameter -30 % or more at 6 months", "intercept": t.responseIntercept, "slope_per_gy": t.responseSlopePerGy],
            "platelet_nadir": ["model": "nadir/baseline = exp(slope * marrow dose) * lognormal(0.1)", "slope_per_gy": t.plateletNadirSlopePerGy],
            "time_to_progression": ["baseline_median_days": t.baselineMedianTTPDays, "dose_effect_per_100_gy": t.doseEffectOnHazardPer100Gy],
            "method": "docs/methods/cohort.md, Synthetic trial",
        ]
        try JSONSerialization.data(withJSONObject: truth, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: out + "/truth.json"))
        var folders: [String] = []
        let iso = ISO8601DateFormatter()
        for p in trial.patients {
            let dir = out + "/" + p.id
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var cycles = ""
            for (k, c) in p.cycles.enumerated() {
                let when = p.followUp.treatmentStart.addingTimeInterval(p.administrationDays[k] * 86_400 + 9 * 3600)
                cycles += """
                  - cycle: \(c.cycle)
                    administered_activity_gbq: \(c.activityGBq)
                    administration_time: \(iso.string(from: when))
                    time_points: [{time: \(iso.string(from: when.addingTimeInterval(86_400))), ct: ../images/ct.nii, spect: {image: ../images/spect.nii, unit: bq_per_ml}}]

                """
                // The dosimetry summary format (docs/formats/study-manifest.md, "Outputs"): version, cycle, activity and
                // administration time as in the manifest, a complete (not partial) result.
                let summary: [String: Any] = [
                    "format_version": 1, "partial": false, "administered_activity_gbq": c.activityGBq,
                    "administration_time": iso.string(from: when),
                    "cycle": c.cycle, "method": "trial-sim organ-S",
                    "kidneys": ["dose_per_gbq_gy": c.kidney.gyPerGBq, "combined_rel_uncertainty": c.kidney.relativeUncertainty,
                                "effective_decay_per_h": c.kidneyEffectiveDecayPerHour],
                    "red_marrow": ["dose_per_gbq_gy": c.marrow.gyPerGBq, "combined_rel_uncertainty": c.marrow.relativeUncertainty],
                    "lesions": c.lesions.map { ["region": $0.lesion, "dose_per_gbq_gy": $0.dose.gyPerGBq, "combined_rel_uncertainty": $0.dose.relativeUncertainty] },
                ]
                try fm.createDirectory(atPath: dir + "/cycle-\(c.cycle)", withIntermediateDirectories: true)
                try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
                    .write(to: URL(fileURLWithPath: dir + "/cycle-\(c.cycle)/summary.json"))
            }
            let outputs = p.cycles.map { "\($0.cycle): cycle-\($0.cycle)" }.joined(separator: ", ")
            try """
            # Synthetic trial patient (rptdose trial-sim); doses from the model, images are placeholders.
            format_version: 1
            patient: {id: \(p.id), sex: \(p.anatomy.sex.rawValue), mass_kg: \(String(format: "%.1f", p.anatomy.massKg)), height_cm: \(String(format: "%.1f", p.anatomy.heightCm))}
            arm: \(p.arm.rawValue)
            labels: {image: ../images/labels.nii, names: ../images/labels.csv}
            dosimetry_outputs: {\(outputs)}
            cycles:

            """.appending(cycles).write(toFile: dir + "/" + CohortStudyLoader.manifestName, atomically: true, encoding: .utf8)
            let a = p.anatomy
            let anatomy: [String: Any] = [
                "sex": a.sex.rawValue, "height_cm": a.heightCm, "mass_kg": a.massKg, "body_surface_area_m2": a.bodySurfaceAreaM2,
                "kidneys_kg": a.kidneysKg, "spleen_kg": a.spleenKg, "liver_kg": a.liverKg, "red_marrow_kg": a.redMarrowKg,
                "spleen_dose_per_gbq_gy": p.spleenGyPerGBq, "liver_dose_per_gbq_gy": p.liverGyPerGBq,
                "lesions": a.lesions.map { ["region": $0.name, "organ": $0.organ, "volume_ml": $0.volumeML,
                                            "longest_diameter_mm": $0.longestDiameterMM, "short_axis_mm": $0.shortAxisMM] },
                "administration_days": p.administrationDays, "toxicity_decisions": p.toxicityDecisions, "discontinued": p.discontinued,
                "method": "docs/methods/cohort.md, Synthetic trial",
            ]
            try JSONSerialization.data(withJSONObject: anatomy, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: dir + "/anatomy.json"))
            try REDCapFollowUpImport.csv([p.followUp]).write(toFile: dir + "/" + CohortStudyLoader.followUpName, atomically: true, encoding: .utf8)
            folders.append(dir)
        }
        return folders
    }
}
