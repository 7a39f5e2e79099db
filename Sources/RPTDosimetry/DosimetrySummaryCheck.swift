import Foundation
import RPTCore

/// Whether a cycle's `summary.json` may be used for planning: a format this version reads, a complete
/// (not partial) Monte Carlo run, and the same administration as the manifest being planned — a summary
/// from another study, or from before the manifest's activity or time was corrected, is refused.
public enum DosimetrySummaryCheck {
    /// `format_version` values of `summary.json` this version reads (written by `DosimetryOutputWriter`).
    public static let readableFormatVersions: Set<Int> = [1]

    public static func check(_ o: [String: Any], path: String, cycle: StudyCycle, folder: String) throws {
        let version = o["format_version"] as? Int
        guard let version, readableFormatVersions.contains(version) else {
            throw InputError(source: path, field: "format_version", value: "\(o["format_version"] ?? "missing")",
                             reason: "unknown dosimetry summary format (this version reads "
                                + readableFormatVersions.sorted().map(String.init).joined(separator: ", ")
                                + "): redo the dosimetry with this version of rptdose")
        }
        if (o["partial"] as? Bool) == true || (o["partial"] as? Int) == 1 {
            throw InputError(source: path, field: "partial", value: "true",
                             reason: "this dosimetry is partial (the Monte Carlo run was interrupted): finish it with "
                                + "`rptdose dosimetry STUDY --cycle \(cycle.number) --out \(folder) --resume` before planning")
        }
        if let a = o["administered_activity_gbq"] as? Double,
           abs(a - cycle.administeredActivityGBq) > 1e-9 * max(1, abs(a)) {
            throw InputError(source: path, field: "administered_activity_gbq", value: "\(a)",
                             reason: "the manifest gives \(cycle.administeredActivityGBq) GBq for cycle \(cycle.number): this dosimetry "
                                + "belongs to another study or to an older version of the manifest — redo it")
        }
        if let t = o["administration_time"] as? String,
           let d = ManifestFieldReader.parseISO8601(t), abs(d.timeIntervalSince(cycle.administrationTime)) > 0.5 {
            throw InputError(source: path, field: "administration_time", value: t,
                             reason: "the manifest gives " + ManifestFieldReader.format(cycle.administrationTime)
                                + " for cycle \(cycle.number): this dosimetry belongs to another study or to an older "
                                + "version of the manifest — redo it")
        }
    }
}
