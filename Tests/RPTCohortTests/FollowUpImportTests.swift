import Foundation
import RPTCore
import XCTest
@testable import RPTCohort

/// REDCap-style follow-up import (docs/formats/followup-redcap.md) and RECIST 1.1 responses.
final class FollowUpImportTests: XCTestCase {
    let header = REDCapFollowUpImport.columns.joined(separator: ",")

    /// A row with the given columns set.
    func row(_ v: [String: String]) -> String { REDCapFollowUpImport.columns.map { v[$0] ?? "" }.joined(separator: ",") }

    var validExport: String {
        [header,
         row(["record_id": "P01", "arm": "investigational", "treatment_start_date": "2025-01-06", "best_overall_response": "PR",
              "progression": "1", "progression_date": "2025-11-20", "last_follow_up_date": "2026-01-10"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "adverse_events", "redcap_repeat_instance": "1",
              "ae_term": "platelets", "ae_grade": "3", "ae_date": "2025-02-14"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "adverse_events", "redcap_repeat_instance": "2",
              "ae_term": "lymphocytes", "ae_grade": "4", "ae_date": "2025-02-14"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "laboratory", "redcap_repeat_instance": "1",
              "lab_test": "platelets_1e9_per_l", "lab_date": "2025-01-05", "lab_value": "250"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "laboratory", "redcap_repeat_instance": "2",
              "lab_test": "platelets_1e9_per_l", "lab_date": "2025-02-14", "lab_value": "45"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "recist", "redcap_repeat_instance": "1", "recist_timepoint": "baseline",
              "recist_date": "2024-12-20", "recist_lesion": "tumor_1", "recist_diameter_mm": "40"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "recist", "redcap_repeat_instance": "2", "recist_timepoint": "baseline",
              "recist_date": "2024-12-20", "recist_lesion": "tumor_2", "recist_diameter_mm": "20"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "recist", "redcap_repeat_instance": "3", "recist_timepoint": "m3",
              "recist_date": "2025-09-01", "recist_lesion": "tumor_1", "recist_diameter_mm": "30"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "recist", "redcap_repeat_instance": "4", "recist_timepoint": "m3",
              "recist_date": "2025-09-01", "recist_lesion": "tumor_2", "recist_diameter_mm": "15"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "recist", "redcap_repeat_instance": "5", "recist_timepoint": "m6",
              "recist_date": "2025-12-01", "recist_lesion": "tumor_1", "recist_diameter_mm": "26"]),
         row(["record_id": "P01", "redcap_repeat_instrument": "recist", "redcap_repeat_instance": "6", "recist_timepoint": "m6",
              "recist_date": "2025-12-01", "recist_lesion": "tumor_2", "recist_diameter_mm": "14"]),
        ].joined(separator: "\n") + "\n"
    }

    func testValidExportIsReadAndRoundTrips() throws {
        let records = try REDCapFollowUpImport.parse(validExport, source: "f.csv")
        XCTAssertEqual(records.count, 1)
        let r = records[0]
        XCTAssertEqual(r.patientID, "P01")
        XCTAssertEqual(r.arm, .investigational)
        XCTAssertEqual(r.worstGrade(.platelets), 3)
        XCTAssertEqual(r.worstHaematologicGrade, 3, "lymphopenia is not counted as haematologic toxicity")
        XCTAssertEqual(try XCTUnwrap(r.nadirFraction(.platelets)), 45.0 / 250, accuracy: 1e-12)
        // 2025-01-06 → 2025-11-20: 318 days, progressed.
        XCTAssertEqual(r.timeToProgression.days, 318)
        XCTAssertTrue(r.timeToProgression.progressed)
        XCTAssertEqual(try REDCapFollowUpImport.parse(REDCapFollowUpImport.csv(records), source: "again"), records)
    }

