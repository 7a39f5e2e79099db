/// A finished, self-contained SVG 1.1 image (no scripts), ready to inline in HTML or save as .svg.
public struct SVGGraphic: Equatable, Sendable {
    /// Width and height (CSS px).
    public var width: Double, height: Double
    /// The complete `<svg …>…</svg>` element.
    public var markup: String

    public init(width: Double, height: Double, markup: String) {
        self.width = width; self.height = height; self.markup = markup
    }
}

/// Appends SVG elements with escaped attributes and text; numbers are written with ≤ 2 decimals.
struct SVGWriter {
    private(set) var body = ""

    /// `x` with at most two decimals and no trailing zeros.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var s = NumberFormat.fixed(2).string(x)
        while s.contains("."), s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return NumberFormat.withoutNegativeZero(s)
    }

    /// An element with attributes (values escaped) and optional text content (escaped).
    mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        body += "<" + name
        for (k, v) in attributes { body += " \(k)=\"\(XMLText.escape(v))\"" }
        if let text { body += ">" + XMLText.escape(text) + "</\(name)>\n" } else { body += "/>\n" }
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        body += "<" + name
        for (k, v) in attributes { body += " \(k)=\"\(XMLText.escape(v))\"" }
        body += ">\n"
    }

    mutating func close(_ name: String) { body += "</\(name)>\n" }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil, className: String? = nil) {
        var a: [(String, String)] = [("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)),
                                     ("y2", Self.number(y2)), ("stroke", stroke), ("stroke-width", Self.number(width))]
        if let dash { a.append(("stroke-dasharray", dash)) }
        if let className { a.append(("class", className)) }
        element("line", a)
    }

    mutating func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double = 12,
                       className: String? = nil, rotate: Double? = nil, weight: String? = nil) {
        var a: [(String, String)] = [("x", Self.number(x)), ("y", Self.number(y)), ("text-anchor", anchor),
                                     ("font-size", Self.number(size))]
        if let weight { a.append(("font-weight", weight)) }
        if let rotate { a.append(("transform", "rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))")) }
        if let className { a.append(("class", className)) }
        element("text", a, text: s)
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, className: String? = nil) {
        var a: [(String, String)] = [("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(width)),
                                     ("height", Self.number(height)), ("fill", fill)]
        if let stroke { a.append(("stroke", stroke)) }
        if let className { a.append(("class", className)) }
        element("rect", a)
    }

    mutating func polyline(_ points: [SIMD2<Double>], stroke: String, width: Double = 1.5, dash: String? = nil,
                           className: String? = nil, clipPath: String? = nil) {
        guard points.count >= 2 else { return }
        var a: [(String, String)] = [
            ("points", points.map { Self.number($0.x) + "," + Self.number($0.y) }.joined(separator: " ")),
            ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.number(width)),
        ]
        if let dash { a.append(("stroke-dasharray", dash)) }
        if let className { a.append(("class", className)) }
        if let clipPath { a.append(("clip-path", "url(#\(clipPath))")) }
        element("polyline", a)
    }

    /// Wraps the body in an `<svg>` root with a `<title>` (accessible name).
    func finish(width: Double, height: Double, title: String) -> SVGGraphic {
        let w = Self.number(width), h = Self.number(height)
        let markup = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" height=\"\(h)\" "
            + "viewBox=\"0 0 \(w) \(h)\" role=\"img\" font-family=\"Helvetica, Arial, sans-serif\">\n"
            + "<title>\(XMLText.escape(title))</title>\n" + body + "</svg>"
        return SVGGraphic(width: width, height: height, markup: markup)
    }
}
