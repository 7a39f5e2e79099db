import Foundation
import RPTCore
import RPTPlanner
import RPTTestSupport
import XCTest
@testable import RPTCohort

/// The synthetic trial and the cohort pipeline: files written by trial-sim read back by the cohort loader,
/// the outputs (CSV, SQLite, HTML), and recovery of the ground-truth dose–effect parameters.
final class SyntheticTrialTests: XCTestCase {
    var dir: String!
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "rpt-cohort-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// A protocol with a 0.5 GBq step keeps the exact planner search small for hundreds of patients.
    static var fastProtocol: ProtocolConfig {
        var c = ProtocolConfig.trialDefault
        c.investigationalArm.roundingStepGBq = 0.5
        return c
    }

    func testTrialIsRandomised2To1AndPlannedPerArm() throws {
        let trial = try SyntheticTrial(count: 30, seed: 11, protocolConfig: Self.fastProtocol)
        let inv = trial.patients.filter { $0.arm == .investigational }, std = trial.patients.filter { $0.arm == .standard }
        XCTAssertEqual(inv.count, 20); XCTAssertEqual(std.count, 10)   // blocks of three
        // Standard arm: 7.4 GBq per cycle unless a toxicity rule reduced (3.7 GBq) or ended the treatment.
        XCTAssertTrue(std.allSatisfy { $0.cycles.allSatisfy { [7.4, 3.7].contains($0.activityGBq) } })
        XCTAssertTrue(std.allSatisfy { $0.cycles.count == 4 || $0.discontinued }, "a standard course is shorter only when discontinued")
        XCTAssertTrue(inv.allSatisfy { $0.cycles.first?.activityGBq == 7.4 && $0.cycles.allSatisfy { $0.activityGBq <= 14.8 } })
        XCTAssertTrue(inv.contains { $0.cycles.dropFirst().contains { $0.activityGBq != 7.4 } }, "some investigational plans depart from 7.4 GBq")
        // Same seed, same trial.
        let again = try SyntheticTrial(count: 30, seed: 11, protocolConfig: Self.fastProtocol)
        XCTAssertEqual(again.patients.map(\.followUp), trial.patients.map(\.followUp))
        // Organ-S kidney dose per activity near the published values (0.38 ± 0.19 Gy/GBq over 80 Lu-DOTATATE cycles, PMC6300448).
        let kidney = trial.patients.map { $0.cycles[0].kidney.gyPerGBq }.sorted()
        XCTAssertTrue((0.2...0.8).contains(kidney[kidney.count / 2]), "median kidney \(kidney[kidney.count / 2]) Gy/GBq")
    }