    /// RECIST 1.1 worked by hand: baseline sum 60 mm; 3 months 45 mm (−25 %: SD); 6 months 40 mm (−33 %: PR).
    /// A rise from the 40 mm nadir to 48 mm (+20 %, +8 mm) is PD; to 47 mm (+17.5 %) is not; 0 mm is CR.
    func testRECISTResponses() throws {
        var r = try REDCapFollowUpImport.parse(validExport, source: "f.csv")[0]
        XCTAssertEqual(RECIST.response(r, at: .m3), .stableDisease)
        XCTAssertEqual(RECIST.response(r, at: .m6), .partialResponse)
        XCTAssertNil(RECIST.response(r, at: .m12))
        XCTAssertTrue(RECIST.respondedAt6Months(r))
        XCTAssertEqual(RECIST.bestOverallResponse(r), .partialResponse)
        XCTAssertEqual(try XCTUnwrap(RECIST.lesionChange(r, lesion: "tumor_1", at: .m6)), -0.35, accuracy: 1e-12)
        let d = r.recist[0].date
        r.recist += [RECISTMeasurement(timepoint: .m12, date: d, lesion: "tumor_1", diameterMM: 32),
                     RECISTMeasurement(timepoint: .m12, date: d, lesion: "tumor_2", diameterMM: 16)]
        XCTAssertEqual(RECIST.response(r, at: .m12), .progressiveDisease)
        r.recist[r.recist.count - 1].diameterMM = 15
        XCTAssertEqual(RECIST.response(r, at: .m12), .stableDisease, "+17.5 % over the nadir is not progression")
        r.recist[r.recist.count - 2].diameterMM = 0; r.recist[r.recist.count - 1].diameterMM = 0
        XCTAssertEqual(RECIST.response(r, at: .m12), .completeResponse)
        XCTAssertEqual(RECIST.bestOverallResponse(r), .completeResponse)
        r.newLesions.insert(.m12)
        XCTAssertEqual(RECIST.response(r, at: .m12), .progressiveDisease)
        XCTAssertEqual(RECIST.bestOverallResponse(r), .partialResponse, "responses after the first PD do not count")
        // A missing target lesion makes the time point not evaluable; a missing 6-month CT is a non-response.
        var missing = try REDCapFollowUpImport.parse(validExport, source: "f.csv")[0]
        missing.recist.removeAll { $0.timepoint == .m6 && $0.lesion == "tumor_2" }
        XCTAssertEqual(RECIST.response(missing, at: .m6), .notEvaluable)
        XCTAssertFalse(RECIST.respondedAt6Months(missing))
    }

    /// `recist_target`: the site's designation is read and used (cohort table `recist_targets` = site); a
    /// non-measurable designated target, a missing value on one baseline row and a value after baseline are refused
    /// naming file, line, field and value; without the values the targets are automatic.
    func testSiteDesignatedTargetsAreReadAndChecked() throws {
        func rec(_ i: Int, _ tp: String, _ lesion: String, _ mm: String, target: String, node: String = "") -> String {
            row(["record_id": "P03", "redcap_repeat_instrument": "recist", "redcap_repeat_instance": "\(i)", "recist_timepoint": tp,
                 "recist_date": tp == "baseline" ? "2024-12-20" : "2025-12-01", "recist_lesion": lesion, "recist_diameter_mm": mm,
                 "recist_target": target, "recist_lymph_node": node])
        }
        let base = row(["record_id": "P03", "treatment_start_date": "2025-01-06", "progression": "0", "last_follow_up_date": "2026-01-10"])
        let good = [header, base, rec(1, "baseline", "big", "40", target: "0"), rec(2, "baseline", "small", "12", target: "1"),
                    rec(3, "m6", "big", "40", target: ""), rec(4, "m6", "small", "8", target: "")].joined(separator: "\n")
        let r = try REDCapFollowUpImport.parse(good, source: "good.csv")[0]
        let sel = RECISTTargetSelection(baseline: r.recist.filter { $0.timepoint == .baseline })
        XCTAssertEqual(sel.method, .siteDesignated)
        XCTAssertEqual(sel.targets, ["small"])
        XCTAssertEqual(try REDCapFollowUpImport.parse(REDCapFollowUpImport.csv([r]), source: "again.csv"), [r], "round trip keeps the designation")
        let analysis = CohortAnalysis([CohortPatient(id: "P03", arm: .standard, cycles: [], followUp: r, source: "good.csv")])
        let patients = analysis.tables().first { $0.name == "patients" }!
        let column = patients.columns.firstIndex { $0.name == "recist_targets" }!
        XCTAssertEqual(patients.rows[0][column], .text("site"))
        XCTAssertTrue(analysis.recistTargetSummary.contains("designated by the site (recist_target) for 1 patients, chosen automatically (largest measurable, ≤ 5, ≤ 2 per organ) for 0"))

        let bad = [header, base, rec(1, "baseline", "big", "40", target: ""), rec(2, "baseline", "small", "9", target: "1"),
                   rec(3, "baseline", "node", "12", target: "1", node: "1"), rec(4, "m6", "small", "8", target: "1"),
                   rec(5, "baseline", "other", "30", target: "yes")].joined(separator: "\n")
        do {
            _ = try REDCapFollowUpImport.parse(bad, source: "bad.csv")
            XCTFail("accepted")
        } catch let e as InputErrors {
            func has(_ field: String, _ value: String, _ text: String) -> Bool {
                e.errors.contains { $0.source == "bad.csv" && $0.field == field && $0.value == value && $0.reason.contains(text) }
            }
            XCTAssertTrue(has("line 3, recist_target", "", "give 1 or 0 for every baseline lesion"), "\(e)")
            XCTAssertTrue(has("line 4, recist_target", "1", "not measurable"), "\(e)")
            XCTAssertTrue(has("line 5, recist_target", "1", "short axis ≥ 15 mm"), "\(e)")
            XCTAssertTrue(has("line 6, recist_target", "1", "baseline only"), "\(e)")
            XCTAssertTrue(has("line 7, recist_target", "yes", "expected 1"), "\(e)")
        } catch { XCTFail("\(error)") }
    }

