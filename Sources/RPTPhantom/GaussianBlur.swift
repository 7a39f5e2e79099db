import Foundation
import RPTVolume

/// Separable 3-D Gaussian blur of a voxel array, used to model the resolution of a SPECT image.
///
/// The 1-D kernel on an axis with spacing h is the Gaussian (σ = FWHM / (2√(2 ln 2))) integrated over
/// each voxel: w_k = ½[erf((k+½)h/(σ√2)) − erf((k−½)h/(σ√2))] for |k| ≤ ⌈5σ/h⌉, renormalised to sum 1.
/// Its variance is σ² + h²/12 (Sheppard's correction; exact to < 10⁻⁶ relative for σ ≥ 0.9h).
/// Outside the array the image is zero, so content blurred across the border is lost (as activity
/// outside a camera's field of view).
public enum GaussianBlur {
    /// σ (mm) for a full width at half maximum (mm).
    public static func sigma(fwhmMM: Double) -> Double { fwhmMM / (2 * (2 * log(2.0)).squareRoot()) }

    /// The normalised 1-D kernel w_{−K…K} for voxel size `spacingMM`.
    public static func kernel(fwhmMM: Double, spacingMM: Double) -> [Double] {
        let s = sigma(fwhmMM: fwhmMM)
        guard s > 0 else { return [1] }
        let half = Int((5 * s / spacingMM).rounded(.up))
        let scale = spacingMM / (s * 2.0.squareRoot())
        var w: [Double] = []
        for k in -half...half {
            let upper: Double = erf((Double(k) + 0.5) * scale), lower: Double = erf((Double(k) - 0.5) * scale)
            w.append(0.5 * (upper - lower))
        }
        let total = w.reduce(0, +)
        for n in w.indices { w[n] /= total }
        return w
    }

    /// Blurs `values` (laid out on `grid`, i fastest) in place with an isotropic Gaussian of `fwhmMM`.
    public static func apply(_ values: inout [Double], grid: Grid3D, fwhmMM: Double) {
        precondition(values.count == grid.voxelCount)
        guard fwhmMM > 0 else { return }
        let n = grid.shape
        let strides = [1, n.x, n.x * n.y]
        for axis in 0..<3 {
            let w = kernel(fwhmMM: fwhmMM, spacingMM: grid.spacing[axis])
            let half = w.count / 2
            let length = n[axis], stride = strides[axis]
            // Lines along `axis` start at every voxel whose index along `axis` is 0.
            var starts: [Int] = []
            starts.reserveCapacity(grid.voxelCount / length)
            for k in 0..<(axis == 2 ? 1 : n.z) {
                for j in 0..<(axis == 1 ? 1 : n.y) {
                    for i in 0..<(axis == 0 ? 1 : n.x) { starts.append(grid.linearIndex(i, j, k)) }
                }
            }
            var line = [Double](repeating: 0, count: length)
            values.withUnsafeMutableBufferPointer { v in
                w.withUnsafeBufferPointer { w in
                    line.withUnsafeMutableBufferPointer { line in
                        for start in starts {
                            for t in 0..<length { line[t] = v[start + t * stride] }
                            for t in 0..<length {
                                let lo = max(0, t - half), hi = min(length - 1, t + half)
                                var acc = 0.0
                                for s in lo...hi { acc += line[s] * w[s - t + half] }
                                v[start + t * stride] = acc
                            }
                        }
                    }
                }
            }
        }
    }
}
