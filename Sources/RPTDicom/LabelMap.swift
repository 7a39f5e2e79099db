import RPTVolume

/// A label volume (0 = background) with the name of each label.
public struct LabelMap: Sendable, Equatable {
    public var volume: Volume<UInt16>
    /// Label value → ROI or segment name.
    public var names: [UInt16: String]

    public init(volume: Volume<UInt16>, names: [UInt16: String]) {
        self.volume = volume; self.names = names
    }

    /// Number of voxels holding `label`.
    public func voxelCount(of label: UInt16) -> Int { volume.voxels.reduce(0) { $0 + ($1 == label ? 1 : 0) } }

    /// The label whose name is `name`, if any.
    public func label(named name: String) -> UInt16? { names.first { $0.value == name }?.key }
}
