import RPTCore
import RPTKernels

/// Cumulative DVHs of several regions on one plot (dose in Gy, volume in %), with a legend. Each line is
/// `CumulativeDVH.curve()`: the same curve its D2/D50/D98 are read from.
///
/// SVG classes: `dvh` (one polyline per region) plus those of the axes (see `ChartFrame`).
public struct DVHChart: Sendable {
    public var title: String
    /// Regions and their line colours.
    public var curves: [(dvh: CumulativeDVH, color: RGBColor)]
    public var width: Double, height: Double

    public init(title: String, curves: [(dvh: CumulativeDVH, color: RGBColor)], width: Double = 640,
                height: Double = 400) {
        self.title = title; self.curves = curves; self.width = width; self.height = height
    }

    /// Dose axis (0 … highest dose, nice ticks) and volume axis (0–100 %).
    public func axes() throws -> (dose: AxisTicks, volume: AxisTicks) {
        guard !curves.isEmpty else {
            throw InputError(source: "DVH chart '\(title)'", field: "curves", reason: "no region to plot")
        }
        let lo = min(0, curves.map { $0.dvh.minGy }.min()!)
        let hi = curves.map { $0.dvh.maxGy }.max()!
        return (AxisTicks.linear(minimum: lo, maximum: hi), AxisTicks.linear(minimum: 0, maximum: 100))
    }

    public func svg() throws -> SVGGraphic {
        let (dose, volume) = try axes()
        let frame = ChartFrame(width: width, height: height, left: 70, right: 20, top: 34, bottom: 48,
                               x: dose, y: volume)
        var svg = SVGWriter()
        svg.text(title, x: width / 2, y: 20, anchor: "middle", size: 14, className: "chart-title", weight: "bold")
        frame.drawAxes(&svg, xTitle: "Absorbed dose (Gy)", yTitle: "Volume (%)")
        let dashes: [String?] = [nil, "6 3", "2 2", "8 3 2 3"]
        var legend = [(name: String, color: String, dash: String?)]()
        for (n, c) in curves.enumerated() {
            let dash = dashes[(n / RGBColor.okabeIto.count) % dashes.count]
            let points = c.dvh.curve().map { SIMD2(frame.px($0.x), frame.py($0.y)) }
            svg.polyline(points, stroke: c.color.hex, width: 2, dash: dash, className: "dvh")
            legend.append((c.dvh.region, c.color.hex, dash))
        }
        frame.drawLegend(&svg, entries: legend)
        return svg.finish(width: width, height: height, title: title)
    }
}
