import Foundation
import RPTCore
import RPTTestSupport
import XCTest
@testable import RPTCohort

/// Every cohort statistic against an independent implementation: scipy (beta quantiles, incomplete beta),
/// statsmodels (Clopper–Pearson, Newcombe difference, logistic regression) and lifelines (Kaplan–Meier,
/// median with CI, log-rank), called from the test with the same data; plus published worked examples.
final class StatisticsCrossCheckTests: XCTestCase {
    nonisolated(unsafe) static var pythonChecked = false

    /// Runs `script` with `input` as JSON on stdin; returns its JSON output.
    func python(_ script: String, _ input: Any) throws -> Any {
        if !Self.pythonChecked {   // the import check costs seconds (lifelines); once per run
            try ExternalProcess.requirePython(modules: ["scipy", "statsmodels", "lifelines"], purpose: "to cross-check the cohort statistics")
            Self.pythonChecked = true
        }
        let r = try ExternalProcess.run([ExternalProcess.pythonInterpreter, "-c", script], stdin: try JSONSerialization.data(withJSONObject: input))
        guard r.status == 0 else { throw NSError(domain: "python", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return try JSONSerialization.jsonObject(with: r.stdout)
    }

    func testSpecialFunctionsAgainstScipy() throws {
        let cases: [[Double]] = [[0.3, 2, 5], [0.9, 0.5, 0.5], [0.01, 10, 1], [0.5, 30, 40], [0.999, 3, 200], [0.2, 1, 1]]
        let ref = try python("""
        import sys, json
        from scipy import special, stats
        c = json.load(sys.stdin)
        print(json.dumps({"ibeta": [special.betainc(a, b, x) for x, a, b in c["cases"]],
                          "q": [stats.beta.ppf(p, a, b) for p, a, b in c["q"]],
                          "z": [stats.norm.isf(p) for p in c["z"]],
                          "chi": [stats.chi2.sf(x, 1) for x in c["chi"]]}))
        """, ["cases": cases, "q": [[0.025, 3, 18], [0.975, 4, 17], [0.5, 1, 1], [0.001, 0.5, 9]],
              "z": [0.025, 0.05, 0.5, 1e-6, 0.9], "chi": [0.5, 3.84, 10, 40]]) as! [String: [Double]]
        for (c, r) in zip(cases, ref["ibeta"]!) {
            XCTAssertEqual(SpecialFunctions.regularizedIncompleteBeta(c[0], a: c[1], b: c[2]), r, accuracy: 1e-13 * max(1, r))
        }
        for (c, r) in zip([[0.025, 3, 18], [0.975, 4, 17], [0.5, 1, 1], [0.001, 0.5, 9]], ref["q"]!) {
            XCTAssertEqual(SpecialFunctions.betaQuantile(c[0], a: c[1], b: c[2]), r, accuracy: 1e-12)
        }
        for (p, r) in zip([0.025, 0.05, 0.5, 1e-6, 0.9], ref["z"]!) { XCTAssertEqual(SpecialFunctions.normalUpperQuantile(p), r, accuracy: 1e-12) }
        for (x, r) in zip([0.5, 3.84, 10, 40], ref["chi"]!) { XCTAssertEqual(SpecialFunctions.chiSquare1Survival(x), r, accuracy: 1e-14 + 1e-12 * r) }
    }

    /// Clopper–Pearson and the Newcombe difference against statsmodels; plus the worked example of
    /// Newcombe (Stat Med 17:873, 1998, Table II): 56/70 vs 48/80 → difference 0.2000, 95 % CI 0.0524 to 0.3339.
    func testProportionIntervalsAgainstStatsmodels() throws {
        let cases = [[0, 10], [1, 10], [7, 20], [20, 20], [13, 41], [50, 100]]
        let pairs = [[56, 70, 48, 80], [9, 10, 3, 10], [0, 15, 2, 30], [14, 30, 4, 15]]
        let ref = try python("""
        import sys, json
        from statsmodels.stats.proportion import proportion_confint, confint_proportions_2indep
        c = json.load(sys.stdin)
        print(json.dumps({"cp": [list(proportion_confint(x, n, alpha=0.05, method="beta")) for x, n in c["cases"]],
                          "diff": [list(confint_proportions_2indep(a, n, b, m, method="newcomb", compare="diff")) for a, n, b, m in c["pairs"]]}))
        """, ["cases": cases, "pairs": pairs]) as! [String: [[Double]]]
        for (c, r) in zip(cases, ref["cp"]!) {
            let e = BinomialInterval.clopperPearson(c[0], c[1])
            XCTAssertEqual(e.lower, r[0], accuracy: 1e-10, "\(c)")
            XCTAssertEqual(e.upper, r[1], accuracy: 1e-10, "\(c)")
        }
        for (c, r) in zip(pairs, ref["diff"]!) {
            let d = BinomialInterval.differenceNewcombe(c[0], c[1], c[2], c[3])
            XCTAssertEqual(d.lower, r[0], accuracy: 1e-10, "\(c)")
            XCTAssertEqual(d.upper, r[1], accuracy: 1e-10, "\(c)")
        }
        let newcombe = BinomialInterval.differenceNewcombe(56, 70, 48, 80)
        XCTAssertEqual(newcombe.difference, 0.2, accuracy: 1e-12)
        XCTAssertEqual(newcombe.lower, 0.0524, accuracy: 5e-5)
        XCTAssertEqual(newcombe.upper, 0.3339, accuracy: 5e-5)
    }

    /// Kaplan–Meier curve, band, median with CI and the log-rank test against lifelines on censored data
    /// with ties (events and censorings at the same time).
    func testKaplanMeierAndLogRankAgainstLifelines() throws {
        var rng = RandomStream(seed: 2026, stream: 3)
        func group(_ n: Int, scale: Double) -> [SurvivalObservation] {
            (0..<n).map { _ in
                let t = (-scale * log(rng.uniform())).rounded()   // integer days: ties
                let c = (400 * rng.uniform()).rounded()
                return SurvivalObservation(time: max(1, min(t, c)), event: t <= c)
            }
        }
        let a = group(40, scale: 250), b = group(25, scale: 120)
        let ref = try python("""
        import sys, json
        from lifelines import KaplanMeierFitter
        from lifelines.statistics import logrank_test
        from lifelines.utils import median_survival_times
        c = json.load(sys.stdin)
        out = {}
        for k in ["a", "b"]:
            kmf = KaplanMeierFitter().fit(c[k]["t"], c[k]["e"], alpha=0.05)
            sf = kmf.survival_function_.iloc[:, 0]
            ci = kmf.confidence_interval_
            med_ci = median_survival_times(ci)
            out[k] = {"t": [float(x) for x in sf.index], "s": [float(x) for x in sf.values],
                      "lo": [float(x) for x in ci.iloc[:, 0].values], "hi": [float(x) for x in ci.iloc[:, 1].values],
                      "median": float(kmf.median_survival_time_), "mlo": float(med_ci.iloc[0, 0]), "mhi": float(med_ci.iloc[0, 1])}
        r = logrank_test(c["a"]["t"], c["b"]["t"], c["a"]["e"], c["b"]["e"])
        out["chi"] = float(r.test_statistic); out["p"] = float(r.p_value)
        print(json.dumps(out).replace("Infinity", "1e308").replace("NaN", "null"))
        """, ["a": ["t": a.map(\.time), "e": a.map(\.event)], "b": ["t": b.map(\.time), "e": b.map(\.event)]]) as! [String: Any]
        for (name, obs) in [("a", a), ("b", b)] {
            let r = ref[name] as! [String: Any]
            let km = KaplanMeier(obs)
            let t = r["t"] as! [Double], s = r["s"] as! [Double], lo = r["lo"] as! [Any], hi = r["hi"] as! [Any]
            for (i, time) in t.enumerated() where time > 0 {
                let step = try XCTUnwrap(km.steps.first { $0.time == time }, "time \(time)")
                XCTAssertEqual(step.survival, s[i], accuracy: 1e-12, "S(\(time))")
                if let l = lo[i] as? Double, let h = hi[i] as? Double, step.survival > 0, step.survival < 1 {
                    XCTAssertEqual(step.lower, l, accuracy: 1e-9, "lower(\(time))")
                    XCTAssertEqual(step.upper, h, accuracy: 1e-9, "upper(\(time))")
                }
            }
            func same(_ mine: Double?, _ theirs: Any?) {
                let v = theirs as? Double ?? .infinity
                if v >= 1e300 { XCTAssertNil(mine, "\(name): lifelines says not reached") } else { XCTAssertEqual(mine ?? .nan, v, accuracy: 1e-12, name) }
            }
            same(km.median.estimate, r["median"]); same(km.median.lower, r["mlo"]); same(km.median.upper, r["mhi"])
        }
        let lr = LogRankTest.compare(a, b)
        XCTAssertEqual(lr.chiSquare, ref["chi"] as! Double, accuracy: 1e-9)
        XCTAssertEqual(lr.p, ref["p"] as! Double, accuracy: 1e-12)
    }

    /// Kaplan–Meier on the classic 6-MP leukaemia data (Freireich et al. 1963; Kalbfleisch & Prentice,
    /// The Statistical Analysis of Failure Time Data, Table 1.1): S(10) = 0.7529, S(23) = 0.4482, median 23 weeks.
    func testKaplanMeierPublishedExample() {
        let t: [Double] = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
        let e: [Bool] = [true, true, true, false, true, false, true, false, false, true, true, false, false, false, true, true, false, false, false, false, false]
        let km = KaplanMeier(zip(t, e).map { SurvivalObservation(time: $0, event: $1) })
        XCTAssertEqual(km.survival(at: 10), 0.7529, accuracy: 5e-5)
        XCTAssertEqual(km.survival(at: 23), 0.4482, accuracy: 5e-5)
        XCTAssertEqual(km.median.estimate, 23)
    }

    func testLogisticRegressionAgainstStatsmodels() throws {
        var rng = RandomStream(seed: 17, stream: 5)
        let x = (0..<80).map { _ in 0.2 + 3 * rng.uniform() }
        let y = x.map { rng.uniform() < 1 / (1 + exp(-(-3 + 2 * $0))) }
        let ref = try python("""
        import sys, json
        import numpy as np, statsmodels.api as sm
        c = json.load(sys.stdin)
        r = sm.Logit(np.array(c["y"], dtype=float), sm.add_constant(np.array(c["x"]))).fit(disp=0, tol=1e-12)
        print(json.dumps({"params": list(r.params), "bse": list(r.bse), "ci": r.conf_int(0.05).tolist()}))
        """, ["x": x, "y": y]) as! [String: Any]
        let fit = try LogisticFit.fit(x: x, y: y)
        let p = ref["params"] as! [Double], se = ref["bse"] as! [Double], ci = ref["ci"] as! [[Double]]
        XCTAssertEqual(fit.intercept, p[0], accuracy: 1e-7)
        XCTAssertEqual(fit.slope, p[1], accuracy: 1e-7)
        XCTAssertEqual(fit.interceptSE, se[0], accuracy: 1e-7)
        XCTAssertEqual(fit.slopeSE, se[1], accuracy: 1e-7)
        XCTAssertEqual(fit.slopeCI.lowerBound, ci[1][0], accuracy: 1e-7)
        XCTAssertEqual(fit.slopeCI.upperBound, ci[1][1], accuracy: 1e-7)
        // Separated data and a constant outcome are refused, not fitted.
        XCTAssertThrowsError(try LogisticFit.fit(x: [1, 2, 3, 4], y: [false, false, true, true]))
        XCTAssertThrowsError(try LogisticFit.fit(x: [1, 2, 3], y: [true, true, true]))
    }

    func testLinearRegressionAndStudentTAgainstStatsmodels() throws {
        var rng = RandomStream(seed: 23, stream: 2)
        let x = (0..<25).map { _ in 2 * rng.uniform() }
        let y = x.map { -0.1 - 0.6 * $0 + 0.2 * (rng.uniform() - 0.5) }
        let ref = try python("""
        import sys, json
        import numpy as np, statsmodels.api as sm
        from scipy import stats
        c = json.load(sys.stdin)
        r = sm.OLS(np.array(c["y"]), sm.add_constant(np.array(c["x"]))).fit()
        print(json.dumps({"params": list(r.params), "ci": r.conf_int(0.05).tolist(), "r": float(np.corrcoef(c["x"], c["y"])[0, 1]),
                          "t": [stats.t.isf(p, nu) for p, nu in [(0.025, 3), (0.025, 23), (0.1, 1), (0.4, 50)]]}))
        """, ["x": x, "y": y]) as! [String: Any]
        let fit = try LinearFit.fit(x: x, y: y)
        let p = ref["params"] as! [Double], ci = ref["ci"] as! [[Double]]
        XCTAssertEqual(fit.intercept, p[0], accuracy: 1e-12)
        XCTAssertEqual(fit.slope, p[1], accuracy: 1e-12)
        XCTAssertEqual(fit.slopeCI.lowerBound, ci[1][0], accuracy: 1e-9)
        XCTAssertEqual(fit.slopeCI.upperBound, ci[1][1], accuracy: 1e-9)
        XCTAssertEqual(fit.interceptCI.lowerBound, ci[0][0], accuracy: 1e-9)
        XCTAssertEqual(fit.correlation, ref["r"] as! Double, accuracy: 1e-12)
        for ((pp, nu), t) in zip([(0.025, 3.0), (0.025, 23.0), (0.1, 1.0), (0.4, 50.0)], ref["t"] as! [Double]) {
            XCTAssertEqual(SpecialFunctions.studentTUpperQuantile(pp, degreesOfFreedom: nu), t, accuracy: 1e-10)
        }
        XCTAssertThrowsError(try LinearFit.fit(x: [1, 1, 1], y: [1, 2, 3]))
    }
}
