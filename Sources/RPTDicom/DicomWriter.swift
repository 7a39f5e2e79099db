import Foundation
import RPTCore

/// Encodes data sets as Part 10 files in Explicit VR Little Endian (PS3.10 §7, PS3.5 §7.1.2).
/// Sequences and items are written with defined lengths.
enum DicomWriter {
    /// Preamble, "DICM", file meta information (group 0002, with its group length) and `body`.
    static func part10(sopClassUID: String, sopInstanceUID: String, body: DicomDataSet) throws -> [UInt8] {
        var meta: [UInt8] = []
        let metaElements: [DicomElement] = [
            DicomElement(tag: DicomTag(0x0002, 0x0001), vr: .OB, bytes: [0x00, 0x01]),
            .text(.mediaStorageSOPClassUID, .UI, sopClassUID),
            .text(DicomTag(0x0002, 0x0003), .UI, sopInstanceUID),
            .text(.transferSyntaxUID, .UI, TransferSyntax.explicitVRLittleEndian.uid),
            .text(DicomTag(0x0002, 0x0012), .UI, DicomUID.implementationClassUID),
            .text(DicomTag(0x0002, 0x0013), .SH, "RPTDOSE_" + RPTDoseVersion.string),
        ]
        for e in metaElements { try encode(e, into: &meta) }
        var out = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
        try encode(DicomElement(tag: DicomTag(0x0002, 0x0000), vr: .UL, bytes: le32(UInt32(meta.count))), into: &out)
        out += meta
        try encodeDataSet(body, into: &out)
        return out
    }

    static func encodeDataSet(_ ds: DicomDataSet, into out: inout [UInt8]) throws {
        for tag in ds.elements.keys.sorted() { try encode(ds.elements[tag]!, into: &out) }
    }

    static func encode(_ e: DicomElement, into out: inout [UInt8]) throws {
        var value: [UInt8]
        if e.vr == .SQ {
            value = []
            for item in e.items {
                var body: [UInt8] = []
                try encodeDataSet(item, into: &body)
                value += le16(0xFFFE) + le16(0xE000) + le32(UInt32(body.count)) + body
            }
        } else {
            value = e.bytes
            if value.count % 2 == 1 { value.append(e.vr.padByte) }
        }
        out += le16(e.tag.group) + le16(e.tag.element) + Array(e.vr.rawValue.utf8)
        if e.vr.hasLongLength {
            guard value.count < 0xFFFF_FFFF else {
                throw InputError(source: "DICOM writer", field: e.tag.label, value: "\(value.count) bytes", reason: "value too long")
            }
            out += [0, 0] + le32(UInt32(value.count))
        } else {
            guard value.count <= 0xFFFE else {
                throw InputError(source: "DICOM writer", field: e.tag.label, value: "\(value.count) bytes",
                                 reason: "value longer than the 65534 bytes a \(e.vr.rawValue) element can hold")
            }
            out += le16(UInt16(value.count))
        }
        out += value
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
}

extension DicomElement {
    /// A text element (UTF-8; multiple values joined with backslashes).
    static func text(_ tag: DicomTag, _ vr: DicomVR, _ values: String...) -> DicomElement {
        DicomElement(tag: tag, vr: vr, bytes: Array(values.joined(separator: "\\").utf8))
    }

    /// A DS element from numbers, each formatted to at most 16 characters.
    static func decimals(_ tag: DicomTag, _ values: [Double]) -> DicomElement {
        DicomElement(tag: tag, vr: .DS, bytes: Array(values.map(DecimalString.format).joined(separator: "\\").utf8))
    }

    static func us(_ tag: DicomTag, _ v: UInt16) -> DicomElement { DicomElement(tag: tag, vr: .US, bytes: DicomWriter.le16(v)) }

    static func at(_ tag: DicomTag, _ v: DicomTag) -> DicomElement {
        DicomElement(tag: tag, vr: .AT, bytes: DicomWriter.le16(v.group) + DicomWriter.le16(v.element))
    }

    static func sequence(_ tag: DicomTag, _ items: [DicomDataSet]) -> DicomElement { DicomElement(tag: tag, vr: .SQ, items: items) }
}

extension DicomDataSet {
    mutating func set(_ e: DicomElement) { elements[e.tag] = e }
}
