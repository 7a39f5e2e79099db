import RPTCore

/// One bar: a region's dose and, optionally, its dose limit.
public struct BarChartItem: Equatable, Sendable {
    public var label: String
    /// Value (e.g. absorbed dose in Gy), finite and ≥ 0.
    public var value: Double
    /// Limit in the same unit, or nil.
    public var limit: Double?

    public init(label: String, value: Double, limit: Double? = nil) {
        self.label = label; self.value = value; self.limit = limit
    }

    /// Whether the value is above its limit.
    public var exceedsLimit: Bool { limit.map { value > $0 } ?? false }
}

/// A horizontal bar chart of values against limits (e.g. organ doses vs tolerance doses).
///
/// Bars within their limit are blue, bars above it vermillion (Okabe–Ito colours); limits are black
/// dashed lines. SVG classes: `bar`, `bar exceeds`, `limit`, `category-label`, `value-label`.
public struct BarChart: Sendable {
    public var title: String
    public var items: [BarChartItem]
    public var valueTitle: String
    /// Decimals of the value printed at each bar's end.
    public var valueFormat: NumberFormat
    public var width: Double

    public init(title: String, items: [BarChartItem], valueTitle: String = "Absorbed dose (Gy)",
                valueFormat: NumberFormat = .significant(3), width: Double = 640) {
        self.title = title; self.items = items; self.valueTitle = valueTitle
        self.valueFormat = valueFormat; self.width = width
    }

    static let withinColor = RGBColor(hex: "#0072b2")!
    static let exceedsColor = RGBColor(hex: "#d55e00")!
    static let rowHeight = 28.0

    /// Height (px) that fits all bars.
    public var height: Double { 34 + Self.rowHeight * Double(max(1, items.count)) + 48 }

    /// The value axis: 0 … the largest value or limit.
    public func valueAxis() throws -> AxisTicks {
        guard !items.isEmpty else {
            throw InputError(source: "bar chart '\(title)'", field: "items", reason: "no bars to draw")
        }
        for (n, item) in items.enumerated() {
            guard item.value.isFinite, item.value >= 0, (item.limit.map { $0.isFinite && $0 >= 0 } ?? true) else {
                throw InputError(source: "bar chart '\(title)'", field: "items[\(n)] (\(item.label))",
                                 value: "value \(item.value), limit \(item.limit.map { "\($0)" } ?? "none")",
                                 reason: "values and limits must be finite and ≥ 0")
            }
        }
        let top = items.map { max($0.value, $0.limit ?? 0) }.max()!
        return AxisTicks.linear(minimum: 0, maximum: top)
    }

    public func svg() throws -> SVGGraphic {
        let axis = try valueAxis()
        let longest = Double(items.map { $0.label.count }.max() ?? 0)
        let left = min(width * 0.4, 16 + longest * 6.6)
        let rows = AxisTicks(scale: .linear, lower: 0, upper: Double(items.count), values: [], labels: [])
        let frame = ChartFrame(width: width, height: height, left: left, right: 110, top: 34, bottom: 48,
                               x: axis, y: rows)
        var svg = SVGWriter()
        svg.text(title, x: width / 2, y: 20, anchor: "middle", size: 14, className: "chart-title", weight: "bold")
        frame.drawAxes(&svg, xTitle: valueTitle, yTitle: "")
        for (n, item) in items.enumerated() {
            let y0 = frame.plotTop + Self.rowHeight * Double(n)
            let colour = item.exceedsLimit ? Self.exceedsColor : Self.withinColor
            let x1 = frame.px(item.value)
            svg.rect(x: frame.plotLeft, y: y0 + 5, width: max(0, x1 - frame.plotLeft), height: Self.rowHeight - 10,
                     fill: colour.hex, className: item.exceedsLimit ? "bar exceeds" : "bar")
            svg.text(item.label, x: frame.plotLeft - 6, y: y0 + Self.rowHeight / 2 + 4, anchor: "end", size: 11,
                     className: "category-label")
            svg.text(valueFormat.string(item.value), x: x1 + 4, y: y0 + Self.rowHeight / 2 + 4, size: 10,
                     className: "value-label")
            if let limit = item.limit {
                let lx = frame.px(limit)
                svg.line(lx, y0 + 1, lx, y0 + Self.rowHeight - 1, stroke: "#000000", width: 2, dash: "4 2",
                         className: "limit")
            }
        }
        // Legend to the right of the plot.
        let lx = frame.plotRight + 10
        var ly = frame.plotTop + 10
        for (name, fill) in [("within limit", Self.withinColor.hex), ("above limit", Self.exceedsColor.hex)] {
            svg.rect(x: lx, y: ly - 9, width: 12, height: 10, fill: fill)
            svg.text(name, x: lx + 16, y: ly, size: 11, className: "legend-label")
            ly += 16
        }
        if items.contains(where: { $0.limit != nil }) {
            svg.line(lx + 6, ly - 11, lx + 6, ly + 1, stroke: "#000000", width: 2, dash: "4 2")
            svg.text("limit", x: lx + 16, y: ly, size: 11, className: "legend-label")
        }
        return svg.finish(width: width, height: height, title: title)
    }
}
