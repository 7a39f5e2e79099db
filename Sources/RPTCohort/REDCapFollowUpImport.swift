import Foundation
import RPTCore
import RPTPlanner

/// Reads follow-up records from a REDCap-style CSV export (data dictionary: docs/formats/followup-redcap.md).
///
/// One row per record without `redcap_repeat_instrument` (the patient's baseline and outcome fields) and one
/// row per instance of the repeating instruments `adverse_events`, `laboratory` and `recist`. Every value is
/// checked; all problems are reported together (`InputErrors`), each naming the file, the line and column,
/// the value and the expected range.
public enum REDCapFollowUpImport {
    /// Columns of the export. REDCap's own `redcap_event_name` and `redcap_data_access_group` are allowed and ignored.
    public static let columns = ["record_id", "redcap_repeat_instrument", "redcap_repeat_instance",
                                 "arm", "treatment_start_date", "best_overall_response", "progression", "progression_date",
                                 "last_follow_up_date", "ae_term", "ae_grade", "ae_date", "lab_test", "lab_date", "lab_value",
                                 "recist_timepoint", "recist_date", "recist_lesion", "recist_diameter_mm", "recist_new_lesions",
                                 "recist_organ", "recist_lymph_node", "recist_nontarget_response", "recist_target"]
    static let ignored: Set<String> = ["redcap_event_name", "redcap_data_access_group"]