    /// A course with scripted thrombocytopenia: grade 3 after cycle 2, resolved by the next cycle → cycle 3 at the
    /// label's 3.7 GBq; grade 3 again after cycle 3 → recurrence after a reduction → discontinued, no cycle 4. Same
    /// rules in both arms (the planner's `ToxicityDecision`). Unresolved at the first check → withheld 4 weeks.
    /// Grade 3 after cycle 1 → every later cycle at ≤ 3.7 GBq (no re-escalation). Never resolving → discontinued when
    /// the delay reaches 16 weeks.
    func testToxicityDuringTreatmentFollowsTheProtocolRules() throws {
        func measured(_ k: Int, _ a: Double) -> AdministeredCycle {
            AdministeredCycle(cycle: k, activityGBq: a, kidney: DosePerActivity(gyPerGBq: 0.3, relativeUncertainty: 0.1),
                              kidneyEffectiveDecayPerHour: log(2.0) / 50, marrow: DosePerActivity(gyPerGBq: 0.02, relativeUncertainty: 0.1),
                              lesions: [LesionDosePerActivity(lesion: "tumor_1", dose: DosePerActivity(gyPerGBq: 3, relativeUncertainty: 0.1))])
        }
        func run(_ arm: TreatmentArm, grades: [Int], resolved: @escaping (Int, Int) -> Bool = { _, _ in true }) throws -> SimulatedTreatmentCourse {
            try SimulatedTreatmentCourse.run(arm: arm, config: .trialDefault, source: "test", measured: measured,
                                             thrombocytopenia: { k, _ in k <= grades.count ? grades[k - 1] : 0 }, resolved: resolved)
        }
        for arm in [TreatmentArm.standard, .investigational] {
            let c = try run(arm, grades: [0, 3, 3])
            XCTAssertEqual(c.cycles.count, 3, "\(arm)")
            XCTAssertEqual(c.cycles[2].activityGBq, 3.7, accuracy: 1e-9, "\(arm): cycle 3 reduced")
            if arm == .standard { XCTAssertEqual(c.cycles.prefix(2).map(\.activityGBq), [7.4, 7.4]) }
            XCTAssertTrue(c.discontinued, "\(arm): recurrence after the reduction")
            XCTAssertEqual(c.administrationDays, [0, 56, 112])
            XCTAssertTrue(c.decisions.contains { $0.hasPrefix("cycle 3: reduce") }, "\(c.decisions)")
            XCTAssertTrue(c.decisions.contains { $0.hasPrefix("cycle 4: discontinue") && $0.contains("recurred") }, "\(c.decisions)")
            // Not resolved at the scheduled cycle: withheld, given 4 weeks later at 3.7 GBq.
            let late = try run(arm, grades: [0, 3], resolved: { _, check in check >= 2 })
            XCTAssertEqual(late.administrationDays.prefix(3), [0, 56, 140])
            XCTAssertEqual(late.cycles[2].activityGBq, 3.7, accuracy: 1e-9)
            XCTAssertTrue(late.decisions.contains { $0.hasPrefix("cycle 3: withhold") })
            // No re-escalation after a reduction (protocol default toxicity.after_reduction: reduced).
            let early = try run(arm, grades: [3])
            XCTAssertEqual(early.cycles.count, 4)
            XCTAssertTrue(early.cycles.dropFirst().allSatisfy { $0.activityGBq <= 3.7 + 1e-9 }, "\(early.cycles.map(\.activityGBq))")
            XCTAssertFalse(early.discontinued)
            // Never resolves: discontinued once the delay reaches the label's 16 weeks.
            let stuck = try run(arm, grades: [0, 4], resolved: { _, _ in false })
            XCTAssertEqual(stuck.cycles.count, 2)
            XCTAssertTrue(stuck.discontinued)
            XCTAssertTrue(stuck.decisions.last?.contains("delayed treatment by 16 weeks") ?? false, "\(stuck.decisions)")
        }
    }

    /// Renal toxicity and neutropenia drawn during the course go through the planner's label rules (LUTATHERA PI
    /// Table 2): renal toxicity after cycle 2 → withheld until back at baseline, cycle 3 at 3.7 GBq, recurrence →
    /// discontinued; neutropenia grade 3 → reduced, grade 2 → no action (the label's trigger is grade 3).
    func testDrawnRenalToxicityAndNeutropeniaFollowTheLabelRules() throws {
        func measured(_ k: Int, _ a: Double) -> AdministeredCycle {
            AdministeredCycle(cycle: k, activityGBq: a, kidney: DosePerActivity(gyPerGBq: 0.3, relativeUncertainty: 0.1),
                              kidneyEffectiveDecayPerHour: log(2.0) / 50, marrow: DosePerActivity(gyPerGBq: 0.02, relativeUncertainty: 0.1),
                              lesions: [LesionDosePerActivity(lesion: "tumor_1", dose: DosePerActivity(gyPerGBq: 3, relativeUncertainty: 0.1))])
        }
        func run(_ arm: TreatmentArm, _ after: [SimulatedToxicity],
                 resolved: @escaping (ToxicityKind, Int, Int) -> Bool = { _, _, _ in true }) throws -> SimulatedTreatmentCourse {
            try SimulatedTreatmentCourse.run(arm: arm, config: .trialDefault, source: "test", measured: measured,
                                             toxicity: { k, _ in k <= after.count ? after[k - 1] : SimulatedToxicity() }, resolved: resolved)
        }
        let none = SimulatedToxicity(), renal = SimulatedToxicity(renal: true)
        for arm in [TreatmentArm.standard, .investigational] {
            let c = try run(arm, [none, renal, renal])
            XCTAssertEqual(c.cycles.count, 3, "\(arm)")
            XCTAssertEqual(c.cycles[2].activityGBq, 3.7, accuracy: 1e-9, "\(arm): resume at 3.7 GBq after renal toxicity")
            XCTAssertTrue(c.decisions.contains { $0.hasPrefix("cycle 3: reduce") && $0.contains("renal_toxicity") }, "\(c.decisions)")
            XCTAssertTrue(c.discontinued, "\(arm): recurrent renal toxicity")
            XCTAssertTrue(c.decisions.contains { $0.hasPrefix("cycle 4: discontinue") && $0.contains("renal_toxicity") }, "\(c.decisions)")
            // Not back at baseline at the scheduled cycle: withheld, given 4 weeks later at 3.7 GBq.
            let late = try run(arm, [none, renal], resolved: { kind, _, check in kind != .renalToxicity || check >= 2 })
            XCTAssertEqual(late.administrationDays.prefix(3), [0, 56, 140])
            XCTAssertEqual(late.cycles[2].activityGBq, 3.7, accuracy: 1e-9)
            XCTAssertTrue(late.decisions.contains { $0.hasPrefix("cycle 3: withhold") && $0.contains("renal_toxicity") }, "\(late.decisions)")
            // Never back at baseline: discontinued at the label's 16-week delay.
            let stuck = try run(arm, [renal], resolved: { _, _, _ in false })
            XCTAssertEqual(stuck.cycles.count, 1)
            XCTAssertTrue(stuck.discontinued)
            // Neutropenia: grade 3 reduces, grade 2 does not.
            let n3 = try run(arm, [SimulatedToxicity(grades: [.neutropenia: 3])])
            XCTAssertTrue(n3.cycles.dropFirst().allSatisfy { $0.activityGBq <= 3.7 + 1e-9 }, "\(n3.cycles.map(\.activityGBq))")
            XCTAssertTrue(n3.decisions.contains { $0.hasPrefix("cycle 2: reduce") && $0.contains("neutropenia") }, "\(n3.decisions)")
            let n2 = try run(arm, [SimulatedToxicity(grades: [.neutropenia: 2])])
            XCTAssertTrue(n2.decisions.isEmpty, "\(n2.decisions)")
            if arm == .standard { XCTAssertEqual(n2.cycles.map(\.activityGBq), [7.4, 7.4, 7.4, 7.4]) }
        }
    }

