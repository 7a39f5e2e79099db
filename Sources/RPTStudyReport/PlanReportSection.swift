import Foundation
import RPTPlanner
import RPTReport

/// The plan part of the report, from `plan.json` (`rptdose plan`, docs/methods/planner.md): where the
/// plan came from, the activity of every cycle (administered = the manifest's fact, planned = the plan's
/// recommendation) with the reason in words, the predicted cumulative kidney dose, kidney BED and
/// marrow dose with their 68 % band and probability of exceeding each limit (`PlanUncertainty`, the
/// planner's error model), and the lesions' cumulative doses.
public enum PlanReportSection {
    public static func section(_ plan: Plan, check: PlanCheck, administered: [Int: Double]) throws -> ReportSection {
        var blocks: [ReportBlock] = []
        if let refusal = check.refusal {
            return ReportSection(heading: "Treatment plan", blocks: [.warnings([refusal])])
        }
        if !check.warnings.isEmpty { blocks.append(.warnings(check.warnings)) }
        let f3 = NumberFormat.significant(3)
        if let p = plan.provenance {
            let cycles = p.dosimetry.map { "cycle \($0.cycle) (\($0.path))" }.joined(separator: ", ")
            blocks.append(.paragraph("Plan made \(p.createdAt) by RPTDose \(p.softwareVersion) for the manifest \(p.manifestPath), "
                                     + "from the dosimetry of " + (cycles.isEmpty ? "no cycle" : cycles) + "."))
        }
        var text = "Protocol \(plan.protocolID) (\(plan.protocolVersion)), \(ClinicalNames.arm(plan.arm)). Prediction of later "
            + "cycles: \(ClinicalNames.prediction(plan.predictionMethod)). Objective: \(ClinicalNames.objective(plan.objective)). "
            + "\(ClinicalNames.mode(plan.mode).prefix(1).uppercased() + ClinicalNames.mode(plan.mode).dropFirst())"
        if let p = plan.exceedanceProbability { text += " (allowed probability of exceeding each limit \(f3.string(p * 100)) %)" }
        text += ". Toxicity decision: \(ClinicalNames.action(plan.toxicity.action))"
        text += plan.toxicity.reason.isEmpty ? "." : " — \(plan.toxicity.reason)."
        blocks.append(.paragraph(text))

        // Activities: facts and recommendations, labelled.
        var rows: [[ReportCell]] = plan.given.map { g in
            let manifest = administered[g.cycle]
            var note = "administered activity from the study manifest"
            if let manifest, abs(manifest - g.activityGBq) > 1e-9 { note += " (manifest now says \(f3.string(manifest)) GBq: re-plan)" }
            return [.text("\(g.cycle)"), "administered", .number(g.activityGBq, .fixed(2)), .text(note)]
        }
        for c in plan.cycles {
            let label = c.status == .planned ? "planned (recommendation)" : ClinicalNames.status(c.status)
            var reason = ClinicalNames.reason(c.bindingConstraint)
            if let n = c.note, !n.isEmpty { reason += " — " + n }
            rows.append([.text("\(c.cycle)"), .text(label), .number(c.activityGBq, .fixed(2)), .text(reason)])
        }
        blocks.append(.table(ReportTable(caption: StudyReport.planActivitiesCaption,
                                         header: ["Cycle", "Status", "Activity (GBq)", "Reason"], rows: rows)))
        if let candidates = candidateTable(plan) { blocks.append(candidates) }

        // Cumulative organ doses with their spread.
        let l = plan.limits
        let doseCycles: [Int] = plan.given.map(\.cycle) + plan.cycles.filter { $0.kidneyDoseGyCumulative != nil }.map(\.cycle)
        if let u = plan.uncertainty, !doseCycles.isEmpty {
            func band(_ s: PlanUncertainty.Spread) -> ReportCell {
                .text("\(NumberFormat.fixed(2).string(s.value)) (\(NumberFormat.fixed(2).string(s.lower))–\(NumberFormat.fixed(2).string(s.upper)))")
            }
            func prob(_ s: PlanUncertainty.Spread) -> ReportCell { .text(probability(s.exceedanceProbability)) }
            let table = doseCycles.map { c -> [ReportCell] in
                let s = u.spreads(through: c, limits: l)
                return [.text("\(c)"), band(s.kidney), prob(s.kidney), band(s.bed), prob(s.bed), band(s.marrow), prob(s.marrow)]
            }
            blocks.append(.paragraph(
                "Cumulative doses at the end of each cycle: point prediction (68 % interval, ±1σ of the planner's log-normal "
                + "error model with errors fully correlated across cycles) and the probability P that the cumulative value exceeds "
                + "its limit (kidney dose \(f3.string(l.kidneyDoseGy)) Gy, kidney BED \(f3.string(l.kidneyBEDGy)) Gy, red marrow "
                + "\(f3.string(l.marrowDoseGy)) Gy). Administered cycles carry their measurement uncertainty, planned cycles the "
                + "prediction uncertainty (docs/methods/planner.md)."))
            blocks.append(.table(ReportTable(
                caption: StudyReport.planTableCaption,
                header: ["After cycle", "Kidney dose (Gy)", "P > limit", "Kidney BED (Gy)", "P > limit", "Marrow dose (Gy)", "P > limit"],
                rows: table)))
        } else {
            blocks.append(.warnings(["The plan carries no uncertainty model (made by an older version): the cumulative doses "
                                     + "below are point predictions without σ or exceedance probability. Re-plan with `rptdose plan`."]))
            let table = plan.given.map { g -> [ReportCell] in
                [.text("\(g.cycle)"), .number(g.kidneyDoseGyCumulative, .fixed(2)), .number(g.kidneyBEDGyCumulative, .fixed(2)),
                 .number(g.marrowDoseGyCumulative, .fixed(3))]
            } + plan.cycles.compactMap { c -> [ReportCell]? in
                guard let k = c.kidneyDoseGyCumulative, let b = c.kidneyBEDGyCumulative, let m = c.marrowDoseGyCumulative else { return nil }
                return [.text("\(c.cycle)"), .number(k, .fixed(2)), .number(b, .fixed(2)), .number(m, .fixed(3))]
            }
            blocks.append(.table(ReportTable(caption: StudyReport.planTableCaption,
                                             header: ["After cycle", "Kidney dose (Gy)", "Kidney BED (Gy)", "Marrow dose (Gy)"], rows: table)))
        }

        // Lesion doses, cumulative per cycle.
        var lesionRows: [(Int, [LesionDose])] = plan.given.map { ($0.cycle, $0.tumourDosesGyCumulative) }
        lesionRows += plan.cycles.compactMap { c in c.tumourDosesGyCumulative.map { (c.cycle, $0) } }
        if let names = lesionRows.first?.1.map(\.lesion), !names.isEmpty {
            blocks.append(.table(ReportTable(
                caption: StudyReport.planLesionCaption,
                header: ["After cycle"] + names.map { ClinicalNames.region($0) + " (Gy)" },
                rows: lesionRows.map { c, doses in
                    [.text("\(c)")] + names.map { n in doses.first { $0.lesion == n }.map { .number($0.doseGy, .fixed(1)) } ?? .text("—") }
                })))
        }

        // The end of treatment against the limits.
        if let last = doseCycles.last {
            var items: [(String, Double, Double)] = []
            if let u = plan.uncertainty {
                let s = u.spreads(through: last, limits: l)
                items = [("Kidney dose", s.kidney.value, l.kidneyDoseGy), ("Kidney BED", s.bed.value, l.kidneyBEDGy),
                         ("Red-marrow dose", s.marrow.value, l.marrowDoseGy)]
            } else if let g = plan.given.last, plan.cycles.allSatisfy({ $0.kidneyDoseGyCumulative == nil }) {
                items = [("Kidney dose", g.kidneyDoseGyCumulative, l.kidneyDoseGy), ("Kidney BED", g.kidneyBEDGyCumulative, l.kidneyBEDGy),
                         ("Red-marrow dose", g.marrowDoseGyCumulative, l.marrowDoseGy)]
            } else if let c = plan.cycles.last(where: { $0.kidneyDoseGyCumulative != nil }) {
                items = [("Kidney dose", c.kidneyDoseGyCumulative!, l.kidneyDoseGy), ("Kidney BED", c.kidneyBEDGyCumulative!, l.kidneyBEDGy),
                         ("Red-marrow dose", c.marrowDoseGyCumulative!, l.marrowDoseGy)]
            }
            blocks.append(.table(ReportTable(
                caption: StudyReport.planLimitsCaption,
                header: ["Quantity", "Cumulative after cycle \(last) (Gy)", "Limit (Gy)", "Fraction of limit (%)"],
                rows: items.map { [.text($0.0), .number($0.1, .fixed(2)), .number($0.2, .fixed(2)), .number($0.1 / $0.2 * 100, .fixed(1))] })))
            let chart = BarChart(title: "Cumulative doses after cycle \(last), % of limit",
                                 items: items.map { BarChartItem(label: $0.0, value: $0.1 / $0.2 * 100, limit: 100) },
                                 valueTitle: "Percentage of the limit (%)", valueFormat: .fixed(1), width: 640)
            blocks.append(.svg(try chart.svg(), caption: "Kidney limits: \(f3.string(l.kidneyDoseGy)) Gy, BED "
                               + "\(f3.string(l.kidneyBEDGy)) Gy (α/β \(f3.string(l.kidneyAlphaBetaGy)) Gy, "
                               + "repair half-time \(f3.string(l.kidneyRepairHalfTimeHours)) h"
                               + (l.kidneyRiskFactors ? ", renal risk factors" : "") + "); red marrow "
                               + "\(f3.string(l.marrowDoseGy)) Gy."))
        }
        let lesions = (plan.given.last?.tumourDosesGyCumulative ?? []).map(\.lesion)
        if !plan.notes.isEmpty { blocks.append(.warnings(plan.notes.map { ClinicalNames.prose($0, regions: lesions) })) }
        return ReportSection(heading: "Treatment plan", blocks: blocks)
    }

