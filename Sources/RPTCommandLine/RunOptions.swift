import ArgumentParser
import Foundation
import RPTCore
import RPTTransport

/// Run-control options shared by every command that runs the Monte Carlo.
struct RunOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Number of decays (histories) to simulate; with --target-uncertainty, the maximum.",
            transform: { try WholeNumberOption.parse($0, option: "--decays", minimum: 1) })
    var decays: UInt64 = 1_000_000
    @Option(help: "Stop when the ROI's relative standard uncertainty reaches this value (e.g. 0.01 for 1 %).")
    var targetUncertainty: Double?
    @Option(help: "Uncertainty the target applies to: roi-mean or roi-median-voxel.")
    var criterion: String = UncertaintyCriterion.roiMean.rawValue
    @Option(parsing: .unconditional, help: "Worker threads (default: all cores).",
            transform: { Int(try WholeNumberOption.parse($0, option: "--threads", minimum: 1, maximum: 4096)) })
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(parsing: .unconditional, help: "Master seed of the random streams.",
            transform: { try WholeNumberOption.parse($0, option: "--seed", minimum: 0) })
    var seed: UInt64 = 1
    @Option(help: "Stop after this many seconds with a valid (partial) result.")
    var maxTime: Double?
    @Option(help: "Seconds between checkpoints.")
    var checkpointInterval: Double = 300
    @Flag(help: "Print no progress.")
    var quiet = false
    @Flag(help: "Turn every acceleration (range rejection) off, for validation.")
    var noAccelerations = false
    @Option(help: ArgumentHelp("Largest fraction of its energy an electron loses continuously in one step (0 < F ≤ 0.5).",
                               discussion: "0.2 (default): Lu-177 energy containment is step-converged, but electron point-kernel shapes match EGSnrc only at 0.01 (0.02–0.03 off in F(0.7 r₀) at 0.2); use 0.01–0.05 for high-energy β emitters (e.g. Y-90) and kernel validation: see docs/methods/transport.md."))
    var maxEnergyLossFraction: Double = TransportSettings().maxEnergyLossFraction
    @Option(help: ArgumentHelp("Photon energy-deposition estimator: analog (default) or track-length.",
                               discussion: "track-length scores the photons' kerma along their flights (valid where secondary-electron ranges are far below the voxel size, as for Lu-177 photons in mm voxels); fewer decays for the same uncertainty in photon-dominated doses such as the red marrow: see docs/methods/variance-reduction.md."))
    var photonEstimator: String = TransportSettings().photonEstimator.rawValue
    @Option(help: ArgumentHelp("Decay-position sampling from the activity map: analog (default) or systematic.",
                               discussion: "systematic stratifies the decays over the activity in batches of 16 384 (σ from ≥ 30 batches); fewer decays for the same voxel uncertainty where β self-dose dominates, such as the kidneys: see docs/methods/variance-reduction.md."))
    var sourceSampling: String = TransportSettings().sourceSampling.rawValue

    func control() throws -> RunControl {
        guard let c = UncertaintyCriterion(rawValue: criterion) else {
            throw InputError(source: "--criterion", value: criterion,
                             reason: "valid: " + UncertaintyCriterion.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let t = targetUncertainty, !(t > 0 && t < 1) {
            throw InputError(source: "--target-uncertainty", value: "\(t)", reason: "must be between 0 and 1 (e.g. 0.01)")
        }
        guard threads >= 1 else { throw InputError(source: "--threads", value: "\(threads)", reason: "must be ≥ 1") }
        guard decays >= 1 else { throw InputError(source: "--decays", value: "\(decays)", reason: "must be ≥ 1") }
        guard maxEnergyLossFraction > 0 && maxEnergyLossFraction <= 0.5 else {
            throw InputError(source: "--max-energy-loss-fraction", value: "\(maxEnergyLossFraction)", reason: "must be in (0, 0.5]")
        }
        guard let estimator = PhotonEstimator(rawValue: photonEstimator) else {
            throw InputError(source: "--photon-estimator", value: photonEstimator,
                             reason: "valid: " + PhotonEstimator.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard SourceSampling(rawValue: sourceSampling) != nil else {
            throw InputError(source: "--source-sampling", value: sourceSampling,
                             reason: "valid: " + SourceSampling.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if noAccelerations && estimator != .analog {
            throw InputError(source: "--photon-estimator", value: photonEstimator,
                             reason: "--no-accelerations runs the analogue estimator; drop one of the two options")
        }
        if let t = maxTime, !(t > 0 && t.isFinite) {
            throw InputError(source: "--max-time", value: "\(t)", reason: "must be a finite number of seconds > 0")
        }
        // NaN or ≤ 0 would mean no checkpoint ever (or one per batch): a killed run would lose its work.
        guard checkpointInterval > 0 && checkpointInterval.isFinite else {
            throw InputError(source: "--checkpoint-interval", value: "\(checkpointInterval)", reason: "must be a finite number of seconds > 0")
        }
        return RunControl(decays: decays, targetUncertainty: targetUncertainty, criterion: c, maxTimeSeconds: maxTime,
                          threads: threads, checkpointIntervalSeconds: checkpointInterval)
    }

    var settings: TransportSettings {
        var s = TransportSettings()
        s.maxEnergyLossFraction = maxEnergyLossFraction
        s.photonEstimator = PhotonEstimator(rawValue: photonEstimator) ?? s.photonEstimator  // checked in `control()`
        s.sourceSampling = SourceSampling(rawValue: sourceSampling) ?? s.sourceSampling  // checked in `control()`
        return noAccelerations ? s.withoutAccelerations : s
    }
}

/// A whole-number option whose value may look like an option (`--decays -5`): parsed here so that the
/// message says what is wrong with the value instead of "missing value".
enum WholeNumberOption {
    static func parse(_ text: String, option: String, minimum: UInt64, maximum: UInt64 = .max) throws -> UInt64 {
        let t = text.replacingOccurrences(of: "_", with: "")
        guard let v = UInt64(t), v >= minimum, v <= maximum else {
            let range = maximum == .max ? "≥ \(minimum)" : "\(minimum)…\(maximum)"
            throw InputError(source: option, value: text, reason: "expected a whole number \(range)")
        }
        return v
    }
}
