import RPTCore

/// Activity of every reporting region at every time point of one cycle (Bq at the scan time, not decay
/// corrected), before and after partial-volume correction.
public struct RegionActivities: Sendable {
    public var regionNames: [String]
    /// Scan times (h after the cycle's administration).
    public var timesHours: [Double]
    /// Sum over the region's voxels on the dose grid: `measuredBq[region][timePoint]`.
    public var measuredBq: [[Double]]
    /// After partial-volume correction (equal to `measuredBq` without one).
    public var correctedBq: [[Double]]
    /// Activity of the unlabelled voxels at each time point (corrected).
    public var unlabelledBq: [Double]
    /// How the correction was made (`none`, `recovery coefficients`, `geometric transfer matrix, FWHM … mm`).
    public var correction: String
    /// Where registered time points were measured: `dose grid` (every time point on the dose grid) or
    /// `own frame, reference labels propagated` (registered time points on their SPECT as acquired).
    public var registeredTimePointFrame: String = RegionActivities.doseGridFrame
    public static let doseGridFrame = "dose grid"
    public static let ownFrame = "own frame, reference labels propagated"

    /// Sums the activity per region; applies the transfer matrix or the recovery coefficients.
    public static func measure(images: CycleImages, manifest: StudyManifest) throws -> RegionActivities {
        let regions = images.regions
        let nr = regions.names.count, nt = images.activityBq.count
        var measured = [[Double]](repeating: [Double](repeating: 0, count: nt), count: nr)
        var corrected = measured
        var unlabelled = [Double](repeating: 0, count: nt)
        var correction = "none"
        for t in 0..<nt {
            if let own = images.ownFrameActivities[t] {
                for r in 0..<nr { measured[r][t] = own.measuredBq[r]; corrected[r][t] = own.correctedBq[r] }
                unlabelled[t] = own.unlabelledBq
                continue
            }
            let map = images.labelMaps[images.labelMapOfTimePoint[t]]
            let a = images.activityBq[t]
            var unl = 0.0
            for (v, r) in map.regionOnDoseGrid.enumerated() {
                if r >= 0 { measured[Int(r)][t] += a[v] } else { unl += a[v] }
            }
            if let gtm = map.transferMatrix {
                correction = "geometric transfer matrix, FWHM \(gtm.fwhmMM) mm"
                let units = try gtm.corrected(measured: gtm.measured(a))
                var c = [Double](repeating: 0, count: nr)
                var u = 0.0
                for (k, label) in gtm.unitLabels.enumerated() {
                    let r = label == GeometricTransferMatrix.unlabelledUnit ? ReportingRegions.unlabelled
                        : regions.region(ofLabel: label)
                    if r >= 0 { c[r] += units[k] } else { u += units[k] }
                }
                for r in 0..<nr { corrected[r][t] = c[r] }
                unlabelled[t] = u
            } else {
                for r in 0..<nr {
                    let rc = manifest.recoveryCoefficients[regions.names[r]] ?? 1
                    corrected[r][t] = measured[r][t] / rc
                }
                unlabelled[t] = unl
                if !manifest.recoveryCoefficients.isEmpty { correction = "recovery coefficients" }
            }
        }
        var result = RegionActivities(regionNames: regions.names, timesHours: images.cycle.timePoints.map(\.hoursAfterAdministration),
                                      measuredBq: measured, correctedBq: corrected, unlabelledBq: unlabelled, correction: correction)
        if !images.ownFrameActivities.isEmpty { result.registeredTimePointFrame = Self.ownFrame }
        return result
    }
}
