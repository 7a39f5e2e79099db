import Foundation
import RPTCore

/// A parsed DICOM data set (or a sequence item) with typed accessors.
///
/// Accessors that return optionals treat a missing or empty attribute as nil; the `required…`
/// accessors throw an `InputError` naming the file (`source`) and the tag.
public struct DicomDataSet: Sendable {
    public var elements: [DicomTag: DicomElement] = [:]
    /// Whether binary values are big endian (Explicit VR Big Endian transfer syntax).
    public var bigEndian = false
    /// File the data set came from; used in error messages.
    public var source: String
    /// Specific Character Set (0008,0005) in force (inherited by sequence items).
    public var characterSet: String = ""

    public init(source: String) { self.source = source }

    public subscript(tag: DicomTag) -> DicomElement? {
        get { elements[tag] }
        set { elements[tag] = newValue }
    }

    public func contains(_ tag: DicomTag) -> Bool { elements[tag] != nil }

    // MARK: text

    /// All values of a text attribute (backslash-separated), trimmed of padding spaces and NULs.
    public func strings(_ tag: DicomTag) -> [String] {
        guard let e = elements[tag], !e.bytes.isEmpty else { return [] }
        let text = decodeText(e.bytes)
        let parts = e.vr == .LT || e.vr == .ST || e.vr == .UT ? [Substring(text)] : text.split(separator: "\\", omittingEmptySubsequences: false)
        return parts.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \0")) }
    }

    /// First value of a text attribute, nil when absent or empty.
    public func string(_ tag: DicomTag) -> String? {
        guard let s = strings(tag).first, !s.isEmpty else { return nil }
        return s
    }

    private func decodeText(_ bytes: [UInt8]) -> String {
        if characterSet.contains("ISO_IR 100") || characterSet.contains("ISO 2022 IR 100") {
            return String(bytes.map { Character(Unicode.Scalar($0)) })
        }
        if let s = String(validatingUTF8: bytes.map { CChar(bitPattern: $0) } + [0]) { return s }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    // MARK: numbers

    /// Numeric values of an attribute: decimal/integer strings (DS, IS) or binary numbers
    /// (US, SS, UL, SL, FL, FD, SV, UV). Nil when absent or empty; throws on unparsable text.
    public func doubles(_ tag: DicomTag) throws -> [Double]? {
        guard let e = elements[tag], !e.bytes.isEmpty else { return nil }
        switch e.vr {
        case .DS, .IS:
            return try strings(tag).filter { !$0.isEmpty }.map { s in
                guard let v = Double(s), v.isFinite else {
                    throw InputError(source: source, field: tag.label, value: s, reason: "not a decimal number")
                }
                return v
            }
        case .US, .SS, .UL, .SL, .FL, .FD, .SV, .UV:
            return binaryNumbers(e)
        case .UN:
            // Explicit-VR files may carry known attributes as UN: interpret with the dictionary's VR.
            guard let vr = DicomDictionary.entry(for: tag)?.vr, vr != .UN else { return nil }
            var copy = self
            copy.elements[tag]?.vr = vr
            return try copy.doubles(tag)
        default:
            throw InputError(source: source, field: tag.label, value: e.vr.rawValue,
                             reason: "expected a numeric value representation")
        }
    }

    private func binaryNumbers(_ e: DicomElement) -> [Double] {
        let w = e.vr.binaryWidth!
        let n = e.bytes.count / w
        var out = [Double]()
        out.reserveCapacity(n)
        for k in 0..<n {
            var raw: UInt64 = 0
            for b in 0..<w {
                let byte = UInt64(e.bytes[k * w + (bigEndian ? w - 1 - b : b)])
                raw |= byte << (8 * UInt64(b))
            }
            switch e.vr {
            case .US: out.append(Double(UInt16(truncatingIfNeeded: raw)))
            case .SS: out.append(Double(Int16(truncatingIfNeeded: raw)))
            case .UL: out.append(Double(UInt32(truncatingIfNeeded: raw)))
            case .SL: out.append(Double(Int32(truncatingIfNeeded: raw)))
            case .FL: out.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))))
            case .FD: out.append(Double(bitPattern: raw))
            case .SV: out.append(Double(Int64(bitPattern: raw)))
            default: out.append(Double(raw))
            }
        }
        return out
    }

    /// First numeric value, nil when absent.
    public func double(_ tag: DicomTag) throws -> Double? { try doubles(tag)?.first }

    /// First numeric value as an integer; throws if it is not a whole number.
    public func int(_ tag: DicomTag) throws -> Int? {
        guard let v = try double(tag) else { return nil }
        guard v == v.rounded(), abs(v) < 1e15 else {
            throw InputError(source: source, field: tag.label, value: "\(v)", reason: "expected an integer")
        }
        return Int(v)
    }

    /// Tag values of an AT attribute (pairs of group, element).
    public func tags(_ tag: DicomTag) -> [DicomTag] {
        guard let e = elements[tag] else { return [] }
        var out: [DicomTag] = []
        var k = 0
        func u16(_ i: Int) -> UInt16 {
            bigEndian ? UInt16(e.bytes[i]) << 8 | UInt16(e.bytes[i + 1]) : UInt16(e.bytes[i]) | UInt16(e.bytes[i + 1]) << 8
        }
        while k + 4 <= e.bytes.count { out.append(DicomTag(u16(k), u16(k + 2))); k += 4 }
        return out
    }

    /// Items of a sequence attribute (empty when absent).
    public func sequence(_ tag: DicomTag) -> [DicomDataSet] { elements[tag]?.items ?? [] }

    // MARK: required values

    public func requiredString(_ tag: DicomTag) throws -> String {
        guard let s = string(tag) else { throw missing(tag) }
        return s
    }

    public func requiredDoubles(_ tag: DicomTag, count: Int? = nil) throws -> [Double] {
        guard let v = try doubles(tag), !v.isEmpty else { throw missing(tag) }
        if let count, v.count != count {
            throw InputError(source: source, field: tag.label, value: v.map { "\($0)" }.joined(separator: "\\"),
                             reason: "expected \(count) values, found \(v.count)")
        }
        return v
    }

    public func requiredInt(_ tag: DicomTag) throws -> Int {
        guard let v = try int(tag) else { throw missing(tag) }
        return v
    }

    /// The error for a missing required attribute.
    public func missing(_ tag: DicomTag, context: String = "") -> InputError {
        InputError(source: source, field: tag.label,
                   reason: "required attribute is missing or empty" + (context.isEmpty ? "" : " (\(context))"))
    }
}
