import Foundation
import Testing
import RPTCore
@testable import RPTPlanner

/// The label activities cannot be moved by a protocol file without a declared and acknowledged research
/// override; dose limits and radiobiology stay within plausible ranges (issue 14, item 2).
@Suite struct LabelLimitTests {
    let head = "format_version: 1\nprotocol: {id: T, version: '1'}\n"

    /// The errors of `yaml`, or an empty list when it parses.
    func errors(_ yaml: String, override: Bool = false) -> [InputError] {
        do {
            _ = try ProtocolConfig.parse(yaml: head + yaml, source: "p.yaml", researchOverride: override)
            return []
        } catch let e as InputErrors {
            return e.errors
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func capAboveLabelIsRefusedWithoutOverride() {
        let e = errors("arms:\n  investigational: {max_activity_gbq: 40}\n")
        #expect(e.count == 2, "\(e)")   // above the label cap, and above the research ceiling
        #expect(e.allSatisfy { $0.field == "arms.investigational.max_activity_gbq" })
        #expect(e.first?.source == "p.yaml" && e.first?.field == "arms.investigational.max_activity_gbq" && e.first?.value == "40")
        #expect(e.first?.reason.contains("≤ 14.8 GBq (400 mCi)") == true)
        #expect(e.first?.reason.contains("research_override") == true)
    }

    /// `max_activity_gbq: 1000` names the field, the value and the allowed range, not the search size.
    @Test func thousandGBqCapGetsAClearMessage() {
        for override in [false, true] {
            let yaml = "arms:\n  investigational: {max_activity_gbq: 1000}\n" + (override ? "research_override: {reason: 'IRB 123'}\n" : "")
            let e = errors(yaml, override: override)
            #expect(!e.isEmpty)
            #expect(e.allSatisfy { $0.field == "arms.investigational.max_activity_gbq" && $0.value == "1000" }, "\(e)")
            #expect(!e.contains { $0.reason.contains("combinations") })
            #expect(e.contains { $0.reason.contains(override ? "29.6 GBq" : "14.8 GBq") })
        }
    }

    @Test func standardArmOtherThanLabelIsRefused() {
        for v in ["50", "7.5", "3.7"] {
            let e = errors("arms:\n  standard: {activity_gbq: \(v)}\n")
            #expect(e.contains { $0.field == "arms.standard.activity_gbq" && $0.value == v && $0.reason.contains("exactly 7.4 GBq (200 mCi)") },
                    "\(v): \(e)")
        }
        #expect(errors("arms:\n  investigational: {fixed_activity_gbq: 9}\n").map(\.field) == ["arms.investigational.fixed_activity_gbq"])
        #expect(errors("arms:\n  standard: {activity_gbq: 7.4}\n").isEmpty)
    }

    @Test func resumeActivityMustBeLabelAndBelowCaps() {
        #expect(errors("toxicity: {resume_activity_gbq: 5}\n").map(\.field) == ["toxicity.resume_activity_gbq"])
        // Under an override the resume activity may differ, but never exceed the cap or the full activity.
        let e = errors("arms:\n  investigational: {max_activity_gbq: 6}\ntoxicity: {resume_activity_gbq: 8}\nresearch_override: {reason: r}\n",
                       override: true)
        #expect(e.filter { $0.field == "toxicity.resume_activity_gbq" }.count == 2, "\(e)")
        #expect(e.contains { $0.reason.contains("cannot exceed the cap") })
        #expect(e.contains { $0.reason.contains("cannot exceed the full activity") })
    }

    @Test func overrideNeedsFileFieldAndFlag() throws {
        let yaml = "arms:\n  investigational: {max_activity_gbq: 18.5}\nresearch_override: {reason: 'EC 2026-17 escalation cohort'}\n"
        // Declared in the file but not acknowledged on the command line.
        let e = errors(yaml)
        #expect(e.map(\.field) == ["research_override"])
        #expect(e.first?.reason.contains("--research-override") == true)
        #expect(e.first?.reason.contains("arms.investigational.max_activity_gbq") == true)
        // Flag without the file field changes nothing: the deviation is still refused.
        #expect(errors("arms:\n  investigational: {max_activity_gbq: 18.5}\n", override: true).map(\.field)
                == ["arms.investigational.max_activity_gbq"])
        // An empty reason is refused.
        #expect(errors("research_override: {reason: ''}\n", override: true).map(\.field) == ["research_override.reason"])
        // Both: accepted, and round-trips through YAML.
        let c = try ProtocolConfig.parse(yaml: head + yaml, source: "p.yaml", researchOverride: true)
        #expect(c.researchOverride == ResearchOverride(reason: "EC 2026-17 escalation cohort", acknowledged: true))
        #expect(try ProtocolConfig.parse(yaml: c.yamlString(), researchOverride: true) == c)
    }

