import Foundation
import RPTCore
import RPTImageIO
import RPTPhantom
import RPTStore
import RPTVolume

/// Writes the synthetic patient to a folder: CT, label map and its names, SPECT time points, blood
/// samples, the ground truth (layout in phantoms/synthetic/README.md) and a study manifest
/// (`manifest.yaml`, docs/formats/study-manifest.md) for `rptdose dosimetry` and `rptdose plan`.
///
/// A moving patient (`SyntheticPatientConfig.motion`) also gets each scan's own CT (`ct_c1_024h`) and label map
/// (`labels_c1_024h`, the segmentation of that scan's anatomy); its manifest gives every time point its own CT and
/// labels instead of the shared `ct`/`labels` (which show the unmoved reference anatomy, the frame of `tia_true`).
public enum SyntheticPatientWriter {
    /// File name of a SPECT time point, e.g. `spect_c1_024h`.
    public static func spectStem(cycle: Int, timeHours: Double) -> String {
        String(format: "spect_c%d_%03.0fh", cycle, timeHours)
    }

    /// File name of a moving patient's CT of one scan, e.g. `ct_c1_024h`.
    public static func ctStem(cycle: Int, timeHours: Double) -> String {
        String(format: "ct_c%d_%03.0fh", cycle, timeHours)
    }

    /// File name of a moving patient's label map of one scan, e.g. `labels_c1_024h`.
    public static func labelsStem(cycle: Int, timeHours: Double) -> String {
        String(format: "labels_c%d_%03.0fh", cycle, timeHours)
    }

    /// True when the patient moves between scans (each scan has its own CT and label map).
    static func moves(_ p: SyntheticPatient) -> Bool {
        p.spectTimePoints.contains { $0.ct != nil && $0.labels != nil }
    }

    /// Values accepted for the manifest key `registration` (docs/formats/study-manifest.md).
    public static let registrationModes = ["none", "rigid", "deformable"]

