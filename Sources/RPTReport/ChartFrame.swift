/// The plot area of a 2-D chart: maps data to SVG coordinates and draws axes, ticks, grid and titles.
///
/// Element classes (used by tests and by CSS): `plot-area` (the frame), `tick-label x`/`tick-label y`,
/// `axis-title x`/`axis-title y`, `grid`.
struct ChartFrame {
    var width: Double, height: Double
    var left: Double, right: Double, top: Double, bottom: Double
    var x: AxisTicks, y: AxisTicks

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// SVG x of a data x.
    func px(_ v: Double) -> Double { plotLeft + x.fraction(v) * (plotRight - plotLeft) }
    /// SVG y of a data y.
    func py(_ v: Double) -> Double { plotBottom - y.fraction(v) * (plotBottom - plotTop) }

    /// Draws the frame, grid lines, ticks with labels and the axis titles. (Charts choose their axis
    /// ranges to cover all data, so nothing needs clipping and no document-wide ids are used.)
    func drawAxes(_ svg: inout SVGWriter, xTitle: String, yTitle: String) {
        svg.rect(x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotBottom - plotTop,
                 fill: "#ffffff", stroke: "#333333", className: "plot-area")
        for (v, label) in zip(x.values, x.labels) {
            let sx = px(v)
            svg.line(sx, plotTop, sx, plotBottom, stroke: "#dddddd", width: 0.5, className: "grid")
            svg.line(sx, plotBottom, sx, plotBottom + 5, stroke: "#333333")
            svg.text(label, x: sx, y: plotBottom + 18, anchor: "middle", size: 11, className: "tick-label x")
        }
        for (v, label) in zip(y.values, y.labels) {
            let sy = py(v)
            svg.line(plotLeft, sy, plotRight, sy, stroke: "#dddddd", width: 0.5, className: "grid")
            svg.line(plotLeft - 5, sy, plotLeft, sy, stroke: "#333333")
            svg.text(label, x: plotLeft - 8, y: sy + 4, anchor: "end", size: 11, className: "tick-label y")
        }
        svg.text(xTitle, x: (plotLeft + plotRight) / 2, y: height - 8, anchor: "middle", size: 12,
                 className: "axis-title x")
        let yMid = (plotTop + plotBottom) / 2
        svg.text(yTitle, x: 16, y: yMid, anchor: "middle", size: 12, className: "axis-title y", rotate: -90)
    }

    /// A legend box in the plot's top-right corner: a coloured line (or square) and a name per entry.
    func drawLegend(_ svg: inout SVGWriter, entries: [(name: String, color: String, dash: String?)]) {
        guard !entries.isEmpty else { return }
        let longest = entries.map { $0.name.count }.max() ?? 0
        let boxWidth = 34 + Double(longest) * 6.5, rowHeight = 16.0
        let x0 = plotRight - boxWidth - 8, y0 = plotTop + 8
        svg.open("g", [("class", "legend")])
        svg.rect(x: x0, y: y0, width: boxWidth, height: rowHeight * Double(entries.count) + 6,
                 fill: "#ffffff", stroke: "#999999")
        for (n, e) in entries.enumerated() {
            let cy = y0 + 11 + rowHeight * Double(n)
            svg.line(x0 + 6, cy - 4, x0 + 26, cy - 4, stroke: e.color, width: 2.5, dash: e.dash)
            svg.text(e.name, x: x0 + 30, y: cy, size: 11, className: "legend-label")
        }
        svg.close("g")
    }
}
