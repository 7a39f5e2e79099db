import Foundation
import RPTCore
import RPTDosimetry
import RPTPlanner

/// Whether a plan may be shown with a study's report (docs/report.md, "The plan").
///
/// - Refused (not shown): the plan records a different manifest than the report's.
/// - Bannered: the plan records no provenance (made before plans had one); a dosimetry result the
///   report shows for a cycle the plan used is newer than the plan; a later cycle has dosimetry the plan
///   did not use (it was made after cycle K, cycle K+1 has been measured since).
public struct PlanCheck: Equatable, Sendable {
    /// Why the plan is not shown, or nil.
    public var refusal: String?
    /// Warnings printed with the plan and in the report's warnings.
    public var warnings: [String]

    public static func check(_ plan: Plan, planPath: String, manifest: StudyManifest,
                             dosimetryFiles: [Int: String]) -> PlanCheck {
        guard let p = plan.provenance else {
            return PlanCheck(refusal: nil, warnings: [
                "The plan (\(planPath)) records neither when it was made nor from which manifest and dosimetry (made by an "
                + "older version): it cannot be checked against this study's results. Re-plan with `rptdose plan`."])
        }
        let mine = StudyPlanning.standardPath(manifest.path)
        if p.manifestPath != mine {
            return PlanCheck(refusal: "The plan \(planPath) was made for the manifest \(p.manifestPath), not for this "
                             + "study's \(mine); it is not shown. Re-plan this study with `rptdose plan`.", warnings: [])
        }
        var warnings: [String] = []
        let created = p.created
        let iso = ISO8601DateFormatter()
        for cycle in dosimetryFiles.keys.sorted() {
            let path = dosimetryFiles[cycle]!
            guard cycle <= plan.given.count else {
                warnings.append("The plan was made after cycle \(plan.given.count), but cycle \(cycle) has dosimetry since "
                                + "(\(path)): it does not use it. Re-plan with `rptdose plan`.")
                continue
            }
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
            if let created, let modified, modified > created {
                warnings.append("The plan (made \(p.createdAt)) is older than the dosimetry of cycle \(cycle) "
                                + "(\(path), written \(iso.string(from: modified))): it may not reflect it. Re-plan with `rptdose plan`.")
            }
        }
        return PlanCheck(refusal: nil, warnings: warnings)
    }
}
