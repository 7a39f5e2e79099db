/// DICOM value representations (PS3.5 §6.2).
public enum DicomVR: String, Sendable, CaseIterable {
    case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV,
         TM, UC, UI, UL, UN, UR, US, UT, UV

    /// Whether explicit-VR encoding uses 2 reserved bytes and a 4-byte length (PS3.5 §7.1.2).
    public var hasLongLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .UC, .UN, .UR, .UT, .SV, .UV: true
        default: false
        }
    }

    /// Whether the value is character data (padded with a space, or NUL for UI).
    public var isText: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: true
        default: false
        }
    }

    /// Byte that pads an odd-length value to even length.
    var padByte: UInt8 { self == .UI ? 0 : (isText ? 0x20 : 0) }

    /// Size of one binary number for numeric VRs; nil for the others.
    var binaryWidth: Int? {
        switch self {
        case .US, .SS: 2
        case .UL, .SL, .FL, .AT: 4
        case .FD, .SV, .UV: 8
        default: nil
        }
    }

    init?(bytes b0: UInt8, _ b1: UInt8) {
        guard (0x41...0x5A).contains(b0), (0x41...0x5A).contains(b1) else { return nil }
        self.init(rawValue: String(decoding: [b0, b1], as: UTF8.self))
    }
}
