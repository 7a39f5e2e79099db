/// Renders a `ReportDocument` as one self-contained HTML5 page: inline CSS (screen and A4 print),
/// images as PNG data URIs, charts as inline SVG, no scripts and no external resources.
public enum ReportHTML {
    public static func render(_ doc: ReportDocument) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(esc(doc.title))</title>\n<style>\n\(stylesheet)\(pageBoxes(doc))</style>\n</head>\n<body>\n"
        h += "<header>\n<h1>\(esc(doc.title))</h1>\n"
        if let subtitle = doc.subtitle { h += "<p class=\"subtitle\">\(esc(subtitle))</p>\n" }
        h += "</header>\n"
        if !doc.metadata.isEmpty {
            h += "<table class=\"metadata\">\n<tbody>\n"
            for f in doc.metadata { h += "<tr><th scope=\"row\">\(esc(f.key))</th><td>\(esc(f.value))</td></tr>\n" }
            h += "</tbody>\n</table>\n"
        }
        if !doc.warnings.isEmpty { h += warnings(doc.warnings, heading: "Warnings") }
        for (n, section) in doc.sections.enumerated() {
            h += "<section id=\"section-\(n + 1)\">\n<h2>\(esc(section.heading))</h2>\n"
            for block in section.blocks { h += render(block) }
            h += "</section>\n"
        }
        if !doc.signatureRoles.isEmpty {
            h += "<section class=\"signatures\">\n"
            for role in doc.signatureRoles {
                h += "<div class=\"signature\"><div class=\"sig-line\"></div>"
                h += "<div class=\"sig-label\">\(esc(role)) — name, signature, date</div></div>\n"
            }
            h += "</section>\n"
        }
        if let footer = doc.footer { h += "<footer>\(esc(footer))</footer>\n" }
        h += "</body>\n</html>\n"
        return h
    }

    private static func esc(_ s: String) -> String { XMLText.escape(s) }

    /// Paged-media margin boxes (CSS Paged Media 3, printed by Chromium ≥ 131): the document's page
    /// header and footer on every page and "Page x of y" at the bottom right.
    public static func pageBoxes(_ doc: ReportDocument) -> String {
        func box(_ name: String, _ content: String, align: String) -> String {
            "  @\(name) { content: \(content); font: 7.5pt Helvetica, Arial, sans-serif; color: #333; text-align: \(align); "
                + "vertical-align: middle; }\n"
        }
        var css = "@page {\n"
        if let t = doc.pageHeader { css += box("top-left", cssString(t), align: "left") }
        if let t = doc.pageHeaderRight { css += box("top-right", cssString(t), align: "right") }
        if let t = doc.pageFooter { css += box("bottom-left", cssString(t), align: "left") }
        css += box("bottom-right", "\"Page \" counter(page) \" of \" counter(pages)", align: "right")
        return css + "}\n"
    }

    /// A CSS string literal: quotes, backslashes and control characters escaped (`\HH `); `<` too,
    /// so that the text cannot close the `<style>` element.
    static func cssString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"", "\\", "<", ">", "&": out += "\\" + String(u.value, radix: 16) + " "
            case _ where u.value < 0x20 || u.value == 0x7f: out += "\\" + String(u.value, radix: 16) + " "
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    private static func warnings(_ items: [String], heading: String?) -> String {
        var h = "<div class=\"warnings\" role=\"alert\">\n"
        if let heading { h += "<p class=\"warnings-title\">\(esc(heading))</p>\n" }
        h += "<ul>\n" + items.map { "<li>\(esc($0))</li>\n" }.joined() + "</ul>\n</div>\n"
        return h
    }

    private static func render(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let text):
            return "<p>\(esc(text))</p>\n"
        case .subheading(let text):
            return "<h3>\(esc(text))</h3>\n"
        case .warnings(let items):
            return warnings(items, heading: nil)
        case .table(let t):
            return table(t)
        case .image(let image):
            var h = "<figure class=\"image\">\n<img src=\"\(DataURI.make(mediaType: "image/png", data: image.png))\" "
            h += "alt=\"\(esc(image.altText))\""
            if let w = image.displayWidth { h += " style=\"width:\(SVGWriter.number(w))px\"" }
            h += ">\n"
            if let c = image.caption { h += "<figcaption>\(esc(c))</figcaption>\n" }
            return h + "</figure>\n"
        case .svg(let graphic, let caption):
            var h = "<figure class=\"chart\">\n\(graphic.markup)\n"
            if let caption { h += "<figcaption>\(esc(caption))</figcaption>\n" }
            return h + "</figure>\n"
        case .slice(let figure):
            return slice(figure)
        }
    }

    private static func table(_ t: ReportTable) -> String {
        let columns = max(t.header.count, t.rows.map(\.count).max() ?? 0)
        var numeric = [Bool](repeating: false, count: columns)
        for c in 0..<columns {
            let cells = t.rows.compactMap { c < $0.count ? $0[c] : nil }
            numeric[c] = !cells.isEmpty && cells.allSatisfy { $0.isNumeric || $0.text.isEmpty }
        }
        var h = "<table class=\"data\">\n"
        if let c = t.caption { h += "<caption>\(esc(c))</caption>\n" }
        if !t.header.isEmpty {
            h += "<thead><tr>"
            for (c, name) in t.header.enumerated() {
                h += numeric[c] ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">"
                h += esc(name) + "</th>"
            }
            h += "</tr></thead>\n"
        }
        h += "<tbody>\n"
        for row in t.rows {
            h += "<tr>"
            for c in 0..<columns {
                let text = c < row.count ? row[c].text : ""
                h += (numeric[c] ? "<td class=\"num\">" : "<td>") + esc(text) + "</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }

    private static func slice(_ f: SliceFigure) -> String {
        let s = f.slice, letters = s.plane.edgeLetters
        let w = SVGWriter.number(f.displayWidth), hgt = SVGWriter.number(f.displayHeight)
        var h = "<figure class=\"slice\">\n<div class=\"slice-row\">\n"
        h += "<div class=\"slice-frame\" style=\"width:\(w)px;height:\(hgt)px\">\n"
        let alt = "\(s.plane.rawValue) slice at \(NumberFormat.fixed(1).string(s.planePositionMM)) mm"
        h += "<img src=\"\(DataURI.make(mediaType: "image/png", data: f.png))\" width=\"\(w)\" height=\"\(hgt)\" "
        h += "alt=\"\(esc(alt))\">\n"
        h += "<span class=\"edge top\">\(esc(letters.top))</span><span class=\"edge bottom\">\(esc(letters.bottom))</span>"
        h += "<span class=\"edge left\">\(esc(letters.left))</span><span class=\"edge right\">\(esc(letters.right))</span>\n"
        h += "</div>\n"
        if let bar = f.colorBar { h += bar.markup + "\n" }
        h += "</div>\n"
        if !s.outlines.isEmpty {
            h += "<ul class=\"region-legend\">"
            for r in s.outlines {
                h += "<li><span class=\"swatch\" style=\"background:\(r.color.hex)\"></span>\(esc(r.name))</li>"
            }
            h += "</ul>\n"
        }
        let scale = "(\(s.plane.rawValue) plane at \(NumberFormat.fixed(1).string(s.planePositionMM)) mm LPS; "
            + "pixel \(NumberFormat.significant(3).string(s.pixelSizeMM)) mm)"
        let caption = f.caption.map { $0 + " " } ?? ""
        h += "<figcaption>\(esc(caption + scale))</figcaption>\n"
        return h + "</figure>\n"
    }

    /// Inline stylesheet: readable on screen; in print (A4 or US Letter, the printer's paper size) 12 mm side
    /// margins, smaller type and tables, charts and images no wider than the text; figures never split.
    static let stylesheet = """
    body { font-family: Helvetica, Arial, sans-serif; font-size: 11pt; line-height: 1.4; color: #111;
      max-width: 190mm; margin: 0 auto; padding: 12px 16px; background: #fff; }
    h1 { font-size: 19pt; margin: 8px 0 2px; }
    h2 { font-size: 14pt; border-bottom: 1px solid #888; margin-top: 22px; break-after: avoid; }
    h3 { font-size: 12pt; margin-bottom: 4px; break-after: avoid; }
    .subtitle { color: #444; margin-top: 0; }
    table { border-collapse: collapse; margin: 8px 0 14px; break-inside: avoid; }
    th, td { border: 1px solid #bbb; padding: 3px 8px; vertical-align: top; }
    th { background: #eee; text-align: left; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 3px; }
    table.metadata th { min-width: 14em; }
    .warnings { border: 2px solid #d55e00; background: #fff1e6; padding: 4px 14px; margin: 10px 0; break-inside: avoid; }
    .warnings-title { font-weight: bold; color: #a33a00; margin: 6px 0 0; }
    figure { margin: 12px 0; break-inside: avoid; }
    figcaption { font-size: 9.5pt; color: #333; margin-top: 4px; }
    figure img { max-width: 100%; }
    .slice-row { display: flex; align-items: flex-start; gap: 6px; }
    .slice-frame { position: relative; line-height: 0; background: #000; }
    .slice-frame img { display: block; image-rendering: pixelated; }
    .edge { position: absolute; color: #fff; font: bold 13px Helvetica, Arial, sans-serif; line-height: 1;
      text-shadow: 0 0 2px #000, 0 0 2px #000; }
    .edge.top { top: 3px; left: 50%; transform: translateX(-50%); }
    .edge.bottom { bottom: 3px; left: 50%; transform: translateX(-50%); }
    .edge.left { left: 4px; top: 50%; transform: translateY(-50%); }
    .edge.right { right: 4px; top: 50%; transform: translateY(-50%); }
    .region-legend { list-style: none; padding: 0; margin: 4px 0; font-size: 9.5pt; }
    .region-legend li { display: inline-block; margin-right: 12px; }
    .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border: 1px solid #333; }
    .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 28px; margin-top: 36px; break-inside: avoid; }
    .sig-line { border-bottom: 1px solid #000; height: 40px; }
    .sig-label { font-size: 9.5pt; color: #333; }
    footer { margin-top: 24px; font-size: 8.5pt; color: #555; border-top: 1px solid #ccc; padding-top: 4px; }
    * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    table.data { max-width: 100%; }
    td { overflow-wrap: anywhere; }
    td.num { overflow-wrap: normal; }
    svg { max-width: 100%; height: auto; }
    @page { size: A4; margin: 16mm 12mm 14mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 9.5pt; }
      th, td { padding: 2px 4px; }
      table.data { font-size: 8.5pt; }
    }

    """
}

