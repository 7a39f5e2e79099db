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
}

/// Registration of a cycle's time points to its reference time point (manifest `registration:`): each CT is
/// registered to the reference CT with elastix, the SPECT follows the CT's transform onto the dose grid, and the
/// reference time point's label map is used for every time point.
struct CycleRegistration {
    let mode: RegistrationMode
    let elastix: ElastixRegistration
    let referenceCT: Volume<Double>
    let cycle: StudyCycle

    init(manifest: StudyManifest, cycle: StudyCycle) throws {
        mode = manifest.registration
        self.cycle = cycle
        elastix = try ElastixRegistration(mode: mode)
        let refPath = cycle.timePoints[cycle.referenceIndex].ct
        referenceCT = try StudyImages.read(refPath, role: .ct).asDouble
        try referenceCT.grid.validate(source: refPath)
    }

    /// Registers time point `n` and returns its activity (Bq per dose-grid voxel) in the reference anatomy.
    /// - Parameter activity: the time point's activity (Bq per voxel) on its SPECT grid.
    func register(timePoint n: Int, activity: Volume<Double>, doseGrid: Grid3D) throws -> TimePointRegistrationRecord {
        let tp = cycle.timePoints[n]
        let ct = try StudyImages.read(tp.ct, role: .ct).asDouble
        try ct.grid.validate(source: tp.ct)
        let result = try TimePointRegistration.run(referenceCT: referenceCT, ct: ct, activityBq: activity, doseGrid: doseGrid,
                                                   mode: mode, registration: elastix, what: tp.ct)
        return TimePointRegistrationRecord(timePoint: n, hoursAfterAdministration: tp.hoursAfterAdministration,
                                           ct: tp.ct, result: result)
    }
}
