import Foundation
import RPTCore
import RPTVolume

/// A built-in synthetic Lu-177 DOTATATE patient: CT, label map, kinetics, quantitative SPECT scans,
/// blood samples and the ground truth they were made from. Generated in code, deterministic for a seed;
/// the anatomy and kinetics do not depend on the seed, only the noise does.
///
/// Method: docs/methods/synthetic-patient.md; regions and values: phantoms/synthetic/README.md.
public struct SyntheticPatient: Sendable {
    public let config: SyntheticPatientConfig
    /// CT (HU) on the CT grid, with Gaussian noise.
    public let ct: Volume<Int16>
    /// Label map (`PhantomRegion` raw values, 0 = outside the body) on the CT grid.
    public let labels: Volume<UInt16>
    /// Label value → region name, for every label present (0 is not listed).
    public let labelNames: [UInt16: String]
    /// Time–activity model of every region present (regions without uptake have no components).
    public let kinetics: [RegionKinetics]
    /// Whole-blood concentration curve.
    public let blood: BloodCurve
    /// Scans of `config.spectSchedule`, in schedule order.
    public let spectTimePoints: [SpectTimePoint]
    /// Blood samples at `config.bloodSampleHours`.
    public let bloodSamples: [BloodSample]
    public let truth: PhantomTruth

    /// Builds the patient. - Throws: `InputError` for an invalid configuration.
    public static func generate(config: SyntheticPatientConfig) throws -> SyntheticPatient {
        try config.validate()
        let grid = config.ctGrid
        let anatomy = SyntheticAnatomy(grid: grid, includeRibs: config.includeRibs, includePancreas: config.includePancreas)
        let labels = Volume(grid: grid, voxels: anatomy.labels, unit: "label")

        // Voxel counts and masses per label.
        var counts = [Int](repeating: 0, count: 1 << 16)
        var massPerLabel = [Double](repeating: 0, count: 1 << 16)
        let density = PhantomTissue.allCases.reduce(into: [Double](repeating: 0, count: 256)) { $0[Int($1.rawValue)] = $1.densityGPerML }
        for n in 0..<grid.voxelCount {
            let l = Int(anatomy.labels[n])
            counts[l] += 1
            massPerLabel[l] += density[Int(anatomy.tissues[n])]
        }
        let voxelML = grid.voxelVolumeML
        for region in PhantomRegion.allCases where region != .pancreas || config.includePancreas {
            guard counts[Int(region.label)] > 0 else {
                throw InputError(source: SyntheticPatientConfig.source, field: "shape × voxelSizeMM",
                                 value: grid.description,
                                 reason: "region '\(region.name)' has no voxel: enlarge the field of view or use smaller voxels")
            }
        }
        let present = PhantomRegion.allCases.filter { counts[Int($0.label)] > 0 }
        var voxelCountByLabel: [UInt16: Int] = [:]
        for r in present { voxelCountByLabel[r.label] = counts[Int(r.label)] }

        let marrowML = Double(counts[Int(PhantomRegion.redMarrow.label)]) * voxelML
        let kinetics = config.kinetics.regionKinetics(redMarrowVolumeML: marrowML).filter { voxelCountByLabel[$0.region.label] != nil }
        let a0 = config.administeredActivityBq

        let ct = makeCT(anatomy: anatomy, config: config)

        var synthesis = SpectSynthesis(labels: labels, spectGrid: config.spectGrid, kinetics: kinetics,
                                       voxelCountByLabel: voxelCountByLabel, config: config)
        for (c, model) in config.cycleKinetics {
            synthesis.cycleKinetics[c] = model.regionKinetics(redMarrowVolumeML: marrowML)
                .filter { voxelCountByLabel[$0.region.label] != nil && $0.region != .redMarrow }
                + kinetics.filter { $0.region == .redMarrow }
        }
        let scanList = config.spectSchedule.flatMap { s in s.timesHours.map { (cycle: s.cycle, timeHours: $0) } }
        // Scans are independent (each has its own random stream), so they are made concurrently.
        let scans = ScanSlots(count: scanList.count)
        DispatchQueue.concurrentPerform(iterations: scanList.count) { n in
            scans.set(n, synthesis.image(cycle: scanList[n].cycle, timeHours: scanList[n].timeHours))
        }
        let truthPoints = scanList.map {
            TruthTimePoint(cycle: $0.cycle, timeHours: $0.timeHours,
                           activityBqByLabel: synthesis.trueActivities(cycle: $0.cycle, timeHours: $0.timeHours))
        }

        let bloodCurve = config.kinetics.blood
        let samples = config.bloodSampleHours.enumerated().map { index, t -> BloodSample in
            var rng = RandomStream(seed: config.seed, stream: PhantomStream.bloodSample(index))
            let c = bloodCurve.concentrationBqPerML(atHours: t, administeredBq: a0)
            let factor = max(0, 1 + config.bloodSampleRelativeNoise * rng.standardNormalPair().0)
            return BloodSample(timeHours: t, concentrationBqPerML: c * factor, trueConcentrationBqPerML: c)
        }

        let regionTruth = kinetics.map { k in
            let l = Int(k.region.label)
            return RegionTruth(region: k.region, voxelCount: counts[l], volumeML: Double(counts[l]) * voxelML,
                               massG: massPerLabel[l] * voxelML,
                               timeIntegratedActivityBqS: k.timeIntegratedActivityBqS(administeredBq: a0))
        }
        var truth = PhantomTruth(administeredActivityBq: a0, regions: regionTruth, timePoints: truthPoints,
                                 bloodTimeIntegratedConcentrationBqSPerML:
                                    bloodCurve.timeIntegratedConcentrationBqSPerML(administeredBq: a0))
        for (c, list) in synthesis.cycleKinetics {
            truth.cycleTimeIntegratedActivityBqS[c] = Dictionary(uniqueKeysWithValues: list.map {
                ($0.region, $0.timeIntegratedActivityBqS(administeredBq: a0))
            })
        }
        return SyntheticPatient(config: config, ct: ct, labels: labels,
                                labelNames: Dictionary(uniqueKeysWithValues: present.map { ($0.label, $0.name) }),
                                kinetics: kinetics, blood: bloodCurve, spectTimePoints: scans.values,
                                bloodSamples: samples, truth: truth, synthesis: synthesis)
    }

