import RPTCore
import RPTVolume

/// Voxel S-value convolution: dose (Gy) = TIA (Bq·s per voxel) ⊛ kernel (Gy/(Bq·s)).
///
/// The kernel's voxel size must equal the grid spacing on each axis (non-cubic voxels are fine: the
/// kernel is given per axis). The convolution is linear, not circular: activity near an edge does not
/// wrap to the other side, and dose deposited outside the grid is lost. The dose grid is the TIA grid.
public enum VSVConvolution {
    /// How the convolution is evaluated.
    public enum Method: String, Sendable, CaseIterable {
        /// Zero-padded 3-D FFT in single precision (KISS FFT) for the kernel tail, with the 3×3×3 kernel core
        /// summed directly in double; error ~1e-7–1e-6 of the maximum dose (docs/methods/kernel-methods.md).
        case fft
        /// Spatial sum in double precision; cost ∝ non-zero TIA voxels × kernel voxels.
        case direct
        /// Whichever of the two is estimated to be cheaper (see `estimatedCheaperMethod`).
        case automatic
    }

    /// FFT convolution (the path benchmarks time): same as `dose(tia:kernel:method: .fft)`.
    public static func dose(tia: Volume<Double>, kernel: VoxelSValueKernel) throws -> Volume<Double> {
        try dose(tia: tia, kernel: kernel, method: .fft)
    }

    /// Dose (Gy) per voxel on the TIA grid.
    /// - Throws: `InputError` for NaN, infinite or negative TIA (naming the voxel), an invalid kernel, or
    ///   a kernel voxel size different from the grid spacing.
    public static func dose(tia: Volume<Double>, kernel: VoxelSValueKernel, method: Method) throws -> Volume<Double> {
        try VolumeChecks.requireNonNegative(tia, source: "TIA map")
        try kernel.validate(source: kernel.label)
        try kernel.requireVoxelSize(equalTo: tia.grid.spacing, source: kernel.label)
        let resolved = method == .automatic ? estimatedCheaperMethod(tia: tia, kernelShape: kernel.shape) : method
        let n = tia.grid.shape
        let values: [Double]
        switch resolved {
        case .direct:
            values = Convolution3D.direct(source: tia.voxels, shape: n, kernel: kernel.valuesGyPerBqS,
                                          kernelShape: kernel.shape)
        case .fft, .automatic:
            // Single-precision round-off can leave tiny negative values where the dose is 0; dose is ≥ 0.
            values = Convolution3D.fftWithDirectCore(source: tia.voxels, shape: n, kernel: kernel.valuesGyPerBqS,
                                                     kernelShape: kernel.shape).map { max(0, $0) }
        }
        return Volume(grid: tia.grid, voxels: values, unit: "Gy")
    }

    /// `.direct` when non-zero TIA voxels × kernel voxels is below the FFT's estimated work, else `.fft`.
    public static func estimatedCheaperMethod(tia: Volume<Double>, kernelShape: SIMD3<Int>) -> Method {
        let n = tia.grid.shape
        let h = Convolution3D.effectiveHalfWidths(kernelShape: kernelShape, mapShape: n)
        let nonZero = tia.voxels.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let direct = Convolution3D.directCost(nonZeroSources: nonZero, halfWidths: h)
        let fft = Convolution3D.fftCost(paddedShape: Convolution3D.paddedShape(mapShape: n, halfWidths: h),
                                        nonZeroSources: nonZero)
        return direct <= fft ? .direct : .fft
    }
}
