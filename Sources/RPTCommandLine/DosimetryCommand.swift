import ArgumentParser
import Foundation
import RPTCore
import RPTDosimetry
import RPTWorkflow

/// `rptdose dosimetry`: one cycle of a study, from images and blood samples to region doses.
struct DosimetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dosimetry",
        abstract: "Per-cycle organ, tumour and red-marrow doses of a study (manifest: docs/formats/study-manifest.md).")

    @Argument(help: "Study manifest (YAML).", completion: .file()) var study: String
    @Option(help: "Cycle number.") var cycle: Int
    @Option(help: "Output folder (dosimetry.h5, regions.csv, regions.json, summary.json).", completion: .directory) var out: String
    @Option(help: "TIA map for the transport: hybrid or voxel.") var tiaMap: String = TIAMapMethod.hybrid.rawValue
    @Option(help: "Reduced-time-point method for cycles with < 4 scans: cycle1_clearance, cycle1_shape, two_point, hanscheid, madsen (default: the manifest's, else cycle1_clearance with ≥ 2 scans, cycle1_shape with 1).")
    var reducedMethod: String?
    @Option(help: "CT calibration folder (density.csv, materials.csv); default phantoms/scanners/default.", completion: .directory)
    var calibration: String?
    @Flag(help: "Continue an interrupted Monte Carlo run from its checkpoint.") var resume = false
    @Flag(help: "Start afresh even though an interrupted run of this output left a resumable checkpoint (discarded).")
    var overwrite = false
    @OptionGroup var options: RunOptions
    @OptionGroup var methodOptions: DoseMethodOptions

    func run() throws {
        guard let method = TIAMapMethod(rawValue: tiaMap) else {
            throw InputError(source: "--tia-map", value: tiaMap, reason: "valid: " + TIAMapMethod.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var request = CycleDosimetryRequest(study: study, cycle: cycle, out: out, control: try options.control(), seed: options.seed)
        request.tiaMap = method
        if let reducedMethod {
            guard let m = ReducedMethodChoice(rawValue: reducedMethod) else {
                throw InputError(source: "--reduced-method", value: reducedMethod,
                                 reason: "valid: " + ReducedMethodChoice.allCases.map(\.rawValue).joined(separator: ", "))
            }
            request.reducedMethod = m
        }
        request.calibration = calibration
        request.resume = resume
        request.overwrite = overwrite
        request.settings = options.settings
        request.method = try methodOptions.configuration()
        let outcome = try ProcessEnvironment.withInterrupts(quiet: options.quiet, distributed: true) { environment -> (result: CycleDosimetryResult?, predicted: String?) in
            // A cycle given without imaging (`imaged: false`): doses predicted from the earlier cycles' dosimetry.
            if let text = try CycleDosimetryWorkflow.predictIfNotImaged(request, environment: environment) {
                return (result: nil, predicted: text)
            }
            return (result: try CycleDosimetryWorkflow.run(request, environment: environment), predicted: nil)
        }
        if let text = outcome.predicted { print(text, terminator: ""); return }
        guard let result = outcome.result else { return }  // other MPI ranks: rank 0 writes and reports
        print(result.renderTable(), terminator: "")
        if result.partial { throw ExitCode(ExitStatus.partialResult) }
        let files = request.method.method == .mc ? "dosimetry.h5, regions.csv, regions.json, summary.json, simulation.h5"
            : "dosimetry.h5, regions.csv, regions.json, summary.json"
        print("wrote \(out)/{\(files)} (method \(request.method.method.rawValue))")
    }
}
