import Foundation
import RPTPlanner

/// A table of the cohort output, written both as CSV and into `cohort.sqlite` (schema: docs/formats/cohort.md).
public struct CohortTable: Sendable {
    public var name: String
    /// Column names with their SQLite types (`TEXT`, `INTEGER`, `REAL`).
    public var columns: [(name: String, type: String)]
    public var rows: [[SQLValue]]
}

extension CohortAnalysis {
    /// The per-patient, per-cycle, per-lesion, adverse-event, laboratory and endpoint tables.
    public func tables() -> [CohortTable] {
        func date(_ d: Date) -> SQLValue { .text(CalendarDate.format(d)) }
        func opt(_ x: Double?) -> SQLValue { x.map { .real($0) } ?? .null }
        let patientRows: [[SQLValue]] = patients.map { p in
            let f = p.followUp, t = f.timeToProgression
            return [.text(p.id), .text(p.arm.rawValue), .integer(p.cycles.count), .real(p.totalActivityGBq), .real(p.kidneyDoseGy),
                    .real(p.marrowDoseGy), date(f.treatmentStart), .real(t.days), .integer(t.progressed ? 1 : 0),
                    RECIST.response(f, at: .m6).map { .text($0.rawValue) } ?? .null, .integer(RECIST.respondedAt6Months(f, settings: responseAssessment) ? 1 : 0),
                    .text(RECIST.bestOverallResponse(f, settings: responseAssessment).rawValue), f.bestOverallResponse.map { .text($0.rawValue) } ?? .null,
                    .integer(f.worstHaematologicGrade), opt(f.nadirFraction(.platelets)),
                    .text(RECISTTargetSelection(baseline: f.recist.filter { $0.timepoint == .baseline }).method.rawValue)]
        }
        let cycleRows: [[SQLValue]] = patients.flatMap { p in
            p.cycles.map { c in [.text(p.id), .integer(c.cycle), .real(c.activityGBq), .real(c.kidney.gyPerGBq), .real(c.marrow.gyPerGBq),
                                 .real(c.kidneyEffectiveDecayPerHour)] }
        }
        let lesionRows: [[SQLValue]] = patients.flatMap { p in
            p.lesionDosesGy.map { l in
                let change = RECIST.lesionChange(p.followUp, lesion: l.lesion, at: .m6)
                return [.text(p.id), .text(l.lesion), .real(l.doseGy), opt(change),
                        change.map { .integer($0 <= -Self.lesionResponseShrinkage ? 1 : 0) } ?? .null]
            }
        }
        let aeRows: [[SQLValue]] = patients.flatMap { p in p.followUp.adverseEvents.map { [.text(p.id), .text($0.term.rawValue), .integer($0.grade), date($0.date)] } }
        let labRows: [[SQLValue]] = patients.flatMap { p in p.followUp.labs.map { [.text(p.id), .text($0.test.rawValue), date($0.date), .real($0.value)] } }
        let severityRows: [[SQLValue]] = toxicitySeverity.flatMap { t in
            (0...5).map { g in [.text(t.arm.rawValue), .text(t.term.rawValue), .integer(g), g == 0 ? .null : .integer(t.eventsByGrade[g - 1]),
                                .integer(t.patientsByWorstGrade[g]), .integer(t.patients)] }
        }
        let worstRows: [[SQLValue]] = patients.flatMap { p in
            CTCAETerm.allCases.map { [.text(p.id), .text(p.arm.rawValue), .text($0.rawValue), .integer(p.followUp.worstGrade($0))] }
        }
        var endpoints: [[SQLValue]] = []
        for a in arms {
            if let r = a.responseAt6Months {
                endpoints.append([.text("objective_response_rate_6m"), .text(a.arm.rawValue), .real(r.estimate), .real(r.lower), .real(r.upper), .integer(r.total),
                                  .text("Clopper-Pearson exact 95 % CI; \(r.count)/\(r.total)")])
            }
            let m = a.timeToProgression.median
            endpoints.append([.text("median_time_to_progression_days"), .text(a.arm.rawValue), opt(m.estimate), opt(m.lower), opt(m.upper), .integer(a.patients),
                              .text("Kaplan-Meier; 95 % CI from the log(-log) band; null = not reached")])
        }
        if let d = responseDifference {
            endpoints.append([.text("orr_difference_investigational_minus_standard"), .text("both"), .real(d.difference), .real(d.lower), .real(d.upper),
                              .integer(patients.count), .text("Newcombe hybrid score 95 % CI")])
        }
        if let l = logRank {
            endpoints.append([.text("logrank_chi_square"), .text("both"), .real(l.chiSquare), .null, .null, .integer(patients.count), .text("p = \(l.p)")])
            endpoints.append([.text("logrank_p_value"), .text("both"), .real(l.p), .null, .null, .integer(patients.count), .text("1 degree of freedom")])
        }
        for t in toxicity {
            endpoints.append([.text("toxicity_\(t.term.rawValue)_grade_ge_\(t.minimumGrade)"), .text(t.arm.rawValue), .real(t.incidence.estimate),
                              .real(t.incidence.lower), .real(t.incidence.upper), .integer(t.incidence.total), .text("\(t.incidence.count)/\(t.incidence.total), Clopper-Pearson")])
        }
        for (name, result, unit) in [("dose_toxicity", doseToxicity, "marrow dose Gy; haematologic grade >= \(Self.haematologicToxicityGrade)"),
                                     ("dose_response", doseResponse, "lesion dose Gy; lesion shrinkage >= 30 % at 6 months")] {
            switch result {
            case let .success(f):
                endpoints.append([.text(name + "_intercept"), .text("both"), .real(f.intercept), .real(f.interceptCI.lowerBound), .real(f.interceptCI.upperBound), .integer(f.observations), .text("logistic, Wald 95 % CI; " + unit)])
                endpoints.append([.text(name + "_slope_per_gy"), .text("both"), .real(f.slope), .real(f.slopeCI.lowerBound), .real(f.slopeCI.upperBound), .integer(f.observations), .text("logistic, Wald 95 % CI; " + unit)])
            case let .failure(e):
                endpoints.append([.text(name + "_slope_per_gy"), .text("both"), .null, .null, .null, .integer(0), .text("not estimable: \(e)")])
            }
        }
        switch doseToxicityDuringTreatment {
        case let .success(f):
            let note = "tolerance model, interval-censored ML, Wald 95 % CI; cumulative marrow dose Gy at the first haematologic grade >= \(Self.haematologicToxicityGrade) (unbiased under dose modifications)"
            endpoints.append([.text("dose_toxicity_tolerance_intercept"), .text("both"), .real(f.intercept), .real(f.interceptCI.lowerBound), .real(f.interceptCI.upperBound), .integer(f.observations), .text(note)])
            endpoints.append([.text("dose_toxicity_tolerance_slope_per_gy"), .text("both"), .real(f.slope), .real(f.slopeCI.lowerBound), .real(f.slopeCI.upperBound), .integer(f.observations), .text(note)])
        case let .failure(e):
            endpoints.append([.text("dose_toxicity_tolerance_slope_per_gy"), .text("both"), .null, .null, .null, .integer(0), .text("not estimable: \(e)")])
        }
        switch plateletNadir {
        case let .success(f):
            endpoints.append([.text("platelet_nadir_log_fraction_intercept"), .text("both"), .real(f.intercept), .real(f.interceptCI.lowerBound), .real(f.interceptCI.upperBound), .integer(f.observations), .text("least squares, t 95 % CI; ln(nadir/baseline) vs marrow dose Gy")])
            endpoints.append([.text("platelet_nadir_log_fraction_slope_per_gy"), .text("both"), .real(f.slope), .real(f.slopeCI.lowerBound), .real(f.slopeCI.upperBound), .integer(f.observations), .text("least squares, t 95 % CI; Pearson r = \(f.correlation)")])
        case let .failure(e):
            endpoints.append([.text("platelet_nadir_log_fraction_slope_per_gy"), .text("both"), .null, .null, .null, .integer(0), .text("not estimable: \(e)")])
        }
        return [
            CohortTable(name: "patients", columns: [("patient_id", "TEXT"), ("arm", "TEXT"), ("cycles", "INTEGER"), ("total_activity_gbq", "REAL"),
                                                    ("kidney_dose_gy", "REAL"), ("marrow_dose_gy", "REAL"), ("treatment_start", "TEXT"),
                                                    ("ttp_days", "REAL"), ("progressed", "INTEGER"), ("response_6m", "TEXT"),
                                                    ("objective_response_6m", "INTEGER"), ("best_overall_response", "TEXT"),
                                                    ("best_overall_response_site", "TEXT"), ("worst_haematologic_grade", "INTEGER"),
                                                    ("platelet_nadir_fraction", "REAL"), ("recist_targets", "TEXT")], rows: patientRows),
            CohortTable(name: "cycles", columns: [("patient_id", "TEXT"), ("cycle", "INTEGER"), ("activity_gbq", "REAL"), ("kidney_gy_per_gbq", "REAL"),
                                                  ("marrow_gy_per_gbq", "REAL"), ("kidney_lambda_eff_per_h", "REAL")], rows: cycleRows),
            CohortTable(name: "lesions", columns: [("patient_id", "TEXT"), ("lesion", "TEXT"), ("dose_gy", "REAL"), ("change_6m", "REAL"),
                                                   ("responded_6m", "INTEGER")], rows: lesionRows),
            CohortTable(name: "adverse_events", columns: [("patient_id", "TEXT"), ("term", "TEXT"), ("grade", "INTEGER"), ("date", "TEXT")], rows: aeRows),
            CohortTable(name: "toxicity_grades", columns: [("arm", "TEXT"), ("term", "TEXT"), ("grade", "INTEGER"), ("events", "INTEGER"),
                                                           ("patients_worst_grade", "INTEGER"), ("patients", "INTEGER")], rows: severityRows),
            CohortTable(name: "worst_grades", columns: [("patient_id", "TEXT"), ("arm", "TEXT"), ("term", "TEXT"), ("worst_grade", "INTEGER")], rows: worstRows),
            CohortTable(name: "labs", columns: [("patient_id", "TEXT"), ("test", "TEXT"), ("date", "TEXT"), ("value", "REAL")], rows: labRows),
            CohortTable(name: "endpoints", columns: [("name", "TEXT"), ("arm", "TEXT"), ("estimate", "REAL"), ("lower", "REAL"), ("upper", "REAL"),
                                                     ("n", "INTEGER"), ("note", "TEXT")], rows: endpoints),
        ]
    }
}
