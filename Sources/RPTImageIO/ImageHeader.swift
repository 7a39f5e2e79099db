import RPTVolume

/// Linear value scaling stored in a file: `value = slope · stored + intercept`.
public struct ValueScaling: Equatable, Sendable {
    public var slope: Double
    public var intercept: Double
    public init(slope: Double, intercept: Double) { self.slope = slope; self.intercept = intercept }
}

/// What an image file's header says, without its voxel data.
public struct ImageHeader: Equatable, Sendable {
    /// Voxel grid in DICOM LPS millimetres.
    public var grid: Grid3D
    /// Scalar type `ImageIO.read` returns (float64 when `scaling` is set, else `storedVoxelType`).
    public var voxelType: VoxelType
    /// Scalar type of the voxels as stored in the file.
    public var storedVoxelType: VoxelType
    /// File format.
    public var format: ImageFormat
    /// Unit string recorded by RPTDose in the header (empty when absent).
    public var unit: String
    /// Value scaling applied on read (NIfTI `scl_slope`/`scl_inter`); nil when none.
    public var scaling: ValueScaling?
    /// Path of the file holding the voxel data (the header itself for `.nii`, `.nii.gz`, `.mha`).
    public var dataPath: String

    public init(grid: Grid3D, voxelType: VoxelType, storedVoxelType: VoxelType, format: ImageFormat,
                unit: String = "", scaling: ValueScaling? = nil, dataPath: String) {
        self.grid = grid; self.voxelType = voxelType; self.storedVoxelType = storedVoxelType
        self.format = format; self.unit = unit; self.scaling = scaling; self.dataPath = dataPath
    }
}
