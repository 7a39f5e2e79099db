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
        var anatomy = SyntheticAnatomy(grid: grid, includeRibs: config.includeRibs, includePancreas: config.includePancreas)
        // A moving patient's anatomy comes from a finer grid (see MovingScans), the reference one too.
        var mover = config.motion.map { MovingScans(motion: $0, grid: grid, config: config) }
        if let mover { anatomy.labels = mover.referenceLabels.voxels; anatomy.tissues = mover.referenceTissues }
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

        let ct = mover.map { m in
            makeCT(meanHU: m.meanHU(PatientMotion()), grid: grid, config: config) { PhantomStream.ctNoise(slice: $0) }
        } ?? makeCT(anatomy: anatomy, config: config)

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
        mover?.kinetics = kinetics
        let movingScans = mover
        DispatchQueue.concurrentPerform(iterations: scanList.count) { n in
            if let movingScans {
                scans.set(n, movingScans.scan(cycle: scanList[n].cycle, timeHours: scanList[n].timeHours))
            } else {
                scans.set(n, synthesis.image(cycle: scanList[n].cycle, timeHours: scanList[n].timeHours))
            }
        }
        let truthPoints = scanList.enumerated().map { n, s in
            TruthTimePoint(cycle: s.cycle, timeHours: s.timeHours,
                           activityBqByLabel: synthesis.trueActivities(cycle: s.cycle, timeHours: s.timeHours),
                           motion: scans.values[n].motion)
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
                                bloodSamples: samples, truth: truth, synthesis: synthesis, mover: movingScans)
    }

    private let synthesis: SpectSynthesis
    private let mover: MovingScans?

    /// A moving patient's reference label map at the resolution its scans are made from (`supersampling` times
    /// finer than the CT along each axis, the CT's field of view): what a segmentation of a finer CT would give.
    /// Its voxel centres are the sub-points of which each scan's CT and SPECT voxels are made (docs/methods/
    /// synthetic-patient.md, "Motion"). nil without `config.motion`.
    public var referenceSubVoxelLabels: Volume<UInt16>? { mover?.referenceSubVoxelLabels() }

    private init(config: SyntheticPatientConfig, ct: Volume<Int16>, labels: Volume<UInt16>, labelNames: [UInt16: String],
                 kinetics: [RegionKinetics], blood: BloodCurve, spectTimePoints: [SpectTimePoint],
                 bloodSamples: [BloodSample], truth: PhantomTruth, synthesis: SpectSynthesis, mover: MovingScans?) {
        self.config = config; self.ct = ct; self.labels = labels; self.labelNames = labelNames
        self.kinetics = kinetics; self.blood = blood; self.spectTimePoints = spectTimePoints
        self.bloodSamples = bloodSamples; self.truth = truth; self.synthesis = synthesis; self.mover = mover
    }

    /// CT = tissue HU + N(0, σ²) per voxel; slice k uses its own random stream.
    static func makeCT(anatomy: SyntheticAnatomy, config: SyntheticPatientConfig) -> Volume<Int16> {
        makeCT(tissues: anatomy.tissues, grid: anatomy.grid, config: config) { PhantomStream.ctNoise(slice: $0) }
    }

    /// CT of `tissues` on `grid`; slice k draws its noise from stream `noiseStream(k)`.
    static func makeCT(tissues: [UInt8], grid: Grid3D, config: SyntheticPatientConfig,
                       noiseStream: (Int) -> UInt64) -> Volume<Int16> {
        let hu = PhantomTissue.allCases.reduce(into: [Double](repeating: 0, count: 256)) { $0[Int($1.rawValue)] = $1.meanHU }
        return makeCT(meanHU: tissues.map { hu[Int($0)] }, grid: grid, config: config, noiseStream: noiseStream)
    }

    /// CT of noiseless values `meanHU` on `grid` plus N(0, σ²) per voxel; slice k draws from stream `noiseStream(k)`.
    static func makeCT(meanHU: [Double], grid: Grid3D, config: SyntheticPatientConfig,
                       noiseStream: (Int) -> UInt64) -> Volume<Int16> {
        var out = [Int16](repeating: 0, count: grid.voxelCount)
        let sliceSize = grid.shape.x * grid.shape.y
        let sigma = config.ctNoiseSigmaHU
        for k in 0..<grid.shape.z {
            var rng = RandomStream(seed: config.seed, stream: noiseStream(k))
            var n = k * sliceSize
            let end = n + sliceSize
            while n < end {
                let (z0, z1) = rng.standardNormalPair()
                out[n] = Int16(clampingDouble: meanHU[n] + sigma * z0)
                if n + 1 < end { out[n + 1] = Int16(clampingDouble: meanHU[n + 1] + sigma * z1) }
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
        if let mover { return mover.scan(cycle: cycle, timeHours: timeHours) }
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

/// Scans of a moving patient: each scan's anatomy is the reference anatomy seen through the scan's motion, with
/// its own CT noise; each region's true activity is spread over its voxels in the moved label map, so region
/// activities equal the static patient's. The moved anatomy is sampled from the anatomy built on a grid
/// `supersampling` times finer (odd, so that its voxel centres include the CT grid's: without motion the result
/// is the reference anatomy itself), which keeps the resampling jitter below spacing / (2 × supersampling).
private struct MovingScans: Sendable {
    let motion: SyntheticMotion
    /// Tissues and labels of the anatomy on the fine grid.
    let fineTissues: Volume<UInt8>
    let fineLabels: Volume<UInt16>
    /// The reference anatomy on the CT grid (the fine anatomy at the CT voxel centres).
    let referenceLabels: Volume<UInt16>
    let referenceTissues: [UInt8]
    var kinetics: [RegionKinetics] = []
    let config: SyntheticPatientConfig
    /// Fine voxels per CT voxel along each axis (odd).
    let supersampling: Int
    /// Rotation centre (the grid centre) and deformation centre (the kidneys' midpoint).
    let centre: SIMD3<Double>
    let deformationCentre: SIMD3<Double>

    init(motion: SyntheticMotion, grid g: Grid3D, config: SyntheticPatientConfig) {
        self.motion = motion; self.config = config
        // Finest odd factor giving ≤ 2.5 mm voxels, within 50 M fine voxels.
        var f = 1
        while g.spacing.max() / Double(f) > 2.5 && g.voxelCount * (f + 2) * (f + 2) * (f + 2) <= 50_000_000 { f += 2 }
        supersampling = f
        let fineSpacing = g.spacing / Double(f)
        // Padded by the largest possible motion (+ 10 mm), so that a moved scan sees anatomy, not a void, at the
        // edges of its field of view (as a real scan would).
        let halfExtent = SIMD3<Double>(Double(g.shape.x), Double(g.shape.y), Double(g.shape.z)) * g.spacing * 0.5
        let radius = (halfExtent * halfExtent).sum().squareRoot()
        let reach = 3.0.squareRoot() * motion.maximumTranslationMM + motion.maximumDeformationMM + 10
            + 3.0.squareRoot() * radius * motion.maximumRotationDegrees * Double.pi / 180
        let pad = SIMD3<Int>(Int((reach / fineSpacing.x).rounded(.up)), Int((reach / fineSpacing.y).rounded(.up)),
                             Int((reach / fineSpacing.z).rounded(.up)))
        let half = SIMD3<Double>(repeating: Double((f - 1) / 2))
        let padD = SIMD3<Double>(Double(pad.x), Double(pad.y), Double(pad.z))
        let fine = Grid3D(shape: g.shape &* f &+ pad &* 2, spacing: fineSpacing,
                          origin: g.origin - fineSpacing * (half + padD))
        let a = SyntheticAnatomy(grid: fine, includeRibs: config.includeRibs, includePancreas: config.includePancreas)
        fineTissues = Volume(grid: fine, voxels: a.tissues, unit: "tissue")
        fineLabels = Volume(grid: fine, voxels: a.labels, unit: "label")
        let identity = PatientMotion()
        referenceLabels = identity.apply(to: fineLabels, onto: g, fill: 0)
        referenceTissues = identity.apply(to: fineTissues, onto: g, fill: PhantomTissue.air.rawValue).voxels
        let n = SIMD3<Double>(Double(g.shape.x - 1), Double(g.shape.y - 1), Double(g.shape.z - 1))
        centre = g.world(continuousIndex: n / 2)
        var s = SIMD3<Double>.zero, count = 0.0
        let kidneys = Set(PhantomRegion.unions["kidneys"]!.map(\.label))
        for i in 0..<g.voxelCount where kidneys.contains(referenceLabels.voxels[i]) {
            let ijk = g.voxelIndex(i)
            s += g.world(continuousIndex: SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z))); count += 1
        }
        deformationCentre = count > 0 ? s / count : centre
    }

    /// Sub-point values (voxel n's at n·f³ ..< (n+1)·f³, as `subSampled` orders them) on the grid of the sub-points
    /// (`supersampling` times finer than the CT, over the CT's field of view).
    func subVoxelGrid(_ sub: [UInt16]) -> Volume<UInt16> {
        let g = referenceLabels.grid, f = supersampling
        let half = SIMD3<Double>(repeating: Double((f - 1) / 2))
        let spacing = g.spacing / Double(f)
        let grid = Grid3D(shape: g.shape &* f, spacing: spacing, origin: g.origin - g.direction * (spacing * half),
                          direction: g.direction)
        var out = [UInt16](repeating: 0, count: grid.voxelCount)
        let f3 = f * f * f
        for n in 0..<g.voxelCount {
            let ijk = g.voxelIndex(n)
            for c in 0..<f { for b in 0..<f { for a in 0..<f {
                out[grid.linearIndex(ijk.x * f + a, ijk.y * f + b, ijk.z * f + c)] = sub[n * f3 + a + f * (b + f * c)]
            } } }
        }
        return Volume(grid: grid, voxels: out, unit: "label")
    }

    /// The fine labels over the CT field of view: fine voxels whose centres are the CT voxels' sub-points.
    func referenceSubVoxelLabels() -> Volume<UInt16> {
        let g = referenceLabels.grid, fg = fineLabels.grid, f = supersampling
        let half = SIMD3<Double>(repeating: Double((f - 1) / 2))
        let origin = g.origin - fg.spacing * half
        let p = (origin - fg.origin) / fg.spacing
        let pad = SIMD3<Int>(Int(p.x.rounded()), Int(p.y.rounded()), Int(p.z.rounded()))
        let grid = Grid3D(shape: g.shape &* f, spacing: fg.spacing, origin: origin, direction: fg.direction)
        var out = [UInt16](repeating: 0, count: grid.voxelCount)
        for k in 0..<grid.shape.z {
            for j in 0..<grid.shape.y {
                for i in 0..<grid.shape.x {
                    out[grid.linearIndex(i, j, k)] = fineLabels.voxels[fg.linearIndex(i + pad.x, j + pad.y, k + pad.z)]
                }
            }
        }
        return Volume(grid: grid, voxels: out, unit: "label")
    }

    /// Noiseless CT (HU) of the anatomy seen through `m` on the CT grid, each voxel the mean over its
    /// `supersampling`³ sub-points (the partial-volume averaging of a real CT: thin ribs and discs do not alias).
    func meanHU(_ m: PatientMotion) -> [Double] { subSampled(m).meanHU }

    /// The anatomy seen through `m` at the `supersampling`³ sub-points of every CT voxel: the mean HU of each voxel,
    /// and the label of each sub-point (voxel n's sub-points at n·f³ ..< (n+1)·f³; 0 outside the fine grid).
    func subSampled(_ m: PatientMotion) -> (meanHU: [Double], subLabels: [UInt16]) {
        let g = referenceLabels.grid, fg = fineTissues.grid
        let f = supersampling, f3 = f * f * f
        let hu = PhantomTissue.allCases.reduce(into: [Double](repeating: 0, count: 256)) { $0[Int($1.rawValue)] = $1.meanHU }
        let air = PhantomTissue.air.meanHU
        var out = [Double](repeating: 0, count: g.voxelCount)
        var subLabels = [UInt16](repeating: 0, count: g.voxelCount * f3)
        // Written with scalars, not SIMD3 (tens of millions of points; SIMD3 arithmetic is slow in debug builds):
        // the sub-point x = voxel centre + offset, y = R·(x − c) + c + t + d(x) (`PatientMotion.referencePoint`),
        // then the nearest fine voxel (the fine grid has identity direction).
        let h = Double(f - 1) / 2
        var offsets: [SIMD3<Double>] = []
        for c in 0..<f { for b in 0..<f { for a in 0..<f {
            let o = SIMD3((Double(a) - h) / Double(f), (Double(b) - h) / Double(f), (Double(c) - h) / Double(f))
            offsets.append(g.direction * (g.spacing * o))
        } } }
        let ox = offsets.map(\.x), oy = offsets.map(\.y), oz = offsets.map(\.z)
        let r = m.rotation.rowMajor
        let (cx, cy, cz) = (m.centreMM.x, m.centreMM.y, m.centreMM.z)
        let (tx, ty, tz) = (m.translationMM.x, m.translationMM.y, m.translationMM.z)
        let (dx0, dy0, dz0) = (m.deformationCentreMM.x, m.deformationCentreMM.y, m.deformationCentreMM.z)
        let amplitude = m.deformationAmplitudeMM
        let inverseTwoSigma2 = 1 / (2 * m.deformationWidthMM * m.deformationWidthMM)
        let (fox, foy, foz) = (fg.origin.x, fg.origin.y, fg.origin.z)
        let (fsx, fsy, fsz) = (fg.spacing.x, fg.spacing.y, fg.spacing.z)
        let (nx, ny, nz) = (fg.shape.x, fg.shape.y, fg.shape.z)
        precondition(fg.direction == .identity)
        for n in 0..<g.voxelCount {
            let ijk = g.voxelIndex(n)
            let centre = g.world(continuousIndex: SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)))
            let (px, py, pz) = (centre.x, centre.y, centre.z)
            var sum = 0.0
            for s in 0..<f3 {
                let x = px + ox[s], y = py + oy[s], z = pz + oz[s]
                let ex = x - dx0, ey = y - dy0, ez = z - dz0
                let d = amplitude * exp(-(ex * ex + ey * ey + ez * ez) * inverseTwoSigma2)
                let ux = x - cx, uy = y - cy, uz = z - cz
                let rx = r[0] * ux + r[1] * uy + r[2] * uz + cx + tx
                let ry = r[3] * ux + r[4] * uy + r[5] * uz + cy + ty
                let rz = r[6] * ux + r[7] * uy + r[8] * uz + cz + tz + d
                let i = Int(((rx - fox) / fsx).rounded()), j = Int(((ry - foy) / fsy).rounded()), k = Int(((rz - foz) / fsz).rounded())
                if i >= 0, j >= 0, k >= 0, i < nx, j < ny, k < nz {
                    let q = i + nx * (j + ny * k)
                    sum += hu[Int(fineTissues.voxels[q])]
                    subLabels[n * f3 + s] = fineLabels.voxels[q]
                } else {
                    sum += air
                }
            }
            out[n] = sum / Double(f3)
        }
        return (out, subLabels)
    }

    /// A scan of the moving patient. Its SPECT is made, like its CT, from the sub-points: each region's true
    /// activity is spread evenly over the region's sub-points in the field of view, and each CT voxel holds the
    /// activity of its own sub-points (the partial volume a real SPECT voxel records at an organ edge), so the
    /// region totals are the truth exactly while organ edges fall anywhere inside a voxel, not only on voxel faces.
    func scan(cycle: Int, timeHours: Double) -> SpectTimePoint {
        let m = motion.motion(seed: config.seed, cycle: cycle, timeHours: timeHours, centreMM: centre,
                              deformationCentreMM: deformationCentre)
        let grid = referenceLabels.grid
        let movedLabels = m.apply(to: fineLabels, onto: grid, fill: 0)
        var counts: [UInt16: Int] = [:]
        for l in movedLabels.voxels where l != 0 { counts[l, default: 0] += 1 }
        let synthesis = SpectSynthesis(labels: movedLabels, spectGrid: config.spectGrid, kinetics: kinetics,
                                       voxelCountByLabel: counts, config: config)
        let sampled = subSampled(m)
        var subCounts = [Int](repeating: 0, count: 1 << 16)
        for l in sampled.subLabels where l != 0 { subCounts[Int(l)] += 1 }
        var perSubPoint = [Double](repeating: 0, count: 1 << 16)
        for (label, activity) in synthesis.trueActivities(cycle: cycle, timeHours: timeHours) where subCounts[Int(label)] > 0 {
            perSubPoint[Int(label)] = activity / Double(subCounts[Int(label)])
        }
        let f3 = supersampling * supersampling * supersampling
        var content = [Double](repeating: 0, count: grid.voxelCount)
        for n in 0..<grid.voxelCount {
            var a = 0.0
            for s in n * f3..<(n + 1) * f3 { a += perSubPoint[Int(sampled.subLabels[s])] }
            content[n] = a
        }
        var scan = synthesis.image(cycle: cycle, timeHours: timeHours, content: Volume(grid: grid, voxels: content, unit: "Bq"))
        scan.motion = m
        scan.labels = movedLabels
        scan.subVoxelLabels = subVoxelGrid(sampled.subLabels)
        scan.ct = SyntheticPatient.makeCT(meanHU: sampled.meanHU, grid: grid, config: config) {
            PhantomStream.movedCTNoise(cycle: cycle, timeHours: timeHours, slice: $0)
        }
        return scan
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
