/// A vertical colour bar (SVG) for a dose wash, with tick labels in Gy.
///
/// Drawn as stacked rectangles (no gradients, so no document-wide ids). The bar spans the overlay's
/// `lowerGy…upperGy`; a note states that doses below `lowerGy` are not coloured and that the top
/// colour includes all higher doses. The bar shows the map's pure colours; on the slice they are
/// blended with the CT grey at the overlay's opacity. SVG classes: `colorbar-step`, `tick-label y`.
public enum ColorBar {
    /// - Parameters:
    ///   - style: the dose overlay the bar explains.
    ///   - height: total height (px), usually the slice image's displayed height.
    ///   - title: axis title, e.g. "Dose (Gy)".
    public static func svg(for style: DoseOverlayStyle, height: Double = 300,
                           title: String = "Absorbed dose (Gy)") -> SVGGraphic {
        let width = 96.0, barX = 8.0, barWidth = 18.0, top = 10.0, bottom = height - 30
        let steps = 64
        var svg = SVGWriter()
        let stepHeight = (bottom - top) / Double(steps)
        for s in 0..<steps {
            let t = (Double(s) + 0.5) / Double(steps)
            let colour = style.colorMap.color(at: t)
            svg.rect(x: barX, y: bottom - stepHeight * Double(s + 1), width: barWidth, height: stepHeight + 0.3,
                     fill: colour.hex, className: "colorbar-step")
        }
        svg.rect(x: barX, y: top, width: barWidth, height: bottom - top, fill: "none", stroke: "#333333")
        let ticks = AxisTicks.linear(minimum: style.lowerGy, maximum: style.upperGy, targetCount: 8)
        for (v, label) in zip(ticks.values, ticks.labels) where v >= style.lowerGy - 1e-9 && v <= style.upperGy + 1e-9 {
            let y = bottom - (v - style.lowerGy) / (style.upperGy - style.lowerGy) * (bottom - top)
            svg.line(barX + barWidth, y, barX + barWidth + 4, y, stroke: "#333333")
            svg.text(label, x: barX + barWidth + 7, y: y + 4, size: 11, className: "tick-label y")
        }
        svg.text(title, x: width - 6, y: (top + bottom) / 2, anchor: "middle", size: 11,
                 className: "axis-title y", rotate: -90)
        svg.text("< \(NumberFormat.significant(3).string(style.lowerGy)) Gy: no colour", x: 2, y: height - 16,
                 size: 9, className: "colorbar-note")
        svg.text("top colour: ≥ \(NumberFormat.significant(3).string(style.upperGy)) Gy", x: 2, y: height - 4,
                 size: 9, className: "colorbar-note")
        return svg.finish(width: width, height: height, title: "\(title), colour map \(style.colorMap.name)")
    }
}
