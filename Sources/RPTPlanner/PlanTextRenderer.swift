import Foundation

/// Renders a plan as a fixed-width text table (activities in GBq and mCi).
public enum PlanTextRenderer {
    public static func render(_ plan: Plan) -> String {
        func f(_ x: Double?, _ decimals: Int) -> String { x.map { String(format: "%.\(decimals)f", $0) } ?? "—" }
        func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
            let n = s.count
            return n >= w ? s : (left ? s + String(repeating: " ", count: w - n) : String(repeating: " ", count: w - n) + s)
        }
        var out = "Protocol \(plan.protocolID) (\(plan.protocolVersion)), \(plan.arm.rawValue) arm\n"
        out += "Limits: kidney \(f(plan.limits.kidneyDoseGy, 1)) Gy, kidney BED \(f(plan.limits.kidneyBEDGy, 1)) Gy"
        out += plan.limits.kidneyRiskFactors ? " (risk factors)" : " (no risk factors)"
        out += ", red marrow \(f(plan.limits.marrowDoseGy, 2)) Gy\n"
        out += "Prediction: \(plan.predictionMethod.rawValue); objective: \(plan.objective.rawValue); mode: \(plan.mode.rawValue)"
        if let p = plan.exceedanceProbability { out += " (P(exceed) ≤ \(f(p * 100, 1)) % per limit)" }
        out += "\n\n"
        let header = ["Cycle", "Status", "GBq", "mCi", "Binding", "Kidney Gy", "BED Gy", "Marrow Gy", "Tumour Gy (min/sum)"]
        let widths = [5, 17, 6, 7, 16, 9, 8, 9, 20]
        out += zip(header, widths).map { pad($0, $1, left: $0 == "Status" || $0 == "Binding") }.joined(separator: "  ") + "\n"
        var rows: [[String]] = plan.given.map { g in
            let t = g.tumourDosesGyCumulative.map(\.doseGy)
            return ["\(g.cycle)", "given", f(g.activityGBq, 2), f(g.activityMCi, 1), "", f(g.kidneyDoseGyCumulative, 2),
                    f(g.kidneyBEDGyCumulative, 2), f(g.marrowDoseGyCumulative, 3),
                    t.isEmpty ? "—" : f(t.min(), 1) + " / " + f(t.reduce(0, +), 1)]
        }
        for c in plan.cycles {
            let t = c.tumourDosesGyCumulative?.map(\.doseGy) ?? []
            rows.append(["\(c.cycle)", c.status.rawValue, f(c.activityGBq, 2), f(c.activityMCi, 1), c.bindingConstraint.rawValue,
                         f(c.kidneyDoseGyCumulative, 2), f(c.kidneyBEDGyCumulative, 2), f(c.marrowDoseGyCumulative, 3),
                         t.isEmpty ? "—" : f(t.min(), 1) + " / " + f(t.reduce(0, +), 1)])
        }
        for r in rows {
            out += zip(r, zip(header, widths)).map { pad($0, $1.1, left: $1.0 == "Status" || $1.0 == "Binding") }.joined(separator: "  ") + "\n"
        }
        if plan.mode == .quantile {
            out += "\nUpper bounds checked against the limits (cumulative, at the stated probability):\n"
            for c in plan.cycles {
                guard let u = c.upperBound else { continue }
                out += "  cycle \(c.cycle): kidney \(f(u.kidneyDoseGy, 2)) Gy, BED \(f(u.kidneyBEDGy, 2)) Gy, marrow \(f(u.marrowDoseGy, 3)) Gy\n"
            }
        }
        if let last = plan.cycles.last(where: { $0.margins != nil }), let m = last.margins {
            out += "\nMargins after cycle \(last.cycle): kidney \(f(m.kidneyDoseGy, 2)) Gy, BED \(f(m.kidneyBEDGy, 2)) Gy, marrow \(f(m.marrowDoseGy, 3)) Gy\n"
        }
        let explained = plan.cycles.compactMap { c in c.explanation.map { "  cycle \(c.cycle): \($0)" } }
        if !explained.isEmpty { out += "\nWhy:\n" + explained.joined(separator: "\n") + "\n" }
        for n in plan.notes { out += "Note: \(n)\n" }
        return out
    }
}
