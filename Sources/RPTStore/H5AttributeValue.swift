/// The value of an HDF5 attribute as RPTStore writes and reads it.
///
/// On disk: strings are variable-length UTF-8 (`h5py` returns them as `str`), numbers are
/// little-endian float64 / int64 / uint64. Scalar cases use a scalar dataspace, array cases a 1-D
/// dataspace (even with one element), so h5py gives a Python scalar or a numpy array respectively.
public enum H5AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case strings([String])
    case double(Double)
    case doubles([Double])
    case int(Int64)
    case ints([Int64])
    /// Unsigned 64-bit scalar, used for random seeds.
    case uint(UInt64)

    /// The value as one string (only `.string`).
    public var asString: String? { if case .string(let s) = self { s } else { nil } }

    /// A list of strings (`.strings`, or a lone `.string` as a one-element list).
    public var asStrings: [String]? {
        switch self {
        case .strings(let s): s
        case .string(let s): [s]
        default: nil
        }
    }

    /// The value as a number, from any numeric scalar case.
    public var asDouble: Double? {
        switch self {
        case .double(let d): d
        case .int(let i): Double(i)
        case .uint(let u): Double(u)
        default: nil
        }
    }

    /// The value as a list of numbers, from any numeric case (a scalar becomes a one-element list).
    public var asDoubles: [Double]? {
        switch self {
        case .doubles(let d): d
        case .ints(let i): i.map(Double.init)
        case .double, .int, .uint: asDouble.map { [$0] }
        default: nil
        }
    }

    /// The value as an integer (`.int`, or `.uint` that fits in Int64).
    public var asInt: Int64? {
        switch self {
        case .int(let i): i
        case .uint(let u): Int64(exactly: u)
        default: nil
        }
    }

    /// The value as a list of integers (`.ints`, or an integer scalar as a one-element list).
    public var asInts: [Int64]? {
        switch self {
        case .ints(let i): i
        case .int, .uint: asInt.map { [$0] }
        default: nil
        }
    }

    /// The value as an unsigned integer (`.uint`, or a non-negative `.int`).
    public var asUInt: UInt64? {
        switch self {
        case .uint(let u): u
        case .int(let i): UInt64(exactly: i)
        default: nil
        }
    }

    /// Short name of the case, for error messages.
    public var kindName: String {
        switch self {
        case .string: "string"
        case .strings: "string array"
        case .double: "float64"
        case .doubles: "float64 array"
        case .int: "int64"
        case .ints: "int64 array"
        case .uint: "uint64"
        }
    }

    public var description: String {
        switch self {
        case .string(let s): s
        case .strings(let s): "[" + s.joined(separator: ", ") + "]"
        case .double(let d): "\(d)"
        case .doubles(let d): "[" + d.map { "\($0)" }.joined(separator: ", ") + "]"
        case .int(let i): "\(i)"
        case .ints(let i): "[" + i.map { "\($0)" }.joined(separator: ", ") + "]"
        case .uint(let u): "\(u)"
        }
    }
}

extension H5AttributeValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
}
