/// A CT display window: grey value 0 at `level − width/2` HU and 255 at `level + width/2` HU,
/// linear in between and clamped outside.
///
/// This is the plain linear window; DICOM PS3.3 C.11.2.1.2's VOI LUT shifts the ends by half a
/// grey step, which is invisible at 8 bits and not reproduced here.
public struct WindowLevel: Equatable, Sendable {
    /// Window width (HU, > 0).
    public var width: Double
    /// Window centre (HU).
    public var level: Double

    public init(width: Double, level: Double) {
        precondition(width > 0, "window width must be > 0 HU")
        self.width = width; self.level = level
    }

    /// Soft tissue, W 400 / L 40 HU.
    public static let softTissue = WindowLevel(width: 400, level: 40)
    /// Lung, W 1500 / L −600 HU.
    public static let lung = WindowLevel(width: 1500, level: -600)
    /// Bone, W 1800 / L 400 HU.
    public static let bone = WindowLevel(width: 1800, level: 400)

    /// Grey value (0…255) for a CT number in HU.
    @inlinable public func grey(_ hu: Double) -> UInt8 {
        let t = (hu - (level - width / 2)) / width
        if !(t > 0) { return 0 }
        if t >= 1 { return 255 }
        return UInt8((t * 255).rounded())
    }
}
