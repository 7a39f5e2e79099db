import Foundation
import RPTCore
import RPTPlanner
import XCTest
@testable import RPTCohort

/// RECIST 1.1 rules, each against the text and tables of Eisenhauer et al., Eur J Cancer 45:228–247, 2009:
/// target selection (§3.1–3.3), target and non-target responses (§4.3), Table 1 (target ± non-target disease),
/// Table 2 (non-target disease only), Table 3 (best overall response with confirmation), §4.4 without confirmation.
final class RECISTTests: XCTestCase {
    let start = CalendarDate.parse("2026-01-05")!
    func date(_ days: Double) -> Date { start.addingTimeInterval(days * 86_400) }
    /// Day of each time point after the start (m2 = 8 weeks … m12).
    let days: [RECISTTimepoint: Double] = [.baseline: -14, .m2: 56, .m3: 91, .m6: 182, .m12: 365]

    func m(_ tp: RECISTTimepoint, _ lesion: String, _ mm: Double, organ: String = "liver", node: Bool = false) -> RECISTMeasurement {
        RECISTMeasurement(timepoint: tp, date: date(days[tp]!), lesion: lesion, diameterMM: mm, organ: organ, lymphNode: node)
    }
    func record(_ recist: [RECISTMeasurement], newLesions: Set<RECISTTimepoint> = [], nonTarget: [RECISTTimepoint: NonTargetResponse] = [:]) -> FollowUpRecord {
        FollowUpRecord(patientID: "R", arm: .standard, treatmentStart: start, adverseEvents: [], labs: [], recist: recist,
                       newLesions: newLesions, nonTargetResponses: nonTarget, bestOverallResponse: nil, progressionDate: nil,
                       lastFollowUpDate: date(400))
    }

    /// §3: measurable ≥ 10 mm (nodes: short axis ≥ 15 mm); nodes 10–15 mm are non-target, < 10 mm normal; at most 5
    /// targets and 2 per organ, all lymph nodes one organ; the largest lesions are chosen.
    func testTargetSelection() {
        let baseline = [m(.baseline, "liver_a", 50), m(.baseline, "liver_b", 40), m(.baseline, "liver_c", 30),
                        m(.baseline, "lung_a", 25, organ: "lung"), m(.baseline, "node_a", 20, organ: "", node: true),
                        m(.baseline, "node_b", 16, organ: "mediastinum", node: true), m(.baseline, "node_c", 12, node: true),
                        m(.baseline, "node_d", 8, node: true), m(.baseline, "bone_a", 9, organ: "bone"),
                        m(.baseline, "pancreas_a", 18, organ: "pancreas"), m(.baseline, "spleen_a", 15, organ: "spleen")]
        let s = RECISTTargetSelection(baseline: baseline)
        XCTAssertEqual(s.targets, ["liver_a", "liver_b", "lung_a", "node_a", "pancreas_a"])
        XCTAssertEqual(Set(s.nonTargets), ["liver_c", "node_b", "node_c", "bone_a", "spleen_a"],
                       "third liver lesion, lesions beyond the five, the 12 mm node (pathological, not measurable), the 9 mm lesion")
        XCTAssertFalse(s.nonTargets.contains("node_d"), "a node < 10 mm is normal and not followed")
        // Two nodes of different stations are one organ: a third node is not a target even with room left.
        let nodes = RECISTTargetSelection(baseline: [m(.baseline, "n1", 30, node: true), m(.baseline, "n2", 25, organ: "neck", node: true),
                                                     m(.baseline, "n3", 20, organ: "groin", node: true), m(.baseline, "l1", 11)])
        XCTAssertEqual(nodes.targets, ["n1", "n2", "l1"])
        XCTAssertEqual(nodes.nonTargets, ["n3"])
    }