    /// A plan under an override records it (JSON provenance, notes) and may use the raised cap.
    @Test func overrideIsRecordedInThePlan() throws {
        var c = ProtocolConfig.trialDefault
        c.investigationalArm.maxActivityGBq = 18.5
        c.planning.lesions.mode = .organLimitsOnly
        c.researchOverride = ResearchOverride(reason: "EC 2026-17", acknowledged: true)
        try c.validate()
        let request = PlanRequest(arm: .investigational, history: [givenCycle(1, activity: 7.4, kidney: 0.1, marrow: 0.005)],
                                  kidneyRiskFactors: false)
        let plan = try TreatmentPlanner.plan(request, config: c)
        #expect(plan.activities == [18.5, 18.5, 18.5])
        #expect(plan.researchOverride?.reason == "EC 2026-17")
        #expect(plan.researchOverride?.deviations.first?.contains("arms.investigational.max_activity_gbq = 18.5") == true)
        #expect(plan.notes.contains { $0.hasPrefix("RESEARCH OVERRIDE") })
        let json = String(decoding: try plan.jsonData(), as: UTF8.self)
        #expect(json.contains("\"research_override\" : {"))
        // Not acknowledged: the planner refuses.
        c.researchOverride?.acknowledged = false
        #expect(throws: InputErrors.self) { _ = try TreatmentPlanner.plan(request, config: c) }
        // A label plan writes research_override: null.
        let label = try TreatmentPlanner.plan(request, config: .trialDefault)
        #expect(label.researchOverride == nil)
        #expect(String(decoding: try label.jsonData(), as: UTF8.self).contains("\"research_override\" : null"))
    }

    /// A given cycle above the cap (e.g. 200 typed for 200 mCi) is refused.
    @Test func givenActivityAboveCapIsRefused() {
        let request = PlanRequest(arm: .investigational, history: [givenCycle(1, activity: 200, kidney: 0.02, marrow: 0.001)],
                                  kidneyRiskFactors: false)
        do {
            _ = try TreatmentPlanner.plan(request, config: .trialDefault)
            Issue.record("200 GBq accepted")
        } catch let e as InputErrors {
            #expect(e.errors.map(\.field) == ["history[0].activity_gbq"])
            #expect(e.errors.first?.reason.contains("at most 14.8 GBq (400 mCi)") == true)
        } catch { Issue.record("\(error)") }
    }

    @Test func doseLimitsAndRadiobiologyWithinPhysicalRanges() {
        let cases: [(String, String)] = [
            ("limits: {kidney_dose_gy: 230}\n", "limits.kidney_dose_gy"),
            ("limits: {kidney_dose_gy: 0.5}\n", "limits.kidney_dose_gy"),
            ("limits: {kidney_bed_gy_with_risk_factors: 280}\n", "limits.kidney_bed_gy_with_risk_factors"),
            ("limits: {kidney_bed_gy_without_risk_factors: 0}\n", "limits.kidney_bed_gy_without_risk_factors"),
            ("limits: {marrow_dose_gy: 20}\n", "limits.marrow_dose_gy"),
            ("limits: {kidney_alpha_beta_gy: 0.01}\n", "limits.kidney_alpha_beta_gy"),
            ("limits: {kidney_alpha_beta_gy: 26}\n", "limits.kidney_alpha_beta_gy"),
            ("limits: {kidney_repair_half_time_h: 168}\n", "limits.kidney_repair_half_time_h"),
            ("limits: {kidney_repair_half_time_h: .nan}\n", "limits.kidney_repair_half_time_h"),
        ]
        for (yaml, field) in cases {
            let e = errors(yaml)
            #expect(e.map(\.field) == [field], "\(yaml): \(e)")
            #expect(e.first?.reason.contains("plausible range") == true || e.first?.reason.contains("number") == true, "\(e)")
        }
        // The same ranges hold under an override.
        #expect(errors("limits: {marrow_dose_gy: 20}\nresearch_override: {reason: r}\n", override: true).map(\.field) == ["limits.marrow_dose_gy"])
        #expect(errors("limits: {kidney_dose_gy: 28, marrow_dose_gy: 3, kidney_alpha_beta_gy: 5}\n").isEmpty)
    }
}
