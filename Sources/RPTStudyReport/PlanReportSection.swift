import Foundation
import RPTPlanner
import RPTReport

/// The plan part of the report, from `plan.json` (`rptdose plan`, docs/methods/planner.md): per-cycle
/// activity and binding constraint, cumulative kidney dose, kidney BED and marrow dose against the limits.
public enum PlanReportSection {
    public static func section(_ plan: Plan) throws -> ReportSection {
        var blocks: [ReportBlock] = []
        var text = "Protocol \(plan.protocolID) (\(plan.protocolVersion)), \(plan.arm.rawValue) arm; prediction: "
            + "\(plan.predictionMethod.rawValue); objective: \(plan.objective.rawValue); mode: \(plan.mode.rawValue)"
        if let p = plan.exceedanceProbability { text += " (probability of exceeding each limit ≤ \(NumberFormat.significant(3).string(p * 100)) %)" }
        text += ". Toxicity decision: \(plan.toxicity.action.rawValue)"
        text += plan.toxicity.reason.isEmpty ? "." : " — \(plan.toxicity.reason)."
        blocks.append(.paragraph(text))

        func num(_ x: Double?, _ f: NumberFormat) -> ReportCell { x.map { .number($0, f) } ?? .text("—") }
        var rows: [[ReportCell]] = plan.given.map { g in
            [.text("\(g.cycle)"), "given", .number(g.activityGBq, .fixed(3)), "",
             .number(g.kidneyDoseGyCumulative, .fixed(3)), .number(g.kidneyBEDGyCumulative, .fixed(3)),
             .number(g.marrowDoseGyCumulative, .fixed(4)), ""]
        }
        for c in plan.cycles {
            rows.append([.text("\(c.cycle)"), .text(c.status.rawValue), .number(c.activityGBq, .fixed(3)),
                         .text(c.bindingConstraint.rawValue), num(c.kidneyDoseGyCumulative, .fixed(3)),
                         num(c.kidneyBEDGyCumulative, .fixed(3)), num(c.marrowDoseGyCumulative, .fixed(4)),
                         .text(c.note ?? "")])
        }
        blocks.append(.table(ReportTable(
            caption: StudyReport.planTableCaption,
            header: ["Cycle", "Status", "Activity (GBq)", "Binding constraint", "Kidney dose, cumulative (Gy)",
                     "Kidney BED, cumulative (Gy)", "Marrow dose, cumulative (Gy)", "Note"],
            rows: rows)))

        // The end of treatment: the last row with predicted doses.
        let l = plan.limits
        var final: (label: String, kidney: Double, bed: Double, marrow: Double)?
        if let g = plan.given.last { final = ("after cycle \(g.cycle)", g.kidneyDoseGyCumulative, g.kidneyBEDGyCumulative, g.marrowDoseGyCumulative) }
        if let c = plan.cycles.last(where: { $0.kidneyDoseGyCumulative != nil }),
           let k = c.kidneyDoseGyCumulative, let b = c.kidneyBEDGyCumulative, let m = c.marrowDoseGyCumulative {
            final = ("after cycle \(c.cycle)", k, b, m)
        }
        if let f = final {
            let items: [(String, Double, Double)] = [("Kidney dose", f.kidney, l.kidneyDoseGy), ("Kidney BED", f.bed, l.kidneyBEDGy),
                                                    ("Red-marrow dose", f.marrow, l.marrowDoseGy)]
            blocks.append(.table(ReportTable(
                caption: StudyReport.planLimitsCaption,
                header: ["Quantity", "Cumulative \(f.label) (Gy)", "Limit (Gy)", "Fraction of limit (%)"],
                rows: items.map { [.text($0.0), .number($0.1, .fixed(3)), .number($0.2, .fixed(2)), .number($0.1 / $0.2 * 100, .fixed(1))] })))
            let chart = BarChart(title: "Cumulative doses \(f.label), % of limit",
                                 items: items.map { BarChartItem(label: $0.0, value: $0.1 / $0.2 * 100, limit: 100) },
                                 valueTitle: "Percentage of the limit (%)", valueFormat: .fixed(1), width: 640)
            blocks.append(.svg(try chart.svg(), caption: "Kidney limits: \(NumberFormat.significant(3).string(l.kidneyDoseGy)) Gy, BED "
                               + "\(NumberFormat.significant(3).string(l.kidneyBEDGy)) Gy (α/β \(NumberFormat.significant(3).string(l.kidneyAlphaBetaGy)) Gy, "
                               + "repair half-time \(NumberFormat.significant(3).string(l.kidneyRepairHalfTimeHours)) h"
                               + (l.kidneyRiskFactors ? ", renal risk factors" : "") + "); red marrow "
                               + "\(NumberFormat.significant(3).string(l.marrowDoseGy)) Gy."))
        }
        if !plan.notes.isEmpty { blocks.append(.warnings(plan.notes)) }
        return ReportSection(heading: "Treatment plan", blocks: blocks)
    }
}
