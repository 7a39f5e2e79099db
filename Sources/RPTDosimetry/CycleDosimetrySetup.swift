import Foundation
import RPTCore
import RPTKinetics
import RPTPhysics
import RPTTransport
import RPTVolume

/// Choices of a dosimetry run that are not in the manifest.
public struct DosimetryOptions: Sendable {
    public var tiaMap: TIAMapMethod = .hybrid
    /// Overrides every cycle's `reduced_method`.
    public var reducedMethod: ReducedMethodChoice?
    /// Bins of the dose–volume histograms.
    public var dvhBins: Int = 200
    public init(tiaMap: TIAMapMethod = .hybrid, reducedMethod: ReducedMethodChoice? = nil, dvhBins: Int = 200) {
        self.tiaMap = tiaMap; self.reducedMethod = reducedMethod; self.dvhBins = dvhBins
    }
}

/// Everything of one cycle's dosimetry up to the Monte Carlo: images on the dose grid, region activities,
/// kinetics, blood Ã, the TIA map, the transport world and the scored regions
/// (method: docs/methods/dosimetry.md).
public final class CycleDosimetrySetup: @unchecked Sendable {
    public let manifest: StudyManifest
    public let cycle: StudyCycle
    public let images: CycleImages
    public let activities: RegionActivities
    /// Kinetics of each reporting region, by region index.
    public let kinetics: [RegionKineticsResult]
    public let unlabelledKinetics: RegionKineticsResult
    public let blood: (kinetics: BloodKinetics?, tia: TimeIntegratedActivity, method: String)?
    public let tiaMap: TIAMap
    public let world: VoxelWorld
    public let scoredRegions: [ScoredRegion]
    public let nuclide: Nuclide
    /// Index of the marrow region in the reporting regions, when the image has one.
    public let marrowIndex: Int?
    public let options: DosimetryOptions
    /// Loud warnings about the cycle's inputs as a whole (`CycleConsistencyCheck`), shown first in the notes.
    public internal(set) var warnings: [String] = []
    /// This cycle's reference CT registered to the first imaged cycle's (nil for the first cycle or without registration).
    public internal(set) var crossCycle: CrossCycleRegistration? = nil

    /// Name used for the unlabelled voxels in tables.
    public static let unlabelledName = "(unlabelled)"

    private init(manifest: StudyManifest, cycle: StudyCycle, images: CycleImages, activities: RegionActivities,
                 kinetics: [RegionKineticsResult], unlabelledKinetics: RegionKineticsResult,
                 blood: (kinetics: BloodKinetics?, tia: TimeIntegratedActivity, method: String)?, tiaMap: TIAMap,
                 world: VoxelWorld, scoredRegions: [ScoredRegion], nuclide: Nuclide, marrowIndex: Int?,
                 options: DosimetryOptions) {
        self.manifest = manifest; self.cycle = cycle; self.images = images; self.activities = activities
        self.kinetics = kinetics; self.unlabelledKinetics = unlabelledKinetics; self.blood = blood
        self.tiaMap = tiaMap; self.world = world; self.scoredRegions = scoredRegions; self.nuclide = nuclide
        self.marrowIndex = marrowIndex; self.options = options
    }

    /// Kinetics of every region of a cycle (no CT, no transport), keyed by region name; the unlabelled
    /// voxels under `unlabelledName`.
    public static func kinetics(manifest: StudyManifest, cycle: StudyCycle, analysis: CycleKineticsAnalysis,
                                cycleOneFits: [String: TimeActivityFit],
                                progress: (String) -> Void = { _ in }) throws -> (images: CycleImages, activities: RegionActivities,
                                                                                regions: [RegionKineticsResult], unlabelled: RegionKineticsResult) {
        // Before anything else: the first SPECT must not hold more than the administered activity.
        if let first = cycle.timePoints.first {
            let s = try StudyImages.readSpect(first.spect).asDouble
            let total = s.voxels.reduce(0, +) * first.spect.unit.becquerelPerUnit(voxelVolumeML: s.grid.voxelVolumeML)
            _ = try CycleConsistencyCheck.administeredActivity(cycle: cycle, totalBq: [total],
                                                              physicalDecayPerSecond: analysis.physicalDecayConstantPerSecond,
                                                              source: manifest.path)
        }
        let images = try CycleImages.load(manifest: manifest, cycle: cycle, progress: progress)
        let act = try RegionActivities.measure(images: images, manifest: manifest)
        progress("cycle \(cycle.number): fitting \(act.regionNames.count) time-activity curves (\(act.correction))")
        let regions = try act.regionNames.indices.map { r in
            try analysis.analyse(region: act.regionNames[r], timesHours: act.timesHours, activitiesBq: act.correctedBq[r],
                                 cycle: cycle, cycleOneFit: cycleOneFits[act.regionNames[r]])
        }
        let unl = try analysis.analyse(region: unlabelledName, timesHours: act.timesHours, activitiesBq: act.unlabelledBq,
                                       cycle: cycle, cycleOneFit: cycleOneFits[unlabelledName])
        return (images, act, regions, unl)
    }

