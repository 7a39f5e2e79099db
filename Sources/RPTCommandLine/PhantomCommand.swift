import ArgumentParser
import Foundation
import RPTCore
import RPTWorkflow
import RPTPhantom

/// `rptdose phantom`: writes the built-in synthetic patient.
struct PhantomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phantom",
        abstract: "Write the synthetic Lu-177 DOTATATE patient (CT, labels, SPECT time points, blood, truth).")

    @Option(help: "Output folder (created if missing).", completion: .directory) var out: String
    @Option(help: "Random seed of the CT noise, SPECT counts and blood samples.") var seed: UInt64 = 1
    @Option(help: "Grid size as NXxNYxNZ voxels.") var size: String = "128x128x100"
    @Option(help: "CT voxel size (mm).") var voxelMm: Double = 3.5
    @Option(help: "Image format extension: .nii.gz, .nii, .mhd, .mha, .h5.") var format: String = ".nii.gz"

    func run() throws {
        var config = SyntheticPatientConfig()
        config.seed = seed
        config.shape = try Self.parseSize(size)
        config.voxelSizeMM = SIMD3(repeating: voxelMm)
        let ext = format.hasPrefix(".") ? format : "." + format
        _ = try VolumeFiles.formatName("ct" + ext)  // an unknown format is refused before the patient is made
        let patient = try SyntheticPatient.generate(config: config)
        let files = try SyntheticPatientWriter.write(patient, to: out, ext: ext)
        print("wrote \(files.count) files to \(out)")
    }

    static func parseSize(_ s: String) throws -> SIMD3<Int> {
        let parts = s.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 3, parts.allSatisfy({ $0 > 0 }) else {
            throw InputError(source: "--size", value: s, reason: "expected three positive integers like 128x128x100")
        }
        return SIMD3(parts[0], parts[1], parts[2])
    }
}
