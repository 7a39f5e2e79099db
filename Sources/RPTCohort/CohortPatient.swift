import Foundation
import RPTCore
import RPTDosimetry
import RPTPlanner

/// One patient of a cohort: arm, administered cycles with their dosimetry, cumulative doses and follow-up.
public struct CohortPatient: Sendable {
    public var id: String
    public var arm: TreatmentArm
    /// Cycles given, with their measured dose per activity (from each cycle's dosimetry summary).
    public var cycles: [AdministeredCycle]
    public var followUp: FollowUpRecord
    /// Where the patient was read from.
    public var source: String

    /// Administration time of each cycle (same order as `cycles`; empty when unknown).
    public var administrationDates: [Date]

    public init(id: String, arm: TreatmentArm, cycles: [AdministeredCycle], followUp: FollowUpRecord, source: String,
                administrationDates: [Date] = []) {
        self.id = id; self.arm = arm; self.cycles = cycles; self.followUp = followUp; self.source = source
        self.administrationDates = administrationDates
    }

    /// The dose-limiting-toxicity observation of the tolerance fit (`ToleranceDoseFit`): the cumulative marrow dose
    /// (Gy, measured) before and after the cycle followed by the first haematologic adverse event of grade ≥ `grade`
    /// (the last administration on or before its onset), or the total marrow dose when there was none (censored).
    /// Nil without administration dates or when the first such event precedes the first administration.
    public func toleranceObservation(grade: Int) -> ToleranceDoseFit.Observation? {
        guard administrationDates.count == cycles.count, !cycles.isEmpty else { return nil }
        var cumulative: [Double] = [], sum = 0.0
        for c in cycles { sum += c.activityGBq * c.marrow.gyPerGBq; cumulative.append(sum) }
        let first = followUp.adverseEvents.filter { $0.term.isHaematologic && $0.grade >= grade }.map(\.date).min()
        guard let onset = first else { return ToleranceDoseFit.Observation(lowerDoseGy: nil, upperDoseGy: sum, event: false) }
        guard let k = administrationDates.lastIndex(where: { $0 <= onset }) else { return nil }
        return ToleranceDoseFit.Observation(lowerDoseGy: k == 0 ? nil : cumulative[k - 1], upperDoseGy: cumulative[k], event: true)
    }

    /// Cumulative red-marrow absorbed dose (Gy): Σ administered activity × measured dose per activity.
    public var marrowDoseGy: Double { cycles.map { $0.activityGBq * $0.marrow.gyPerGBq }.reduce(0, +) }
    /// Cumulative kidney absorbed dose (Gy).
    public var kidneyDoseGy: Double { cycles.map { $0.activityGBq * $0.kidney.gyPerGBq }.reduce(0, +) }
    /// Total administered activity (GBq).
    public var totalActivityGBq: Double { cycles.map(\.activityGBq).reduce(0, +) }
    /// Cumulative absorbed dose per lesion (Gy), in the order of the first cycle's lesions.
    public var lesionDosesGy: [(lesion: String, doseGy: Double)] {
        guard let first = cycles.first else { return [] }
        return first.lesions.indices.map { l in
            (first.lesions[l].lesion, cycles.map { $0.activityGBq * ($0.lesions.count > l ? $0.lesions[l].dose.gyPerGBq : 0) }.reduce(0, +))
        }
    }
}

/// Reads a patient's study folder for the cohort: the study manifest `study.yaml` (arm, patient id, cycles
/// and their activities, `dosimetry_outputs`), each cycle's dosimetry summary, and `followup.csv` beside the
/// manifest (REDCap export with this patient's record; docs/formats/followup-redcap.md).
public enum CohortStudyLoader {
    public static let manifestName = "study.yaml"
    public static let followUpName = "followup.csv"

    /// The study folders named by `paths`: a folder holding `study.yaml` (or a manifest file) is one patient; any
    /// other folder contributes its immediate subfolders that hold `study.yaml` (e.g. a trial-sim output), sorted.
    public static func studyFolders(_ paths: [String]) throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { throw InputError(source: p, reason: "no such file or folder") }
            if !isDir.boolValue || fm.fileExists(atPath: p + "/" + manifestName) { out.append(p); continue }
            let subs = try fm.contentsOfDirectory(atPath: p).sorted().map { p + "/" + $0 }.filter { fm.fileExists(atPath: $0 + "/" + manifestName) }
            guard !subs.isEmpty else { throw InputError(source: p, reason: "holds no \(manifestName) and no study folders with one") }
            out += subs
        }
        return out
    }

    /// `path` is a study folder (holding `study.yaml`) or a manifest file.
    public static func load(_ path: String) throws -> CohortPatient {
        var isDir: ObjCBool = false
        let manifestPath = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
            ? (path as NSString).appendingPathComponent(manifestName) : path
        let manifest = try StudyManifest.load(path: manifestPath, checkImages: false)
        var cycles: [AdministeredCycle] = [], dates: [Date] = []
        for c in manifest.cycles.sorted(by: { $0.number < $1.number }) {
            dates.append(c.administrationTime)
            guard let folder = manifest.dosimetryOutputs[c.number] else {
                throw InputError(source: manifestPath, field: "dosimetry_outputs", value: "cycle \(c.number)",
                                 reason: "the cohort needs the dosimetry of every administered cycle")
            }
            cycles.append(try PlanRequestBuilder.administeredCycle(folder: folder, cycle: c))
        }
        let followPath = (manifest.directory as NSString).appendingPathComponent(followUpName)
        let records = try REDCapFollowUpImport.load(path: followPath)
        let id = manifest.patient.id
        let matching = id.isEmpty ? records : records.filter { $0.patientID == id }
        guard matching.count == 1, let record = matching.first else {
            throw InputError(source: followPath, field: "record_id", value: id.isEmpty ? "(manifest has no patient.id)" : id,
                             reason: "expected exactly one follow-up record for this patient (found \(matching.count) of \(records.count))")
        }
        if let arm = record.arm, arm != manifest.arm {
            throw InputError(source: followPath, field: "arm", value: arm.rawValue,
                             reason: "differs from the study manifest's arm (\(manifest.arm.rawValue), \(manifestPath))")
        }
        if let first = cycles.first, cycles.contains(where: { $0.lesions.map(\.lesion) != first.lesions.map(\.lesion) }) {
            throw InputError(source: manifestPath, field: "lesions", reason: "every cycle's dosimetry must list the same lesions in the same order")
        }
        return CohortPatient(id: id.isEmpty ? record.patientID : id, arm: manifest.arm, cycles: cycles, followUp: record, source: manifestPath,
                             administrationDates: dates)
    }
}