    /// Caption of the candidate-activity table.
    public static let candidatesCaption = "Plan: candidate activities of each planned cycle with the predicted doses of that cycle"

    /// The candidate activities of every planned cycle (`PlannedCycle.candidates` in plan.json) with the predicted
    /// kidney, red-marrow and lesion doses of that cycle alone, the lesion statistic at the end of the plan and whether
    /// the limits hold; nil when no cycle has candidates.
    static func candidateTable(_ plan: Plan) -> ReportBlock? {
        let planned = plan.cycles.filter { !($0.candidates ?? []).isEmpty }
        guard !planned.isEmpty else { return nil }
        let dose = { (x: Double?) -> ReportCell in x.map { .number($0, .fixed(2)) } ?? .text("—") }
        var rows: [[ReportCell]] = []
        for c in planned {
            for k in c.candidates! {
                // All lesions in one cell (wraps in print, however many lesions there are).
                let lesions = k.lesionDosesGy.map { "\(ClinicalNames.region($0.lesion)) \(NumberFormat.fixed(2).string($0.doseGy))" }
                    .joined(separator: "; ")
                rows.append([.text("\(c.cycle)"), .number(k.activityGBq, .fixed(2)), .text(k.chosen ? "planned" : ""),
                             dose(k.kidneyDoseGy), dose(k.marrowDoseGy), .text(lesions.isEmpty ? "—" : lesions),
                             dose(k.lesionStatisticGyCumulative), .text(k.withinLimits ? "yes" : "no")])
            }
        }
        return .table(ReportTable(
            caption: candidatesCaption,
            header: ["Cycle", "GBq", "Chosen", "Kidney (Gy)", "Marrow (Gy)", "Lesions (Gy)", "Lesion statistic at end (Gy)", "Limits kept"],
            rows: rows))
    }

    /// A probability in words-and-numbers: "< 0.1 %", "12 %", "> 99.9 %".
    static func probability(_ p: Double) -> String {
        if p < 0.001 { return "< 0.1 %" }
        if p > 0.999 { return "> 99.9 %" }
        return NumberFormat.significant(2).string(p * 100) + " %"
    }
}
