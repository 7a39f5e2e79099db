import Foundation
import RPTCore
import RPTKinetics
import RPTPlanner
import RPTReport

/// Writes a cohort analysis: CSV tables, `cohort.sqlite` and `cohort.html` (formats: docs/formats/cohort.md).
public enum CohortReport {
    public static let databaseName = "cohort.sqlite"
    public static let reportName = "cohort.html"

    /// Writes everything into `out`, built in a folder beside it and moved into place at the end (an earlier
    /// result stays intact when writing fails).
    public static func write(_ analysis: CohortAnalysis, to out: String) throws {
        let fm = FileManager.default
        let parent = (out as NSString).deletingLastPathComponent
        let staging = (parent.isEmpty ? "." : parent) + "/." + (out as NSString).lastPathComponent + ".partial-\(UUID().uuidString)"
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            let tables = analysis.tables()
            for t in tables {
                var text = t.columns.map(\.name).joined(separator: ",") + "\n"
                for r in t.rows { text += r.map(\.csv).joined(separator: ",") + "\n" }
                try text.write(toFile: staging + "/\(t.name).csv", atomically: true, encoding: .utf8)
            }
            let db = try SQLiteDatabase(path: staging + "/" + databaseName)
            try db.execute("BEGIN")
            for t in tables {
                try db.execute("CREATE TABLE \(t.name) (" + t.columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ") + ")")
                try db.insert(t.name, columns: t.columns.map(\.name), rows: t.rows)
            }
            try db.execute("COMMIT")
            try document(analysis).write(to: staging + "/" + reportName)
            if fm.fileExists(atPath: out) {
                let old = staging + ".old"
                try fm.moveItem(atPath: out, toPath: old)
                try fm.moveItem(atPath: staging, toPath: out)
                try? fm.removeItem(atPath: old)
            } else {
                try fm.moveItem(atPath: staging, toPath: out)
            }
        } catch {
            try? fm.removeItem(atPath: staging)
            throw error
        }
    }

    static let armColour: [TreatmentArm: RGBColor] = [.standard: RGBColor(red: 0x1f, green: 0x77, blue: 0xb4),
                                                      .investigational: RGBColor(red: 0xd6, green: 0x27, blue: 0x28)]

    static func f(_ x: Double?, _ d: Int = 2) -> String { x.map { String(format: "%.\(d)f", $0) } ?? "not reached" }

    /// The HTML report: arm summary, Kaplan–Meier curves, toxicity, dose–toxicity and dose–response fits.
    public static func document(_ a: CohortAnalysis) throws -> ReportDocument {
        var sections: [ReportSection] = []
        // Endpoints per arm.
        var rows: [[ReportCell]] = []
        for s in a.arms {
            let r = s.responseAt6Months!, m = s.timeToProgression.median
            rows.append([.text(s.arm.rawValue), .text("\(s.patients)"),
                         .text("\(r.count)/\(r.total) = \(f(100 * r.estimate, 1)) % (\(f(100 * r.lower, 1))–\(f(100 * r.upper, 1)) %)"),
                         .text("\(f(m.estimate, 0)) (\(f(m.lower, 0))–\(f(m.upper, 0)))")])
        }
        var blocks: [ReportBlock] = [.table(ReportTable(caption: "Endpoints per arm (95 % CIs: ORR exact Clopper–Pearson; median time to progression from the Kaplan–Meier log(−log) band)",
                                                        header: ["Arm", "Patients", "Objective response at 6 months", "Median time to progression (days)"], rows: rows))]
        if let d = a.responseDifference {
            blocks.append(.paragraph("ORR difference investigational − standard: \(f(100 * d.difference, 1)) percentage points (95 % CI \(f(100 * d.lower, 1)) to \(f(100 * d.upper, 1)), Newcombe hybrid score)."))
        }
        blocks.append(.paragraph(a.recistTargetSummary))
        if let l = a.logRank {
            blocks.append(.paragraph("Log-rank test of time to progression: χ² = \(f(l.chiSquare, 3)) (1 df), p = \(String(format: "%.4g", l.p)); investigational arm \(l.observed1) progressions observed, \(f(l.expected1, 1)) expected."))
        }
        let km = TimeActivityChart(title: "Time to progression (Kaplan–Meier)", series: a.arms.map { s in
            var curve: [SIMD2<Double>] = [SIMD2(0, 1)]
            var last = 1.0
            for step in s.timeToProgression.steps {
                curve.append(SIMD2(step.time, last)); curve.append(SIMD2(step.time, step.survival)); last = step.survival
            }
            return TimeActivitySeries(name: "\(s.arm.rawValue) (n = \(s.patients))", color: armColour[s.arm]!, points: [], curve: curve)
        })
        var kmChart = km
        kmChart.timeTitle = "Days since the first administration"
        kmChart.activityTitle = "Progression-free fraction"
        blocks.append(.svg(try kmChart.svg(), caption: "Kaplan–Meier estimate of the fraction without progression, per arm (red: investigational, blue: standard)."))
        sections.append(ReportSection(heading: "Trial endpoints", blocks: blocks))

        // Toxicity.
        let toxRows: [[ReportCell]] = CTCAETerm.allCases.map { term in
            [.text(term.rawValue)] + a.arms.flatMap { s in
                [1, 3].map { g -> ReportCell in
                    let t = a.toxicity.first { $0.arm == s.arm && $0.term == term && $0.minimumGrade == g }!.incidence
                    return .text("\(t.count)/\(t.total) (\(f(100 * t.lower, 0))–\(f(100 * t.upper, 0)) %)")
                }
            }
        }
        sections.append(ReportSection(heading: "Treatment-emergent toxicity (CTCAE v5.0)", blocks: [
            .table(ReportTable(caption: "Patients with the worst grade ≥ 1 and ≥ 3, per arm (exact 95 % CI)",
                               header: ["Term"] + a.arms.flatMap { ["\($0.arm.rawValue) grade ≥ 1", "\($0.arm.rawValue) grade ≥ 3"] }, rows: toxRows)),
            .table(ReportTable(caption: "Severity: patients by their worst CTCAE v5.0 grade (events of each grade in brackets), per arm and term",
                               header: ["Arm", "Term", "Patients"] + (0...5).map { "Worst grade \($0)" },
                               rows: a.toxicitySeverity.map { t in
                                   [.text(t.arm.rawValue), .text(t.term.rawValue), .text("\(t.patients)")]
                                       + (0...5).map { g in .text(g == 0 ? "\(t.patientsByWorstGrade[0])" : "\(t.patientsByWorstGrade[g]) (\(t.eventsByGrade[g - 1]))") }
                               }))]))

        // Dose–effect fits.
        func fitSection(_ heading: String, _ result: Result<LogisticFit, LogisticFit.FitError>, x: [Double], y: [Bool],
                        xTitle: String, outcome: String) throws -> ReportSection {
            var b: [ReportBlock] = []
            switch result {
            case let .success(fit):
                b.append(.paragraph("Logistic fit P(\(outcome)) = 1/(1 + exp(−(β₀ + β₁·D))): β₀ = \(f(fit.intercept, 3)) (95 % CI \(f(fit.interceptCI.lowerBound, 3)) to \(f(fit.interceptCI.upperBound, 3))), β₁ = \(f(fit.slope, 4)) per Gy (95 % CI \(f(fit.slopeCI.lowerBound, 4)) to \(f(fit.slopeCI.upperBound, 4))); D₅₀ = \(f(fit.x50, 2)) Gy; \(fit.events) of \(fit.observations) with the outcome."))
                let hi = max(x.max() ?? 1, 1e-6)
                let curve = TimeActivitySeries.sampledCurve(from: 0, to: hi * 1.05) { fit.probability(at: $0) }
                var chart = TimeActivityChart(title: heading, series: [
                    TimeActivitySeries(name: "observed", color: RGBColor(red: 0x33, green: 0x33, blue: 0x33),
                                       points: zip(x, y).map { TimeActivityPoint(timeH: $0, activityMBq: $1 ? 1 : 0) }, curve: []),
                    TimeActivitySeries(name: "logistic fit", color: RGBColor(red: 0xd6, green: 0x27, blue: 0x28), points: [], curve: curve)])
                chart.timeTitle = xTitle
                chart.activityTitle = "P(\(outcome))"
                b.append(.svg(try chart.svg(), caption: "Observed outcomes (0/1) and the fitted logistic curve."))
            case let .failure(e):
                b.append(.warnings(["\(heading): \(e)"]))
            }
            return ReportSection(heading: heading, blocks: b)
        }
        sections.append(try fitSection("Marrow dose vs haematologic toxicity", a.doseToxicity, x: a.patients.map(\.marrowDoseGy),
                                       y: a.patients.map { $0.followUp.worstHaematologicGrade >= CohortAnalysis.haematologicToxicityGrade },
                                       xTitle: "Cumulative red-marrow absorbed dose (Gy)", outcome: "haematologic grade ≥ \(CohortAnalysis.haematologicToxicityGrade)"))
        switch a.doseToxicityDuringTreatment {
        case let .success(t):
            sections[sections.count - 1].blocks.insert(.paragraph(
                "During treatment (tolerance model, interval-censored: the first haematologic grade ≥ \(CohortAnalysis.haematologicToxicityGrade) between the cumulative marrow doses before and after the cycle it followed; unbiased when toxicity reduces or stops the treatment): "
                + "P(T ≤ D) = 1/(1 + exp(−(β₀ + β₁·D))), β₀ = \(f(t.intercept, 3)) (95 % CI \(f(t.interceptCI.lowerBound, 3)) to \(f(t.interceptCI.upperBound, 3))), "
                + "β₁ = \(f(t.slope, 4)) per Gy (95 % CI \(f(t.slopeCI.lowerBound, 4)) to \(f(t.slopeCI.upperBound, 4))); \(t.events) of \(t.observations) patients with the event. "
                + "The logistic fit of the total dose above is descriptive: patients whose treatment was reduced after toxicity received less dose, which biases its slope towards zero."), at: 0)
        case let .failure(e):
            sections[sections.count - 1].blocks.append(.warnings(["Tolerance-dose fit during treatment: \(e)"]))
        }
        if case let .success(line) = a.plateletNadir {
            let pts = a.patients.compactMap { p in p.followUp.nadirFraction(.platelets).map { (p.marrowDoseGy, $0) } }
            let hi = max(pts.map(\.0).max() ?? 1, 1e-6)
            var chart = TimeActivityChart(title: "Platelet nadir vs marrow dose", series: [
                TimeActivitySeries(name: "patients", color: RGBColor(red: 0x33, green: 0x33, blue: 0x33),
                                   points: pts.map { TimeActivityPoint(timeH: $0.0, activityMBq: $0.1) }, curve: []),
                TimeActivitySeries(name: "fit", color: RGBColor(red: 0xd6, green: 0x27, blue: 0x28), points: [],
                                   curve: TimeActivitySeries.sampledCurve(from: 0, to: hi * 1.05) { exp(line.intercept + line.slope * $0) })])
            chart.timeTitle = "Cumulative red-marrow absorbed dose (Gy)"
            chart.activityTitle = "Platelet nadir / baseline"
            sections[sections.count - 1].blocks.append(.paragraph("Platelet nadir fraction: ln(nadir/baseline) = \(f(line.intercept, 3)) + \(f(line.slope, 3))·D (slope 95 % CI \(f(line.slopeCI.lowerBound, 3)) to \(f(line.slopeCI.upperBound, 3)) per Gy; r = \(f(line.correlation, 2)); \(line.observations) patients)."))
            sections[sections.count - 1].blocks.append(.svg(try chart.svg(), caption: "Platelet nadir fraction against cumulative marrow dose, with the fitted exponential."))
        }
        sections.append(try fitSection("Lesion dose vs response", a.doseResponse, x: a.lesionOutcomes.map(\.doseGy), y: a.lesionOutcomes.map(\.responded),
                                       xTitle: "Cumulative lesion absorbed dose (Gy)", outcome: "lesion shrinkage ≥ 30 % at 6 months"))
        return ReportDocument(title: "Cohort report", subtitle: "\(a.patients.count) patients; trial NCT06395402 endpoints",
                              metadata: [ReportField("Method", "docs/methods/cohort.md"), ReportField("Tables", "CSV files and cohort.sqlite (docs/formats/cohort.md)")],
                              sections: sections)
    }
}