    func testBadValuesAreRefusedWithFileLineColumnAndRange() {
        let bad = [header.replacingOccurrences(of: "recist_new_lesions", with: "recist_new_lesions,colour"),
                   row(["record_id": "P02", "treatment_start_date": "2025-02-30", "progression": "1", "last_follow_up_date": "2025-06-01"]) + ",blue",
                   row(["record_id": "P02", "redcap_repeat_instrument": "adverse_events", "ae_term": "platelets", "ae_grade": "7", "ae_date": "2025-03-01"]) + ",",
                   row(["record_id": "P02", "redcap_repeat_instrument": "laboratory", "lab_test": "platelets_1e9_per_l", "lab_date": "2025-03-01", "lab_value": "150000"]) + ",",
                  ].joined(separator: "\n")
        XCTAssertThrowsError(try REDCapFollowUpImport.parse(bad, source: "bad.csv")) { e in
            XCTAssertTrue("\(e)".contains("colour") && "\(e)".contains("unknown column"), "\(e)")
        }
        let values = [header,
                      row(["record_id": "P02", "treatment_start_date": "2025-02-30", "progression": "1", "last_follow_up_date": "2025-06-01"]),
                      row(["record_id": "P02", "redcap_repeat_instrument": "adverse_events", "ae_term": "platelets", "ae_grade": "7", "ae_date": "2025-03-01"]),
                      row(["record_id": "P02", "redcap_repeat_instrument": "laboratory", "lab_test": "platelets_1e9_per_l", "lab_date": "2025-03-01", "lab_value": "150000"]),
                      row(["record_id": "P02", "redcap_repeat_instrument": "recist", "recist_timepoint": "m5", "recist_date": "2025-03-01", "recist_lesion": "t", "recist_diameter_mm": "10"]),
                     ].joined(separator: "\n")
        do {
            _ = try REDCapFollowUpImport.parse(values, source: "bad.csv")
            XCTFail("accepted")
        } catch let e as InputErrors {
            let fields = e.errors.map(\.field)
            XCTAssertTrue(e.errors.allSatisfy { $0.source == "bad.csv" })
            XCTAssertTrue(fields.contains("line 2, treatment_start_date"), "\(e)")      // 2025-02-30 refused
            XCTAssertTrue(fields.contains("line 2, progression_date"), "\(e)")          // progression 1 needs a date
            XCTAssertTrue(fields.contains("line 3, ae_grade"), "\(e)")                  // grade 7
            XCTAssertTrue(fields.contains("line 4, lab_value"), "\(e)")                 // 150000 (per µL typed for 10⁹/L)
            XCTAssertTrue(fields.contains("line 5, recist_timepoint"), "\(e)")
            XCTAssertTrue(e.description.contains("outside the plausible range 0.0–2000.0"), "\(e)")
        } catch { XCTFail("\(error)") }
    }
}
