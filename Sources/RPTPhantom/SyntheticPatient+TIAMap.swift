import RPTCore
import RPTVolume

extension SyntheticPatient {
    /// Unit of `trueTIAMap` (time-integrated activity per voxel).
    public static let tiaMapUnit = "Bq s"

    /// The true time-integrated activity of one cycle (Bq·s per voxel of the SPECT grid, unit "Bq s"): each
    /// region's analytic Ã = ∫₀^∞ A_r(t) dt (`RegionKinetics.timeIntegratedActivityBqS`) spread uniformly over its
    /// CT voxels and moved onto the SPECT grid conserving content, as the SPECT images do with A_r(t) (no blur,
    /// no noise). A ready input for `rptdose simulate` on the phantom.
    public func trueTIAMap() -> Volume<Double> {
        var counts: [UInt16: Int] = [:]
        for l in labels.voxels where l != 0 { counts[l, default: 0] += 1 }
        var perVoxel: [UInt16: Double] = [:]
        for k in kinetics {
            guard let n = counts[k.region.label], n > 0 else { continue }
            perVoxel[k.region.label] = k.timeIntegratedActivityBqS(administeredBq: config.administeredActivityBq) / Double(n)
        }
        let onCT = Volume(grid: labels.grid, voxels: labels.voxels.map { perVoxel[$0] ?? 0 }, unit: Self.tiaMapUnit)
        return onCT.resampledConservingContent(onto: config.spectGrid).volume
    }
}