    /// Site-designated targets (REDCap `recist_target`) replace the automatic choice; the designation is checked
    /// against §3 (measurable ≥ 10 mm, nodes ≥ 15 mm short axis; ≤ 5 targets; ≤ 2 per organ, nodes one organ).
    func testSiteDesignatedTargets() {
        func d(_ x: RECISTMeasurement, _ target: Bool) -> RECISTMeasurement { var x = x; x.designatedTarget = target; return x }
        // The radiologist picks the smaller liver lesion and the lung lesion, not the largest liver lesion.
        let baseline = [d(m(.baseline, "liver_a", 50), false), d(m(.baseline, "liver_b", 12), true),
                        d(m(.baseline, "lung_a", 25, organ: "lung"), true), d(m(.baseline, "node_c", 12, node: true), false)]
        let s = RECISTTargetSelection(baseline: baseline)
        XCTAssertEqual(s.method, .siteDesignated)
        XCTAssertEqual(s.targets, ["lung_a", "liver_b"])
        XCTAssertEqual(Set(s.nonTargets), ["liver_a", "node_c"])
        XCTAssertTrue(RECISTTargetSelection.designationProblems(baseline).isEmpty)
        XCTAssertEqual(RECISTTargetSelection(baseline: baseline.map { var x = $0; x.designatedTarget = nil; return x }).method, .automatic)
        // Responses follow the designated targets: liver_a growing is a non-target (no PD from it), the targets shrink.
        let later = [m(.m6, "liver_a", 55), m(.m6, "liver_b", 8), m(.m6, "lung_a", 15), m(.m6, "node_c", 12, node: true)]
        XCTAssertEqual(RECIST.targetResponse(record(baseline + later), at: .m6), .partialResponse, "sum 37 → 23 mm (−38 %)")
        // Refused: a 9 mm lesion and a 12 mm node (not measurable), a third liver target, a third node (nodes one organ),
        // a sixth target.
        let bad = [d(m(.baseline, "small", 9, organ: "bone"), true), d(m(.baseline, "node_s", 12, node: true), true),
                   d(m(.baseline, "l1", 30), true), d(m(.baseline, "l2", 25), true), d(m(.baseline, "l3", 20), true),
                   d(m(.baseline, "n1", 20, organ: "neck", node: true), true), d(m(.baseline, "n2", 20, organ: "groin", node: true), true),
                   d(m(.baseline, "n3", 16, organ: "axilla", node: true), true),
                   d(m(.baseline, "p1", 30, organ: "pancreas"), true), d(m(.baseline, "s1", 30, organ: "spleen"), true)]
        let problems = RECISTTargetSelection.designationProblems(bad)
        XCTAssertEqual(problems.map(\.measurement.lesion), ["small", "node_s", "l3", "n3", "s1"], "\(problems.map(\.reason))")
        XCTAssertTrue(problems[0].reason.contains("≥ 10 mm") && problems[1].reason.contains("short axis ≥ 15 mm"), "\(problems.map(\.reason))")
        XCTAssertTrue(problems[2].reason.contains("at most 2 per organ") && problems[3].reason.contains("lymph node"))
        XCTAssertTrue(problems[4].reason.contains("at most 5"), problems[4].reason)
    }

