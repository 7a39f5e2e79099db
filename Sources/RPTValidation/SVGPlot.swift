import Foundation

/// A minimal SVG chart for the validation report: lines and/or markers on linear or log axes.
public struct SVGPlot: Sendable {
    public struct Series: Sendable {
        public var label: String
        public var x: [Double]
        public var y: [Double]
        /// Half-length of an error bar per point (same unit as y); empty for none.
        public var yError: [Double] = []
        public var color: String
        public var line: Bool
        public var markers: Bool
        public init(label: String, x: [Double], y: [Double], yError: [Double] = [], color: String,
                    line: Bool = true, markers: Bool = false) {
            self.label = label; self.x = x; self.y = y; self.yError = yError; self.color = color
            self.line = line; self.markers = markers
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX = false
    public var logY = false
    public var series: [Series] = []
    /// Horizontal reference lines (value, label).
    public var hLines: [(Double, String)] = []
    public var width = 640.0, height = 400.0

    public init(title: String, xLabel: String, yLabel: String, logX: Bool = false, logY: Bool = false) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.logX = logX; self.logY = logY
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    public static func color(_ n: Int) -> String { palette[n % palette.count] }

    func tx(_ v: Double) -> Double { logX ? log10(v) : v }
    func ty(_ v: Double) -> Double { logY ? log10(v) : v }

    /// The SVG document.
    public func render() -> String {
        let left = 80.0, right = 170.0, top = 36.0, bottom = 52.0
        let pw = width - left - right, ph = height - top - bottom
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            for (n, (x, y)) in zip(s.x, s.y).enumerated() {
                guard x.isFinite, y.isFinite, !(logX && x <= 0), !(logY && y <= 0) else { continue }
                xs.append(tx(x))
                let e = n < s.yError.count ? s.yError[n] : 0
                ys.append(ty(y))
                if e > 0 { ys.append(ty(y + e)); if !logY || y - e > 0 { ys.append(ty(y - e)) } }
            }
        }
        for (v, _) in hLines where v.isFinite && !(logY && v <= 0) { ys.append(ty(v)) }
        var x0 = xs.min() ?? 0, x1 = xs.max() ?? 1, y0 = ys.min() ?? 0, y1 = ys.max() ?? 1
        if x1 <= x0 { x0 -= 0.5; x1 += 0.5 }
        if y1 <= y0 { y0 -= 0.5; y1 += 0.5 }
        let padY = (y1 - y0) * 0.05
        y0 -= padY; y1 += padY
        func px(_ v: Double) -> Double { left + (tx(v) - x0) / (x1 - x0) * pw }
        func py(_ v: Double) -> Double { top + ph - (ty(v) - y0) / (y1 - y0) * ph }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        func tickLabel(_ t: Double, log: Bool) -> String {
            let v = log ? pow(10, t) : t
            if v == 0 { return "0" }
            let a = abs(v)
            return (a >= 1e4 || a < 1e-2) ? String(format: "%.1e", v) : String(format: "%.3g", v)
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>\n"
        out += "<text x=\"\(f(left + pw / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(esc(title))</text>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"black\"/>\n"
        for i in 0...5 {
            let tX = x0 + (x1 - x0) * Double(i) / 5, tY = y0 + (y1 - y0) * Double(i) / 5
            let gx = left + pw * Double(i) / 5, gy = top + ph - ph * Double(i) / 5
            out += "<line x1=\"\(f(gx))\" y1=\"\(f(top))\" x2=\"\(f(gx))\" y2=\"\(f(top + ph))\" stroke=\"#ddd\"/>\n"
            out += "<line x1=\"\(f(left))\" y1=\"\(f(gy))\" x2=\"\(f(left + pw))\" y2=\"\(f(gy))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(f(gx))\" y=\"\(f(top + ph + 16))\" text-anchor=\"middle\">\(tickLabel(tX, log: logX))</text>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(gy + 4))\" text-anchor=\"end\">\(tickLabel(tY, log: logY))</text>\n"
        }
        out += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
        out += "<text x=\"16\" y=\"\(f(top + ph / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(top + ph / 2)))\">\(esc(yLabel))</text>\n"
        for (v, label) in hLines where v.isFinite && !(logY && v <= 0) {
            out += "<line x1=\"\(f(left))\" y1=\"\(f(py(v)))\" x2=\"\(f(left + pw))\" y2=\"\(f(py(v)))\" stroke=\"#777\" stroke-dasharray=\"4 3\"/>\n"
            out += "<text x=\"\(f(left + pw - 4))\" y=\"\(f(py(v) - 4))\" text-anchor=\"end\" fill=\"#555\">\(esc(label))</text>\n"
        }
        for (k, s) in series.enumerated() {
            let pts = zip(s.x, s.y).enumerated().filter { _, p in
                p.0.isFinite && p.1.isFinite && !(logX && p.0 <= 0) && !(logY && p.1 <= 0)
            }
            if s.line && pts.count > 1 {
                out += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.6\" points=\""
                out += pts.map { "\(f(px($0.1.0))),\(f(py($0.1.1)))" }.joined(separator: " ") + "\"/>\n"
            }
            for (n, p) in pts {
                if n < s.yError.count, s.yError[n] > 0 {
                    let lo = logY ? max(p.1 - s.yError[n], p.1 * 1e-3) : p.1 - s.yError[n]
                    out += "<line x1=\"\(f(px(p.0)))\" y1=\"\(f(py(lo)))\" x2=\"\(f(px(p.0)))\" y2=\"\(f(py(p.1 + s.yError[n])))\" stroke=\"\(s.color)\"/>\n"
                }
                if s.markers {
                    out += "<circle cx=\"\(f(px(p.0)))\" cy=\"\(f(py(p.1)))\" r=\"3\" fill=\"\(s.color)\"/>\n"
                }
            }
            let ly = top + 14 + Double(k) * 18
            out += "<line x1=\"\(f(left + pw + 10))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + pw + 30))\" y2=\"\(f(ly - 4))\" stroke=\"\(s.color)\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(f(left + pw + 34))\" y=\"\(f(ly))\">\(esc(s.label))</text>\n"
        }
        out += "</svg>\n"
        return out
    }
}
