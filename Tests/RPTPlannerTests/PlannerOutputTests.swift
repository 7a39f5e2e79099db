import Foundation
import Testing
@testable import RPTPlanner

@Suite struct PlannerOutputTests {
    let config = ProtocolConfig.trialDefault

    @Test func jsonHasDocumentedShape() throws {
        var c = config
        c.planning.uncertainty = .quantile
        let plan = try TreatmentPlanner.plan(PlanRequest(arm: .investigational,
                                                         history: [givenCycle(1, activity: 7.4, kidney: 1.0, marrow: 0.02, u: 0.2)],
                                                         kidneyRiskFactors: true), config: c)
        let json = try JSONSerialization.jsonObject(with: plan.jsonData()) as! [String: Any]
        for key in ["cycles", "limits", "arm", "protocol_version", "protocol_id", "mode", "toxicity", "given", "notes"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["arm"] as? String == "investigational")
        #expect(json["protocol_version"] as? String == "rptdose-default-1")
        let limits = json["limits"] as! [String: Any]
        #expect(limits["kidney_bed_gy"] as? Double == 28)
        let cycles = json["cycles"] as! [[String: Any]]
        #expect(cycles.count == 3)
        for c in cycles {
            for key in ["cycle", "activity_gbq", "activity_mci", "binding_constraint", "kidney_dose_gy_cumulative",
                        "kidney_bed_gy_cumulative", "marrow_dose_gy_cumulative", "tumour_doses_gy_cumulative", "margins", "upper_bound"] {
                #expect(c[key] != nil && !(c[key] is NSNull), "cycle missing \(key)")
            }
        }
        // Decodes back to the same plan.
        #expect(try JSONDecoder().decode(Plan.self, from: plan.jsonData()) == plan)
        // Null (not absent) dose fields before any dosimetry.
        let first = try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [], kidneyRiskFactors: false), config: config)
        let c0 = (try JSONSerialization.jsonObject(with: first.jsonData()) as! [String: Any])["cycles"] as! [[String: Any]]
        #expect(c0[0]["kidney_dose_gy_cumulative"] is NSNull)
    }

    @Test func writesAtomicallyAndRendersText() throws {
        let plan = try TreatmentPlanner.plan(PlanRequest(arm: .investigational,
                                                         history: [givenCycle(1, activity: 7.4, kidney: 1.0, marrow: 0.02)],
                                                         kidneyRiskFactors: false), config: config)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rptplanner-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("plan.json").path
        try plan.writeJSON(to: path)
        #expect(try JSONDecoder().decode(Plan.self, from: Data(contentsOf: URL(fileURLWithPath: path))) == plan)
        let text = PlanTextRenderer.render(plan)
        #expect(text.contains("kidney_dose") && text.contains("5.20") && text.contains("140.5"))  // 5.2 GBq = 140.54 mCi
        #expect(text.contains("given") && text.contains("200.0"))
    }

    /// Documented counterexample (docs/methods/planner.md, Monotonicity): with a 1.85 GBq minimum,
    /// kidney room for 5.7 GBq gives 1.9/1.9/1.9, room for 5.6 GBq gives 2.8/2.8/0.
    /// Kidney 1 Gy/GBq; cycle 1 7.4 Gy; limits set so the room is exactly 5.7 or 5.6 Gy.
    @Test func perCycleActivityIsNotMonotone() throws {
        func plan(room: Double) throws -> [Double] {
            var c = config
            c.limits.kidneyDoseGy = 7.4 + room
            return try TreatmentPlanner.plan(PlanRequest(arm: .investigational, history: [givenCycle(1, activity: 7.4, kidney: 1.0, marrow: 0.01)],
                                                         kidneyRiskFactors: false), config: c).activities
        }
        #expect(try plan(room: 5.7) == [1.9, 1.9, 1.9])
        #expect(try plan(room: 5.6) == [2.8, 2.8, 0])
    }
}
