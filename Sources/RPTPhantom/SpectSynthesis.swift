import RPTCore
import RPTVolume

/// Makes quantitative SPECT images of the synthetic patient.
///
/// For a scan at time t: each region's true activity A_r(t) is spread uniformly over its CT voxels,
/// moved onto the SPECT grid conserving content (exact voxel overlaps, `resampledConservingContent`),
/// blurred with a 3-D Gaussian (`GaussianBlur`), turned into expected counts
/// N̄ = A_voxel · S · T_acq (S = sensitivity in counts/s per Bq), replaced by a Poisson count N
/// (`RandomStream.poisson`; normal approximation for N̄ ≥ 30), and turned back into concentration
/// N / (S · T_acq) / V_voxel (Bq/mL). No attenuation, scatter or background: the image is what an ideal
/// quantitative reconstruction with that resolution and count level would give.
struct SpectSynthesis {
    let labels: Volume<UInt16>
    let spectGrid: Grid3D
    let kinetics: [RegionKinetics]
    let voxelCountByLabel: [UInt16: Int]
    let config: SyntheticPatientConfig
    /// Region kinetics of the cycles listed in `config.cycleKinetics`.
    var cycleKinetics: [Int: [RegionKinetics]] = [:]

    /// True activity (Bq) of every region present in the label map at `timeHours` after the administration of
    /// `cycle` (its own kinetics when `config.cycleKinetics` has them).
    func trueActivities(cycle: Int = 1, timeHours: Double) -> [UInt16: Double] {
        var a: [UInt16: Double] = [:]
        for k in cycleKinetics[cycle] ?? kinetics where voxelCountByLabel[k.region.label, default: 0] > 0 {
            a[k.region.label] = k.activityBq(atHours: timeHours, administeredBq: config.administeredActivityBq)
        }
        return a
    }

    func image(cycle: Int, timeHours: Double) -> SpectTimePoint {
        var perVoxel = [Double](repeating: 0, count: 1 << 16)
        for (label, activity) in trueActivities(cycle: cycle, timeHours: timeHours) {
            perVoxel[Int(label)] = activity / Double(voxelCountByLabel[label]!)
        }
        let content = Volume<Double>(grid: labels.grid, voxels: labels.voxels.map { perVoxel[Int($0)] }, unit: "Bq")
        return image(cycle: cycle, timeHours: timeHours, content: content)
    }

    /// The scan made from `content`, the true activity (Bq) in each voxel of the CT grid: moved onto the SPECT grid,
    /// blurred, counted and turned into concentration as described above.
    func image(cycle: Int, timeHours: Double, content: Volume<Double>) -> SpectTimePoint {
        var values = content.resampledConservingContent(onto: spectGrid).volume.voxels
        GaussianBlur.apply(&values, grid: spectGrid, fwhmMM: config.spectResolutionFWHMMM)
        let countsPerBq = config.sensitivityCPSPerMBq * 1e-6 * config.acquisitionSeconds
        let toConcentration = 1 / (countsPerBq * spectGrid.voxelVolumeML)
        var image = [Float](repeating: 0, count: values.count)
        if config.spectCountNoise {
            var rng = RandomStream(seed: config.seed, stream: PhantomStream.spectCounts(cycle: cycle, timeHours: timeHours))
            for n in values.indices {
                image[n] = Float(rng.poisson(mean: max(0, values[n]) * countsPerBq) * toConcentration)
            }
        } else {
            let inv = 1 / spectGrid.voxelVolumeML
            for n in values.indices { image[n] = Float(max(0, values[n]) * inv) }
        }
        return SpectTimePoint(cycle: cycle, timeHours: timeHours,
                              image: Volume(grid: spectGrid, voxels: image, unit: "Bq/mL"))
    }
}
