import RPTCore
import RPTVolume
@testable import RPTKernels

/// Small synthetic inputs shared by the kernel tests.
enum TestFields {
    /// A deliberately asymmetric, anisotropic kernel: exp(−r/λ), λ = `lengthMM`, over physical distance r (mm) with extra
    /// factors along +i, +j and −k (each axis different), so that convolution and correlation, and a flip or swap of any
    /// axis, give different answers. Not a physical kernel.
    static func kernel(shape: SIMD3<Int>, voxelMM: SIMD3<Double>, density: Double = 1.0,
                       lengthMM: Double = 3.0) -> VoxelSValueKernel {
        var values = [Double]()
        let c = shape / 2
        for k in 0..<shape.z {
            for j in 0..<shape.y {
                for i in 0..<shape.x {
                    let d = SIMD3<Double>(Double(i - c.x), Double(j - c.y), Double(k - c.z)) * voxelMM
                    let r = (d * d).sum().squareRoot()
                    values.append(2e-10 * _exp(-r / lengthMM) * (i > c.x ? 1.5 : 1.0) * (j > c.y ? 1.3 : 1.0) * (k < c.z ? 1.2 : 1.0))
                }
            }
        }
        return VoxelSValueKernel(nuclide: "Test-0", shape: shape, voxelSizeMM: voxelMM, medium: "test medium",
                                 densityGPerCm3: density, valuesGyPerBqS: values,
                                 provenance: ["generator": "TestFields.kernel"])
    }

    /// Random TIA (Bq·s) in [0, 1e9) on `grid`, zero within `margin` voxels of every face.
    static func randomTIA(grid: Grid3D, margin: SIMD3<Int> = .zero, seed: UInt64 = 7) -> Volume<Double> {
        var rng = RandomStream(seed: seed, stream: 1)
        var v = Volume<Double>(grid: grid, repeating: 0, unit: "Bq*s")
        let n = grid.shape
        for k in margin.z..<(n.z - margin.z) {
            for j in margin.y..<(n.y - margin.y) {
                for i in margin.x..<(n.x - margin.x) { v[i, j, k] = 1e9 * rng.uniform() }
            }
        }
        return v
    }
}
