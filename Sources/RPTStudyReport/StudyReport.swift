import Foundation
import RPTCore
import RPTDosimetry
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

    public init(inputs: StudyReportInputs, thresholds: ReviewThresholds = ReviewThresholds(), generated: Date = Date()) {
        self.inputs = inputs; self.thresholds = thresholds; self.generated = generated
    }

    /// Table captions (stable: tests and readers find the tables by them).
    public static func regionTableCaption(cycle: Int) -> String { "Region doses, cycle \(cycle)" }
    public static func fitTableCaption(cycle: Int) -> String { "Time-activity fits, cycle \(cycle)" }
    public static let planTableCaption = "Plan: activity and cumulative doses per cycle"
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

        var findings: [ReviewFinding] = []
        for r in records {
            findings += ResultReview.findings(r, activityRelativeUncertainty: m.activityRelativeUncertainty, thresholds: thresholds)
            if let c = m.cycle(r.cycle) { findings += StudyImageReview.findings(manifest: m, cycle: c, thresholds: thresholds) }
        }

        let p = m.patient
        var meta = [
            ReportField("Patient", "\(p.sex.rawValue), \(fmt(p.massKg, 3)) kg, \(fmt(p.heightCm, 3)) cm"
                        + (p.kidneyRiskFactors ? ", renal risk factors" : ", no renal risk factors")),
            ReportField("Treatment arm", m.arm.rawValue),
            ReportField("Radiopharmaceutical", "\(m.nuclide) (manifest format \(m.formatVersion))"),
            ReportField("Cycles (administered activity)", m.cycles.map {
                "\($0.number): \(NumberFormat.fixed(2).string($0.administeredActivityGBq)) GBq" }.joined(separator: "; ")),
            ReportField("Cycles with dosimetry", cycles.map(String.init).joined(separator: ", ")),
            ReportField("Software", "RPTDose \(SoftwareInfo.version) (commit \(SoftwareInfo.gitCommit), built "
                        + "\(SoftwareInfo.buildDate), HDF5 \(SoftwareInfo.hdf5Version); results written by "
                        + Set(records.map(\.softwareVersion)).sorted().joined(separator: ", ") + ")"),
            ReportField("Random seeds", records.map { "cycle \($0.cycle): \($0.provenance.seed.map(String.init) ?? "—")" }
                        .joined(separator: "; ")),
        ]
        if let plan { meta.append(ReportField("Plan", "\(plan.protocolID) \(plan.protocolVersion), \(plan.arm.rawValue) arm")) }

        var sections = [cyclesSection(records: records)]
        for r in records {
            guard let c = m.cycle(r.cycle) else { continue }
            sections.append(try doseMapSection(r, cycle: c))
            sections.append(try kineticsSection(r))
            sections.append(try dvhSection(r))
            sections.append(regionTableSection(r))
        }
        if let predicted = PredictedCycleSection.section(inputs: inputs) { sections.append(predicted) }
        if let plan { sections.append(try PlanReportSection.section(plan)) }
        sections.append(checksSection())

        return ReportDocument(
            title: "Lu-177 dosimetry report",
            subtitle: "Patient-specific Monte Carlo dosimetry — \(m.arm.rawValue) arm",
            metadata: meta,
            warnings: findings.map(\.text),
            sections: sections,
            footer: "RPTDose \(RPTDoseVersion.string). Generated \(ISO8601DateFormatter().string(from: generated)) from "
                + "\(inputs.studyOutputDirectory). Manifest: \(m.path). Methods: docs/methods/dosimetry.md, "
                + "docs/methods/kinetics.md, docs/methods/planner.md; warning rules: docs/report.md.")
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
            header: ["Cycle", "Activity (GBq)", "Administered", "Scans (h after administration)", "Blood samples", "Dosimetry"],
            rows: rows))]
        for r in records {
            var prov: [[ReportCell]] = [
                ["File", .text(r.path)], ["Command line", .text(r.provenance.commandLine)],
                ["Seed", .text(r.provenance.seed.map(String.init) ?? "—")],
                ["Nuclide", .text(r.nuclide)], ["TIA map", .text(r.tiaMapMethod)],
                ["Partial-volume correction", .text(r.partialVolumeCorrection)],
            ]
            for key in r.provenance.settings.keys.sorted() {
                prov.append([.text(key), .text(r.provenance.settings[key]!.description)])
            }
            for n in r.notes { prov.append(["Note", .text(n)]) }
            blocks.append(.table(ReportTable(caption: "Provenance, cycle \(r.cycle)", header: ["Item", "Value"], rows: prov)))
        }
        return ReportSection(heading: "Treatment and provenance", blocks: blocks)
    }

    func doseMapSection(_ r: CycleDosimetryRecord, cycle: StudyCycle) throws -> ReportSection {
        let m = inputs.manifest
        let lesions = m.lesions ?? r.regions.filter { $0.kind == "lesion" }.map(\.region)
        var blocks: [ReportBlock] = [.paragraph(
            "Absorbed dose of cycle \(r.cycle) washed over the reference CT (scan \(cycle.referenceIndex + 1), "
            + "soft-tissue window W400/L40), through the centroid of each kidney and lesion. The colour scale of each "
            + "row runs from \(Int(DoseSliceGallery.lowerFraction * 100)) % of the structure's D2 to its D2 (viridis, 55 % opacity); lower "
            + "doses are not coloured. Outlines: kidneys, lesions, liver and spleen. Radiological convention: the "
            + "patient's right is on the image left.")]
        do {
            let rows = try DoseSliceGallery.rows(record: r, manifest: m, cycle: cycle, structures: m.kidneyRegions + lesions)
            for row in rows {
                blocks.append(.subheading(row.structure))
                blocks += row.figures.map { ReportBlock.slice($0) }
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
            + "curve integrated for the time-integrated activity (TIA). Time after administration in hours.")]
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
                let chart = TimeActivityChart(title: region.region, series: [
                    TimeActivitySeries(name: fit.curve?.model.rawValue ?? fit.method, color: RGBColor.distinct(n % 7),
                                       points: points, curve: curve)], width: 360, height: 250)
                blocks.append(.svg(try chart.svg(), caption: "\(region.region): \(fit.method)"))
            }
            rows.append(fitRow(fit, sigma: sigma))
        }
        blocks.append(.table(ReportTable(
            caption: Self.fitTableCaption(cycle: r.cycle),
            header: ["Region", "Method", "Parameters ± 1σ", "TIA (MBq·h)", "TIA 1σ (MBq·h)", "Reduced χ²", "Akaike weight", "Note"],
            rows: rows)))
        return ReportSection(heading: "Cycle \(r.cycle): time-activity curves", blocks: blocks)
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
        return [.text(fit.region), .text(fit.method), .text(parameters),
                .number(fit.tiaBqS / 3.6e9, .significant(4)),
                .number(fit.tiaStandardUncertaintyBqS / 3.6e9, .significant(3)),
                chi.map { .number($0, .fixed(2)) } ?? .text(""), w.map { .number($0, .fixed(2)) } ?? .text(""),
                .text(fit.note)]
    }

    func dvhSection(_ r: CycleDosimetryRecord) throws -> ReportSection {
        var blocks: [ReportBlock] = [.paragraph(
            "Cumulative dose-volume histograms from the voxel doses of cycle \(r.cycle) on the dose grid (SPECT voxels): "
            + "percentage of each region's volume receiving at least the dose.")]
        for (title, kinds) in [("Organs", ["organ", "red_marrow"]), ("Lesions", ["lesion"])] {
            var curves: [(dvh: CumulativeDVH, color: RGBColor)] = []
            for region in r.regions where kinds.contains(region.kind) {
                let doses = r.voxelDoses(of: region.region)
                guard !doses.isEmpty else { continue }
                curves.append((try CumulativeDVH(name: region.region, doses: doses), RGBColor.okabeIto[curves.count % RGBColor.okabeIto.count]))
            }
            guard !curves.isEmpty else { continue }
            blocks.append(.svg(try DVHChart(title: "\(title), cycle \(r.cycle)", curves: curves, width: 760, height: 420).svg(),
                               caption: "Cumulative DVHs: \(title.lowercased()), cycle \(r.cycle)."))
        }
        return ReportSection(heading: "Cycle \(r.cycle): dose-volume histograms", blocks: blocks)
    }

    func regionTableSection(_ r: CycleDosimetryRecord) -> ReportSection {
        let rows: [[ReportCell]] = r.regions.map { x in
            [.text(x.region), .text(x.kind), .number(x.massG, .significant(4)), .number(x.tiaBqS / 3.6e9, .significant(4)),
             .number(x.meanDoseGy, .significant(4)), .number(x.d2Gy, .significant(4)), .number(x.d50Gy, .significant(4)),
             .number(x.d98Gy, .significant(4)), .number(x.dosePerGBqGy, .significant(4)),
             .number(x.mcRelativeUncertainty * 100, .fixed(2)), .number(x.fitRelativeUncertainty * 100, .fixed(2)),
             .number(x.combinedRelativeUncertainty * 100, .fixed(2))]
        }
        var blocks: [ReportBlock] = [
            .paragraph("Administered activity \(fmt(r.administeredActivityGBq, 4)) GBq; \(r.decays) Monte Carlo decays. "
                       + "Mean: mean absorbed dose; Gy/GBq: mean dose per administered activity. "
                       + "Uncertainties (σ) are relative standard uncertainties (1σ) of the mean dose: Monte Carlo (MC), "
                       + "time-activity fit (fit), and both combined (total) (kinetic methods: the time-activity fit table). Dx is the lowest dose to the hottest x % of the region's volume; — = not applicable."),
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
            if let b = r.marrowBloodMethod { rows.append(["Blood curve", .text(b)]) }
            blocks.append(.table(ReportTable(caption: "Red marrow, cycle \(r.cycle)", header: ["Quantity", "Value"], rows: rows)))
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
