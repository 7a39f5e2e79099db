import Foundation
import RPTReport
import RPTVolume

/// The report's registration QA (docs/report.md): per registered time point one figure — the time point's CT
/// against the reference CT as checkerboards without and with the registration, and a colour overlay with it —
/// and a table of the similarity numbers, the kidneys' centroid shift and the pass/warn status.
enum RegistrationQASection {
    /// Caption of the QA table (stable: tests find it by it).
    static func tableCaption(cycle: Int) -> String { "Registration QA, cycle \(cycle)" }
    /// Start of each figure's caption.
    static let figureCaptionPrefix = "Registration QA of scan"
    /// Checkerboard squares along the slice's longer side.
    static let squaresAcross = 8
    /// Displayed panel width (CSS px) and pixel count of each panel's longer side.
    static let panelPixels = 240
    static let gapPixels = 6

    /// The section, or nil when the cycle was not registered.
    static func section(_ r: CycleDosimetryRecord, referenceScan: Int) throws -> ReportSection? {
        guard !r.registrations.isEmpty else { return nil }
        let mode = r.registrations[0].mode
        var blocks: [ReportBlock] = [.paragraph(
            "Each scan's CT was registered to the reference CT (scan \(referenceScan + 1)) with elastix (\(mode == "deformable" ? "rigid, then deformable" : "rigid")); "
            + "the SPECT of the scan followed the same transform, and the reference scan's regions were used for every scan "
            + "(docs/methods/registration.md). Figures: one axial slice of the reference CT through "
            + (r.registrations.first?.sliceThrough.isEmpty == false ? r.registrations[0].sliceThrough : "the kidneys")
            + " (soft-tissue window, downsampled). Left: checkerboard of the reference CT and the scan's CT as acquired; "
            + "middle: the same after registration (edges continuous across the squares where the registration is good); "
            + "right: reference in magenta, registered CT in green, grey where they agree. Similarity: normalised "
            + "cross-correlation (NCC, 1 = identical) of the CTs and Dice of the tissue masks over the reference tissue, without → "
            + "with registration. Kidney shift: how far the registration moved the kidneys' centroid. Status: warn when the "
            + "registration gave a warning (listed with the warnings); a registration that failed its limits stops the dosimetry.")]
        var rows: [[ReportCell]] = []
        for q in r.registrations {
            rows.append([.text("\(q.timePoint + 1)"), .number(q.hoursAfterAdministration, .fixed(1)),
                         .text("\(NumberFormat.fixed(3).string(q.nccBefore)) → \(NumberFormat.fixed(3).string(q.nccAfter))"),
                         .text("\(NumberFormat.fixed(3).string(q.tissueDiceBefore)) → \(NumberFormat.fixed(3).string(q.tissueDiceAfter))"),
                         q.kidneyCentroidShiftMM.isFinite ? .number(q.kidneyCentroidShiftMM, .fixed(1)) : .text("—"),
                         .number(q.meanDisplacementMM, .fixed(1)), .number(q.maximumDisplacementMM, .fixed(1)),
                         .text(q.status == "pass" ? "pass" : "warn: " + q.warnings.joined(separator: "; "))])
            guard let s = q.slices else {
                blocks.append(.paragraph("Scan \(q.timePoint + 1): no QA slices in \(r.path) (written by an earlier version)."))
                continue
            }
            let image = try panels(reference: s.reference, before: s.before, after: s.after)
            let caption = "\(figureCaptionPrefix) \(q.timePoint + 1) (\(NumberFormat.fixed(1).string(q.hoursAfterAdministration)) h), cycle \(r.cycle): "
                + "NCC \(NumberFormat.fixed(3).string(q.nccBefore)) → \(NumberFormat.fixed(3).string(q.nccAfter)), "
                + (q.kidneyCentroidShiftMM.isFinite ? "kidney shift \(NumberFormat.fixed(1).string(q.kidneyCentroidShiftMM)) mm, " : "")
                + q.status + ". Left: unregistered checkerboard; middle: registered checkerboard; right: overlay."
            blocks.append(.image(try ReportImage(image: image, caption: caption,
                                                 altText: "Registration QA, scan \(q.timePoint + 1)",
                                                 displayWidth: Double(image.width))))
        }
        blocks.append(.table(ReportTable(
            caption: tableCaption(cycle: r.cycle),
            header: ["Scan", "Time (h)", "NCC", "Tissue Dice", "Kidney shift (mm)", "Mean displacement (mm)",
                     "Largest displacement (mm)", "Status"],
            rows: rows)))
        return ReportSection(heading: "Cycle \(r.cycle): registration of the scans", blocks: blocks)
    }

    /// The three panels side by side: checkerboard before, checkerboard after, colour overlay after.
    static func panels(reference: Volume<Double>, before: Volume<Double>, after: Volume<Double>) throws -> RasterImage {
        let g = reference.grid
        let centre = g.world(continuousIndex: SIMD3(Double(g.shape.x - 1) / 2, Double(g.shape.y - 1) / 2, 0))
        let extent = max(Double(g.shape.x) * g.spacing.x, Double(g.shape.y) * g.spacing.y)
        let options = SliceRenderOptions(window: .softTissue, pixelSizeMM: extent / Double(panelPixels),
                                         maximumDimension: panelPixels)
        func render(_ v: Volume<Double>) throws -> RasterImage {
            try SliceRenderer(ct: v).render(.axial, through: centre, options: options).image
        }
        let ref = try render(reference), unregistered = try render(before), registered = try render(after)
        let w = ref.width, h = ref.height
        let square = max(2, max(w, h) / squaresAcross)
        var out = RasterImage(width: 3 * w + 2 * gapPixels, height: h, channels: .rgb, fill: [255, 255, 255])
        for y in 0..<h {
            for x in 0..<w {
                let a = ref.color(x: x, y: y)
                let fromReference = (x / square + y / square) % 2 == 0
                out.setColor(fromReference ? a : unregistered.color(x: x, y: y), x: x, y: y)
                out.setColor(fromReference ? a : registered.color(x: x, y: y), x: w + gapPixels + x, y: y)
                let b = registered.color(x: x, y: y)
                out.setColor(RGBColor(red: a.red, green: b.green, blue: a.blue), x: 2 * (w + gapPixels) + x, y: y)
            }
        }
        return out
    }
}