    /// §4.3.1: CR (non-nodal targets gone, nodal targets < 10 mm short axis — the sum need not be 0), PR −30 % from
    /// baseline, PD +20 % and +5 mm over the smallest sum on study, SD otherwise.
    func testTargetResponses() {
        // Baseline sum 20 + 20 (node) = 40.
        var recist = [m(.baseline, "l", 20), m(.baseline, "n", 20, node: true), m(.m2, "l", 0), m(.m2, "n", 9, node: true)]
        XCTAssertEqual(RECIST.targetResponse(record(recist), at: .m2), .completeResponse, "node 9 mm short axis: CR with sum 9 mm")
        recist[3].diameterMM = 10
        XCTAssertEqual(RECIST.targetResponse(record(recist), at: .m2), .partialResponse, "node 10 mm is not normal; sum 10 ≤ 28: PR")
        // PR boundary: 28 mm is −30 %.
        recist[2].diameterMM = 14; recist[3].diameterMM = 14
        XCTAssertEqual(RECIST.targetResponse(record(recist), at: .m2), .partialResponse)
        recist[3].diameterMM = 14.5
        XCTAssertEqual(RECIST.targetResponse(record(recist), at: .m2), .stableDisease)
        // Nadir 28.5 at m2; m3 = 34 (+19.3 %): SD; 34.2 (+20 %, +5.7 mm): PD.
        recist += [m(.m3, "l", 20), m(.m3, "n", 14, node: true)]
        XCTAssertEqual(RECIST.targetResponse(record(recist), at: .m3), .stableDisease)
        recist[recist.count - 1].diameterMM = 14.2
        XCTAssertEqual(RECIST.targetResponse(record(recist), at: .m3), .progressiveDisease)
        // +20 % but less than +5 mm is not PD: nadir 10 → 12.
        let small = [m(.baseline, "l", 20), m(.m2, "l", 10), m(.m3, "l", 12)]
        XCTAssertEqual(RECIST.targetResponse(record(small), at: .m3), .partialResponse, "12 ≤ 14 (−40 % from baseline), +20 % but only +2 mm over the nadir")
        // A missing target: NE, unless the measured ones already meet PD.
        let missing = [m(.baseline, "a", 30), m(.baseline, "b", 30, organ: "lung"), m(.m2, "a", 30)]
        XCTAssertEqual(RECIST.targetResponse(record(missing), at: .m2), .notEvaluable)
        let grown = [m(.baseline, "a", 30), m(.baseline, "b", 30, organ: "lung"), m(.m2, "a", 75)]
        XCTAssertEqual(RECIST.targetResponse(record(grown), at: .m2), .progressiveDisease, "75 ≥ 1.2 × 60 and +15 mm without b")
    }

    /// Table 1 (patients with target disease), every row.
    func testTable1OverallResponse() {
        typealias R = RECISTResponse
        func o(_ t: R, _ nt: NonTargetResponse?, new: Bool = false, disease: Bool = true) -> R {
            RECIST.overall(target: t, nonTarget: nt, nonTargetDisease: disease, newLesions: new)
        }
        XCTAssertEqual(o(.completeResponse, .completeResponse), .completeResponse)
        XCTAssertEqual(o(.completeResponse, nil, disease: false), .completeResponse, "no non-target lesions at baseline")
        XCTAssertEqual(o(.completeResponse, .nonCRNonPD), .partialResponse)
        XCTAssertEqual(o(.completeResponse, .notEvaluable), .partialResponse, "CR / not evaluated / no → PR")
        XCTAssertEqual(o(.completeResponse, nil), .partialResponse, "non-target disease not assessed")
        XCTAssertEqual(o(.partialResponse, .nonCRNonPD), .partialResponse)
        XCTAssertEqual(o(.partialResponse, .notEvaluable), .partialResponse)
        XCTAssertEqual(o(.stableDisease, .nonCRNonPD), .stableDisease)
        XCTAssertEqual(o(.stableDisease, .notEvaluable), .stableDisease)
        XCTAssertEqual(o(.notEvaluable, .nonCRNonPD), .notEvaluable)
        XCTAssertEqual(o(.progressiveDisease, .completeResponse), .progressiveDisease)
        XCTAssertEqual(o(.partialResponse, .progressiveDisease), .progressiveDisease, "any / PD → PD")
        for t in [R.completeResponse, .partialResponse, .stableDisease, .notEvaluable] {
            XCTAssertEqual(o(t, .completeResponse, new: true), .progressiveDisease, "any / any / new lesions → PD")
        }
    }

    /// Table 2 (non-target disease only), every row.
    func testTable2NonTargetOnly() {
        func o(_ nt: NonTargetResponse, new: Bool = false) -> RECISTResponse {
            RECIST.overall(target: nil, nonTarget: nt, nonTargetDisease: true, newLesions: new)
        }
        XCTAssertEqual(o(.completeResponse), .completeResponse)
        XCTAssertEqual(o(.nonCRNonPD), .nonCRNonPD)
        XCTAssertEqual(o(.notEvaluable), .notEvaluable)
        XCTAssertEqual(o(.progressiveDisease), .progressiveDisease, "unequivocal PD")
        XCTAssertEqual(o(.nonCRNonPD, new: true), .progressiveDisease)
    }

