import Foundation
import RPTCore
import RPTImageIO
import RPTPhantom
import RPTStore
import RPTVolume

/// Writes the synthetic patient to a folder: CT, label map and its names, SPECT time points, blood
/// samples and the ground truth (layout in phantoms/synthetic/README.md).
enum SyntheticPatientWriter {
    /// File name of a SPECT time point, e.g. `spect_c1_024h`.
    static func spectStem(cycle: Int, timeHours: Double) -> String {
        String(format: "spect_c%d_%03.0fh", cycle, timeHours)
    }

    /// Writes every file; `ext` is an image extension (`.nii.gz`, `.nii`, `.mhd`, `.h5`).
    /// - Returns: the paths written.
    @discardableResult
    static func write(_ p: SyntheticPatient, to dir: String, ext: String) throws -> [String] {
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
        }
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
        return written
    }

    /// The ground truth as a JSON object: regions with volume, mass and true TIA; true activities per scan.
    static func truthJSON(_ p: SyntheticPatient) -> [String: Any] {
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
}
