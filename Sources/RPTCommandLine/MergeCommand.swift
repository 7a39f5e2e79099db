import ArgumentParser
import Foundation
import RPTCore
import RPTVolume
import RPTStore
import RPTTransport

/// `rptdose merge`: adds up the raw tallies of shards (or partial runs, or earlier merges) of one simulation.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shards of one simulation (rptdose simulate --shard i/n) into one result, bitwise "
            + "identical to a single run of the same decays.",
        discussion: """
            Refuses parts of different simulations (fingerprints), overlapping decay ranges and gaps between \
            ranges. When the union does not cover all decays of the run, the result is marked partial \
            (/simulation@partial = 1): merge it again with the missing shards, or continue it with \
            `rptdose simulate ... --resume --out FILE`.
            """)

    @Argument(help: "Simulation result files (HDF5) written by `rptdose simulate` or `rptdose merge`.")
    var parts: [String]
    @Option(help: "Output HDF5 file.") var out: String
    @Flag(help: "Print nothing but errors.") var quiet = false

    func run() throws {
        guard !parts.isEmpty else { throw InputError(source: "merge", reason: "give the shard files to merge") }
        let resolvedOut = URL(fileURLWithPath: out).standardizedFileURL.path
        if let p = parts.first(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == resolvedOut }) {
            throw InputError(source: "--out", value: out, reason: "is also an input (\(p)); write the merge to a new file")
        }
        let read = try parts.map { try SimulationFile.readPart($0) }
        let merged = try SimulationMerge.merge(read)
        let result = merged.result()
        // Dose to water (parts run with --dose-to-water): the merged dose times the parts' per-voxel factor, which
        // depends only on the voxel materials (fingerprinted), exactly as one run computes it.
        var extra: [(String, AnyVolume)] = []
        let name = SimulationRunner.doseToWaterFactorVolume
        if let (withFactor, factor) = parts.lazy.compactMap({ p in (try? VolumeFiles.readDouble(p, volume: name)).map { (p, $0) } }).first {
            guard factor.voxels.count == result.doseGy.count else {
                throw InputError(source: withFactor, field: name, value: "\(factor.voxels.count) voxels",
                                 reason: "does not match the merged dose grid (\(result.doseGy.count) voxels)")
            }
            extra.append(("dose_to_water", AnyVolume(Volume<Double>(grid: factor.grid,
                                                                    voxels: SimulationRunner.doseToWater(result.doseGy, factor.voxels), unit: "Gy"))))
            extra.append((name, AnyVolume(factor)))
        }
        try SimulationFile.write(to: out, result: result, state: merged.state, record: merged.record,
                                 regionNames: merged.regionNames, voxelMassG: merged.voxelMassG,
                                 regionMassG: merged.regionMassG, extraVolumes: extra)
        guard !quiet else { return }
        let r = merged.decayRange
        print("wrote \(out): decays [\(r.lowerBound), \(r.upperBound)) of \(merged.record.totalDecays) from \(parts.count) part(s)"
              + (merged.state.partial ? " (partial)" : ""))
        for d in result.regions {
            print("  " + d.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + " mean dose \(fmt(d.meanDoseGy)) Gy ± \(fmt(100 * d.relativeUncertainty)) %")
        }
    }
}