    /// Non-target lesions from the records: derived CR / non-CR/non-PD from the measurements, the site's unequivocal PD
    /// overrides a target PR, new lesions make PD, a patient with only non-target disease follows Table 2.
    func testNonTargetAndNewLesionsInRecords() {
        let base = [m(.baseline, "t", 40), m(.baseline, "nt_node", 12, node: true), m(.baseline, "nt_small", 8, organ: "bone")]
        var r = record(base + [m(.m3, "t", 0), m(.m3, "nt_node", 9, node: true), m(.m3, "nt_small", 0, organ: "bone")])
        XCTAssertEqual(RECIST.nonTargetResponse(r, at: .m3), .completeResponse)
        XCTAssertEqual(RECIST.response(r, at: .m3), .completeResponse)
        r.recist[r.recist.count - 1].diameterMM = 5
        XCTAssertEqual(RECIST.nonTargetResponse(r, at: .m3), .nonCRNonPD)
        XCTAssertEqual(RECIST.response(r, at: .m3), .partialResponse, "target CR with persisting non-target disease")
        r.nonTargetResponses[.m3] = .progressiveDisease
        XCTAssertEqual(RECIST.response(r, at: .m3), .progressiveDisease)
        r.nonTargetResponses = [:]; r.newLesions = [.m3]
        XCTAssertEqual(RECIST.response(r, at: .m3), .progressiveDisease)
        // Non-target disease only: Table 2.
        let onlyNT = record([m(.baseline, "small", 8), m(.m3, "small", 6)])
        XCTAssertEqual(RECIST.response(onlyNT, at: .m3), .nonCRNonPD)
        XCTAssertEqual(RECIST.bestOverallResponse(onlyNT), .nonCRNonPD)
    }

    /// Best overall response with confirmation: RECIST 1.1 Table 3, every row, with the SD minimum met (first time point
    /// 8 weeks after the start ≥ 6 weeks) and not met (first time point at 4 weeks, SD minimum set to 6 weeks).
    func testTable3BestResponseWithConfirmation() {
        let confirm = ResponseAssessment(confirmation: .required, confirmationIntervalWeeks: 4, stableDiseaseMinimumWeeks: 6)
        typealias R = RECISTResponse
        /// The first response at day `d1`, the second 5 weeks later.
        func bor(_ first: R, _ second: R, firstDay d1: Double) -> R {
            RECIST.bestOverallResponse([(.m2, first, date(d1)), (.m3, second, date(d1 + 35))], start: start, settings: confirm)
        }
        let met = 56.0, notMet = 28.0
        XCTAssertEqual(bor(.completeResponse, .completeResponse, firstDay: met), .completeResponse)
        XCTAssertEqual(bor(.completeResponse, .partialResponse, firstDay: met), .stableDisease, "CR then PR: SD, PD or PR (footnote a) — SD here")
        XCTAssertEqual(bor(.completeResponse, .stableDisease, firstDay: met), .stableDisease)
        XCTAssertEqual(bor(.completeResponse, .progressiveDisease, firstDay: met), .stableDisease)
        XCTAssertEqual(bor(.completeResponse, .progressiveDisease, firstDay: notMet), .progressiveDisease)
        XCTAssertEqual(bor(.completeResponse, .notEvaluable, firstDay: met), .stableDisease)
        XCTAssertEqual(bor(.completeResponse, .notEvaluable, firstDay: notMet), .notEvaluable)
        XCTAssertEqual(bor(.partialResponse, .completeResponse, firstDay: met), .partialResponse)
        XCTAssertEqual(bor(.partialResponse, .partialResponse, firstDay: met), .partialResponse)
        XCTAssertEqual(bor(.partialResponse, .stableDisease, firstDay: met), .stableDisease)
        XCTAssertEqual(bor(.partialResponse, .progressiveDisease, firstDay: met), .stableDisease)
        XCTAssertEqual(bor(.partialResponse, .progressiveDisease, firstDay: notMet), .progressiveDisease)
        XCTAssertEqual(bor(.partialResponse, .notEvaluable, firstDay: met), .stableDisease)
        XCTAssertEqual(bor(.partialResponse, .notEvaluable, firstDay: notMet), .notEvaluable)
        XCTAssertEqual(bor(.notEvaluable, .notEvaluable, firstDay: met), .notEvaluable)
        // Confirmation needs ≥ 4 weeks: PR at day 56 and PR at day 70 (2 weeks) is not confirmed.
        let close = record([m(.baseline, "t", 100), RECISTMeasurement(timepoint: .m2, date: date(56), lesion: "t", diameterMM: 60, organ: "liver"),
                            RECISTMeasurement(timepoint: .m3, date: date(70), lesion: "t", diameterMM: 60, organ: "liver")])
        XCTAssertEqual(RECIST.bestOverallResponse(close, settings: confirm), .stableDisease)
        // The same from a record (sums 60 mm at days 56 and 70 against a 100 mm baseline). Without confirmation (the
        // default for randomised trials, §4.6) the best single response counts.
        XCTAssertEqual(RECIST.bestOverallResponse(close), .partialResponse)
    }

