import RPTDosimetry
import RPTKinetics
import RPTPhantom
import RPTPhysics

extension SyntheticPatientConfig {
    /// The smallest synthetic patient of the study-level tests: 48 × 36 × 36 CT voxels of 8 mm, SPECT at 8 mm,
    /// imaged per `schedule` (cycles and scan times in hours after administration).
    static func smallTestPatient(seed: UInt64, schedule: [SpectCycleSchedule]) -> SyntheticPatientConfig {
        var c = SyntheticPatientConfig()
        c.seed = seed
        c.shape = SIMD3(48, 36, 36)
        c.voxelSizeMM = SIMD3(repeating: 8)
        c.spectVoxelSizeMM = 8
        c.spectSchedule = schedule
        return c
    }

    /// Cycle 1 at 4, 24, 48, 72 and 96 h; cycles 2 and 3 at 4 and 96 h.
    static let fullThenTwoPointSchedule = [SpectCycleSchedule(cycle: 1, timesHours: [4, 24, 48, 72, 96]),
                                           SpectCycleSchedule(cycle: 2, timesHours: [4, 96]),
                                           SpectCycleSchedule(cycle: 3, timesHours: [4, 96])]
}

/// The region kinetics of a study written by `SyntheticPatientWriter`, computed as `rptdose dosimetry` does
/// (`CycleDosimetrySetup.kinetics` with the manifest's nuclide, activity uncertainty and population priors):
/// cycle 1 on its own, later cycles with cycle 1's fits as their shapes.
struct SyntheticStudyKinetics {
    let manifest: StudyManifest
    let nuclide: Nuclide
    /// The analysis of the manifest's settings.
    let analysis: CycleKineticsAnalysis
    /// Cycle 1's regions (with `analysis`).
    let cycleOne: [RegionKineticsResult]
    /// Cycle 1's fits by region: the shapes of the later cycles.
    let cycleOneFits: [String: TimeActivityFit]

    init(manifestPath: String) throws {
        manifest = try StudyManifest.load(path: manifestPath)
        nuclide = try Nuclide.named(manifest.nuclide)
        analysis = CycleKineticsAnalysis(physicalDecayConstantPerSecond: nuclide.decayConstant,
                                         activityRelativeUncertainty: manifest.activityRelativeUncertainty,
                                         activityCommonRelativeUncertainty: manifest.activityCommonRelativeUncertainty,
                                         priors: manifest.populationPriors(nuclide: nuclide.name))
        cycleOne = try CycleDosimetrySetup.kinetics(manifest: manifest, cycle: manifest.cycle(1)!, analysis: analysis,
                                                    cycleOneFits: [:]).regions
        var fits: [String: TimeActivityFit] = [:]
        for r in cycleOne { if let f = r.fit { fits[r.region] = f } }
        cycleOneFits = fits
    }

    /// The manifest's analysis with another stated activity uncertainty (total and common part).
    func analysis(activityRelativeUncertainty total: Double, common: Double) -> CycleKineticsAnalysis {
        CycleKineticsAnalysis(physicalDecayConstantPerSecond: nuclide.decayConstant, activityRelativeUncertainty: total,
                              activityCommonRelativeUncertainty: common, priors: manifest.populationPriors(nuclide: nuclide.name))
    }

    /// The regions of `cycle` (cycle 1 refitted on its own, later cycles with `cycleOneFits`), with `analysis`
    /// (default: the manifest's).
    func regions(cycle number: Int, analysis other: CycleKineticsAnalysis? = nil) throws -> [RegionKineticsResult] {
        try CycleDosimetrySetup.kinetics(manifest: manifest, cycle: manifest.cycle(number)!, analysis: other ?? analysis,
                                         cycleOneFits: number == 1 ? [:] : cycleOneFits).regions
    }
}
