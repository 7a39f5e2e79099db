import CGDCMShim
import RPTCore

/// Reads a DICOM file through GDCM (Debian libgdcm-dev, via the C shim `CGDCMShim`) into a `DicomDataSet`.
///
/// GDCM parses every transfer syntax (implicit/explicit VR, little/big endian, deflate) and decodes the
/// compressed ones it has codecs for (JPEG baseline/extended/lossless, JPEG-LS, JPEG 2000, RLE). The result
/// always holds little-endian binary values and, when pixels were read, native Pixel Data whose Bits
/// Allocated / Bits Stored / High Bit / Pixel Representation / Samples per Pixel are those of the decoded
/// buffer. Its Transfer Syntax UID is the file's own.
enum GDCMReader {
    /// GDCM's version, e.g. "3.0.21".
    static var version: String { String(cString: rpt_gdcm_version()) }

    /// Reads `path` (or `bytes` when given, with `path` used in messages only).
    static func read(path: String, bytes: [UInt8]?, headerOnly: Bool) throws -> DicomDataSet {
        let builder = DataSetBuilder(source: path)
        var result = rpt_gdcm_result()
        let context = Unmanaged.passUnretained(builder).toOpaque()
        let visitor: rpt_gdcm_visitor = { context, event, group, element, vr, value, length in
            let builder = Unmanaged<DataSetBuilder>.fromOpaque(context!).takeUnretainedValue()
            let bytes = value.map { [UInt8](UnsafeBufferPointer(start: $0, count: length)) } ?? []
            builder.visit(event: event, tag: DicomTag(group, element), vr: vr.map { String(cString: $0) } ?? "", bytes: bytes)
        }
        let status: Int32
        if let bytes {
            status = bytes.withUnsafeBufferPointer { buffer in
                rpt_gdcm_read(path, buffer.baseAddress, buffer.count, headerOnly ? 1 : 0, visitor, context, &result)
            }
        } else {
            status = rpt_gdcm_read(path, nil, 0, headerOnly ? 1 : 0, visitor, context, &result)
        }
        let message = withUnsafeBytes(of: result.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let syntax = withUnsafeBytes(of: result.transfer_syntax) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var ds = builder.root
        switch Int(status) {
        case RPT_GDCM_OK: break
        case RPT_GDCM_NOT_READABLE:
            throw InputError(source: path, reason: "not a readable DICOM file: \(message)")
        case RPT_GDCM_PARSE_FAILED:
            let last = DicomTag(result.last_group, result.last_element)
            let field = last == .pixelData ? last.label : (last.group == 0 ? "data set" : "after \(last.label)")
            throw InputError(source: path, field: field,
                             reason: "file is truncated or corrupt: \(message)")
        default:
            let ts = TransferSyntax(uid: syntax)
            throw InputError(source: path, field: DicomTag.pixelData.label, value: syntax,
                             reason: "pixel data could not be decoded (\(ts.name)): \(message)")
        }
        if ds.string(.transferSyntaxUID) == nil, !syntax.isEmpty {
            ds.elements[.transferSyntaxUID] = DicomElement(tag: .transferSyntaxUID, vr: .UI, bytes: Array(syntax.utf8))
        }
        if result.pixels_decoded == 1 {
            // Describe the decoded buffer (GDCM's PixelFormat), which is what DicomPixelData interprets.
            ds.set(.us(.samplesPerPixel, UInt16(result.samples_per_pixel)))
            ds.set(.us(.bitsAllocated, UInt16(result.bits_allocated)))
            ds.set(.us(.bitsStored, UInt16(result.bits_stored)))
            ds.set(.us(.highBit, UInt16(result.high_bit)))
            ds.set(.us(.pixelRepresentation, UInt16(result.pixel_representation)))
        }
        return ds
    }
}

/// Builds the `DicomDataSet` tree from the shim's walk events.
private final class DataSetBuilder {
    private var datasets: [DicomDataSet]
    private var sequences: [(tag: DicomTag, items: [DicomDataSet])] = []
    private let source: String

    init(source: String) { self.source = source; datasets = [DicomDataSet(source: source)] }

    var root: DicomDataSet { datasets[0] }

    func visit(event: Int32, tag: DicomTag, vr: String, bytes: [UInt8]) {
        switch Int(event) {
        case RPT_GDCM_ELEMENT:
            let element = DicomElement(tag: tag, vr: DicomVR(rawValue: vr) ?? DicomDictionary.entry(for: tag)?.vr ?? .UN, bytes: bytes)
            datasets[datasets.count - 1].elements[tag] = element
            if tag == .specificCharacterSet {
                datasets[datasets.count - 1].characterSet = datasets[datasets.count - 1].strings(tag).joined(separator: "\\")
            }
        case RPT_GDCM_SEQUENCE_BEGIN:
            sequences.append((tag, []))
        case RPT_GDCM_ITEM_BEGIN:
            var item = DicomDataSet(source: source)
            item.characterSet = datasets[datasets.count - 1].characterSet
            datasets.append(item)
        case RPT_GDCM_ITEM_END:
            let item = datasets.removeLast()
            sequences[sequences.count - 1].items.append(item)
        default:  // RPT_GDCM_SEQUENCE_END
            let (seqTag, items) = sequences.removeLast()
            datasets[datasets.count - 1].elements[seqTag] = DicomElement(tag: seqTag, vr: .SQ, items: items)
        }
    }
}
