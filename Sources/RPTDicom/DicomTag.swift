/// A DICOM attribute tag: (group, element), PS3.5 §7.1.
public struct DicomTag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var group: UInt16
    public var element: UInt16

    public init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    /// The tag as one 32-bit number (group in the high half); the order DICOM sorts elements in.
    public var combined: UInt32 { UInt32(group) << 16 | UInt32(element) }

    public static func < (a: DicomTag, b: DicomTag) -> Bool { a.combined < b.combined }

    /// "(GGGG,EEEE)" in upper-case hexadecimal.
    public var description: String { "(\(Self.hex(group)),\(Self.hex(element)))" }

    /// "(GGGG,EEEE) Keyword" for error messages; the keyword comes from the module's small dictionary.
    public var label: String {
        if let keyword = DicomDictionary.entry(for: self)?.keyword { return "\(description) \(keyword)" }
        return description
    }

    /// True for the item and delimitation tags of group FFFE.
    var isItemOrDelimiter: Bool { group == 0xFFFE }

    private static func hex(_ v: UInt16) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
