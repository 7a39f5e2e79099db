import Foundation
import RPTCore
import RPTDosimetry
import RPTKernels
import RPTKinetics
import RPTPlanner
import RPTReport
import RPTStore

/// The dosimetry report of a study (docs/report.md): patient, cycles and provenance, warnings, dose
/// colour-wash slices, time-activity fits, DVHs, the region dose table and the plan, as one
/// self-contained HTML page (RPTReport). Every number comes from the study's `dosimetry.h5` files,
/// its manifest and `plan.json`.
public struct StudyReport {
    public var inputs: StudyReportInputs
    public var thresholds: ReviewThresholds
    /// When the report was made (printed in the footer).
    public var generated: Date
    /// Print the patient's name, ID and date of birth (from the manifest) on every page; otherwise a
    /// line to write them by hand.
    public var showIdentifiers: Bool
    /// One dose colour scale for every row of the dose maps of a cycle (the highest structure D2),
    /// instead of one per structure.
    public var sharedDoseScale: Bool

    public init(inputs: StudyReportInputs, thresholds: ReviewThresholds = ReviewThresholds(), generated: Date = Date(),
                showIdentifiers: Bool = false, sharedDoseScale: Bool = false) {
        self.inputs = inputs; self.thresholds = thresholds; self.generated = generated
        self.showIdentifiers = showIdentifiers; self.sharedDoseScale = sharedDoseScale
    }

    /// Table captions (stable: tests and readers find the tables by them).
    public static func regionTableCaption(cycle: Int) -> String { "Region doses, cycle \(cycle)" }
    public static func fitTableCaption(cycle: Int) -> String { "Time-activity fits, cycle \(cycle)" }
    public static let planTableCaption = "Plan: cumulative organ doses with uncertainty"
    public static let planActivitiesCaption = "Plan: activity per cycle"
    public static let planLesionCaption = "Plan: cumulative lesion doses"
    public static let planLimitsCaption = "Plan: cumulative doses against the limits"
    public static let cyclesTableCaption = "Cycles and administered activities"

    /// CSS added to RPTReport's: slice figures and charts side by side on screen.
    static let extraStyle = """
    figure.slice, figure.chart { display: inline-block; vertical-align: top; margin-right: 10px; }
    figure.slice { width: 365px; }
    @media screen { body { max-width: 1180px; } }

    """

    /// The report as HTML.
    public func html() throws -> String {
        let html = try document().html()
        return html.replacingOccurrences(of: "</style>", with: Self.extraStyle + "</style>", options: [], range: nil)
    }

    /// Writes the HTML atomically.
    public func write(to path: String) throws {
        try AtomicFile.write(Data(try html().utf8), to: path)
    }

