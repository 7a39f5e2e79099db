import Foundation
import RPTCore

/// Reads DICOM files: Part 10 (128-byte preamble, "DICM", file meta information) or raw data sets.
public enum DicomFile {
    /// Options for `read`.
    public struct Options: Sendable {
        /// Stop before Pixel Data (7FE0,0010): fast header scans of whole folders.
        public var stopAtPixelData = false
        /// Colon-separated folders searched for DCMTK/GDCM decompressors (nil: `$PATH`).
        public var decompressorSearchPath: String?
        public init(stopAtPixelData: Bool = false, decompressorSearchPath: String? = nil) {
            self.stopAtPixelData = stopAtPixelData; self.decompressorSearchPath = decompressorSearchPath
        }
    }

    /// Reads the file at `path`. The result holds the file meta elements (group 0002) and the data
    /// set; its `source` is `path`. Compressed pixel data are decompressed through an external tool
    /// (see `ExternalDecompressor`) unless `options.stopAtPixelData`.
    public static func read(_ path: String, options: Options = Options()) throws -> DicomDataSet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(source: path, reason: "cannot read file (missing or no permission)")
        }
        return try parse([UInt8](data), source: path, options: options)
    }

    /// Whether `bytes` start like a DICOM file (Part 10 preamble or a plausible raw data set).
    public static func looksLikeDicom(_ bytes: [UInt8]) -> Bool {
        if hasPart10Preamble(bytes) { return true }
        guard bytes.count >= 8 else { return false }
        let group = UInt16(bytes[0]) | UInt16(bytes[1]) << 8
        return [0x0000, 0x0002, 0x0004, 0x0008].contains(group)
    }

    static func hasPart10Preamble(_ b: [UInt8]) -> Bool {
        b.count >= 132 && b[128] == 0x44 && b[129] == 0x49 && b[130] == 0x43 && b[131] == 0x4D
    }

    /// Parses a whole file already in memory.
    public static func parse(_ bytes: [UInt8], source: String, options: Options = Options()) throws -> DicomDataSet {
        guard looksLikeDicom(bytes) else {
            throw InputError(source: source, reason: "not a DICOM file (no 'DICM' marker at offset 128 and no data set at the start)")
        }
        var start = 0
        var meta = DicomDataSet(source: source)
        var syntax = TransferSyntax.implicitVRLittleEndian
        let metaStart = hasPart10Preamble(bytes) ? 132 : 0
        let firstGroup = bytes.count >= metaStart + 2 ? UInt16(bytes[metaStart]) | UInt16(bytes[metaStart + 1]) << 8 : 0
        if metaStart == 132 || firstGroup == 0x0002 {
            var metaParser = DicomParser(bytes: bytes, source: source, explicitVR: true, bigEndian: false)
            (meta, start) = try metaParser.parseDataSet(from: metaStart, end: bytes.count, stop: .afterMetaGroup)
            guard let uid = meta.string(.transferSyntaxUID) else { throw meta.missing(.transferSyntaxUID, context: "file meta information") }
            syntax = TransferSyntax(uid: uid)
        } else if bytes.count >= 6, DicomVR(bytes: bytes[4], bytes[5]) != nil {
            syntax = .explicitVRLittleEndian  // raw data set: guess from the first element's header
        }
        if !syntax.isNative && !options.stopAtPixelData {
            let plain = try ExternalDecompressor.decompress(path: source, syntax: syntax, searchPath: options.decompressorSearchPath)
            var ds = try parse(plain, source: source, options: options)
            ds.elements[.transferSyntaxUID]?.bytes = Array(syntax.uid.utf8)  // report the file's own syntax
            return ds
        }
        var body = bytes
        if syntax.isDeflated {
            body = try RawInflate.inflate(bytes[start...], source: source)
            start = 0
        }
        // Encapsulated syntaxes store the data set itself in Explicit VR Little Endian.
        var parser = DicomParser(bytes: body, source: source, explicitVR: syntax.isExplicitVR, bigEndian: syntax.isBigEndian)
        var (ds, _) = try parser.parseDataSet(from: start, end: body.count, stop: .atEnd,
                                              stopAtPixelData: options.stopAtPixelData)
        for (tag, element) in meta.elements { ds.elements[tag] = element }
        if ds.string(.transferSyntaxUID) == nil {
            ds.elements[.transferSyntaxUID] = DicomElement(tag: .transferSyntaxUID, vr: .UI, bytes: Array(syntax.uid.utf8))
        }
        return ds
    }
}

extension DicomDataSet {
    /// The transfer syntax the file was stored with.
    public var transferSyntax: TransferSyntax {
        TransferSyntax(uid: string(.transferSyntaxUID) ?? TransferSyntax.implicitVRLittleEndian.uid)
    }
}
