import Foundation
import RPTCore
import RPTRegistration
import RPTVolume

/// What a cycle's registration found for one time point (the transform and the QA numbers; docs/methods/registration.md).
public struct TimePointRegistrationRecord: Sendable {
    /// Index of the time point in the cycle.
    public var timePoint: Int
    public var hoursAfterAdministration: Double
    /// The time point's CT (the moving image).
    public var ct: String
    /// The registration; its `activityBq` is emptied once the activity is on the dose grid.
    public var result: TimePointRegistrationResult
    /// The slices of the report's QA figure and the kidneys' centroid shift.
    public var qaSlices: RegistrationQASlices? = nil
}

/// Registration of a cycle's time points to its reference time point (manifest `registration:`): each CT is
/// registered to the reference CT with elastix, the SPECT follows the CT's transform onto the dose grid, and the
/// reference time point's label map is used for every time point.
struct CycleRegistration {
    let mode: RegistrationMode
    let elastix: ElastixRegistration
    let referenceCT: Volume<Double>
    let cycle: StudyCycle
    /// Centroid (LPS mm) of the reference kidney labels, for the QA slices; nil without kidney labels.
    let kidneyCentroid: SIMD3<Double>?

    init(manifest: StudyManifest, cycle: StudyCycle) throws {
        mode = manifest.registration
        self.cycle = cycle
        elastix = try ElastixRegistration(mode: mode)
        let refPath = cycle.timePoints[cycle.referenceIndex].ct
        referenceCT = try StudyImages.read(refPath, role: .ct).asDouble
        try referenceCT.grid.validate(source: refPath)
        kidneyCentroid = try Self.kidneyCentroid(manifest: manifest, cycle: cycle)
    }

    /// Centroid of the reference time point's kidney labels (manifest `kidney_regions`), or nil.
    static func kidneyCentroid(manifest: StudyManifest, cycle: StudyCycle) throws -> SIMD3<Double>? {
        let tp = cycle.timePoints[cycle.referenceIndex]
        guard let ref = tp.labels ?? manifest.sharedLabels else { return nil }
        let (labels, table) = try StudyImages.readLabelMap(ref, ctPath: tp.ct)
        let regions = try ReportingRegions(table: table, groups: manifest.regionGroups, source: manifest.path)
        let kidneys = Set(manifest.kidneyRegions.compactMap { regions.index(of: $0) })
        guard !kidneys.isEmpty else { return nil }
        return RegistrationQA.centroid(labels.voxels.map { kidneys.contains(regions.region(ofLabel: Int($0.rounded()))) },
                                       grid: labels.grid)
    }

    /// Registers time point `n` and returns its activity (Bq per dose-grid voxel) in the reference anatomy.
    /// - Parameter activity: the time point's activity (Bq per voxel) on its SPECT grid.
    func register(timePoint n: Int, activity: Volume<Double>, doseGrid: Grid3D) throws -> TimePointRegistrationRecord {
        let tp = cycle.timePoints[n]
        let ct = try StudyImages.read(tp.ct, role: .ct).asDouble
        try ct.grid.validate(source: tp.ct)
        let result = try TimePointRegistration.run(referenceCT: referenceCT, ct: ct, activityBq: activity, doseGrid: doseGrid,
                                                   mode: mode, registration: elastix, what: tp.ct)
        let qa = try RegistrationQASlices.make(referenceCT: referenceCT, ct: ct, transform: result.transform,
                                               registration: elastix, kidneyCentroid: kidneyCentroid)
        return TimePointRegistrationRecord(timePoint: n, hoursAfterAdministration: tp.hoursAfterAdministration,
                                           ct: tp.ct, result: result, qaSlices: qa)
    }
}
