import Foundation
import RPTDosimetry
import RPTReport

/// Cycles given without imaging (`imaged: false`): their predicted doses (`summary.json` written by
/// `rptdose dosimetry` through `PredictedCycleDosimetry`), shown with the cycles they were predicted from and their
/// larger uncertainty.
enum PredictedCycleSection {
    /// The `summary.json` of a non-imaged cycle: the manifest's `dosimetry_outputs` folder, else `DIR/cycle-K`.
    static func summary(cycle: Int, inputs: StudyReportInputs) -> [String: Any]? {
        let folders = [inputs.manifest.dosimetryOutputs[cycle], inputs.studyOutputDirectory + "/cycle-\(cycle)"].compactMap { $0 }
        for f in folders {
            if let d = FileManager.default.contents(atPath: f + "/" + DosimetryOutputWriter.summaryName),
               let o = (try? JSONSerialization.jsonObject(with: d)) as? [String: Any], o["predicted"] as? Bool == true {
                return o
            }
        }
        return nil
    }

    /// The text of the "Dosimetry" column of the cycles table for a non-imaged cycle.
    static func cycleStatus(cycle: Int, inputs: StudyReportInputs) -> String {
        guard let o = summary(cycle: cycle, inputs: inputs) else { return "not imaged — no prediction yet" }
        let from = (o["predicted_from_cycles"] as? [Int] ?? []).map(String.init).joined(separator: ", ")
        return "not imaged — doses predicted from cycle(s) \(from)"
    }

    /// One section per non-imaged cycle with a prediction; nil when there is none.
    static func section(inputs: StudyReportInputs) -> ReportSection? {
        var blocks: [ReportBlock] = []
        for c in inputs.manifest.cycles where !c.imaged {
            guard let o = summary(cycle: c.number, inputs: inputs) else {
                blocks.append(.paragraph("Cycle \(c.number) was given without imaging; no prediction has been made "
                                         + "(run `rptdose dosimetry` for it)."))
                continue
            }
            var rows: [[ReportCell]] = []
            func row(_ name: String, _ q: Any?) {
                guard let q = q as? [String: Any], let d = q["dose_per_gbq_gy"] as? Double,
                      let u = q["combined_rel_uncertainty"] as? Double else { return }
                rows.append([.text(name), .measurement(d, uncertainty: d * u, .fixed(3), unit: "Gy/GBq"),
                             .measurement(d * c.administeredActivityGBq, uncertainty: d * u * c.administeredActivityGBq, .fixed(2), unit: "Gy"),
                             .number(100 * u, .fixed(0), unit: "%")])
            }
            row("kidneys", o["kidneys"])
            row("red marrow", o["red_marrow"])
            for l in (o["lesions"] as? [[String: Any]]) ?? [] { row(l["region"] as? String ?? "lesion", l) }
            let from = (o["predicted_from_cycles"] as? [Int] ?? []).map(String.init).joined(separator: ", ")
            blocks.append(.paragraph("Cycle \(c.number) (\(String(format: "%.2f", c.administeredActivityGBq)) GBq) was given "
                                     + "without imaging. Its doses are PREDICTED from the dosimetry of cycle(s) \(from), not "
                                     + "measured; the uncertainty adds the cycle-to-cycle variability "
                                     + "(docs/methods/kinetics.md, \"Cycles without imaging\")."))
            blocks.append(.table(ReportTable(caption: "Predicted doses, cycle \(c.number)",
                                             header: ["Region", "Dose per activity", "Dose", "Uncertainty"], rows: rows)))
            for n in (o["notes"] as? [String]) ?? [] { blocks.append(.paragraph("Note: " + n)) }
        }
        return blocks.isEmpty ? nil : ReportSection(heading: "Cycles without imaging (predicted doses)", blocks: blocks)
    }
}