    public static func load(path: String) throws -> [FollowUpRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(source: path, reason: "cannot read file (missing or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(source: path, reason: "file is not UTF-8 text") }
        return try parse(text, source: path)
    }

    public static func parse(_ text: String, source: String) throws -> [FollowUpRecord] {
        let table = try CSVTable(text: text, source: source)
        var errors: [InputError] = []
        let unknown = table.header.filter { !columns.contains($0) && !ignored.contains($0) }
        for u in unknown { errors.append(InputError(source: source, field: "header", value: u, reason: "unknown column; expected: " + columns.joined(separator: ", "))) }
        for c in ["record_id", "redcap_repeat_instrument"] where !table.header.contains(c) {
            errors.append(InputError(source: source, field: "header", value: c, reason: "required column missing"))
        }
        if !errors.isEmpty { throw InputErrors(errors) }
        let index = Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0) })

        struct Partial {
            var baselineLine: Int?
            var arm: TreatmentArm?
            var start: Date?, bor: RECISTResponse?, progressed: Bool?, progression: Date?, last: Date?
            var events: [AdverseEvent] = [], labs: [LabValue] = [], recist: [RECISTMeasurement] = []
            var newLesions: Set<RECISTTimepoint> = []
            var nonTarget: [RECISTTimepoint: NonTargetResponse] = [:]
            /// Line of each baseline measurement (for errors about the target designation).
            var baselineLines: [String: Int] = [:]
        }
        var records: [String: Partial] = [:], order: [String] = []

        for (line, f) in table.rows {
            func value(_ c: String) -> String { index[c].map { f[$0] } ?? "" }
            func err(_ c: String, _ v: String, _ reason: String) {
                errors.append(InputError(source: source, field: "line \(line), \(c)", value: v, reason: reason))
            }
            func date(_ c: String, required: Bool) -> Date? {
                let v = value(c)
                if v.isEmpty { if required { err(c, v, "required; expected a date YYYY-MM-DD") }; return nil }
                guard let d = CalendarDate.parse(v) else { err(c, v, "expected a valid calendar date YYYY-MM-DD"); return nil }
                return d
            }
            func number(_ c: String, _ range: ClosedRange<Double>, _ unit: String) -> Double? {
                let v = value(c)
                guard let x = Double(v), x.isFinite else { err(c, v, "expected a number in \(range.lowerBound)–\(range.upperBound) \(unit)"); return nil }
                guard range.contains(x) else { err(c, v, "outside the plausible range \(range.lowerBound)–\(range.upperBound) \(unit)"); return nil }
                return x
            }
            func choice<E: RawRepresentable & CaseIterable>(_ c: String, _ type: E.Type, required: Bool = true) -> E? where E.RawValue == String {
                let v = value(c)
                if v.isEmpty && !required { return nil }
                guard let e = E(rawValue: v) else { err(c, v, "expected one of " + E.allCases.map(\.rawValue).joined(separator: ", ")); return nil }
                return e
            }
            let id = value("record_id")
            guard !id.isEmpty else { err("record_id", "", "required"); continue }
            if records[id] == nil { records[id] = Partial(); order.append(id) }
            var p = records[id]!
            switch value("redcap_repeat_instrument") {
            case "":
                if let l = p.baselineLine { err("record_id", id, "second baseline row for this record (first on line \(l))"); break }
                p.baselineLine = line
                p.arm = choice("arm", TreatmentArm.self, required: false)
                p.start = date("treatment_start_date", required: true)
                p.bor = choice("best_overall_response", RECISTResponse.self, required: false)
                switch value("progression") {
                case "1": p.progressed = true
                case "0": p.progressed = false
                default: err("progression", value("progression"), "expected 1 (progressed) or 0 (not progressed)")
                }
                p.progression = date("progression_date", required: p.progressed == true)
                if p.progressed == false && p.progression != nil { err("progression_date", value("progression_date"), "given, but progression is 0") }
                p.last = date("last_follow_up_date", required: true)
            case "adverse_events":
                if let term = choice("ae_term", CTCAETerm.self), let g = number("ae_grade", 1...5, "(CTCAE grade)"), let d = date("ae_date", required: true) {
                    if g != g.rounded() { err("ae_grade", value("ae_grade"), "expected an integer CTCAE grade 1–5") } else {
                        p.events.append(AdverseEvent(term: term, grade: Int(g), date: d))
                    }
                }
            case "laboratory":
                if let test = choice("lab_test", LabTest.self), let d = date("lab_date", required: true),
                   let v = number("lab_value", test.plausibleRange, test.rawValue) {
                    p.labs.append(LabValue(test: test, date: d, value: v))
                }
            case "recist":
                let tp = choice("recist_timepoint", RECISTTimepoint.self), d = date("recist_date", required: true)
                let newLesions = value("recist_new_lesions")
                if !["", "0", "1"].contains(newLesions) { err("recist_new_lesions", newLesions, "expected 1, 0 or empty") }
                if let tp, newLesions == "1" { p.newLesions.insert(tp) }
                let node = value("recist_lymph_node")
                if !["", "0", "1"].contains(node) { err("recist_lymph_node", node, "expected 1 (lymph node: short axis), 0 or empty") }
                if let tp, let nt = choice("recist_nontarget_response", NonTargetResponse.self, required: false) {
                    if let earlier = p.nonTarget[tp], earlier != nt {
                        err("recist_nontarget_response", nt.rawValue, "differs from \(earlier.rawValue) given for \(tp.rawValue) on another row")
                    }
                    p.nonTarget[tp] = nt
                }
                let target = value("recist_target")
                if !["", "0", "1"].contains(target) { err("recist_target", target, "expected 1 (target lesion designated by the site), 0 (non-target) or empty") }
                if !target.isEmpty, let tp, tp != .baseline {
                    err("recist_target", target, "target lesions are designated at baseline only; leave empty at \(tp.rawValue)")
                }
                let lesion = value("recist_lesion")
                if !lesion.isEmpty, let tp, let d, let mm = number("recist_diameter_mm", 0...500, "mm") {
                    if p.recist.contains(where: { $0.timepoint == tp && $0.lesion == lesion }) {
                        err("recist_lesion", lesion, "measured twice at \(tp.rawValue)")
                    } else {
                        p.recist.append(RECISTMeasurement(timepoint: tp, date: d, lesion: lesion, diameterMM: mm,
                                                          organ: value("recist_organ"), lymphNode: node == "1",
                                                          designatedTarget: tp == .baseline && !target.isEmpty ? target == "1" : nil))
                        if tp == .baseline { p.baselineLines[lesion] = line }
                    }
                } else if lesion.isEmpty && newLesions != "1" && value("recist_nontarget_response").isEmpty {
                    err("recist_lesion", "", "required (or recist_new_lesions = 1 or recist_nontarget_response on a row without a measurement)")
                }
            default:
                err("redcap_repeat_instrument", value("redcap_repeat_instrument"), "expected empty, adverse_events, laboratory or recist")
            }
            records[id] = p
        }

        var out: [FollowUpRecord] = []
        for id in order {
            let p = records[id]!
            guard p.baselineLine != nil else {
                errors.append(InputError(source: source, field: "record_id", value: id, reason: "no baseline row (a row with empty redcap_repeat_instrument)"))
                continue
            }
            // Site-designated targets (recist_target): all or none of the baseline measurements, and valid by RECIST 1.1.
            let baseline = p.recist.filter { $0.timepoint == .baseline }
            if baseline.contains(where: { $0.designatedTarget != nil }) {
                for m in baseline where m.designatedTarget == nil {
                    errors.append(InputError(source: source, field: "line \(p.baselineLines[m.lesion] ?? 0), recist_target", value: "",
                                             reason: "record \(id) designates target lesions at baseline; give 1 or 0 for every baseline lesion (\(m.lesion))"))
                }
                for (m, reason) in RECISTTargetSelection.designationProblems(baseline) {
                    errors.append(InputError(source: source, field: "line \(p.baselineLines[m.lesion] ?? 0), recist_target", value: "1", reason: "record \(id): " + reason))
                }
            }
            guard let start = p.start, let last = p.last, p.progressed != nil else { continue }  // already reported
            if last < start { errors.append(InputError(source: source, field: "record \(id), last_follow_up_date", value: CalendarDate.format(last), reason: "before treatment_start_date \(CalendarDate.format(start))")) }
            if let pd = p.progression, pd < start || pd > last {
                errors.append(InputError(source: source, field: "record \(id), progression_date", value: CalendarDate.format(pd),
                                         reason: "expected between treatment_start_date \(CalendarDate.format(start)) and last_follow_up_date \(CalendarDate.format(last))"))
            }
            out.append(FollowUpRecord(patientID: id, arm: p.arm, treatmentStart: start, adverseEvents: p.events, labs: p.labs,
                                      recist: p.recist, newLesions: p.newLesions, nonTargetResponses: p.nonTarget, bestOverallResponse: p.bor,
                                      progressionDate: p.progression, lastFollowUpDate: last))
        }
        if !errors.isEmpty { throw InputErrors(errors) }
        return out
    }

    /// The CSV text of `records` in the export layout (used by `trial-sim`; parses back equal).
    public static func csv(_ records: [FollowUpRecord]) -> String {
        var lines = [columns.joined(separator: ",")]
        func row(_ values: [String: String]) -> String { columns.map { values[$0] ?? "" }.joined(separator: ",") }
        for r in records {
            lines.append(row(["record_id": r.patientID, "arm": r.arm?.rawValue ?? "", "treatment_start_date": CalendarDate.format(r.treatmentStart),
                              "best_overall_response": r.bestOverallResponse?.rawValue ?? "", "progression": r.progressionDate == nil ? "0" : "1",
                              "progression_date": r.progressionDate.map(CalendarDate.format) ?? "",
                              "last_follow_up_date": CalendarDate.format(r.lastFollowUpDate)]))
            for (i, e) in r.adverseEvents.enumerated() {
                lines.append(row(["record_id": r.patientID, "redcap_repeat_instrument": "adverse_events", "redcap_repeat_instance": "\(i + 1)",
                                  "ae_term": e.term.rawValue, "ae_grade": "\(e.grade)", "ae_date": CalendarDate.format(e.date)]))
            }
            for (i, l) in r.labs.enumerated() {
                lines.append(row(["record_id": r.patientID, "redcap_repeat_instrument": "laboratory", "redcap_repeat_instance": "\(i + 1)",
                                  "lab_test": l.test.rawValue, "lab_date": CalendarDate.format(l.date), "lab_value": "\(l.value)"]))
            }
            var instance = 0
            for m in r.recist {
                instance += 1
                lines.append(row(["record_id": r.patientID, "redcap_repeat_instrument": "recist", "redcap_repeat_instance": "\(instance)",
                                  "recist_timepoint": m.timepoint.rawValue, "recist_date": CalendarDate.format(m.date), "recist_lesion": m.lesion,
                                  "recist_diameter_mm": "\(m.diameterMM)", "recist_new_lesions": r.newLesions.contains(m.timepoint) ? "1" : "0",
                                  "recist_organ": m.organ, "recist_lymph_node": m.lymphNode ? "1" : "0",
                                  "recist_target": m.designatedTarget.map { $0 ? "1" : "0" } ?? "",
                                  "recist_nontarget_response": r.nonTargetResponses[m.timepoint]?.rawValue ?? ""]))
            }
            for tp in RECISTTimepoint.allCases where (r.newLesions.contains(tp) || r.nonTargetResponses[tp] != nil)
                && !r.recist.contains(where: { $0.timepoint == tp }) {
                instance += 1
                lines.append(row(["record_id": r.patientID, "redcap_repeat_instrument": "recist", "redcap_repeat_instance": "\(instance)",
                                  "recist_timepoint": tp.rawValue, "recist_date": CalendarDate.format(r.lastFollowUpDate),
                                  "recist_new_lesions": r.newLesions.contains(tp) ? "1" : "0",
                                  "recist_nontarget_response": r.nonTargetResponses[tp]?.rawValue ?? ""]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