    private let synthesis: SpectSynthesis

    private init(config: SyntheticPatientConfig, ct: Volume<Int16>, labels: Volume<UInt16>, labelNames: [UInt16: String],
                 kinetics: [RegionKinetics], blood: BloodCurve, spectTimePoints: [SpectTimePoint],
                 bloodSamples: [BloodSample], truth: PhantomTruth, synthesis: SpectSynthesis) {
        self.config = config; self.ct = ct; self.labels = labels; self.labelNames = labelNames
        self.kinetics = kinetics; self.blood = blood; self.spectTimePoints = spectTimePoints
        self.bloodSamples = bloodSamples; self.truth = truth; self.synthesis = synthesis
    }

    /// CT = tissue HU + N(0, σ²) per voxel; slice k uses its own random stream.
    static func makeCT(anatomy: SyntheticAnatomy, config: SyntheticPatientConfig) -> Volume<Int16> {
        let grid = anatomy.grid
        let hu = PhantomTissue.allCases.reduce(into: [Double](repeating: 0, count: 256)) { $0[Int($1.rawValue)] = $1.meanHU }
        var out = [Int16](repeating: 0, count: grid.voxelCount)
        let sliceSize = grid.shape.x * grid.shape.y
        let sigma = config.ctNoiseSigmaHU
        for k in 0..<grid.shape.z {
            var rng = RandomStream(seed: config.seed, stream: PhantomStream.ctNoise(slice: k))
            var n = k * sliceSize
            let end = n + sliceSize
            while n < end {
                let (z0, z1) = rng.standardNormalPair()
                out[n] = Int16(clampingDouble: hu[Int(anatomy.tissues[n])] + sigma * z0)
                if n + 1 < end { out[n + 1] = Int16(clampingDouble: hu[Int(anatomy.tissues[n + 1])] + sigma * z1) }
                n += 2
            }
        }
        return Volume(grid: grid, voxels: out, unit: "HU")
    }

    /// The scheduled scan at (cycle, time), or nil when it is not in `config.spectSchedule`.
    public func spect(cycle: Int, timeHours: Double) -> SpectTimePoint? {
        spectTimePoints.first { $0.cycle == cycle && abs($0.timeHours - timeHours) < 1.0 / 120 }
    }

    /// A scan at any (cycle, time), made on demand; identical to the scheduled one at the same (cycle, time).
    /// - Throws: `InputError` for a cycle outside 1…65535 or a time outside 0…8760 h.
    public func synthesizeSpect(cycle: Int, timeHours: Double) throws -> SpectTimePoint {
        guard (1..<(1 << 16)).contains(cycle) else {
            throw InputError(source: "synthetic patient", field: "cycle", value: "\(cycle)", reason: "must be 1…65535")
        }
        guard timeHours >= 0, timeHours <= 24 * 365 else {
            throw InputError(source: "synthetic patient", field: "timeHours", value: "\(timeHours)",
                             reason: "must be between 0 and 8760 h after administration")
        }
        return synthesis.image(cycle: cycle, timeHours: timeHours)
    }

    /// The kinetics of one region.
    public func kinetics(of region: PhantomRegion) -> RegionKinetics? { kinetics.first { $0.region == region } }

    /// Label values a name stands for (one region, or a union such as `kidney_left`).
    public func labelValues(named name: String) throws -> [UInt16] {
        try PhantomRegion.regions(named: name).map(\.label)
    }

    /// Mask (1 inside, 0 outside) of a region or union (`kidney_left` = cortex ∪ medulla, `body` = all labels).
    public func mask(named name: String) throws -> Volume<UInt8> {
        var wanted = [Bool](repeating: false, count: 1 << 16)
        for l in try labelValues(named: name) { wanted[Int(l)] = true }
        return Volume(grid: labels.grid, voxels: labels.voxels.map { wanted[Int($0)] ? 1 : 0 }, unit: "mask")
    }
}

/// Result slots filled by concurrent workers, each writing only its own index.
private final class ScanSlots: @unchecked Sendable {
    private var slots: [SpectTimePoint?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ n: Int, _ value: SpectTimePoint) { lock.lock(); slots[n] = value; lock.unlock() }
    var values: [SpectTimePoint] { slots.map { $0! } }
}
