import Foundation
import RPTCore

/// The validation suite: every case, run in order, and the Markdown report.
public enum ValidationSuite {
    /// All cases in report order.
    public static let allCases: [any ValidationCase] = [
        PhotonAttenuationCase(), ElectronStoppingCase(), Lu177SphereCase(), Lu177VSVCase(), Lu177VSVLanconelliCase(), ElectronDPKCase(),
        Lu177DPKCase(), Patient15MethodsCase(), Lu177VSV2p21Case(),
    ]

    /// The cases to run: one by name, else the quick subset or all.
    /// - Throws: `InputError` for an unknown case name, listing the valid ones.
    public static func cases(named name: String?, mode: ValidationMode) throws -> [any ValidationCase] {
        if let name {
            guard let c = allCases.first(where: { $0.name == name }) else {
                throw InputError(source: "--case", value: name,
                                 reason: "unknown case; valid names: " + allCases.map(\.name).joined(separator: ", "))
            }
            return [c]
        }
        return mode == .quick ? allCases.filter(\.inQuickSuite) : allCases
    }

    /// Runs `cases`; a case that throws is reported as one failed row with the error.
    public static func run(_ cases: [any ValidationCase], context: ValidationContext,
                           progress: (String) -> Void = { _ in }) -> [ValidationCaseResult] {
        cases.map { c in
            progress("running \(c.name) (\(context.mode.rawValue))")
            let t0 = Date()
            var r: ValidationCaseResult
            do { r = try c.run(context) } catch {
                r = ValidationCaseResult(name: c.name, title: c.title,
                                         rows: [ValidationRow(quantity: "case could not run", value: .nan, reference: .nan,
                                                              sigma: 0, tolerance: .nan, unit: "", status: .fail,
                                                              note: "\(error)")],
                                         figureSVG: "", figureCaption: "")
            }
            r.elapsedSeconds = Date().timeIntervalSince(t0)
            progress("  \(r.passed ? "PASS" : "FAIL") \(c.name): \(r.passedCount) passed, \(r.failedCount) failed, "
                     + String(format: "%.1f s", r.elapsedSeconds))
            return r
        }
    }

    /// Finds the project's `validation/` folder: `$RPTDOSE_VALIDATION`, else `validation/` in the current folder or
    /// above the executable's folder.
    public static func defaultValidationDirectory() throws -> String {
        var candidates: [String] = []
        if let d = ProcessInfo.processInfo.environment["RPTDOSE_VALIDATION"] { candidates.append(d) }
        var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<4 { candidates.append(dir.path + "/validation"); dir = dir.deletingLastPathComponent() }
        var exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 { candidates.append(exe.path + "/validation"); exe = exe.deletingLastPathComponent() }
        for c in candidates where FileManager.default.fileExists(atPath: c + "/README.md") { return c }
        throw InputError(source: "--validation-dir", reason: "no validation folder found at: " + candidates.joined(separator: ", "))
    }
}

/// Writes the Markdown report and one SVG figure per case (atomically).
public enum ValidationReport {
    /// Writes `REPORT.md` and `figures/<case>.svg` into `directory`; returns the report path.
    @discardableResult
    public static func write(_ results: [ValidationCaseResult], context: ValidationContext, command: String,
                             to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory + "/figures", withIntermediateDirectories: true)
        for r in results where !r.figureSVG.isEmpty {
            try AtomicFile.write(Data(r.figureSVG.utf8), to: directory + "/figures/\(r.name).svg")
        }
        let path = directory + "/REPORT.md"
        try AtomicFile.write(Data(markdown(results, context: context, command: command).utf8), to: path)
        return path
    }

    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        let a = abs(v)
        return (a != 0 && (a >= 1e4 || a < 1e-3)) ? String(format: "%.4e", v) : String(format: "%.5g", v)
    }

    /// The report text.
    public static func markdown(_ results: [ValidationCaseResult], context: ValidationContext, command: String) -> String {
        let failed = results.reduce(0) { $0 + $1.failedCount }, passed = results.reduce(0) { $0 + $1.passedCount }
        var s = "# RPTDose validation report\n\n"
        s += "- command: `\(command)`\n- mode: \(context.mode.rawValue), seed \(context.seed), \(context.threads) threads\n"
        s += "- RPTDose \(RPTDoseVersion.string), commit \(RPTDoseVersion.embeddedGitCommit), built \(RPTDoseVersion.buildDate)\n"
        s += "- result: **\(failed == 0 ? "PASS" : "FAIL")** — \(passed) rows passed, \(failed) failed "
            + "(info rows carry no tolerance)\n\n"
        s += "Tolerance of a row: |value − reference| ≤ k·σ + systematic allowance (bounds: one-sided). "
            + "Each case's README (`validation/<case>/README.md`) states its references and allowances.\n\n"
        s += "| case | result | passed | failed | info | time (s) |\n|---|---|---|---|---|---|\n"
        for r in results {
            s += "| [\(r.name)](#\(r.name)) | \(r.passed ? "pass" : "**FAIL**") | \(r.passedCount) | \(r.failedCount) | "
                + "\(r.rows.filter { $0.status == .info }.count) | \(String(format: "%.1f", r.elapsedSeconds)) |\n"
        }
        for r in results {
            s += "\n## \(r.name)\n\n\(r.title)\n\n"
            s += "| quantity | value | reference / bound | σ | tolerance | unit | result | note |\n|---|---|---|---|---|---|---|---|\n"
            for row in r.rows {
                let status = row.status == .fail ? "**FAIL**" : row.status.rawValue
                s += "| \(row.quantity) | \(num(row.value)) | \(num(row.reference)) | \(num(row.sigma)) | \(num(row.tolerance)) | "
                    + "\(row.unit) | \(status) | \(row.note.replacingOccurrences(of: "|", with: "/")) |\n"
            }
            if !r.figureSVG.isEmpty { s += "\n![\(r.figureCaption)](figures/\(r.name).svg)\n\n*\(r.figureCaption)*\n" }
            for n in r.notes { s += "\n- \(n)" }
            s += "\n"
        }
        return s
    }
}
