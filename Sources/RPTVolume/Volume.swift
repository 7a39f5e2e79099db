import RPTCore

/// Scalar types a voxel may hold on disk and in memory.
public protocol VoxelScalar: Sendable, Equatable {
    /// The on-disk type tag of this scalar.
    static var voxelType: VoxelType { get }
    var doubleValue: Double { get }
    /// Converts a double, rounding to nearest and clamping to the type's range for integers.
    init(clampingDouble: Double)
}

/// On-disk voxel data types supported by every image format in RPTDose.
public enum VoxelType: String, CaseIterable, Sendable, Codable {
    case uint8, int16, uint16, int32, float32, float64
    /// Bytes per voxel.
    public var byteCount: Int {
        switch self {
        case .uint8: 1
        case .int16, .uint16: 2
        case .int32, .float32: 4
        case .float64: 8
        }
    }
    @inlinable public var isInteger: Bool { self != .float32 && self != .float64 }
}

extension UInt8: VoxelScalar {
    @inlinable public static var voxelType: VoxelType { .uint8 }
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public init(clampingDouble d: Double) { self = d.isNaN ? 0 : UInt8(Swift.max(0.0, Swift.min(255.0, d.rounded()))) }
}
extension Int16: VoxelScalar {
    @inlinable public static var voxelType: VoxelType { .int16 }
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public init(clampingDouble d: Double) { self = d.isNaN ? 0 : Int16(Swift.max(-32768.0, Swift.min(32767.0, d.rounded()))) }
}
extension UInt16: VoxelScalar {
    @inlinable public static var voxelType: VoxelType { .uint16 }
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public init(clampingDouble d: Double) { self = d.isNaN ? 0 : UInt16(Swift.max(0.0, Swift.min(65535.0, d.rounded()))) }
}
extension Int32: VoxelScalar {
    @inlinable public static var voxelType: VoxelType { .int32 }
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public init(clampingDouble d: Double) {
        self = d.isNaN ? 0 : Int32(Swift.max(-2_147_483_648.0, Swift.min(2_147_483_647.0, d.rounded())))
    }
}
extension Float: VoxelScalar {
    @inlinable public static var voxelType: VoxelType { .float32 }
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public init(clampingDouble d: Double) { self = Float(d) }
}
extension Double: VoxelScalar {
    @inlinable public static var voxelType: VoxelType { .float64 }
    @inlinable public var doubleValue: Double { self }
    @inlinable public init(clampingDouble d: Double) { self = d }
}

/// A 3-D image: a grid plus one scalar per voxel (i fastest), with an optional unit string
/// (e.g. "HU", "Bq/mL", "Gy", "label").
public struct Volume<Scalar: VoxelScalar>: Equatable, Sendable {
    public var grid: Grid3D
    public var voxels: [Scalar]
    public var unit: String

    public init(grid: Grid3D, voxels: [Scalar], unit: String = "") {
        precondition(voxels.count == grid.voxelCount,
                     "voxel count \(voxels.count) does not match grid \(grid.voxelCount)")
        self.grid = grid; self.voxels = voxels; self.unit = unit
    }

    public init(grid: Grid3D, repeating value: Scalar, unit: String = "") {
        self.init(grid: grid, voxels: [Scalar](repeating: value, count: grid.voxelCount), unit: unit)
    }

    public subscript(i: Int, j: Int, k: Int) -> Scalar {
        get { voxels[grid.linearIndex(i, j, k)] }
        set { voxels[grid.linearIndex(i, j, k)] = newValue }
    }

    /// Converts every voxel to another scalar type (rounding and clamping into integer types).
    @inlinable public func converted<T: VoxelScalar>(to: T.Type = T.self) -> Volume<T> {
        Volume<T>(grid: grid, voxels: voxels.map { T(clampingDouble: $0.doubleValue) }, unit: unit)
    }

    /// Minimum and maximum voxel value (as doubles); NaNs are ignored.
    @inlinable public var valueRange: ClosedRange<Double> {
        var lo = Double.infinity, hi = -Double.infinity
        for v in voxels { let d = v.doubleValue; if d < lo { lo = d }; if d > hi { hi = d } }
        return lo <= hi ? lo...hi : 0...0
    }

