import RPTCore

/// Decodes the element stream of a data set (PS3.5 §7) from bytes already in memory.
///
/// Handles explicit and implicit VR, little and big endian, sequences and items of defined and
/// undefined length, and encapsulated pixel data (kept as fragments). Every length is checked
/// against the bytes that remain, so a truncated file is reported with the tag being read.
struct DicomParser {
    let bytes: [UInt8]
    let source: String
    var explicitVR: Bool
    var bigEndian: Bool
    var characterSet = ""

    static let undefinedLength: UInt32 = 0xFFFF_FFFF

    init(bytes: [UInt8], source: String, explicitVR: Bool, bigEndian: Bool) {
        self.bytes = bytes; self.source = source; self.explicitVR = explicitVR; self.bigEndian = bigEndian
    }

    func u16(_ at: Int) -> UInt16 {
        bigEndian ? UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]) : UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    func u32(_ at: Int) -> UInt32 {
        let b0 = UInt32(bytes[at]), b1 = UInt32(bytes[at + 1]), b2 = UInt32(bytes[at + 2]), b3 = UInt32(bytes[at + 3])
        return bigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b0 | b1 << 8 | b2 << 16 | b3 << 24
    }

    /// How a data-set parse ends.
    enum Stop {
        /// At `end` (top level or a defined-length item).
        case atEnd
        /// At an Item Delimitation Item (undefined-length item).
        case atItemDelimiter
        /// Before the first element whose group is not 0002 (the file meta information).
        case afterMetaGroup
    }

    /// Parses elements from `start` up to `end`. Returns the data set and the offset after it.
    /// With `stopAtPixelData`, parsing ends (without error) when Pixel Data (7FE0,0010) is reached.
    mutating func parseDataSet(from start: Int, end: Int, stop: Stop, stopAtPixelData: Bool = false)
        throws -> (DicomDataSet, Int)
    {
        var ds = DicomDataSet(source: source)
        ds.bigEndian = bigEndian
        ds.characterSet = characterSet
        var pos = start
        var lastTag: DicomTag?
        while pos < end {
            guard pos + 8 <= end else { throw truncated(after: lastTag, need: 8, at: pos, end: end) }
            let tag = DicomTag(u16(pos), u16(pos + 2))
            if stop == .afterMetaGroup && tag.group != 0x0002 { return (ds, pos) }
            if tag.isItemOrDelimiter {
                if tag == .itemDelimitation && stop == .atItemDelimiter { return (ds, pos + 8) }
                throw InputError(source: source, field: tag.label, value: "offset \(pos)",
                                 reason: "unexpected item or delimiter tag inside a data set (corrupt file)")
            }
            if stopAtPixelData && tag == .pixelData { return (ds, pos) }
            var vr: DicomVR
            var length: UInt32
            var valueStart: Int
            let dictVR = DicomDictionary.entry(for: tag)?.vr
            if explicitVR {
                guard let v = DicomVR(bytes: bytes[pos + 4], bytes[pos + 5]) else {
                    throw InputError(source: source, field: tag.label,
                                     value: String(decoding: bytes[(pos + 4)..<(pos + 6)].map { $0 < 32 || $0 > 126 ? 63 : $0 }, as: UTF8.self),
                                     reason: "invalid value representation in an explicit-VR data set (corrupt file or wrong transfer syntax)")
                }
                vr = v
                if v.hasLongLength {
                    guard pos + 12 <= end else { throw truncated(after: tag, need: 12, at: pos, end: end) }
                    length = u32(pos + 8)
                    valueStart = pos + 12
                } else {
                    length = UInt32(u16(pos + 6))
                    valueStart = pos + 8
                }
            } else {
                vr = dictVR ?? .UN
                length = u32(pos + 4)
                valueStart = pos + 8
            }
            var element = DicomElement(tag: tag, vr: vr)
            if length == Self.undefinedLength {
                if tag == .pixelData {
                    let (fragments, next) = try parseFragments(from: valueStart, end: end)
                    element.fragments = fragments
                    pos = next
                } else if vr == .SQ || vr == .UN {
                    // Undefined-length UN holds a sequence in Implicit VR Little Endian (PS3.5 §6.2.2).
                    var sub = self
                    if vr == .UN { sub.explicitVR = false; sub.bigEndian = false; element.vr = .SQ }
                    let (items, next) = try sub.parseSequence(from: valueStart, end: end, definedEnd: nil, tag: tag)
                    element.items = items
                    pos = next
                } else {
                    throw InputError(source: source, field: tag.label, value: vr.rawValue,
                                     reason: "undefined length is only allowed for sequences and encapsulated pixel data")
                }
            } else {
                let n = Int(length)
                guard valueStart + n <= end else {
                    throw InputError(source: source, field: tag.label, value: "\(n) bytes",
                                     reason: "file is truncated: the element's value needs \(n) bytes at offset "
                                         + "\(valueStart) but only \(max(0, end - valueStart)) remain")
                }
                if vr == .SQ || (vr == .UN && dictVR == .SQ) {
                    var sub = self
                    if vr == .UN { sub.explicitVR = false; sub.bigEndian = false; element.vr = .SQ }
                    let (items, _) = try sub.parseSequence(from: valueStart, end: valueStart + n,
                                                           definedEnd: valueStart + n, tag: tag)
                    element.items = items
                } else {
                    element.bytes = Array(bytes[valueStart..<(valueStart + n)])
                }
                pos = valueStart + n
            }
            if tag == .specificCharacterSet {
                ds.elements[tag] = element
                characterSet = ds.strings(tag).joined(separator: "\\")
                ds.characterSet = characterSet
            }
            ds.elements[tag] = element
            lastTag = tag
        }
        if stop == .atItemDelimiter {
            throw InputError(source: source, field: lastTag?.label ?? "item",
                             reason: "file is truncated: an undefined-length item has no Item Delimitation Item")
        }
        return (ds, pos)
    }

    /// Parses the items of a sequence; `definedEnd` is nil for undefined length (ends at a delimiter).
    mutating func parseSequence(from start: Int, end: Int, definedEnd: Int?, tag: DicomTag) throws -> ([DicomDataSet], Int) {
        var items: [DicomDataSet] = []
        var pos = start
        let limit = definedEnd ?? end
        while true {
            if let definedEnd, pos >= definedEnd { return (items, pos) }
            guard pos + 8 <= limit else {
                throw InputError(source: source, field: tag.label,
                                 reason: "file is truncated inside this sequence (item \(items.count + 1) is incomplete)")
            }
            let itemTag = DicomTag(u16(pos), u16(pos + 2))
            let length = u32(pos + 4)
            if itemTag == .sequenceDelimitation { return (items, pos + 8) }
            guard itemTag == .item else {
                throw InputError(source: source, field: tag.label, value: itemTag.description,
                                 reason: "expected an Item (FFFE,E000) inside the sequence")
            }
            if length == Self.undefinedLength {
                let (ds, next) = try parseDataSet(from: pos + 8, end: limit, stop: .atItemDelimiter)
                items.append(ds)
                pos = next
            } else {
                let itemEnd = pos + 8 + Int(length)
                guard itemEnd <= limit else {
                    throw InputError(source: source, field: tag.label, value: "item \(items.count + 1)",
                                     reason: "file is truncated: the item needs \(length) bytes but only \(limit - pos - 8) remain")
                }
                let (ds, _) = try parseDataSet(from: pos + 8, end: itemEnd, stop: .atEnd)
                items.append(ds)
                pos = itemEnd
            }
        }
    }

    /// Encapsulated pixel data (PS3.5 §A.4): Basic Offset Table item, fragments, sequence delimiter.
    func parseFragments(from start: Int, end: Int) throws -> ([[UInt8]], Int) {
        var pos = start
        var fragments: [[UInt8]] = []
        var first = true
        while true {
            guard pos + 8 <= end else {
                throw InputError(source: source, field: DicomTag.pixelData.label,
                                 reason: "file is truncated inside encapsulated pixel data")
            }
            let tag = DicomTag(u16(pos), u16(pos + 2))
            let length = Int(u32(pos + 4))
            if tag == .sequenceDelimitation { return (fragments, pos + 8) }
            guard tag == .item, pos + 8 + length <= end else {
                throw InputError(source: source, field: DicomTag.pixelData.label, value: tag.description,
                                 reason: "corrupt or truncated encapsulated pixel data fragment")
            }
            if !first { fragments.append(Array(bytes[(pos + 8)..<(pos + 8 + length)])) }
            first = false
            pos += 8 + length
        }
    }

    private func truncated(after tag: DicomTag?, need: Int, at pos: Int, end: Int) -> InputError {
        InputError(source: source, field: tag.map { "after \($0.label)" } ?? "data set",
                   reason: "file is truncated: an element header needs \(need) bytes at offset \(pos) but only "
                       + "\(end - pos) remain")
    }
}
