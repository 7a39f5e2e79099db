import ArgumentParser
import Foundation
import RPTCore
import RPTPhantom
import RPTStore
import RPTVolume

/// `rptdose demo`: the main job on the built-in synthetic patient, with no input data.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the main job on the built-in synthetic patient (no data needed).")

    @Option(help: "Output folder.") var out: String = "demo-output"
    @Option(help: "Random seed.") var seed: UInt64 = 1

    func run() throws {
        let start = Date()
        var config = SyntheticPatientConfig()
        config.seed = seed
        let patient = try SyntheticPatient.generate(config: config)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let studyDir = out + "/study"
        try SyntheticPatientWriter.write(patient, to: studyDir, ext: ".nii.gz")
        let h5 = out + "/synthetic-patient.h5"
        try H5File.write(to: h5) { f in
            try f.writeVolume(AnyVolume(patient.ct), at: "ct")
            try f.writeVolume(AnyVolume(patient.labels), at: "labels")
            for s in patient.spectTimePoints {
                try f.writeVolume(AnyVolume(s.image), at: SyntheticPatientWriter.spectStem(cycle: s.cycle, timeHours: s.timeHours))
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
        print("Synthetic patient (seed \(seed)): CT \(patient.ct.grid.description)")
        print("  \(patient.spectTimePoints.count) SPECT time points, \(patient.bloodSamples.count) blood samples")
        print("  region            mass (g)   true TIA (MBq·h)")
        for n in ["kidney_left", "kidney_right", "liver", "spleen", "red_marrow", "tumor_1", "tumor_2", "tumor_3"] {
            let r = try patient.truth.region(named: n)
            print("  " + n.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "%9.1f   %12.1f", r.massG, r.timeIntegratedActivityBqS / 3.6e9))
        }
        print(String(format: "done in %.1f s. Results: %@ (HDF5), %@ (images)", Date().timeIntervalSince(start), h5, studyDir))
    }
}