    /// A drawn trial applies the rules: some patients have reduced cycles, some stop early, and no cycle after a
    /// reduction exceeds 3.7 GBq; the drawn anatomy and the organ-S doses per activity are near their sources.
    func testDrawnTrialAnatomyDosesAndDoseModifications() throws {
        let trial = try SyntheticTrial(count: 200, seed: 5, protocolConfig: Self.fastProtocol)
        let reduced = trial.patients.filter { $0.toxicityDecisions.contains { $0.contains(": reduce") } }
        XCTAssertGreaterThan(reduced.count, 0)
        XCTAssertGreaterThan(trial.patients.filter(\.discontinued).count, 0)
        // Neutropenia (1/3 of the haematologic events) and renal toxicity (kidney BED) drive decisions too.
        func decided(_ kind: ToxicityKind) -> Int { trial.patients.filter { $0.toxicityDecisions.contains { $0.contains(kind.rawValue) } }.count }
        let renalEvents = trial.patients.filter { $0.followUp.adverseEvents.contains { $0.term == .creatinine } }.count
        print("trial-sim 200 patients seed 5: reduced \(reduced.count), discontinued \(trial.patients.filter(\.discontinued).count); decisions by thrombocytopenia \(decided(.thrombocytopenia)), neutropenia \(decided(.neutropenia)), renal \(decided(.renalToxicity)); patients with renal toxicity \(renalEvents)")
        XCTAssertGreaterThan(decided(.neutropenia), 0)
        XCTAssertEqual(decided(.renalToxicity), trial.patients.filter { p in
            p.followUp.adverseEvents.contains { e in e.term == .creatinine && e.date < p.followUp.treatmentStart.addingTimeInterval(((p.administrationDays.last ?? 0) + 1) * 86_400) }
        }.count, "every renal toxicity before the last administration led to a rule decision")
        for p in reduced {
            let first = p.toxicityDecisions.first { $0.contains(": reduce") }!
            let k = Int(first.dropFirst("cycle ".count).prefix { $0.isNumber })!
            XCTAssertTrue(p.cycles[(k - 1)...].allSatisfy { $0.activityGBq <= 3.7 + 1e-9 }, "\(p.id) \(p.cycles.map(\.activityGBq)) \(p.toxicityDecisions)")
        }
        func median(_ x: [Double]) -> Double { let s = x.sorted(); return s[s.count / 2] }
        let a = trial.patients.map(\.anatomy)
        // ICRP 89 references (male/female mixed 1:1): kidneys 0.29 kg, spleen 0.14 kg, red marrow 1.0 kg; Urata liver ≈ 1.31 kg (1.40 male, 1.22 female).
        XCTAssertEqual(median(a.map(\.kidneysKg)), 0.29, accuracy: 0.03)
        XCTAssertEqual(median(a.map(\.spleenKg)), 0.14, accuracy: 0.025)
        XCTAssertEqual(median(a.map(\.redMarrowKg)), 1.03, accuracy: 0.12)
        XCTAssertEqual(median(a.map(\.liverKg)), 1.31, accuracy: 0.12)
        XCTAssertTrue(a.allSatisfy { (1...SyntheticAnatomy.maximumLesions).contains($0.lesions.count) })
        let meanLesions = Double(a.map(\.lesions.count).reduce(0, +)) / Double(a.count)
        XCTAssertEqual(meanLesions, 2.5, accuracy: 0.25, "1 + Poisson(1.5)")
        // Median doses per activity vs published Lu-DOTATATE values (kidneys 0.38 ± 0.19 Gy/GBq, PMC6300448; spleen
        // 1.17 ± 0.14, liver 0.27 ± 0.05, tumours 3.41 ± 0.68 Gy/GBq, Clin Nucl Med 38(3), 2013): within a factor 1.6.
        let first = trial.patients.map { $0.cycles[0] }
        for (name, value, published) in [("kidneys", median(first.map(\.kidney.gyPerGBq)), 0.38), ("spleen", median(trial.patients.map(\.spleenGyPerGBq)), 1.17),
                                          ("liver", median(trial.patients.map(\.liverGyPerGBq)), 0.27),
                                          ("lesions", median(first.flatMap { $0.lesions.map(\.dose.gyPerGBq) }), 3.41)] {
            XCTAssertTrue(value > published / 1.6 && value < published * 1.6, "\(name): median \(value) Gy/GBq vs published \(published)")
        }
    }

