import RPTCore

/// Ground truth of one labelled region for one administration.
public struct RegionTruth: Equatable, Sendable {
    public var region: PhantomRegion
    public var voxelCount: Int
    /// Volume (mL) = voxel count × voxel volume.
    public var volumeML: Double
    /// Mass (g) = Σ voxel volume × nominal density of the voxel's tissue.
    public var massG: Double
    /// Time-integrated activity ∫₀^∞ A(t) dt (Bq·s), analytic.
    public var timeIntegratedActivityBqS: Double
}

/// True activity of every region at one scan time.
public struct TruthTimePoint: Equatable, Sendable {
    public var cycle: Int
    /// Hours after that cycle's administration.
    public var timeHours: Double
    /// Activity (Bq) per label value present in the label map.
    public var activityBqByLabel: [UInt16: Double]
    /// The scan's known motion relative to the reference anatomy (nil when the patient does not move).
    public var motion: PatientMotion? = nil
    /// Σ activity over all regions (Bq).
    public var totalActivityBq: Double { activityBqByLabel.values.reduce(0, +) }
}

/// Everything a dosimetry pipeline should recover from the synthetic patient's images and samples.
/// Every cycle has the same administered activity; the kinetics are the same in every cycle unless
/// `SyntheticPatientConfig.cycleKinetics` changes them (`cycleTimeIntegratedActivityBqS`).
public struct PhantomTruth: Equatable, Sendable {
    /// Administered activity per cycle (Bq).
    public var administeredActivityBq: Double
    /// Per region present in the label map, in label order.
    public var regions: [RegionTruth]
    /// True activities at every scheduled SPECT scan.
    public var timePoints: [TruthTimePoint]
    /// ∫₀^∞ C_blood(t) dt (Bq·s/mL).
    public var bloodTimeIntegratedConcentrationBqSPerML: Double
    /// Ã (Bq·s) per region of the cycles with their own kinetics (`SyntheticPatientConfig.cycleKinetics`); empty
    /// by default.
    public var cycleTimeIntegratedActivityBqS: [Int: [PhantomRegion: Double]] = [:]

    /// Ã (Bq·s) of the regions `name` stands for after the administration of `cycle` (its own kinetics when it has
    /// them, else the common ones).
    public func timeIntegratedActivityBqS(region name: String, cycle: Int) throws -> Double {
        guard let perRegion = cycleTimeIntegratedActivityBqS[cycle] else { return try region(named: name).timeIntegratedActivityBqS }
        let wanted = Set(try PhantomRegion.regions(named: name))
        return regions.filter { wanted.contains($0.region) }.reduce(0) { $0 + (perRegion[$1.region] ?? 0) }
    }

    /// Sums over the regions a name stands for (`kidney_left` = cortex + medulla, `body` = all).
    /// - Throws: `InputError` for an unknown name.
    public func region(named name: String) throws -> (volumeML: Double, massG: Double, timeIntegratedActivityBqS: Double) {
        let wanted = Set(try PhantomRegion.regions(named: name))
        var v = 0.0, m = 0.0, tia = 0.0
        for r in regions where wanted.contains(r.region) {
            v += r.volumeML; m += r.massG; tia += r.timeIntegratedActivityBqS
        }
        return (v, m, tia)
    }

    /// The true activities at a scheduled scan, or nil when (cycle, time) is not in the schedule.
    public func timePoint(cycle: Int, timeHours: Double) -> TruthTimePoint? {
        timePoints.first { $0.cycle == cycle && abs($0.timeHours - timeHours) < 1.0 / 120 }
    }
}
