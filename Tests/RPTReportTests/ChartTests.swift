import Foundation
import RPTCore
import RPTKinetics
import XCTest
import RPTKernels
@testable import RPTReport

/// Charts are parsed by Python's xml.etree (an independent XML parser); geometry is read back from
/// the SVG itself (grid-line positions of the labelled ticks) to map drawn marks back to data.
final class ChartTests: XCTestCase {
    struct ParsedSVG {
        var plotArea: (x: Double, y: Double, w: Double, h: Double)
        var circles: [SIMD2<Double>]
        var xTickLabels: [String], yTickLabels: [String]
        var verticalGrid: [Double], horizontalGrid: [Double]
        var polylines: [String: [[SIMD2<Double>]]]
        var texts: [String: [String]]
        var rectClasses: [String]
        var lineClasses: [String]
    }

    static let svgScript = #"""
    import sys, json, xml.etree.ElementTree as ET
    root = ET.fromstring(sys.stdin.read())
    ns = '{http://www.w3.org/2000/svg}'
    assert root.tag == ns + 'svg', root.tag
    out = {'plot': None, 'circles': [], 'xt': [], 'yt': [], 'vg': [], 'hg': [], 'poly': {}, 'texts': {}, 'rects': [], 'lines': []}
    for e in root.iter():
        cls = e.get('class', '')
        tag = e.tag[len(ns):]
        if tag == 'rect':
            out['rects'].append(cls)
            if cls == 'plot-area':
                out['plot'] = [float(e.get(k)) for k in ('x', 'y', 'width', 'height')]
        elif tag == 'circle':
            out['circles'].append([float(e.get('cx')), float(e.get('cy'))])
        elif tag == 'text':
            out['texts'].setdefault(cls, []).append(e.text or '')
        elif tag == 'line':
            out['lines'].append(cls)
            if cls == 'grid':
                x1, y1, x2, y2 = (float(e.get(k)) for k in ('x1', 'y1', 'x2', 'y2'))
                if x1 == x2: out['vg'].append(x1)
                else: out['hg'].append(y1)
        elif tag == 'polyline':
            pts = [[float(v) for v in p.split(',')] for p in e.get('points').split()]
            out['poly'].setdefault(cls, []).append(pts)
    print(json.dumps(out))
    """#

    func parse(_ svg: SVGGraphic) throws -> ParsedSVG {
        let j = try TestSupport.pythonJSON(Self.svgScript, stdin: Data(svg.markup.utf8)) as! [String: Any]
        let plot = j["plot"] as! [Double]
        let texts = j["texts"] as! [String: [String]]
        func pts(_ a: Any) -> [SIMD2<Double>] { (a as! [[Double]]).map { SIMD2($0[0], $0[1]) } }
        return ParsedSVG(plotArea: (plot[0], plot[1], plot[2], plot[3]),
                         circles: pts(j["circles"]!),
                         xTickLabels: texts["tick-label x"] ?? [], yTickLabels: texts["tick-label y"] ?? [],
                         verticalGrid: j["vg"] as! [Double], horizontalGrid: j["hg"] as! [Double],
                         polylines: (j["poly"] as! [String: [[[Double]]]]).mapValues { $0.map(pts) },
                         texts: texts, rectClasses: j["rects"] as! [String], lineClasses: j["lines"] as! [String])
    }

    func assertInside(_ p: SIMD2<Double>, _ s: ParsedSVG, file: StaticString = #filePath, line: UInt = #line) {
        let a = s.plotArea
        XCTAssertTrue(p.x >= a.x - 0.01 && p.x <= a.x + a.w + 0.01 && p.y >= a.y - 0.01 && p.y <= a.y + a.h + 0.01,
                      "\(p) outside plot area \(a)", file: file, line: line)
    }

    /// Data value of an SVG coordinate, interpolating between the first and last labelled tick.
    func dataValue(_ coordinate: Double, gridPositions: [Double], labels: [String], log: Bool) -> Double {
        let v0 = Double(labels.first!)!, v1 = Double(labels.last!)!
        let f = (coordinate - gridPositions.first!) / (gridPositions.last! - gridPositions.first!)
        return log ? pow(10, log10(v0) + f * (log10(v1) - log10(v0))) : v0 + f * (v1 - v0)
    }

    private let points = [
        TimeActivityPoint(timeH: 4, activityMBq: 812, sigmaMBq: 60),
        TimeActivityPoint(timeH: 24, activityMBq: 655, sigmaMBq: 45),
        TimeActivityPoint(timeH: 96, activityMBq: 310, sigmaMBq: 30),
        TimeActivityPoint(timeH: 168, activityMBq: 152, sigmaMBq: 20),
    ]

    private func chart(_ scale: AxisScale) -> TimeActivityChart {
        let curve = TimeActivitySeries.sampledCurve(from: 0, to: 170) { t in 860 * exp(-log(2) / 70 * t) }
        let kidney = TimeActivitySeries(name: "Kidneys <L+R>", color: RGBColor.distinct(0), points: points, curve: curve)
        let tumour = TimeActivitySeries(name: "Tumour & nodes", color: RGBColor.distinct(1),
                                        points: [TimeActivityPoint(timeH: 24, activityMBq: 40, sigmaMBq: 5),
                                                 TimeActivityPoint(timeH: 168, activityMBq: 21, sigmaMBq: 3)])
        return TimeActivityChart(title: "Time–activity curves", series: [kidney, tumour], activityScale: scale)
    }

    func testTimeActivityChartLinear() throws { try checkTimeActivity(.linear) }
    func testTimeActivityChartLogarithmic() throws { try checkTimeActivity(.logarithmic) }

    private func checkTimeActivity(_ scale: AxisScale) throws {
        let c = chart(scale)
        let (time, activity) = try c.axes()
        let s = try parse(try c.svg())
        XCTAssertEqual(s.xTickLabels, time.labels)
        XCTAssertEqual(s.yTickLabels, activity.labels)
        // Axis range covers every point ± σ and the curve.
        let all = c.series.flatMap(\.points)
        XCTAssertLessThanOrEqual(activity.lower, all.map { $0.activityMBq - $0.sigmaMBq }.min()!)
        XCTAssertGreaterThanOrEqual(activity.upper, max(860, all.map { $0.activityMBq + $0.sigmaMBq }.max()!))
        XCTAssertLessThanOrEqual(time.lower, 0); XCTAssertGreaterThanOrEqual(time.upper, 170)
        // Every point is drawn inside the frame, at its data position.
        XCTAssertEqual(s.circles.count, all.count)
        for (p, circle) in zip(all, s.circles) {
            assertInside(circle, s)
            let t = dataValue(circle.x, gridPositions: s.verticalGrid, labels: s.xTickLabels, log: false)
            let a = dataValue(circle.y, gridPositions: s.horizontalGrid, labels: s.yTickLabels, log: scale == .logarithmic)
            XCTAssertEqual(t, p.timeH, accuracy: 0.01 * (time.upper - time.lower) / 100)
            XCTAssertEqual(a, p.activityMBq, accuracy: scale == .linear ? 1.0 : p.activityMBq * 0.005)
        }
        let curves = s.polylines["curve"] ?? []
        XCTAssertEqual(curves.count, 1)
        XCTAssertEqual(curves.first?.count, 200)
        for p in curves.flatMap({ $0 }) { assertInside(p, s) }
        // Error bars: a vertical bar and two caps per point.
        XCTAssertEqual(s.lineClasses.filter { $0 == "error-bar" }.count, 3 * all.count)
        XCTAssertEqual(s.texts["legend-label"] ?? [], ["Kidneys <L+R>", "Tumour & nodes"])
    }

    func testLogarithmicChartRejectsDataWithoutPositiveValues() {
        let c = TimeActivityChart(title: "x", series: [TimeActivitySeries(name: "a", color: .black,
            points: [TimeActivityPoint(timeH: 1, activityMBq: 0)])], activityScale: .logarithmic)
        XCTAssertThrowsError(try c.svg())
        let bad = TimeActivityChart(title: "x", series: [TimeActivitySeries(name: "a", color: .black,
            points: [TimeActivityPoint(timeH: .nan, activityMBq: 1)])])
        XCTAssertThrowsError(try bad.svg()) { XCTAssertTrue("\($0)".contains("a point 0"), "\($0)") }
    }

    /// The plotted curve and Dx are one curve: reading the chart's polyline at x % gives Dx, and
    /// V(Dx) = x, for a skewed random dose sample (large: sampled curve) and a small one (exact vertices).
    func testDVHCurveAndDxAreOneCurve() throws {
        var rng = RandomStream(seed: 5, stream: 2)
        for n in [2000, 37] {
            let doses = (0..<n).map { _ in 30 * rng.uniform() * rng.uniform() }
            let dvh = try CumulativeDVH(region: "kidney", doses: doses)
            let curve = dvh.curve()
            XCTAssertEqual(curve.first!, SIMD2(0, 100))
            XCTAssertEqual(curve.last!, SIMD2(doses.max()!, 0))
            for x in [2.0, 10, 50, 90, 98] {
                let d = dvh.dose(coveringVolumePercent: x)
                XCTAssertEqual(dvh.volumePercent(receivingAtLeast: d), x, accuracy: 1e-9, "n \(n), V(D\(x))")
                // Dose where the polyline crosses x %: linear interpolation between its vertices.
                let k = try XCTUnwrap(curve.indices.dropFirst().first { curve[$0 - 1].y >= x && curve[$0].y <= x && curve[$0 - 1].y != curve[$0].y })
                let (p, q) = (curve[k - 1], curve[k])
                let read = p.x + (q.x - p.x) * (p.y - x) / (p.y - q.y)
                XCTAssertEqual(read, d, accuracy: 1e-9 * max(1, d), "n \(n), D\(x) from the curve")
            }
        }
        // Equal voxels 1…100 Gy: voxel 51 Gy sits at v = 49.5 %, 50 Gy at 50.5 %, so D50 = 50.5 Gy.
        let simple = try CumulativeDVH(region: "s", doses: (1...100).map(Double.init))
        XCTAssertEqual(simple.d50Gy, 50.5, accuracy: 1e-12)
        XCTAssertEqual(simple.volumePercent(receivingAtLeast: 50.5), 50, accuracy: 1e-12)
        XCTAssertEqual(simple.volumePercent(receivingAtLeast: 1), 100)
        XCTAssertEqual(simple.volumePercent(receivingAtLeast: 100.5), 0)
        XCTAssertThrowsError(try CumulativeDVH(region: "bad", doses: [1, .nan]))
    }

    func testDVHChart() throws {
        let a = try CumulativeDVH(region: "Kidneys", doses: (0..<300).map { 2 + Double($0 % 40) * 0.2 })
        let b = try CumulativeDVH(region: "Spleen", doses: (0..<300).map { Double($0) * 0.05 })
        let chart = DVHChart(title: "Cumulative DVH", curves: [(a, .distinct(0)), (b, .distinct(1))])
        let (dose, volume) = try chart.axes()
        XCTAssertEqual(volume.labels, ["0", "20", "40", "60", "80", "100"])
        XCTAssertGreaterThanOrEqual(dose.upper, 14.95)
        let s = try parse(try chart.svg())
        XCTAssertEqual(s.xTickLabels, dose.labels)
        let lines = s.polylines["dvh"] ?? []
        XCTAssertEqual(lines.count, 2)
        for p in lines.flatMap({ $0 }) { assertInside(p, s) }
        // Each curve starts at 100 % (top of the frame) and ends at 0 % (bottom).
        for line in lines {
            XCTAssertEqual(line.first!.y, s.plotArea.y, accuracy: 0.01)
            XCTAssertEqual(line.last!.y, s.plotArea.y + s.plotArea.h, accuracy: 0.01)
        }
        XCTAssertEqual(s.texts["legend-label"] ?? [], ["Kidneys", "Spleen"])
    }

    func testBarChartMarksDosesAboveLimits() throws {
        let chart = BarChart(title: "Organ doses vs limits", items: [
            BarChartItem(label: "Kidneys", value: 18.5, limit: 23),
            BarChartItem(label: "Bone marrow <red>", value: 2.4, limit: 2),
            BarChartItem(label: "Tumour", value: 95),
        ])
        let s = try parse(try chart.svg())
        XCTAssertEqual(s.rectClasses.filter { $0 == "bar" }.count, 2)
        XCTAssertEqual(s.rectClasses.filter { $0 == "bar exceeds" }.count, 1)
        XCTAssertEqual(s.lineClasses.filter { $0 == "limit" }.count, 2)
        XCTAssertEqual(s.texts["category-label"] ?? [], ["Kidneys", "Bone marrow <red>", "Tumour"])
        XCTAssertEqual(s.texts["value-label"] ?? [], ["18.5", "2.40", "95.0"])
        let axis = try chart.valueAxis()
        XCTAssertEqual(s.xTickLabels, axis.labels)
        XCTAssertGreaterThanOrEqual(axis.upper, 95)
        XCTAssertThrowsError(try BarChart(title: "t", items: [BarChartItem(label: "x", value: -1)]).svg())
    }

    func testColorBarTicksLieWithinTheScale() throws {
        let style = DoseOverlayStyle(lowerGy: 0.5, upperGy: 12)
        let s = try TestSupport.pythonJSON(Self.svgScript, stdin: Data(ColorBar.svg(for: style, height: 240).markup.utf8))
            as! [String: Any]
        let labels = ((s["texts"] as! [String: [String]])["tick-label y"] ?? []).map { Double($0)! }
        XCTAssertEqual(labels, [2, 4, 6, 8, 10, 12])  // range 11.5 → 20, step 20/7 → 2; ticks inside 0.5…12
        XCTAssertEqual((s["rects"] as! [String]).filter { $0 == "colorbar-step" }.count, 64)
    }
}
