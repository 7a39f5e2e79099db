import Foundation
import RPTCore
import RPTStore
import RPTTransport
import RPTVolume

/// `merge`: adds up the raw tallies of shards (or partial runs, or earlier merges) of one simulation into one
/// result, bitwise identical to a single run of the same decays.
public enum MergeWorkflow {
    /// Merges `parts` into `out`; returns the merged simulation and its dose result.
    @discardableResult
    public static func merge(parts: [String], out: String) throws -> (merged: MergedSimulation, result: DoseResult) {
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
        return (merged, result)
    }
}
