import Foundation
import Testing
import RPTCore
@testable import RPTPlanner

@Suite struct ProtocolConfigTests {
    @Test func trialDefaultIsValidAndMatchesTrial() throws {
        let c = ProtocolConfig.trialDefault
        try c.validate()
        #expect(c.standardArm.activityGBq == 7.4 && c.standardArm.cycles == 4 && c.standardArm.intervalWeeks == 8)
        #expect(c.investigationalArm.fixedActivityGBq == 7.4 && c.investigationalArm.maxActivityGBq == 14.8)
        // 1 mCi = 37 MBq: 7.4 GBq = 200 mCi, 14.8 GBq = 400 mCi, 3.7 GBq = 100 mCi.
        #expect(abs(ActivityUnits.mCi(fromGBq: 7.4) - 200) < 1e-12)
        #expect(abs(ActivityUnits.mCi(fromGBq: 14.8) - 400) < 1e-12)
        #expect(abs(ActivityUnits.mCi(fromGBq: c.toxicity.resumeActivityGBq) - 100) < 1e-12)
    }

    @Test func sampleFileEqualsBuiltInDefaults() throws {
        let path = packageRoot + "/docs/examples/protocol.yaml"
        let c = try ProtocolConfig.load(path: path)
        #expect(c == ProtocolConfig.trialDefault)
    }

    @Test func yamlRoundTrip() throws {
        var c = ProtocolConfig.trialDefault
        c.planning.uncertainty = .quantile
        c.planning.prediction = .linearTrend
        c.limits.kidneyDoseGy = 21.5
        c.toxicity.hepatic = nil
        c.toxicity.graded[.anemia] = nil
        let back = try ProtocolConfig.parse(yaml: c.yamlString(), source: "roundtrip")
        #expect(back == c)
    }

    @Test func omittedKeysTakeDefaults() throws {
        let c = try ProtocolConfig.parse(yaml: "format_version: 1\nprotocol: {id: X, version: '2'}\n")
        var expected = ProtocolConfig.trialDefault
        expected.protocolID = "X"; expected.protocolVersion = "2"; expected.title = ""
        #expect(c == expected)
    }

    /// Every problem is reported in one error, each naming its key path.
    @Test func invalidConfigurationReportsAllProblemsAtOnce() throws {
        let yaml = """
        protocol:
          id: NCT06395402
        arms:
          investigational:
            max_activity_gbq: 1.0
            min_activity_gbq: 1.85
            colour: blue
        limits:
          kidney_dose_gy: -23
          marrow_dose_gy: abc
        toxicity:
          rules:
            thrombocytopeniaa: {trigger_grade: 2, resolved_at_grade: 1}
            anemia: {trigger_grade: 3, resolved_at_grade: 3}
        """
        do {
            _ = try ProtocolConfig.parse(yaml: yaml, source: "bad.yaml")
            Issue.record("invalid configuration accepted")
        } catch let e as InputErrors {
            let fields = e.errors.map(\.field)
            let text = e.description
            #expect(e.errors.allSatisfy { $0.source == "bad.yaml" })
            #expect(fields.contains("format_version"))                         // missing version
            #expect(fields.contains("protocol.version"))                       // missing version
            #expect(fields.contains("arms.investigational.colour"))            // unknown key
            #expect(fields.contains("limits.kidney_dose_gy"))                  // negative limit
            #expect(fields.contains("limits.marrow_dose_gy"))                  // not a number
            #expect(fields.contains("arms.investigational.max_activity_gbq"))  // cap below minimum
            #expect(fields.contains("toxicity.rules.thrombocytopeniaa"))       // unknown toxicity
            #expect(fields.contains("toxicity.rules.anemia.resolved_at_grade"))
            #expect(text.contains("cap is below arms.investigational.min_activity_gbq"))
            #expect(text.contains("unknown toxicity"))
            #expect(text.contains("-23") && text.contains("outside the plausible range 1–40 Gy"))
            // The 1 GBq cap is also below the resume activity and the lesion rule's base activity.
            #expect(fields.contains("toxicity.resume_activity_gbq") && fields.contains("planning.lesions.base_activity_gbq"))
            #expect(e.errors.count == 10, "\(text)")
        }
    }

    @Test func searchSizeIsBounded() {
        var c = ProtocolConfig.trialDefault
        c.investigationalArm.cycles = 8
        c.investigationalArm.roundingStepGBq = 0.01
        let fields = c.validationErrors().map(\.field)
        #expect(fields == ["arms.investigational.rounding_step_gbq"])
    }

    @Test func notYAMLIsRefused() {
        #expect(throws: InputErrors.self) { _ = try ProtocolConfig.parse(yaml: "a: [1, 2", source: "x") }
        #expect(throws: InputErrors.self) { _ = try ProtocolConfig.parse(yaml: "- 1\n- 2\n", source: "x") }
        #expect(throws: InputErrors.self) { _ = try ProtocolConfig.load(path: "/nonexistent/protocol.yaml") }
    }
}
