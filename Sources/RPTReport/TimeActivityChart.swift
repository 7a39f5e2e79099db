import RPTCore
import RPTKinetics

/// The chart draws the kinetics' own time-activity points (`RPTKinetics.TimeActivityPoint`, the one definition
/// of a measured activity), viewed in the chart's units: hours, MBq and an absolute 1σ in MBq.
extension TimeActivityPoint {
    /// Time after administration (h).
    public var timeH: Double { timeHours }
    /// Activity (MBq).
    public var activityMBq: Double { activityBq / 1e6 }
    /// 1σ uncertainty of the activity (MBq; 0 — no error bar — when the point states no uncertainty).
    public var sigmaMBq: Double { (relativeUncertainty ?? 0) * activityBq / 1e6 }

    /// A point given in the chart's units (MBq, absolute σ); stored as the kinetics store it.
    public init(timeH: Double, activityMBq: Double, sigmaMBq: Double = 0) {
        self.init(timeHours: timeH, activityBq: activityMBq * 1e6,
                  relativeUncertainty: sigmaMBq == 0 ? nil : sigmaMBq / activityMBq)
    }
}

/// The measurements and fitted curve of one region.
public struct TimeActivitySeries: Equatable, Sendable {
    public var name: String
    public var color: RGBColor
    public var points: [TimeActivityPoint]
    /// Fitted curve as (time h, activity MBq) samples, drawn as a polyline; may be empty.
    public var curve: [SIMD2<Double>]

    public init(name: String, color: RGBColor, points: [TimeActivityPoint], curve: [SIMD2<Double>] = []) {
        self.name = name; self.color = color; self.points = points; self.curve = curve
    }

    /// `count` samples of `activity(t)` (MBq) at evenly spaced times from `start` to `end` (h).
    public static func sampledCurve(from start: Double, to end: Double, count: Int = 200,
                                    _ activity: (Double) -> Double) -> [SIMD2<Double>] {
        precondition(count >= 2 && end > start, "need count ≥ 2 and end > start")
        return (0..<count).map { n in
            let t = start + (end - start) * Double(n) / Double(count - 1)
            return SIMD2(t, activity(t))
        }
    }
}

/// A time-activity plot: points with ±1σ error bars and fitted curves, linear or logarithmic activity axis.
///
/// SVG classes: `point` (circles), `error-bar`, `curve`, plus those of the axes (see `ChartFrame`).
public struct TimeActivityChart: Sendable {
    public var title: String
    public var series: [TimeActivitySeries]
    public var activityScale: AxisScale
    /// Size (CSS px).
    public var width: Double, height: Double
    public var timeTitle = "Time after administration (h)"
    public var activityTitle = "Activity (MBq)"

    public init(title: String, series: [TimeActivitySeries], activityScale: AxisScale = .linear,
                width: Double = 640, height: Double = 400) {
        self.title = title; self.series = series; self.activityScale = activityScale
        self.width = width; self.height = height
    }

    /// Axis ranges and ticks covering every point (±σ) and curve sample that can be drawn.
    public func axes() throws -> (time: AxisTicks, activity: AxisTicks) {
        try validate()
        var tLo = 0.0, tHi = -Double.infinity
        var aLo = activityScale == .linear ? 0.0 : Double.infinity, aHi = -Double.infinity
        func include(_ t: Double, _ a: Double) {
            tLo = min(tLo, t); tHi = max(tHi, t)
            if activityScale == .logarithmic && a <= 0 { return }
            aLo = min(aLo, a); aHi = max(aHi, a)
        }
        for s in series {
            for p in s.points {
                include(p.timeH, p.activityMBq + p.sigmaMBq)
                include(p.timeH, p.activityMBq - p.sigmaMBq)
                include(p.timeH, p.activityMBq)
            }
            for c in s.curve { include(c.x, c.y) }
        }
        guard tHi.isFinite, aHi.isFinite, aLo.isFinite else {
            throw InputError(source: "time-activity chart '\(title)'", field: "series",
                             reason: activityScale == .logarithmic
                                ? "no positive activity to show on a logarithmic axis" : "no data to plot")
        }
        let time = AxisTicks.linear(minimum: tLo, maximum: tHi)
        let activity = activityScale == .linear
            ? AxisTicks.linear(minimum: aLo, maximum: aHi)
            : AxisTicks.logarithmic(minimum: aLo, maximum: aHi)
        return (time, activity)
    }

    /// The chart as SVG. Throws `InputError` for non-finite data or negative uncertainties.
    public func svg() throws -> SVGGraphic {
        let (time, activity) = try axes()
        let frame = ChartFrame(width: width, height: height, left: 70, right: 20, top: 34, bottom: 48,
                               x: time, y: activity)
        var svg = SVGWriter()
        svg.text(title, x: width / 2, y: 20, anchor: "middle", size: 14, className: "chart-title", weight: "bold")
        frame.drawAxes(&svg, xTitle: timeTitle, yTitle: activityTitle)
        let drawable: (Double) -> Bool = { activityScale == .linear || $0 > 0 }
        for s in series {
            let colour = s.color.hex
            // Fitted curve, broken where a log axis cannot show it.
            var run = [SIMD2<Double>]()
            for c in s.curve {
                if drawable(c.y) { run.append(SIMD2(frame.px(c.x), frame.py(c.y))) } else {
                    svg.polyline(run, stroke: colour, className: "curve"); run = []
                }
            }
            svg.polyline(run, stroke: colour, className: "curve")
            for p in s.points {
                let x = frame.px(p.timeH)
                if p.sigmaMBq > 0 {
                    let top = frame.py(p.activityMBq + p.sigmaMBq)
                    let low = p.activityMBq - p.sigmaMBq
                    let bottom = drawable(low) ? frame.py(low) : frame.plotBottom
                    svg.line(x, top, x, bottom, stroke: colour, width: 1.2, className: "error-bar")
                    svg.line(x - 4, top, x + 4, top, stroke: colour, width: 1.2, className: "error-bar")
                    if drawable(low) { svg.line(x - 4, bottom, x + 4, bottom, stroke: colour, width: 1.2, className: "error-bar") }
                }
                guard drawable(p.activityMBq) else { continue }
                svg.element("circle", [("cx", SVGWriter.number(x)), ("cy", SVGWriter.number(frame.py(p.activityMBq))),
                                       ("r", "3.5"), ("fill", colour), ("stroke", "#333333"), ("stroke-width", "0.8"),
                                       ("class", "point")])
            }
        }
        frame.drawLegend(&svg, entries: series.map { ($0.name, $0.color.hex, nil) })
        return svg.finish(width: width, height: height, title: title)
    }

    private func validate() throws {
        let source = "time-activity chart '\(title)'"
        for s in series {
            for (n, p) in s.points.enumerated() {
                guard p.timeH.isFinite, p.activityMBq.isFinite, p.sigmaMBq.isFinite, p.sigmaMBq >= 0 else {
                    throw InputError(source: source, field: "\(s.name) point \(n)",
                                     value: "t=\(p.timeH) h, A=\(p.activityMBq) MBq, σ=\(p.sigmaMBq) MBq",
                                     reason: "time, activity and uncertainty must be finite, uncertainty ≥ 0")
                }
            }
            for (n, c) in s.curve.enumerated() where !(c.x.isFinite && c.y.isFinite) {
                throw InputError(source: source, field: "\(s.name) curve sample \(n)", value: "(\(c.x), \(c.y))",
                                 reason: "fitted-curve samples must be finite")
            }
        }
    }
}