    /// Prepares cycle `cycleNumber` of `manifest`.
    /// - Parameters:
    ///   - calibration: the CT calibration (HU → density and material).
    ///   - progress: short messages for the user.
    public static func prepare(manifest: StudyManifest, cycleNumber: Int, calibration: CTCalibration,
                               options: DosimetryOptions = DosimetryOptions(),
                               progress: (String) -> Void = { _ in }) throws -> CycleDosimetrySetup {
        guard let cycle = manifest.cycle(cycleNumber) else {
            throw InputError(source: "--cycle", value: "\(cycleNumber)",
                             reason: "no such cycle in \(manifest.path); cycles: " + manifest.cycles.map { "\($0.number)" }.joined(separator: ", "))
        }
        guard cycle.imaged else {
            throw InputError(source: manifest.path, field: "cycles[cycle \(cycleNumber)].imaged", value: "false",
                             reason: "this cycle was not imaged: its doses are predicted from the earlier cycles' dosimetry "
                                + "(`rptdose dosimetry` does this; docs/methods/kinetics.md, \"Cycles without imaging\")")
        }
        let nuclide = try Nuclide.named(manifest.nuclide, source: manifest.path + ": nuclide")
        let analysis = CycleKineticsAnalysis(physicalDecayConstantPerSecond: nuclide.decayConstant,
                                             activityRelativeUncertainty: manifest.activityRelativeUncertainty,
                                             activityCommonRelativeUncertainty: manifest.activityCommonRelativeUncertainty,
                                             reducedMethodOverride: options.reducedMethod,
                                             priors: manifest.populationPriors(nuclide: nuclide.name))
        // The reference CT first: a wrong image given as the CT is refused before the kinetics.
        let ctPath = cycle.timePoints[cycle.referenceIndex].ct
        progress("cycle \(cycle.number): CT \(ctPath)")
        let ct = try StudyImages.read(ctPath, role: .ct).asDouble
        try ct.grid.validate(source: ctPath)
        try ct.requireFinite(source: ctPath)
        try CTNumberCheck.validate(ct, source: ctPath)
        // Cycle-1 shapes for reduced cycles.
        var cycleOneFits: [String: TimeActivityFit] = [:]
        var cycleOneBlood: (BloodKinetics, StudyCycle)?
        if let first = manifest.cycles.first, first.number != cycle.number {
            if first.imaged && first.timePoints.count >= 3 {  // 3–4 points: the uptake-aware fit gives the shape
                progress("cycle \(first.number): kinetics for the curve shapes of cycle \(cycle.number)")
                let k = try kinetics(manifest: manifest, cycle: first, analysis: analysis, cycleOneFits: [:], progress: progress)
                for r in k.regions + [k.unlabelled] { if let f = r.fit { cycleOneFits[r.region] = f } }
            }
            // The first cycle's blood curve: for scaling when this cycle has no samples, for rescaling its shape
            // when it has too few to fit its own.
            if cycle.bloodSamples.count < BloodKinetics.minimumSamplesForFit && !first.bloodSamples.isEmpty {
                let fitFirst = {
                    try BloodKinetics.fit(first.bloodSamples, physicalDecayConstantPerSecond: nuclide.decayConstant,
                                          relativeUncertainty: manifest.bloodRelativeUncertainty,
                                          source: manifest.path + ": cycle \(first.number)")
                }
                // Needed when this cycle has no samples; only its shape helps otherwise (this cycle's samples decide).
                cycleOneBlood = cycle.bloodSamples.isEmpty ? (try fitFirst(), first) : (try? fitFirst()).map { ($0, first) }
            }
        }
        let (images, act, regionKinetics, unlabelled) = try kinetics(manifest: manifest, cycle: cycle, analysis: analysis,
                                                                         cycleOneFits: cycleOneFits, progress: progress)
        // The cycle's inputs as a whole, before the CT and the transport: administered activity vs SPECT, decay correction.
        let totals = images.activityBq.map { $0.reduce(0, +) }
        let warnings = try CycleConsistencyCheck.administeredActivity(cycle: cycle, totalBq: totals,
                                                                      physicalDecayPerSecond: nuclide.decayConstant,
                                                                      source: manifest.path)
            + CycleConsistencyCheck.decayCorrection(timesHours: act.timesHours, totalBq: totals,
                                                    fits: (regionKinetics + [unlabelled]).map { ($0.region, $0.effectiveDecayPerSecond, $0.tiaBqS) },
                                                    physicalDecayPerSecond: nuclide.decayConstant)
        for w in warnings { progress("WARNING: " + w) }
        let regions = images.regions
        let marrowIndex = regions.index(of: manifest.marrowRegion)

        // Blood.
        var blood: (kinetics: BloodKinetics?, tia: TimeIntegratedActivity, method: String)?
        if !cycle.bloodSamples.isEmpty {
            let b = try BloodKinetics.fit(cycle.bloodSamples, physicalDecayConstantPerSecond: nuclide.decayConstant,
                                          relativeUncertainty: manifest.bloodRelativeUncertainty,
                                          cycleOneFit: cycleOneBlood?.0.fit, source: manifest.path + ": cycle \(cycle.number)")
            blood = (b, b.timeIntegratedConcentration, b.method)
        } else if let (b, first) = cycleOneBlood {
            let scale = cycle.administeredActivityGBq / first.administeredActivityGBq
            let t = b.timeIntegratedConcentration
            blood = (nil, TimeIntegratedActivity(valueBqS: t.valueBqS * scale, standardUncertaintyBqS: t.standardUncertaintyBqS * scale),
                     "cycle-\(first.number) blood Ã × administered-activity ratio (\(String(format: "%.3f", scale)))")
        }

        progress("cycle \(cycle.number): \(options.tiaMap.rawValue) TIA map")
        let map = try TIAMapBuilder.build(images: images, regionTIA: regionKinetics.map(\.tiaBqS),
                                          unlabelledTIA: unlabelled.tiaBqS, method: options.tiaMap,
                                          physicalDecayConstantPerSecond: nuclide.decayConstant,
                                          excluded: marrowIndex.map { [$0] } ?? [])
        progress("cycle \(cycle.number): transport geometry from the CT on the dose grid \(images.doseGrid.description)")
        let world = try WorldBuilder.fromCT(ct, calibration: calibration, grid: images.doseGrid,
                                            source: cycle.timePoints[cycle.referenceIndex].ct)
        var voxels = [[Int]](repeating: [], count: regions.names.count)
        for (v, r) in images.referenceRegionIndex.enumerated() where r >= 0 { voxels[Int(r)].append(v) }
        let scored = regions.names.indices.filter { !voxels[$0].isEmpty }.map { ScoredRegion(name: regions.names[$0], voxels: voxels[$0]) }
        let setup = CycleDosimetrySetup(manifest: manifest, cycle: cycle, images: images, activities: act, kinetics: regionKinetics,
                                        unlabelledKinetics: unlabelled, blood: blood, tiaMap: map, world: world,
                                        scoredRegions: scored, nuclide: nuclide, marrowIndex: marrowIndex, options: options)
        setup.warnings = warnings
        // DICOM series resampled on reading (uneven slice spacing) are recorded with the result (docs/formats/dicom.md).
        for tp in cycle.timePoints {
            setup.warnings += try DicomStudyImages.assemblyWarnings(tp.ct, role: .ct) + DicomStudyImages.assemblyWarnings(tp.spect.image, role: .spect)
        }
        if let cross = try CrossCycleRegistration.run(manifest: manifest, cycle: cycle) {
            progress("cycle \(cycle.number): reference CT registered to cycle \(cross.referenceCycle)'s (NCC \(cross.nccBefore) → \(cross.nccAfter))")
            for m in cross.mismatchedLesions {
                setup.warnings.append("lesion '\(m.name)': once cycle \(cycle.number) is registered to cycle \(cross.referenceCycle), the nearest "
                                      + "cycle-\(cross.referenceCycle) lesion is '\(m.nearest ?? "")', not the one of the same name: check the lesion names")
            }
            setup.crossCycle = cross
        }
        return setup
    }

    /// Total Ã of the transport source (Bq·s).
    public var sourceTIABqS: Double { tiaMap.tiaBqS.reduce(0, +) }

    /// The Monte Carlo simulation of the TIA map in the CT geometry, regions scored.
    public func simulation(settings: TransportSettings = TransportSettings(), seed: UInt64) throws -> PreparedSimulation {
        let emitter = Emitter.nuclide(EmissionSampler(nuclide: nuclide, includeAnnihilationPhotons: false))
        return try PreparedSimulation(world: world, source: .voxelMap(weights: tiaMap.tiaBqS), emitter: emitter,
                                      settings: settings, regions: scoredRegions, decaysRepresented: sourceTIABqS,
                                      seed: seed, identity: [nuclide.name, manifest.path, "cycle \(cycle.number)",
                                                             options.tiaMap.rawValue])
    }
}
