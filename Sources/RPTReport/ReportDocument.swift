import Foundation
import RPTCore

/// A dosimetry report: title, study metadata, warnings, sections and signature lines, rendered to
/// one self-contained HTML5 file (`ReportHTML`).
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String?
    /// Study facts shown as a key/value table under the title (patient ID, administered activity …).
    public var metadata: [ReportField]
    /// Report-wide warnings, shown prominently before the first section.
    public var warnings: [String]
    public var sections: [ReportSection]
    /// Roles with a signature and date line at the end, e.g. "Medical physicist".
    public var signatureRoles: [String]
    /// Small print at the bottom (software version, generation time …).
    public var footer: String?
    /// Printed at the top left of every PDF page (patient identification), nil for none.
    public var pageHeader: String?
    /// Printed at the top right of every PDF page (study, report), nil for none.
    public var pageHeaderRight: String?
    /// Printed at the bottom left of every PDF page (software, creation time); the bottom right always
    /// holds "Page x of y".
    public var pageFooter: String?

    public init(title: String, subtitle: String? = nil, metadata: [ReportField] = [], warnings: [String] = [],
                sections: [ReportSection] = [], signatureRoles: [String] = ["Prepared by", "Reviewed and approved by (medical physicist)"],
                footer: String? = nil, pageHeader: String? = nil, pageHeaderRight: String? = nil, pageFooter: String? = nil) {
        self.title = title; self.subtitle = subtitle; self.metadata = metadata; self.warnings = warnings
        self.sections = sections; self.signatureRoles = signatureRoles; self.footer = footer
        self.pageHeader = pageHeader; self.pageHeaderRight = pageHeaderRight; self.pageFooter = pageFooter
    }

    /// The document as HTML.
    public func html() -> String { ReportHTML.render(self) }

    /// Writes the HTML atomically (UTF-8) to `path`.
    public func write(to path: String) throws {
        try AtomicFile.write(Data(html().utf8), to: path)
    }
}

/// One key/value line of metadata.
public struct ReportField: Equatable, Sendable {
    public var key: String, value: String
    public init(_ key: String, _ value: String) { self.key = key; self.value = value }
}

/// A titled section of blocks.
public struct ReportSection: Sendable {
    public var heading: String
    public var blocks: [ReportBlock]
    public init(heading: String, blocks: [ReportBlock] = []) { self.heading = heading; self.blocks = blocks }
}

/// A piece of section content.
public enum ReportBlock: Sendable {
    /// Plain text (escaped; blank lines are not interpreted).
    case paragraph(String)
    case table(ReportTable)
    case image(ReportImage)
    /// An inline SVG chart with an optional caption.
    case svg(SVGGraphic, caption: String?)
    /// A rendered slice with orientation letters, an optional colour bar and a caption.
    case slice(SliceFigure)
    /// A styled list of warnings within a section.
    case warnings([String])
    /// A sub-heading.
    case subheading(String)
}

/// A table: header row and body rows of cells; numeric columns are right-aligned.
public struct ReportTable: Sendable {
    public var caption: String?
    public var header: [String]
    public var rows: [[ReportCell]]
    public init(caption: String? = nil, header: [String], rows: [[ReportCell]]) {
        self.caption = caption; self.header = header; self.rows = rows
    }
}

/// A table cell: text, or a number printed with a `NumberFormat` and an optional unit suffix.
public enum ReportCell: Equatable, Sendable, ExpressibleByStringLiteral {
    case text(String)
    case number(Double, NumberFormat, unit: String? = nil)
    /// Number ± uncertainty, both in `format`.
    case measurement(Double, uncertainty: Double, NumberFormat, unit: String? = nil)

    public init(stringLiteral value: String) { self = .text(value) }

    /// The printed text of the cell.
    public var text: String {
        switch self {
        case .text(let s): s
        case .number(let x, let f, let unit): f.string(x) + (unit.map { " " + $0 } ?? "")
        case .measurement(let x, let u, let f, let unit): f.string(x) + " ± " + f.string(u) + (unit.map { " " + $0 } ?? "")
        }
    }

    public var isNumeric: Bool { if case .text = self { false } else { true } }
}

/// A PNG image with a caption.
public struct ReportImage: Sendable {
    public var png: Data
    public var caption: String?
    /// Alternative text for screen readers.
    public var altText: String
    /// Displayed width (CSS px); nil shows the image at its pixel size.
    public var displayWidth: Double?

    public init(png: Data, caption: String? = nil, altText: String, displayWidth: Double? = nil) {
        self.png = png; self.caption = caption; self.altText = altText; self.displayWidth = displayWidth
    }

    /// Encodes a raster image as PNG.
    public init(image: RasterImage, caption: String? = nil, altText: String, displayWidth: Double? = nil) throws {
        self.init(png: try PNGEncoder.encode(image), caption: caption, altText: altText, displayWidth: displayWidth)
    }
}

/// A rendered slice as a figure: the PNG with patient-direction letters at its edges, a colour bar
/// for its dose wash (if any), a legend of its outlined regions and a caption.
public struct SliceFigure: Sendable {
    public var slice: RenderedSlice
    public var png: Data
    public var caption: String?
    /// Displayed image width (CSS px); the height follows the image's aspect ratio.
    public var displayWidth: Double

    public init(slice: RenderedSlice, caption: String? = nil, displayWidth: Double? = nil) throws {
        self.slice = slice
        png = try PNGEncoder.encode(slice.image)
        self.caption = caption
        self.displayWidth = displayWidth ?? Double(slice.image.width)
    }

    /// Displayed image height (CSS px).
    public var displayHeight: Double { displayWidth * Double(slice.image.height) / Double(slice.image.width) }

    /// The colour bar matching the image height, or nil without a dose wash.
    public var colorBar: SVGGraphic? {
        slice.doseStyle.map { ColorBar.svg(for: $0, height: max(160, displayHeight)) }
    }
}
