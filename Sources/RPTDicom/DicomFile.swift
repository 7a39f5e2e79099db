import Foundation
import RPTCore

/// Reads DICOM files, Part 10 (128-byte preamble, "DICM", file meta information) or raw data sets, through
/// GDCM (see `GDCMReader`): every transfer syntax GDCM parses, compressed pixel data decoded by its codecs.
public enum DicomFile {
    /// Options for `read`.
    public struct Options: Sendable {
        /// Stop before Pixel Data (7FE0,0010): fast header scans of whole folders.
        public var stopAtPixelData = false
        /// Unused since DICOM is read through GDCM, which decodes compressed pixel data itself (no external
        /// decompressor is run); kept so that existing callers compile.
        public var decompressorSearchPath: String?
        public init(stopAtPixelData: Bool = false, decompressorSearchPath: String? = nil) {
            self.stopAtPixelData = stopAtPixelData; self.decompressorSearchPath = decompressorSearchPath
        }
    }

    /// Reads the file at `path`. The result holds the file meta elements (group 0002) and the data set, with
    /// binary values in little-endian order; its `source` is `path`. Compressed pixel data are decoded by GDCM
    /// unless `options.stopAtPixelData`; the Transfer Syntax UID stays the file's own.
    public static func read(_ path: String, options: Options = Options()) throws -> DicomDataSet {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InputError(source: path, reason: "cannot read file (missing or no permission)")
        }
        return try GDCMReader.read(path: path, bytes: nil, headerOnly: options.stopAtPixelData)
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

    /// Parses a whole file already in memory (`source` names it in messages).
    public static func parse(_ bytes: [UInt8], source: String, options: Options = Options()) throws -> DicomDataSet {
        guard looksLikeDicom(bytes) else {
            throw InputError(source: source, reason: "not a DICOM file (no 'DICM' marker at offset 128 and no data set at the start)")
        }
        return try GDCMReader.read(path: source, bytes: bytes, headerOnly: options.stopAtPixelData)
    }
}

extension DicomDataSet {
    /// The transfer syntax the file was stored with.
    public var transferSyntax: TransferSyntax {
        TransferSyntax(uid: string(.transferSyntaxUID) ?? TransferSyntax.implicitVRLittleEndian.uid)
    }
}