    /// The tolerance-dose fit against an independent implementation: statsmodels `GenericLikelihoodModel` maximising
    /// the same interval-censored log-likelihood written in numpy (Nelder–Mead then BFGS; standard errors from its
    /// numerical Hessian), on the observations of a drawn 200-patient trial.
    func testToleranceFitAgainstStatsmodels() throws {
        let trial = try SyntheticTrial(count: 200, seed: 4, protocolConfig: Self.fastProtocol)
        let obs = trial.cohort.compactMap { $0.toleranceObservation(grade: 3) }
        XCTAssertEqual(obs.count, 200)
        let fit = try ToleranceDoseFit.fit(obs)
        let rows = obs.map { "[\($0.lowerDoseGy ?? -1), \($0.upperDoseGy), \($0.event ? 1 : 0)]" }.joined(separator: ",")
        let r = try ExternalProcess.run([ExternalProcess.pythonInterpreter, "-c", """
        import json, sys, numpy as np
        from statsmodels.base.model import GenericLikelihoodModel
        d = np.array(json.loads(sys.argv[1])); lo, up, ev = d[:, 0], d[:, 1], d[:, 2]
        class Tol(GenericLikelihoodModel):
            def nloglikeobs(self, b):
                F = lambda x: 1 / (1 + np.exp(-(b[0] + b[1] * x)))
                ll = np.where(ev == 0, np.log(1 - F(up)), np.where(lo < 0, np.log(F(up)), np.log(np.clip(F(up) - F(np.maximum(lo, 0)), 1e-300, None))))
                return -ll
        m = Tol(endog=ev, exog=np.ones((len(ev), 2)))
        r0 = m.fit(start_params=[-2.0, 1.0], method="nm", maxiter=20000, disp=0)
        r = m.fit(start_params=r0.params, method="bfgs", maxiter=2000, gtol=1e-10, disp=0)
        print(json.dumps({"b": list(r.params), "se": list(r.bse)}))
        """, "[" + rows + "]"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: [Double]])
        XCTAssertEqual(fit.intercept, o["b"]![0], accuracy: 1e-4 * max(1, abs(fit.intercept)))
        XCTAssertEqual(fit.slope, o["b"]![1], accuracy: 1e-4 * max(1, abs(fit.slope)))
        XCTAssertEqual(fit.interceptStandardError, o["se"]![0], accuracy: 1e-3 * fit.interceptStandardError)
        XCTAssertEqual(fit.slopeStandardError, o["se"]![1], accuracy: 1e-3 * fit.slopeStandardError)
        // Refusals: one outcome only, too few patients.
        XCTAssertThrowsError(try ToleranceDoseFit.fit(obs.map { ToleranceDoseFit.Observation(lowerDoseGy: nil, upperDoseGy: $0.upperDoseGy, event: false) }))
        XCTAssertThrowsError(try ToleranceDoseFit.fit(Array(obs.prefix(2))))
    }