    /// Writes every file; `ext` is an image extension (`.nii.gz`, `.nii`, `.mhd`, `.h5`).
    /// - Parameters:
    ///   - dosimetryOutputs: cycle → output folder (relative to `dir`) recorded in the manifest.
    ///   - registration: the manifest's `registration:` (none, rigid, deformable); nil leaves the key out (none).
    /// - Returns: the paths written.
    @discardableResult
    public static func write(_ p: SyntheticPatient, to dir: String, ext: String, dosimetryOutputs: [Int: String] = [:],
                             registration: String? = nil) throws -> [String] {
        if let registration, !registrationModes.contains(registration) {
            throw InputError(source: "SyntheticPatientWriter", field: "registration", value: registration,
                             reason: "expected one of " + registrationModes.joined(separator: ", "))
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var written: [String] = []
        func image(_ v: AnyVolume, _ stem: String) throws {
            let path = dir + "/" + stem + ext
            try VolumeFiles.write(v, to: path, volume: stem)
            written.append(path)
        }
        try image(AnyVolume(p.ct), "ct")
        try image(AnyVolume(p.labels), "labels")
        for s in p.spectTimePoints {
            try image(AnyVolume(s.image), spectStem(cycle: s.cycle, timeHours: s.timeHours))
            if let ct = s.ct, let labels = s.labels {
                try image(AnyVolume(ct), ctStem(cycle: s.cycle, timeHours: s.timeHours))
                try image(AnyVolume(labels), labelsStem(cycle: s.cycle, timeHours: s.timeHours))
            }
        }
        try image(AnyVolume(p.trueTIAMap()), "tia_true")  // true Ã per voxel (Bq·s): an input for `simulate`
        let labelCSV = "label,name\n" + p.labelNames.keys.sorted().map { "\($0),\(p.labelNames[$0]!)" }.joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(labelCSV.utf8), to: dir + "/labels.csv")
        written.append(dir + "/labels.csv")
        let blood = "time_h,concentration_bq_per_ml\n"
            + p.bloodSamples.map { "\($0.timeHours),\($0.concentrationBqPerML)" }.joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(blood.utf8), to: dir + "/blood.csv")
        written.append(dir + "/blood.csv")
        let truth = try JSONOutput.string(truthJSON(p))
        try AtomicFile.write(Data(truth.utf8), to: dir + "/truth.json")
        written.append(dir + "/truth.json")
        try AtomicFile.write(Data(manifestYAML(p, ext: ext, dosimetryOutputs: dosimetryOutputs,
                                                   registration: registration).utf8), to: dir + "/manifest.yaml")
        written.append(dir + "/manifest.yaml")
        return written
    }

    /// Administration time of cycle 1 in the synthetic study; later cycles follow every 8 weeks.
    public static let firstAdministration = Date(timeIntervalSince1970: 1_736_154_000)  // 2025-01-06T09:00:00Z

    public static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }

    /// The study manifest of the synthetic patient: every scheduled cycle, one shared label map (unless it moves), blood
    /// samples in cycle 1 (the phantom's samples follow the first administration), the SPECT resolution
    /// of the phantom for the partial-volume correction (left out for a phantom without blur), and the kidney cortex
    /// and medulla grouped. A moving patient's time points each name their own CT and label map (no shared labels).
    public static func manifestYAML(_ p: SyntheticPatient, ext: String, dosimetryOutputs: [Int: String],
                                    registration: String? = nil) -> String {
        let c = p.config
        let moving = moves(p)
        let sharedLabels = moving ? "" : "labels:\n  image: labels\(ext)\n  names: labels.csv\n"
        let resolution = c.spectResolutionFWHMMM > 0
            ? "spect_resolution_fwhm_mm: \(c.spectResolutionFWHMMM)   # the phantom's SPECT resolution (geometric transfer matrix)\n" : ""
        var y = """
        # Study manifest of the RPTDose synthetic patient (seed \(c.seed)); format: docs/formats/study-manifest.md
        format_version: 1
        nuclide: Lu-177
        patient:
          id: synthetic-\(c.seed)
          sex: male              # ICRP 89 reference adult male body mass and height
          mass_kg: 73
          height_cm: 176
          kidney_risk_factors: false
        arm: investigational
        \(registration.map { "registration: \($0)\n" } ?? "")\(sharedLabels)region_groups:
          kidney_left: [kidney_left_cortex, kidney_left_medulla]
          kidney_right: [kidney_right_cortex, kidney_right_medulla]
        lesions: [tumor_1, tumor_2, tumor_3]
        marrow_region: red_marrow
        kidney_regions: [kidney_left, kidney_right]
        \(resolution)activity_relative_uncertainty: 0.05
        blood_relative_uncertainty: \(max(0.01, c.bloodSampleRelativeNoise))

        """
        if !dosimetryOutputs.isEmpty {
            y += "dosimetry_outputs:\n"
            for k in dosimetryOutputs.keys.sorted() { y += "  \(k): \(dosimetryOutputs[k]!)\n" }
        }
        y += "cycles:\n"
        for s in c.spectSchedule.sorted(by: { $0.cycle < $1.cycle }) {
            let admin = firstAdministration.addingTimeInterval(Double(s.cycle - 1) * 8 * 7 * 86400)
            y += "  - cycle: \(s.cycle)\n"
            y += "    administered_activity_gbq: \(c.administeredActivityBq / 1e9)\n"
            y += "    administration_time: \(iso(admin))\n"
            y += "    time_points:\n"
            for t in s.timesHours.sorted() {
                y += "      - time: \(iso(admin.addingTimeInterval(t * 3600)))\n"
                y += "        ct: \(moving ? ctStem(cycle: s.cycle, timeHours: t) : "ct")\(ext)\n"
                y += "        spect: {image: \(spectStem(cycle: s.cycle, timeHours: t))\(ext), unit: bq_per_ml}\n"
                if moving {
                    y += "        labels: {image: \(labelsStem(cycle: s.cycle, timeHours: t))\(ext), names: labels.csv}\n"
                }
            }
            if s.cycle == 1 && !p.bloodSamples.isEmpty {
                y += "    blood_samples:\n"
                for b in p.bloodSamples {
                    y += "      - {time: \(iso(admin.addingTimeInterval(b.timeHours * 3600))), bq_per_ml: \(b.concentrationBqPerML)}\n"
                }
            }
        }
        return y
    }

    /// The ground truth as a JSON object: regions with volume, mass and true TIA; true activities per scan.
    public static func truthJSON(_ p: SyntheticPatient) -> [String: Any] {
        let t = p.truth
        var named: [[String: Any]] = []
        let names = ["kidney_left", "kidney_right", "liver", "spleen", "red_marrow", "tumor_1", "tumor_2", "tumor_3",
                     "remainder", "body"]
        for n in names {
            if let r = try? t.region(named: n) {
                named.append(["region": n, "volume_ml": r.volumeML, "mass_g": r.massG,
                              "tia_bq_s": r.timeIntegratedActivityBqS])
            }
        }
        let scans: [[String: Any]] = t.timePoints.map { tp in
            ["cycle": tp.cycle, "time_h": tp.timeHours,
             "activity_bq_by_label": Dictionary(uniqueKeysWithValues: tp.activityBqByLabel.map { (String($0.key), $0.value) })]
        }
        return ["seed": p.config.seed, "administered_activity_bq": t.administeredActivityBq,
                "blood_tia_concentration_bq_s_per_ml": t.bloodTimeIntegratedConcentrationBqSPerML,
                "regions": named, "scans": scans]
    }

    /// Writes the patient's CT, labels and SPECT time points as volumes of one HDF5 file, with a `truth` table
    /// (region, mass, true TIA) and provenance.
    public static func writeHDF5(_ patient: SyntheticPatient, to h5: String, seed: UInt64) throws {
        try H5File.write(to: h5) { f in
            try f.writeVolume(AnyVolume(patient.ct), at: "ct")
            try f.writeVolume(AnyVolume(patient.labels), at: "labels")
            for s in patient.spectTimePoints {
                try f.writeVolume(AnyVolume(s.image), at: spectStem(cycle: s.cycle, timeHours: s.timeHours))
            }
            let names = ["kidney_left", "kidney_right", "liver", "spleen", "red_marrow", "tumor_1", "tumor_2", "tumor_3"]
            var mass: [Double] = [], tia: [Double] = []
            for n in names { let r = try patient.truth.region(named: n); mass.append(r.massG); tia.append(r.timeIntegratedActivityBqS) }
            try f.writeTable(Table(columns: [
                .init("region", .string(names)),
                .init("mass_g", .double(mass), unit: "g"),
                .init("true_tia_bq_s", .double(tia), unit: "Bq s"),
            ]), at: "truth")
            try f.writeProvenance(Provenance(commandLine: HDF5Store.currentCommandLine(), seed: seed,
                                             settings: ["phantom": "synthetic Lu-177 DOTATATE patient"]))
        }
    }
}
