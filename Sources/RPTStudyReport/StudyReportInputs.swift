import Foundation
import RPTCore
import RPTDosimetry
import RPTPlanner

/// The files one study report is made from, found in a study output folder:
///
/// - the manifest: `DIR/study/manifest.yaml`, else `DIR/manifest.yaml` (or given);
/// - per cycle of the manifest, `dosimetry.h5` in the manifest's `dosimetry_outputs` folder of that
///   cycle, else in `DIR/cycle-K/`; cycles without one are listed as "no dosimetry";
/// - the plan (or given): of `plan.json` beside the manifest (where `rptdose plan` writes it) and
///   `DIR/plan.json` (where `rptdose demo` used to), the most recently made one (its recorded creation
///   time, else the file's modification time); the others are listed in `otherPlans`.
///
/// This is the layout `rptdose demo --out DIR` writes.
public struct StudyReportInputs: Sendable {
    public var studyOutputDirectory: String
    public var manifest: StudyManifest
    /// Cycle number → `dosimetry.h5` path, for the cycles that have one.
    public var dosimetryFiles: [Int: String]
    public var planPath: String?
    /// Plans found but not used (older than `planPath`).
    public var otherPlans: [String] = []

    /// - Throws: `InputError` when the manifest cannot be found or read, or no cycle has a dosimetry result.
    public static func locate(studyOutputDirectory dir: String, manifestPath: String? = nil,
                              planPath: String? = nil) throws -> StudyReportInputs {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(source: dir, reason: "study output folder not found")
        }
        let fm = FileManager.default
        let candidates = manifestPath.map { [$0] } ?? [dir + "/study/manifest.yaml", dir + "/manifest.yaml"]
        guard let mPath = candidates.first(where: { fm.fileExists(atPath: $0) }) else {
            throw InputError(source: dir, field: "manifest", value: candidates.joined(separator: ", "),
                             reason: "no study manifest found (give --manifest)")
        }
        // Images are checked by the parts that read them, so a study with moved images still reports.
        let manifest = try StudyManifest.load(path: mPath, checkImages: false)
        var files: [Int: String] = [:]
        for c in manifest.cycles {
            let folders = [manifest.dosimetryOutputs[c.number], dir + "/cycle-\(c.number)"].compactMap { $0 }
            if let f = folders.map({ $0 + "/" + DosimetryOutputWriter.hdf5Name }).first(where: { fm.fileExists(atPath: $0) }) {
                files[c.number] = (f as NSString).standardizingPath
            }
        }
        guard !files.isEmpty else {
            throw InputError(source: mPath, field: "dosimetry_outputs",
                             reason: "no cycle has a dosimetry result (dosimetry.h5 in the dosimetry_outputs folder or \(dir)/cycle-K); run `rptdose dosimetry` first")
        }
        var plan: String?, others: [String] = []
        if let planPath {
            guard fm.fileExists(atPath: planPath) else { throw InputError(source: planPath, reason: "plan file not found") }
            plan = planPath
        } else {
            var seen = Set<String>()
            let found = [manifest.directory + "/plan.json", dir + "/plan.json"].filter {
                fm.fileExists(atPath: $0) && seen.insert(StudyPlanning.standardPath($0)).inserted
            }
            let newestFirst = found.map { ($0, madeAt($0)) }.sorted { $0.1 > $1.1 }.map(\.0)
            plan = newestFirst.first
            others = Array(newestFirst.dropFirst())
        }
        return StudyReportInputs(studyOutputDirectory: dir, manifest: manifest, dosimetryFiles: files, planPath: plan,
                                 otherPlans: others)
    }

    /// When a plan file was made: its recorded creation time, else its modification time.
    static func madeAt(_ path: String) -> Date {
        if let plan = try? loadPlan(path), let d = plan.provenance?.created { return d }
        return ((try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date) ?? .distantPast
    }

    /// Reads a plan written by `rptdose plan` (docs/methods/planner.md).
    public static func loadPlan(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(source: path, reason: "cannot read the plan file")
        }
        do { return try JSONDecoder().decode(Plan.self, from: data) } catch {
            throw InputError(source: path, reason: "not a plan written by `rptdose plan`: \(error)")
        }
    }
}
