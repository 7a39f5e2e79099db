import ArgumentParser
import Foundation
import RPTCore
import RPTWorkflow

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

    @Argument(help: "Simulation result files (HDF5) written by `rptdose simulate` or `rptdose merge`.", completion: .file())
    var parts: [String]
    @Option(help: "Output HDF5 file.", completion: .file()) var out: String
    @Flag(help: "Print nothing but errors.") var quiet = false

    func run() throws {
        let (merged, result) = try MergeWorkflow.merge(parts: parts, out: out)
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
