import Foundation
@testable import RPTPlanner

/// Package root, found from this file's path (Tests/RPTPlannerTests/TestSupport.swift).
let packageRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

/// ln 2 written out, so the worked examples read like the hand calculations.
let ln2 = 0.693_147_180_559_945_3

/// One given cycle with a single lesion (uncertainties 0 unless stated).
func givenCycle(_ cycle: Int, activity: Double, kidney: Double, marrow: Double, tumour: [Double] = [5.0],
                kidneyHalfTimeHours: Double = 50, u: Double = 0) -> AdministeredCycle {
    AdministeredCycle(cycle: cycle, activityGBq: activity, kidney: DosePerActivity(gyPerGBq: kidney, relativeUncertainty: u),
                      kidneyEffectiveDecayPerHour: ln2 / kidneyHalfTimeHours,
                      marrow: DosePerActivity(gyPerGBq: marrow, relativeUncertainty: u),
                      lesions: tumour.enumerated().map { LesionDosePerActivity(lesion: "L\($0.offset + 1)",
                                                                                dose: DosePerActivity(gyPerGBq: $0.element, relativeUncertainty: u)) })
}

extension Plan {
    var activities: [Double] { cycles.map(\.activityGBq) }
}
