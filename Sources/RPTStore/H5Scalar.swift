import CHDF5

/// Numeric element types RPTStore reads and writes. On disk every type is stored little-endian
/// (HDF5 `H5T_STD_*LE` / `H5T_IEEE_F*LE`), so files are identical on every platform.
public enum H5ElementType: String, CaseIterable, Sendable {
    case uint8, int16, uint16, int32, int64, uint64, float32, float64

    /// The HDF5 type id used in memory (native byte order).
    var memoryType: hid_t {
        switch self {
        case .uint8: rpt_H5T_NATIVE_UINT8()
        case .int16: rpt_H5T_NATIVE_INT16()
        case .uint16: rpt_H5T_NATIVE_UINT16()
        case .int32: rpt_H5T_NATIVE_INT32()
        case .int64: rpt_H5T_NATIVE_INT64()
        case .uint64: rpt_H5T_NATIVE_UINT64()
        case .float32: rpt_H5T_NATIVE_FLOAT()
        case .float64: rpt_H5T_NATIVE_DOUBLE()
        }
    }

    /// The HDF5 type id used in the file (little-endian standard types).
    var fileType: hid_t {
        switch self {
        case .uint8: rpt_H5T_STD_U8LE()
        case .int16: rpt_H5T_STD_I16LE()
        case .uint16: rpt_H5T_STD_U16LE()
        case .int32: rpt_H5T_STD_I32LE()
        case .int64: rpt_H5T_STD_I64LE()
        case .uint64: rpt_H5T_STD_U64LE()
        case .float32: rpt_H5T_IEEE_F32LE()
        case .float64: rpt_H5T_IEEE_F64LE()
        }
    }

    /// Classifies an HDF5 datatype; nil for types RPTStore does not handle (int8, uint32, compound…).
    init?(hdf5Type t: hid_t) {
        let size = H5Tget_size(t)
        switch H5Tget_class(t) {
        case H5T_FLOAT:
            switch size { case 4: self = .float32; case 8: self = .float64; default: return nil }
        case H5T_INTEGER:
            let signed = H5Tget_sign(t) == H5T_SGN_2
            switch (size, signed) {
            case (1, false): self = .uint8
            case (2, true): self = .int16
            case (2, false): self = .uint16
            case (4, true): self = .int32
            case (8, true): self = .int64
            case (8, false): self = .uint64
            default: return nil
            }
        default: return nil
        }
    }
}

/// A Swift scalar that maps one-to-one onto an HDF5 numeric type.
public protocol H5Scalar: Sendable {
    static var h5ElementType: H5ElementType { get }
}
extension UInt8: H5Scalar { public static var h5ElementType: H5ElementType { .uint8 } }
extension Int16: H5Scalar { public static var h5ElementType: H5ElementType { .int16 } }
extension UInt16: H5Scalar { public static var h5ElementType: H5ElementType { .uint16 } }
extension Int32: H5Scalar { public static var h5ElementType: H5ElementType { .int32 } }
extension Int64: H5Scalar { public static var h5ElementType: H5ElementType { .int64 } }
extension UInt64: H5Scalar { public static var h5ElementType: H5ElementType { .uint64 } }
extension Float: H5Scalar { public static var h5ElementType: H5ElementType { .float32 } }
extension Double: H5Scalar { public static var h5ElementType: H5ElementType { .float64 } }
