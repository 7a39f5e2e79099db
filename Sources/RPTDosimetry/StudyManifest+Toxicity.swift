import Foundation
import RPTPlanner
import RPTYAML
import Yams

extension StudyManifest {
    /// Manifest keys of the CTCAE-graded toxicities (the planner's `ToxicityKind` names).
    static let gradedToxicityKeys: [ToxicityKind] = ToxicityKind.allCases.filter(\.isGraded)

    /// Reads a cycle's optional `toxicity` section (docs/formats/study-manifest.md, "Toxicity"):
    /// `weeks_since_administration`, graded entries `{worst_grade, current_grade, recurred}`, and `renal` /
    /// `hepatic` laboratory findings `{worst, current, recurred}`. Every problem is recorded with its key path.
    static func parseToxicity(_ r: ManifestFieldReader, _ cycle: ManifestFieldReader.Map, path: String) -> ToxicityReport? {
        guard let t = r.section(cycle, "toxicity", path: path) else { return nil }
        let tp = path + ".toxicity"
        let allowed = ["weeks_since_administration"] + gradedToxicityKeys.map(\.rawValue) + ["renal", "hepatic"]
        r.allowOnly(t, allowed, path: tp)
        let weeks = r.positive(t, "weeks_since_administration", path: tp, required: true, allowZero: true, unit: "weeks")
        var report = ToxicityReport(weeksSinceAdministration: weeks ?? 0)

        for kind in gradedToxicityKeys {
            guard let g = r.section(t, kind.rawValue, path: tp) else { continue }
            let gp = tp + "." + kind.rawValue
            r.allowOnly(g, ["worst_grade", "current_grade", "recurred"], path: gp)
            let worst = grade(r, g, "worst_grade", path: gp)
            let current = grade(r, g, "current_grade", path: gp)
            let recurred = r.bool(g, "recurred", path: gp) ?? false
            if let w = worst, let c = current, c > w {
                r.fail(gp + ".current_grade", "\(c)", "cannot exceed worst_grade (\(w)): the worst grade includes the current one")
            }
            if let w = worst, let c = current { report.graded[kind] = ToxicityGrades(worst: w, current: c, recurred: recurred) }
        }

        report.renal = finding(r, t, "renal", path: tp) { m, p in
            r.allowOnly(m, ["creatinine_clearance_ml_per_min", "creatinine_clearance_change_percent",
                            "serum_creatinine_change_percent"], path: p)
            let v = RenalLaboratoryValues(
                creatinineClearanceMlPerMin: r.positive(m, "creatinine_clearance_ml_per_min", path: p, allowZero: true, unit: "mL/min"),
                creatinineClearanceChangePercent: changePercent(r, m, "creatinine_clearance_change_percent", path: p),
                serumCreatinineChangePercent: changePercent(r, m, "serum_creatinine_change_percent", path: p))
            return (v, !m.isEmpty)
        }
        report.hepatic = finding(r, t, "hepatic", path: tp) { m, p in
            r.allowOnly(m, ["bilirubin_x_uln", "albumin_g_per_l", "prothrombin_ratio_percent", "inr"], path: p)
            let v = HepaticLaboratoryValues(
                bilirubinTimesULN: r.positive(m, "bilirubin_x_uln", path: p, allowZero: true, unit: "× ULN"),
                albuminGramsPerLitre: r.positive(m, "albumin_g_per_l", path: p, unit: "g/L"),
                prothrombinRatioPercent: r.positive(m, "prothrombin_ratio_percent", path: p, unit: "%"),
                inr: r.positive(m, "inr", path: p, unit: ""))
            let hasAlbumin = m.contains { $0.0 == "albumin_g_per_l" }
            let hasCoagulation = m.contains { $0.0 == "prothrombin_ratio_percent" || $0.0 == "inr" }
            if hasAlbumin != hasCoagulation {
                r.fail(p + "." + (hasAlbumin ? "prothrombin_ratio_percent" : "albumin_g_per_l"), "",
                       "albumin and the prothrombin ratio (or INR) form one criterion (albumin < 30 g/L with prothrombin ratio < 70 %): give both or neither")
            }
            return (v, !m.isEmpty)
        }
        return report
    }

    /// A CTCAE grade: a required integer 0–5.
    private static func grade(_ r: ManifestFieldReader, _ m: ManifestFieldReader.Map, _ key: String, path: String) -> Int? {
        guard let g = r.int(m, key, path: path, required: true) else { return nil }
        guard (0...5).contains(g) else { r.fail(path + "." + key, "\(g)", "a CTCAE grade is an integer 0–5"); return nil }
        return g
    }

    /// A change from baseline in percent: finite and > −100.
    private static func changePercent(_ r: ManifestFieldReader, _ m: ManifestFieldReader.Map, _ key: String, path: String) -> Double? {
        guard let x = r.double(m, key, path: path) else { return nil }
        guard x > -100 else { r.fail(path + "." + key, "\(x)", "a change from baseline in percent must be > −100"); return nil }
        return x
    }

    /// A laboratory finding `{worst, current, recurred}`; `current` is required, `worst` defaults to it.
    /// `values` reads one set of values and says whether it holds any key.
    private static func finding<V>(_ r: ManifestFieldReader, _ t: ManifestFieldReader.Map, _ key: String, path: String,
                                   values: (ManifestFieldReader.Map, String) -> (V, Bool)) -> LaboratoryFinding<V>? {
        guard let f = r.section(t, key, path: path) else { return nil }
        let fp = path + "." + key
        r.allowOnly(f, ["worst", "current", "recurred"], path: fp)
        func read(_ name: String, required: Bool) -> V? {
            guard let m = r.section(f, name, path: fp, required: required) else { return nil }
            let (v, any) = values(m, fp + "." + name)
            if !any { r.fail(fp + "." + name, "{}", "give at least one laboratory value") }
            return v
        }
        let current = read("current", required: true)
        let worst = read("worst", required: false)
        let recurred = r.bool(f, "recurred", path: fp) ?? false
        guard let current else { return nil }
        return LaboratoryFinding(worst: worst ?? current, current: current, recurred: recurred)
    }
}