    /// The report document.
    public func document() throws -> ReportDocument {
        let m = inputs.manifest
        let cycles = inputs.dosimetryFiles.keys.sorted()
        let records = try cycles.map { try CycleDosimetryRecord.load(path: inputs.dosimetryFiles[$0]!) }
        let plan = try inputs.planPath.map(StudyReportInputs.loadPlan)
        let regionNames = records.flatMap { $0.regionLabels + $0.regions.map(\.region) + $0.fits.map(\.region) }
        let planCheck = plan.map { PlanCheck.check($0, planPath: inputs.planPath!, manifest: m, dosimetryFiles: inputs.dosimetryFiles) }

        var findings: [ReviewFinding] = []
        for r in records {
            findings += ResultReview.findings(r, activityRelativeUncertainty: m.activityIndependentRelativeUncertainty, thresholds: thresholds)
            if let c = m.cycle(r.cycle) { findings += StudyImageReview.findings(manifest: m, cycle: c, thresholds: thresholds) }
        }

        let p = m.patient
        let created = ISO8601DateFormatter().string(from: generated)
        var meta = [
            ReportField("Patient identification", identification(hand: true)),
            ReportField("Patient", "\(p.sex.rawValue), \(fmt(p.massKg, 3)) kg, \(fmt(p.heightCm, 3)) cm"
                        + (p.kidneyRiskFactors ? ", renal risk factors" : ", no renal risk factors")),
            ReportField("Radiopharmaceutical", ClinicalNames.radiopharmaceutical),
            ReportField("Treatment arm", ClinicalNames.arm(m.arm)),
            ReportField("Study", m.path),
            ReportField("Administered activities (study manifest)", m.cycles.map { c in
                var t = "cycle \(c.number): \(NumberFormat.fixed(2).string(c.administeredActivityGBq)) GBq"
                if !cycles.contains(c.number) { t += " (no dosimetry)" }
                if let plan, planCheck?.refusal == nil, let p = plan.cycles.first(where: { $0.cycle == c.number }),
                   abs(p.activityGBq - c.administeredActivityGBq) > 1e-9 {
                    t += " — the plan recommended \(NumberFormat.fixed(2).string(p.activityGBq)) GBq"
                }
                return t
            }.joined(separator: "; ")),
            ReportField("Cycles with dosimetry", cycles.map(String.init).joined(separator: ", ")),
            ReportField("Report created", created),
            ReportField("Software", "RPTDose \(Self.softwareIdentity), built \(SoftwareInfo.buildDate), HDF5 \(SoftwareInfo.hdf5Version) (results written by RPTDose "
                        + Set(records.map { "\($0.softwareVersion), commit \(Self.short($0.gitCommit))" }).sorted().joined(separator: "; ") + ")"),
            ReportField("Random seeds", records.map { "cycle \($0.cycle): \($0.provenance.seed.map(String.init) ?? "—")" }
                        .joined(separator: "; ")),
            ReportField("Results digest", Self.resultsDigest(records)),
        ]
        if let plan, let path = inputs.planPath {
            let made = plan.provenance.map { "made \($0.createdAt)" } ?? "creation time not recorded"
            meta.append(ReportField("Plan", "\(path), after cycle \(plan.given.count), \(made)"
                                    + (planCheck?.refusal != nil ? " — not shown: belongs to another manifest" : "")))
        }
        for other in inputs.otherPlans {
            findings.append(ReviewFinding(rule: .checkNotPossible, cycle: nil, subject: "Plan",
                                          message: "an older plan file \(other) was found and not used"))
        }
        let known = Set(regionNames)
        let conflicts = PatientIdentification.from(manifest: m, reveal: showIdentifiers).conflicts
        var warnings = conflicts + findings.map { f -> String in
            var f = f
            if known.contains(f.subject) { f.subject = ClinicalNames.region(f.subject) }
            return ClinicalNames.prose(f.text, regions: regionNames)
        }
        if let c = planCheck { warnings += [c.refusal].compactMap { $0 } + c.warnings }

        var sections = [cyclesSection(records: records)]
        for r in records {
            guard let c = m.cycle(r.cycle) else { continue }
            if let registration = try RegistrationQASection.section(r, referenceScan: c.referenceIndex) { sections.append(registration) }
            sections.append(try doseMapSection(r, cycle: c))
            sections.append(try kineticsSection(r))
            sections.append(try dvhSection(r))
            sections.append(regionTableSection(r))
        }
        if let predicted = PredictedCycleSection.section(inputs: inputs) { sections.append(predicted) }
        if let plan, let planCheck {
            var administered: [Int: Double] = [:]
            for c in m.cycles { administered[c.number] = c.administeredActivityGBq }
            sections.append(try PlanReportSection.section(plan, check: planCheck, administered: administered))
        }
        sections.append(checksSection())

        let study = ((m.path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return ReportDocument(
            title: "Lu-177 DOTATATE dosimetry report",
            subtitle: "Patient-specific Monte Carlo dosimetry — \(ClinicalNames.arm(m.arm))",
            metadata: meta,
            warnings: warnings,
            sections: sections,
            footer: "RPTDose \(RPTDoseVersion.string). Generated \(ISO8601DateFormatter().string(from: generated)) from "
                + "\(inputs.studyOutputDirectory). Manifest: \(m.path). Methods: docs/methods/dosimetry.md, "
                + "docs/methods/kinetics.md, docs/methods/planner.md; warning rules: docs/report.md.",
            pageHeader: identification(hand: false),
            pageHeaderRight: "Lu-177 DOTATATE dosimetry · study \(study) · cycle\(cycles.count == 1 ? "" : "s") "
                + cycles.map(String.init).joined(separator: ", "),
            pageFooter: "RPTDose \(Self.softwareIdentity) · report created \(created) · results digest \(Self.resultsDigest(records))")
    }

    /// The patient line: name, ID and date of birth (`PatientIdentification`: the manifest, else the
    /// reference CT's DICOM header) with `showIdentifiers`, else a line to fill in by hand.
    func identification(hand: Bool) -> String {
        let p = PatientIdentification.from(manifest: inputs.manifest, reveal: showIdentifiers)
        if showIdentifiers {
            func v(_ s: String) -> String { s.isEmpty ? "(not recorded)" : s }
            return "Name: \(v(p.name)) · ID: \(v(p.id)) · Date of birth: \(v(p.birthDate))"
        }
        let blank = "________________"
        return "Name: \(blank) · ID: \(blank) · Date of birth: \(blank)"
            + (hand ? " (not printed: write by hand, or report with --show-identifiers)" : "")
    }

    /// This software's version and git commit (`RPTDOSE_GIT_COMMIT`, set by `make demo`; else "unknown").
    static var softwareIdentity: String { "\(SoftwareInfo.version), commit \(short(SoftwareInfo.gitCommit))" }

    /// A commit hash shortened to 12 characters.
    static func short(_ commit: String) -> String { commit.count > 12 && commit.allSatisfy(\.isHexDigit) ? String(commit.prefix(12)) : commit }

    /// FNV-1a 64-bit digest (hex) of every cycle's region-table numbers printed to 6 significant digits:
    /// identical results give identical digests, so a screenshot or a printed report can be matched to
    /// the run that made it (scripts/report-screenshots.sh).
    public static func resultsDigest(_ records: [CycleDosimetryRecord]) -> String {
        var text = ""
        for r in records.sorted(by: { $0.cycle < $1.cycle }) {
            text += "cycle \(r.cycle)\n"
            for x in r.regions {
                text += x.region + " " + [x.massG, x.tiaBqS, x.meanDoseGy, x.d2Gy, x.d50Gy, x.d98Gy]
                    .map { String(format: "%.6g", $0) }.joined(separator: " ") + "\n"
            }
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return String(h, radix: 16).leftPadded(to: 16)
    }

    // MARK: Sections

    func cyclesSection(records: [CycleDosimetryRecord]) -> ReportSection {
        let m = inputs.manifest
        var rows: [[ReportCell]] = []
        for c in m.cycles {
            let r = records.first { $0.cycle == c.number }
            rows.append([.text("\(c.number)"), .number(c.administeredActivityGBq, .fixed(2)),
                         .text(ISO8601DateFormatter().string(from: c.administrationTime)),
                         .text(c.timePoints.map { NumberFormat.fixed(1).string($0.hoursAfterAdministration) }.joined(separator: ", ")),
                         .text("\(c.bloodSamples.count)"),
                         .text(r.map { "\($0.decays) decays\($0.partial ? " (partial)" : "")" }
                               ?? (c.imaged ? "no dosimetry" : PredictedCycleSection.cycleStatus(cycle: c.number, inputs: inputs)))])
        }
        var blocks: [ReportBlock] = [.table(ReportTable(
            caption: Self.cyclesTableCaption,
            header: ["Cycle", "Administered activity, manifest (GBq)", "Administered", "Scans (h after administration)", "Blood samples", "Dosimetry"],
            rows: rows))]
        for r in records {
            var prov: [[ReportCell]] = [
                ["File", .text(r.path)], ["Command line", .text(r.provenance.commandLine)],
                ["Seed", .text(r.provenance.seed.map(String.init) ?? "—")],
                ["Nuclide", .text(r.nuclide)], ["Time-integrated activity map", .text(ClinicalNames.setting(r.tiaMapMethod))],
                ["Partial-volume correction", .text(ClinicalNames.setting(r.partialVolumeCorrection))],
            ]
            for key in r.provenance.settings.keys.sorted() {
                prov.append([.text(ClinicalNames.setting(key)), .text(r.provenance.settings[key]!.description)])
            }
            let names = r.regionLabels + r.regions.map(\.region)
            for n in r.notes { prov.append(["Note", .text(ClinicalNames.prose(n, regions: names))]) }
            blocks.append(.table(ReportTable(caption: "Provenance, cycle \(r.cycle)", header: ["Item", "Value"], rows: prov)))
        }
        return ReportSection(heading: "Treatment and provenance", blocks: blocks)
    }

    func doseMapSection(_ r: CycleDosimetryRecord, cycle: StudyCycle) throws -> ReportSection {
        let m = inputs.manifest
        let lesions = m.lesions ?? r.regions.filter { $0.kind == "lesion" }.map(\.region)
        var blocks: [ReportBlock] = [.paragraph(
            "Absorbed dose of cycle \(r.cycle) washed over the reference CT (scan \(cycle.referenceIndex + 1), "
            + "soft-tissue window W400/L40), through the centroid of each kidney and lesion. "
            + (sharedDoseScale ? "One colour scale for all rows runs from \(Int(DoseSliceGallery.lowerFraction * 100)) % of the highest D2 of the structures to that D2"
                               : "The colour scale of each row runs from \(Int(DoseSliceGallery.lowerFraction * 100)) % of the structure's D2 to its D2")
            + " (viridis, 55 % opacity); lower "
            + "doses are not coloured. Outlines: kidneys, lesions, liver and spleen. A structure narrower than "
            + "\(Int(DoseSliceGallery.insetThresholdPixels)) display pixels also gets zoomed views. Radiological convention: the "
            + "patient's right is on the image left.")]
        do {
            let rows = try DoseSliceGallery.rows(record: r, manifest: m, cycle: cycle, structures: m.kidneyRegions + lesions,
                                                 sharedScale: sharedDoseScale)
            for row in rows {
                blocks.append(.subheading(ClinicalNames.region(row.structure)))
                blocks += row.figures.map { ReportBlock.slice($0) }
                blocks += row.insets.map { ReportBlock.slice($0) }
            }
        } catch {
            blocks.append(.warnings(["Dose maps not drawn: \(error)"]))
        }
        return ReportSection(heading: "Cycle \(r.cycle): absorbed dose maps", blocks: blocks)
    }

    func kineticsSection(_ r: CycleDosimetryRecord) throws -> ReportSection {
        let sigma = inputs.manifest.activityRelativeUncertainty
        var blocks: [ReportBlock] = [.paragraph(
            "Region activities (after partial-volume correction, error bars ±1σ = \(fmt(sigma * 100, 3)) %) and the "
            + "curve integrated for the time-integrated activity (TIA). Time after administration in hours. Each curve drawn is "
            + "the one integrated for the TIA, and every point shown was used for it (the fits exclude no point); the "
            + "trapezoid method draws no curve (straight lines between the points, a physical-decay tail after the last).")]
        var rows: [[ReportCell]] = []
        for (n, region) in r.regions.enumerated() {
            guard let fit = r.fit(region.region) else { continue }
            if !fit.timesHours.isEmpty {
                let points = zip(fit.timesHours, fit.activitiesBq).map {
                    TimeActivityPoint(timeH: $0, activityMBq: $1 / 1e6, sigmaMBq: sigma * $1 / 1e6)
                }
                var curve: [SIMD2<Double>] = []
                if let c = fit.curve {
                    let end = (fit.timesHours.max() ?? 1) * 1.25
                    curve = TimeActivitySeries.sampledCurve(from: 0, to: end, count: 160) { c.activityBq(atHours: $0) / 1e6 }
                }
                let name = ClinicalNames.region(region.region)
                let chart = TimeActivityChart(title: name, series: [
                    TimeActivitySeries(name: fit.curve.map { ClinicalNames.model($0.model) } ?? ClinicalNames.method(fit.method),
                                       color: RGBColor.distinct(n % 7), points: points, curve: curve)], width: 360, height: 250)
                var caption = "\(name): \(ClinicalNames.method(fit.method))"
                if let c = fit.curve, c.model == .monoExponential,
                   abs(c.ratesPerSecond[0] * 3600 / ActivityUnits.lutetium177DecayConstantPerHour - 1) < 1e-9 {
                    caption += ". The points imply a clearance slower than physical decay, so the rate was held at the Lu-177 "
                        + "physical decay constant: the curve drawn is the one integrated and need not pass through the points"
                }
                if region.kind == "red_marrow" {
                    caption += ". Image-based (SPECT in the marrow label); not used for the marrow dose, which is blood-based (see the region doses)"
                }
                blocks.append(.svg(try chart.svg(), caption: caption))
            }
            rows.append(fitRow(fit, sigma: inputs.manifest.activityIndependentRelativeUncertainty))
        }
        blocks.append(.table(ReportTable(
            caption: Self.fitTableCaption(cycle: r.cycle),
            header: ["Region", "Method", "Parameters ± 1σ", "TIA (MBq·h)", "TIA 1σ (MBq·h)", "Reduced χ²", "Akaike weight", "Note"],
            rows: rows)))
        return ReportSection(heading: "Cycle \(r.cycle): time-activity curves", blocks: blocks)
    }

    /// The fit table's line per region for the population prior's share of the TIA's information (MAP fits) and, for
    /// cycles with the clearance refitted to the cycle-1 curve, the effective half-life change against cycle 1
    /// (issue 15): `prior weight on TIA 45 %`, `T½ −17 % ± 11 % vs cycle 1`, both, or empty. Shown in the Method cell
    /// (a column of its own does not fit the printed page).
    static func priorAndChangeText(_ fit: RegionFitRecord) -> String {
        var parts: [String] = []
        if fit.priorName != nil && fit.priorTIAFraction.isFinite { parts.append("prior weight on TIA \(fmt(100 * fit.priorTIAFraction, 2)) %") }
        if fit.halfLifeChange.isFinite {
            parts.append(String(format: "T½ %@%.0f %% ± %.0f %% vs cycle 1", fit.halfLifeChange < 0 ? "−" : "+", abs(100 * fit.halfLifeChange),
                                100 * fit.halfLifeChangeUncertainty))
        }
        return parts.joined(separator: "; ")
    }

    /// The Method cell: the method in clinical words, then `priorAndChangeText` when there is one.
    static func methodCell(_ fit: RegionFitRecord) -> String {
        let extra = priorAndChangeText(fit)
        return ClinicalNames.method(fit.method) + (extra.isEmpty ? "" : " (" + extra + ")")
    }

    func fitRow(_ fit: RegionFitRecord, sigma: Double) -> [ReportCell] {
        var parameters = "—"
        if let c = fit.curve {
            let s = fit.parameterSigmas
            var parts: [String] = []
            for (i, a) in c.amplitudesBq.enumerated() {
                parts.append("A\(c.model.amplitudeCount == 1 ? "0" : "\(i + 1)") = \(fmt(a / 1e6, 4)) ± \(fmt(s[i] / 1e6, 2)) MBq")
            }
            for (b, l) in c.ratesPerSecond.enumerated() {
                let perHour = l * 3600, sd = s[c.model.amplitudeCount + b] * 3600
                parts.append("λ\(b + 1) = \(fmt(perHour, 4)) ± \(fmt(sd, 2)) /h (T½ \(fmt(log(2) / perHour, 3)) h)")
            }
            parameters = parts.joined(separator: "; ")
        }
        let chi = fit.reducedChiSquare(relativeUncertainty: sigma)
        let w = fit.akaikeWeightOfChosenModel
        return [.text(ClinicalNames.region(fit.region)), .text(Self.methodCell(fit)), .text(parameters),
                .number(fit.tiaBqS / 3.6e9, .significant(4)),
                .number(fit.tiaStandardUncertaintyBqS / 3.6e9, .significant(3)),
                chi.map { .number($0, .fixed(2)) } ?? .text(""), w.map { .number($0, .fixed(2)) } ?? .text(""),
                .text(ClinicalNames.prose(fit.note, regions: [fit.region]))]
    }

    func dvhSection(_ r: CycleDosimetryRecord) throws -> ReportSection {
        var blocks: [ReportBlock] = [.paragraph(
            "Cumulative dose-volume histograms from the voxel doses of cycle \(r.cycle) on the dose grid (SPECT voxels): "
            + "percentage of each region's volume receiving at least the dose.")]
        blocks.append(.paragraph(dvhReliabilityText(r)))
        for (title, kinds) in [("Organs", ["organ", "red_marrow"]), ("Lesions", ["lesion"])] {
            var curves: [(dvh: CumulativeDVH, color: RGBColor)] = []
            for region in r.regions where kinds.contains(region.kind) {
                let doses = r.voxelDoses(of: region.region)
                guard !doses.isEmpty else { continue }
                curves.append((try CumulativeDVH(region: ClinicalNames.region(region.region), doses: doses), RGBColor.okabeIto[curves.count % RGBColor.okabeIto.count]))
            }
            guard !curves.isEmpty else { continue }
            blocks.append(.svg(try DVHChart(title: "\(title), cycle \(r.cycle)", curves: curves, width: 760, height: 420).svg(),
                               caption: "Cumulative DVHs: \(title.lowercased()), cycle \(r.cycle)."))
        }
        return ReportSection(heading: "Cycle \(r.cycle): dose-volume histograms", blocks: blocks)
    }

    /// The rule for unreliable D2/D50/D98 and the metrics of this cycle it flags (`DVHReliability`).
    func dvhReliabilityText(_ r: CycleDosimetryRecord) -> String {
        let limit2 = DVHReliability(percent: 2, doses: [0], relativeUncertainties: nil).limit
        var text = "Noise of the voxel doses broadens a DVH: with a relative standard uncertainty σ per voxel, D2 and D98 move "
            + "by about 2σ. A D2, D50 or D98 is marked unreliable when fewer than \(DVHReliability.minimumTailVoxels) voxels lie "
            + "beyond it, or when the voxels at its dose level have a median Monte Carlo σ above "
            + "\(DVHReliability.percentText(limit2)) (D2, D98) or \(DVHReliability.percentText(DVHReliability.maximumBroadening)) (D50), "
            + "i.e. when the noise may move it by more than \(Int(DVHReliability.maximumBroadening * 100)) %. "
        if r.doseRelativeUncertainty == nil {
            text += "This dose method gives no voxel uncertainty: only the voxel-count rule applies. "
        }
        var flagged: [String] = []
        for x in r.regions where x.kind != "red_marrow" {
            let q = r.dvhReliability(of: x.region)
            for (percent, value) in [(2.0, x.d2Gy), (50, x.d50Gy), (98, x.d98Gy)] {
                guard value.isFinite, let m = q[percent], !m.reliable else { continue }
                flagged.append("\(ClinicalNames.region(x.region)) D\(Int(percent)) (\(NumberFormat.significant(4).string(value)) Gy) is "
                               + m.explanation(decays: r.decays))
            }
        }
        text += flagged.isEmpty ? "No D2, D50 or D98 of cycle \(r.cycle) is marked." : "Marked in cycle \(r.cycle): " + flagged.joined(separator: "; ") + "."
        return text
    }

    func regionTableSection(_ r: CycleDosimetryRecord) -> ReportSection {
        let rows: [[ReportCell]] = r.regions.map { x in
            let reliability = r.dvhReliability(of: x.region)
            // A Dx dominated by Monte Carlo noise is printed in parentheses with the reason (`DVHReliability`).
            func dx(_ value: Double, _ percent: Double) -> ReportCell {
                guard value.isFinite, let q = reliability[percent], !q.reliable else { return .number(value, .significant(4)) }
                return .text("(\(NumberFormat.significant(4).string(value))) \(q.cellNote)")
            }
            return [.text(ClinicalNames.region(x.region)), .text(ClinicalNames.kind(x.kind)), .number(x.massG, .significant(4)), .number(x.tiaBqS / 3.6e9, .significant(4)),
             .number(x.meanDoseGy, .significant(4)), dx(x.d2Gy, 2), dx(x.d50Gy, 50),
             dx(x.d98Gy, 98), .number(x.dosePerGBqGy, .significant(4)),
             .number(x.mcRelativeUncertainty * 100, .fixed(2)), .number(x.fitRelativeUncertainty * 100, .fixed(2)),
             .number(x.combinedRelativeUncertainty * 100, .fixed(2))]
        }
        var blocks: [ReportBlock] = [
            .paragraph("Administered activity \(fmt(r.administeredActivityGBq, 4)) GBq; \(r.decays) Monte Carlo decays. "
                       + "Mean: mean absorbed dose; Gy/GBq: mean dose per administered activity. "
                       + "Uncertainties (σ) are relative standard uncertainties (1σ) of the mean dose: Monte Carlo (MC), "
                       + "time-activity fit (fit), and both combined (total) (kinetic methods: the time-activity fit table). Dx is the lowest dose to the hottest x % of the region's volume; — = not applicable. "
                       + "A Dx in parentheses is unreliable at this number of decays: Monte Carlo noise of the voxel doses, or too few voxels, "
                       + "dominates it (rule under the dose-volume histograms)."),
            .table(ReportTable(
                caption: Self.regionTableCaption(cycle: r.cycle),
                header: ["Region", "Kind", "Mass (g)", "TIA (MBq·h)", "Mean (Gy)", "D2 (Gy)", "D50 (Gy)", "D98 (Gy)",
                         "Gy/GBq", "MC σ (%)", "Fit σ (%)", "Total σ (%)"],
                rows: rows)),
        ]
        if !r.marrow.isEmpty {
            let keys: [(String, String, NumberFormat)] = [
                ("self_dose_gy", "Self dose (Gy)", .significant(4)), ("cross_dose_gy", "Cross dose (Gy)", .significant(4)),
                ("total_dose_gy", "Total dose (Gy)", .significant(4)), ("marrow_mass_g", "Mass (g)", .significant(4)),
                ("marrow_to_blood_ratio", "Marrow-to-blood ratio", .significant(3)),
                ("blood_tia_concentration_bq_s_per_ml", "Blood TIA concentration (Bq·s/mL)", .significant(4)),
            ]
            var rows: [[ReportCell]] = keys.compactMap { k in r.marrow[k.0].map { [.text(k.1), .number($0, k.2)] } }
            if let b = r.marrowBloodMethod { rows.append(["Blood curve", .text(ClinicalNames.method(b))]) }
            blocks.append(.table(ReportTable(caption: "Red marrow, cycle \(r.cycle)", header: ["Quantity", "Value"], rows: rows)))
            blocks.append(.paragraph(
                "Method of the red-marrow dose: blood-based. The self-dose is the blood time-integrated activity concentration "
                + "times the marrow-to-blood concentration ratio and the marrow mass (ICRP 89 reference, scaled to the patient), "
                + "with the electron energy absorbed locally; the cross-dose from the rest of the body is the Monte Carlo dose to "
                + "the marrow region (docs/methods/dosimetry.md). The image-based red-marrow curve of the time-activity section "
                + "is the SPECT signal in the marrow label: at SPECT resolution it holds spill-in from the blood pool, bone "
                + "lesions and neighbouring organs and cannot separate marrow uptake from them, so it differs from the blood "
                + "curve and is shown for review only."))
        }
        return ReportSection(heading: "Cycle \(r.cycle): region doses", blocks: blocks)
    }

    func checksSection() -> ReportSection {
        let t = thresholds
        return ReportSection(heading: "Checks behind the warnings", blocks: [.table(ReportTable(
            header: ["Check", "Warning when"],
            rows: [
                ["Poor fit", .text("reduced χ² of the curve through the points > \(fmt(t.maximumReducedChiSquare, 3)) (σ per point = "
                                   + "the manifest's activity uncertainty), or Akaike weight of the chosen model < \(fmt(t.minimumAkaikeWeight, 3))")],
                ["High Monte Carlo uncertainty", .text("relative standard uncertainty of a region's mean dose > \(fmt(t.maximumMCRelativeUncertainty * 100, 3)) %")],
                ["Activity outside the body", .text("> \(fmt(t.maximumOutsideBodyFraction * 100, 3)) % of a SPECT's signal outside the body "
                                                    + "(the label 'body' if defined, else labelled voxels or CT ≥ \(Int(StudyImageReview.bodyThresholdHU)) HU)")],
                ["Mis-registration", .text("a kidney's SPECT centroid (voxels ≥ \(fmt(t.registrationThresholdFraction * 100, 3)) % of its peak within "
                                          + "\(fmt(t.registrationSearchMarginMM, 3)) mm of the label) > max(\(fmt(t.registrationToleranceMM, 3)) mm, one SPECT voxel) "
                                          + "from its label centroid, at any scan")],
            ]))])
    }
}

func fmt(_ x: Double, _ digits: Int) -> String { NumberFormat.significant(digits).string(x) }

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