    /// The straight-track absorbed fraction φ = 1 − 3x/8 + x³/64 against an independent Monte Carlo (numpy: uniform
    /// points in a sphere, isotropic directions, track length inside / range), within 5 standard errors.
    func testSphereAbsorbedFractionAgainstMonteCarlo() throws {
        let r = try ExternalProcess.run([ExternalProcess.pythonInterpreter, "-c", """
        import numpy as np, json
        rng = np.random.default_rng(7)
        n = 400000
        p = rng.normal(size=(n, 3)); p *= (rng.random(n) ** (1/3) / np.linalg.norm(p, axis=1))[:, None]
        d = rng.normal(size=(n, 3)); d /= np.linalg.norm(d, axis=1)[:, None]
        b = np.sum(p * d, axis=1); t = -b + np.sqrt(b * b - (np.sum(p * p, axis=1) - 1))
        out = {}
        for x in [0.1, 0.5, 1.0, 2.0]:
            f = np.minimum(t, x) / x
            out[str(x)] = [f.mean(), f.std() / np.sqrt(n)]
        print(json.dumps(out))
        """])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: [Double]])
        for (key, v) in o {
            let phi = SyntheticOrganS.straightTrackAbsorbedFraction(range: Double(key)!, radius: 1)
            XCTAssertEqual(phi, v[0], accuracy: 5 * v[1] + 1e-12, "x = \(key)")
        }
        // The Lu-177 spectrum-averaged fraction rises with the volume and is close to 1 for lesions of a few mL.
        let s = try SyntheticOrganS()
        let f = [0.5, 1, 8, 100].map { s.sphereElectronAbsorbedFraction(volumeML: $0) }
        print("sphere electron absorbed fraction at 0.5, 1, 8, 100 mL: \(f)")
        XCTAssertEqual(f, f.sorted())
        XCTAssertTrue(f[0] > 0.85 && f[3] < 1 && f[3] > 0.99, "\(f)")
    }

    /// trial-sim folders read back through the manifest path give the same analysis; the outputs are written.
    func testFilesRoundTripAndOutputs() throws {
        let trial = try SyntheticTrial(count: 15, seed: 3, protocolConfig: Self.fastProtocol)
        let folders = try SyntheticTrialWriter.write(trial, seed: 3, to: dir + "/trial")
        let loaded = try folders.map(CohortStudyLoader.load)
        for (a, b) in zip(loaded, trial.cohort) {
            XCTAssertEqual(a.id, b.id); XCTAssertEqual(a.arm, b.arm); XCTAssertEqual(a.followUp, b.followUp)
            XCTAssertEqual(a.marrowDoseGy, b.marrowDoseGy, accuracy: 1e-12 * b.marrowDoseGy)
            XCTAssertEqual(a.lesionDosesGy.map(\.lesion), b.lesionDosesGy.map(\.lesion))
            for (x, y) in zip(a.lesionDosesGy, b.lesionDosesGy) { XCTAssertEqual(x.doseGy, y.doseGy, accuracy: 1e-12 * y.doseGy) }
        }
        let analysis = CohortAnalysis(loaded)
        try CohortReport.write(analysis, to: dir + "/out")
        for f in ["patients.csv", "cycles.csv", "lesions.csv", "adverse_events.csv", "labs.csv", "endpoints.csv", "cohort.sqlite", "cohort.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/out/" + f), f)
        }
        // The database answers a statistician's query (Python's sqlite3, independent of our writer).
        let r = try ExternalProcess.run([ExternalProcess.pythonInterpreter, "-c", """
        import sqlite3, sys, json
        db = sqlite3.connect(sys.argv[1])
        n = db.execute("select count(*) from patients").fetchone()[0]
        orr = dict(db.execute("select arm, estimate from endpoints where name = 'objective_response_rate_6m'").fetchall())
        les = db.execute("select count(*) from lesions").fetchone()[0]
        print(json.dumps({"n": n, "orr": orr, "lesions": les}))
        """, dir + "/out/cohort.sqlite"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        XCTAssertEqual(o["n"] as? Int, 15)
        XCTAssertEqual(o["lesions"] as? Int, loaded.map { $0.lesionDosesGy.count }.reduce(0, +))
        let orr = try XCTUnwrap(o["orr"] as? [String: Double])
        for a in analysis.arms { XCTAssertEqual(orr[a.arm.rawValue] ?? -1, a.responseAt6Months!.estimate, accuracy: 1e-15) }
        // Toxicity severity (events by grade, patients by worst grade) recomputed in SQL from the adverse_events table.
        let sev = try ExternalProcess.run([ExternalProcess.pythonInterpreter, "-c", """
        import sqlite3, sys, json
        db = sqlite3.connect(sys.argv[1])
        bad = 0
        for arm, term, grade, events, worst, n in db.execute("select arm, term, grade, events, patients_worst_grade, patients from toxicity_grades"):
            ids = [r[0] for r in db.execute("select patient_id from patients where arm = ?", (arm,))]
            w = {i: (db.execute("select max(grade) from adverse_events where patient_id = ? and term = ?", (i, term)).fetchone()[0] or 0) for i in ids}
            e = db.execute("select count(*) from adverse_events a join patients p using (patient_id) where p.arm = ? and a.term = ? and a.grade = ?", (arm, term, grade)).fetchone()[0]
            bad += (n != len(ids)) + (worst != sum(1 for v in w.values() if v == grade)) + (grade > 0 and events != e)
            for i, v in w.items():
                bad += db.execute("select worst_grade from worst_grades where patient_id = ? and term = ?", (i, term)).fetchone()[0] != v
        print(json.dumps({"bad": bad, "rows": db.execute("select count(*) from toxicity_grades").fetchone()[0]}))
        """, dir + "/out/cohort.sqlite"])
        XCTAssertEqual(sev.status, 0, sev.stderr)
        let so = try XCTUnwrap(try JSONSerialization.jsonObject(with: sev.stdout) as? [String: Int])
        XCTAssertEqual(so["bad"], 0)
        XCTAssertEqual(so["rows"], analysis.arms.count * CTCAETerm.allCases.count * 6)
        let html = try String(contentsOfFile: dir + "/out/cohort.html", encoding: .utf8)
        XCTAssertTrue(html.contains("Severity: patients by their worst CTCAE v5.0 grade") && html.lowercased().contains("tolerance"))
        XCTAssertTrue(html.contains("<svg") && html.contains("Kaplan–Meier") && html.contains("Lesion dose vs response"))
        // A follow-up arm that contradicts the manifest is refused.
        let csv = folders[0] + "/followup.csv"
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let other = trial.patients[0].arm == .standard ? "investigational" : "standard"
        try text.replacingOccurrences(of: ",\(trial.patients[0].arm.rawValue),", with: ",\(other),").write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CohortStudyLoader.load(folders[0])) { XCTAssertTrue("\($0)".contains("differs from the study manifest's arm"), "\($0)") }
    }

    /// Recovery of the ground truth: in 10 seeded trials of 200 patients each (treated with the protocol's dose
    /// modifications), the fitted dose–toxicity (tolerance model) and
    /// dose–response slopes' and the platelet-nadir slope's 95 % CIs cover the true slopes. With correct 95 % intervals a single fit covers
    /// with probability 0.95, so ≥ 8 of 10 for each has probability 0.988; the test asks ≥ 8 of 10 for each.
    func testCohortRecoversGroundTruthInMostSeeds() throws {
        var toxicityCovered = 0, responseCovered = 0, nadirCovered = 0
        var log: [String] = []
        let truth = SyntheticTrial.Truth()
        for seed in UInt64(1)...10 {
            let trial = try SyntheticTrial(count: 170, seed: seed, protocolConfig: Self.fastProtocol)
            let a = CohortAnalysis(trial.cohort)
            // Dose–toxicity: the tolerance fit (the logistic fit of the total dose is biased by the dose modifications).
            let tox = try a.doseToxicityDuringTreatment.get(), resp = try a.doseResponse.get()
            if tox.slopeCI.contains(truth.toxicitySlopePerGy) { toxicityCovered += 1 }
            if resp.slopeCI.contains(truth.responseSlopePerGy) { responseCovered += 1 }
            if try a.plateletNadir.get().slopeCI.contains(truth.plateletNadirSlopePerGy) { nadirCovered += 1 }
            log.append("seed \(seed): total-dose logistic slope \((try? a.doseToxicity.get().slope) ?? .nan); tolerance slope \(tox.slope) \(tox.slopeCI), response slope \(resp.slope) \(resp.slopeCI)")
        }
        XCTAssertGreaterThanOrEqual(toxicityCovered, 8, log.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(responseCovered, 8, log.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(nadirCovered, 8, log.joined(separator: "\n"))
        print("recovery: toxicity \(toxicityCovered)/10, response \(responseCovered)/10, platelet nadir \(nadirCovered)/10\n" + log.joined(separator: "\n"))
    }
}