    /// Sum of all voxel values.
    @inlinable public var sum: Double { voxels.reduce(0) { $0 + $1.doubleValue } }

    /// Throws if any voxel is NaN or infinite; `source` names the input in the message.
    @inlinable public func requireFinite(source: String) throws {
        if Scalar.voxelType.isInteger { return }  // integers are always finite
        for n in voxels.indices where !voxels[n].doubleValue.isFinite {
            let v = voxels[n]
            let ijk = grid.voxelIndex(n)
            throw InputError(source: source, field: "voxel (\(ijk.x), \(ijk.y), \(ijk.z))",
                             value: "\(v.doubleValue)", reason: "NaN or infinite voxel values are not allowed here")
        }
    }
}

/// A volume of any supported scalar type, as read from a file whose type is known only at run time.
public enum AnyVolume: Equatable, Sendable {
    case uint8(Volume<UInt8>)
    case int16(Volume<Int16>)
    case uint16(Volume<UInt16>)
    case int32(Volume<Int32>)
    case float32(Volume<Float>)
    case float64(Volume<Double>)

    public init<T: VoxelScalar>(_ v: Volume<T>) {
        switch v {
        case let x as Volume<UInt8>: self = .uint8(x)
        case let x as Volume<Int16>: self = .int16(x)
        case let x as Volume<UInt16>: self = .uint16(x)
        case let x as Volume<Int32>: self = .int32(x)
        case let x as Volume<Float>: self = .float32(x)
        case let x as Volume<Double>: self = .float64(x)
        default: fatalError("unsupported voxel scalar \(T.self)")
        }
    }

    public var grid: Grid3D {
        switch self {
        case .uint8(let v): v.grid
        case .int16(let v): v.grid
        case .uint16(let v): v.grid
        case .int32(let v): v.grid
        case .float32(let v): v.grid
        case .float64(let v): v.grid
        }
    }

    public var unit: String {
        switch self {
        case .uint8(let v): v.unit
        case .int16(let v): v.unit
        case .uint16(let v): v.unit
        case .int32(let v): v.unit
        case .float32(let v): v.unit
        case .float64(let v): v.unit
        }
    }

    public var voxelType: VoxelType {
        switch self {
        case .uint8: .uint8
        case .int16: .int16
        case .uint16: .uint16
        case .int32: .int32
        case .float32: .float32
        case .float64: .float64
        }
    }

    /// The volume as doubles (a copy).
    public var asDouble: Volume<Double> { converted(to: Double.self) }

    public func converted<T: VoxelScalar>(to: T.Type) -> Volume<T> {
        switch self {
        case .uint8(let v): v.converted(to: T.self)
        case .int16(let v): v.converted(to: T.self)
        case .uint16(let v): v.converted(to: T.self)
        case .int32(let v): v.converted(to: T.self)
        case .float32(let v): v.converted(to: T.self)
        case .float64(let v): v.converted(to: T.self)
        }
    }

    @inlinable public var valueRange: ClosedRange<Double> {
        switch self {
        case .uint8(let v): v.valueRange
        case .int16(let v): v.valueRange
        case .uint16(let v): v.valueRange
        case .int32(let v): v.valueRange
        case .float32(let v): v.valueRange
        case .float64(let v): v.valueRange
        }
    }
}

extension Volume {
    /// Throws unless every voxel is a label: an integer in 0…`maximum` (`LabelValue.integer`); the message
    /// names the first offending voxel. A float, fractional (interpolated) or negative label map is refused,
    /// never truncated.
    public func requireLabels(source: String, maximum: Int = Int(UInt16.max)) throws {
        for (n, v) in voxels.enumerated() {
            do { _ = try LabelValue.integer(v.doubleValue, source: source, maximum: maximum) } catch var e as InputError {
                let ijk = grid.voxelIndex(n)
                e.field = "label at voxel (\(ijk.x), \(ijk.y), \(ijk.z))"
                throw e
            }
        }
    }
}
