import ArgumentParser
import Foundation
import RPTCore
import RPTTransport
import RPTWorkflow

/// `rptdose simulate`: Monte Carlo dose from a TIA (or activity) map in a CT or label-map geometry.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Absorbed dose from a time-integrated activity map through CT or label-map voxels (Monte Carlo, or --method vsv|vsv-density|ldm|organ-s).")

    @Option(help: "CT image in Hounsfield units (geometry through the CT calibration).", completion: .file()) var ct: String?
    @Option(help: "CT calibration folder (density.csv, materials.csv); default phantoms/scanners/default.", completion: .directory)
    var calibration: String?
    @Option(help: "Label map of a computational phantom (geometry through --material-table).", completion: .file()) var labels: String?
    @Option(help: "Material table CSV for --labels: label → built-in material or elemental composition, and density (docs/formats/material-table.md).", completion: .file()) var materialTable: String?
    @Option(help: "Time-integrated activity map (Bq·s per voxel); its grid is the dose grid.", completion: .file()) var activity: String
    @Option(help: "Unit of the activity map: bq-s (per voxel) or bq-s-per-ml; required when the file does not state it.")
    var activityUnit: String?
    @Option(help: "Dose grid: activity (the map's grid; the CT is resampled onto it) or ct (the map is moved onto the CT grid, conserving Bq·s).")
    var doseGrid: String = "activity"
    @Option(help: "Radionuclide.") var nuclide: String = "Lu-177"
    @Option(help: "Label map of scored regions (organs, tumours; a 3D Slicer .seg.nrrd brings its segment names and layers), resampled onto the dose grid by nearest neighbour; repeat for overlapping maps (organ and sub-organ).", completion: .file())
    var regions: [String] = []
    @Option(help: "CSV naming the regions of the i-th --regions map: label,name, or name,labels with groups such as 1;2 (default: label_<value>).", completion: .file())
    var regionNames: [String] = []
    @Option(help: "Region whose uncertainty drives --target-uncertainty.") var roi: String?
    @Option(help: "Run only shard i of n (e.g. 2/8): decays [(i−1)·N/n, i·N/n); combine the shards with `rptdose merge`.") var shard: String?
    @Flag(help: "Continue an interrupted run from its checkpoint (or partial result).") var resume = false
    @Flag(help: "Start afresh even though --out has a resumable checkpoint (which is then discarded).") var overwrite = false
    @Flag(help: "Also write dose to water (stopping-power ratio at the nuclide's mean β energy; docs/methods/transport.md).")
    var doseToWater = false
    @Option(help: "Output HDF5 file.", completion: .file()) var out: String
    @OptionGroup var options: RunOptions
    @OptionGroup var methodOptions: DoseMethodOptions

    func run() throws {
        var request = SimulationRequest(activity: activity, out: out, control: try options.control(), seed: options.seed)
        request.ct = ct; request.calibration = calibration; request.labels = labels; request.materialTable = materialTable
        request.activityUnit = activityUnit; request.doseGrid = doseGrid; request.nuclide = nuclide
        request.regions = regions; request.regionNames = regionNames; request.roi = roi; request.shard = shard
        request.resume = resume; request.overwrite = overwrite; request.doseToWater = doseToWater
        request.settings = options.settings
        request.method = try methodOptions.configuration()
        let outcome = try ProcessEnvironment.withInterrupts(quiet: options.quiet, distributed: true) { environment in
            try SimulationWorkflow.run(request, environment: environment)
        }
        guard outcome.wroteResults else { return }  // other MPI ranks: rank 0 writes and reports
        if outcome.method == .mc {
            print("wrote \(out): \(outcome.decaysDone) decays\(outcome.partial ? " (partial)" : ""), total TIA \(fmt(outcome.totalTIABqS)) Bq·s")
        } else {
            print("wrote \(out): method \(outcome.method.rawValue), total TIA \(fmt(outcome.totalTIABqS)) Bq·s")
        }
        for r in outcome.regions {
            let u = r.relativeUncertainty.isNaN ? "" : " ± \(fmt(100 * r.relativeUncertainty)) %"
            print("  " + r.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + " mean dose \(fmt(r.meanDoseGy)) Gy\(u)  (mass \(fmt(r.massG)) g)")
        }
        if outcome.partial { throw ExitCode(ExitStatus.partialResult) }
    }
}
