/// One data element: tag, VR and value (raw bytes, sequence items, or encapsulated fragments).
public struct DicomElement: Sendable {
    public var tag: DicomTag
    public var vr: DicomVR
    /// Raw value bytes in the data set's byte order (empty for sequences and encapsulated data).
    public var bytes: [UInt8]
    /// Items of a sequence (VR SQ).
    public var items: [DicomDataSet]
    /// Fragments of encapsulated (compressed) pixel data, Basic Offset Table excluded; nil otherwise.
    public var fragments: [[UInt8]]?

    public init(tag: DicomTag, vr: DicomVR, bytes: [UInt8] = [], items: [DicomDataSet] = [],
                fragments: [[UInt8]]? = nil) {
        self.tag = tag; self.vr = vr; self.bytes = bytes; self.items = items; self.fragments = fragments
    }
}