    /// ORR at 6 months: a PR at 6 months counts without confirmation; with confirmation it needs an earlier PR it
    /// confirms or a later PR/CR ≥ 4 weeks after it.
    func testResponseAt6MonthsWithAndWithoutConfirmation() {
        let confirm = ResponseAssessment(confirmation: .required)
        let onlyM6 = record([m(.baseline, "t", 100), m(.m3, "t", 80), m(.m6, "t", 60)])
        XCTAssertTrue(RECIST.respondedAt6Months(onlyM6))
        XCTAssertFalse(RECIST.respondedAt6Months(onlyM6, settings: confirm), "m3 SD, m6 PR, nothing after")
        XCTAssertTrue(RECIST.respondedAt6Months(record(onlyM6.recist + [m(.m12, "t", 55)]), settings: confirm), "confirmed at 12 months")
        XCTAssertFalse(RECIST.respondedAt6Months(record(onlyM6.recist + [m(.m12, "t", 80)]), settings: confirm), "12 months PD (+33 % over 60)")
        let early = record([m(.baseline, "t", 100), m(.m3, "t", 65), m(.m6, "t", 60)])
        XCTAssertTrue(RECIST.respondedAt6Months(early, settings: confirm), "m3 PR confirmed by m6 PR")
        XCTAssertFalse(RECIST.respondedAt6Months(record(early.recist, newLesions: [.m3])), "PD before 6 months")
    }

    /// The protocol file sets the confirmation rule; the default is not required; an interval under 4 weeks is refused.
    func testProtocolSetting() throws {
        XCTAssertEqual(ProtocolConfig.trialDefault.responseAssessment.confirmation, .notRequired)
        let yaml = """
        format_version: 1
        protocol: {id: T, version: '1'}
        response_assessment: {confirmation: required, confirmation_interval_weeks: 6, stable_disease_minimum_weeks: 8}
        """
        let c = try ProtocolConfig.parse(yaml: yaml)
        XCTAssertEqual(c.responseAssessment, ResponseAssessment(confirmation: .required, confirmationIntervalWeeks: 6, stableDiseaseMinimumWeeks: 8))
        XCTAssertEqual(try ProtocolConfig.parse(yaml: c.yamlString()), c)
        XCTAssertThrowsError(try ProtocolConfig.parse(yaml: yaml.replacingOccurrences(of: "interval_weeks: 6", with: "interval_weeks: 2"))) {
            XCTAssertTrue("\($0)".contains("response_assessment.confirmation_interval_weeks"), "\($0)")
        }
    }

    /// The REDCap columns for organ, lymph node and the non-target assessment round-trip.
    func testREDCapColumnsRoundTrip() throws {
        var r = record([m(.baseline, "t", 40), m(.baseline, "n", 16, organ: "", node: true), m(.m3, "t", 20), m(.m3, "n", 9, organ: "", node: true)],
                       newLesions: [.m6], nonTarget: [.m3: .nonCRNonPD, .m6: .progressiveDisease])
        r.lastFollowUpDate = date(400)
        let again = try REDCapFollowUpImport.parse(REDCapFollowUpImport.csv([r]), source: "x.csv")
        XCTAssertEqual(again, [r])
        XCTAssertEqual(RECIST.response(again[0], at: .m6), .progressiveDisease)
    }
}
