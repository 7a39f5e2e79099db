import RPTCore

/// Samples the polar angle of coherent (Rayleigh) scattering in the form-factor approximation:
/// dσ/dΩ = r_e²/2 · (1 + cos²θ) · Σᵢ nᵢ Fᵢ(x)² with x = sin(θ/2)·E/hc.
///
/// Standard method (e.g. PENELOPE 2018 manual §2.1; EGSnrc PIRS-701 §2.2.4): with t = x² ∈ [0, t_max],
/// t_max = (E/hc)², cos θ = 1 − 2t/t_max and dΩ ∝ dt, so t is sampled from the material's G(t) = Σ(wᵢ/Aᵢ)Fᵢ²
/// restricted to [0, t_max] by inverting its cumulative (trapezoid rule on the momentum grid; G linear in t
/// within a grid interval, solved exactly), then accepted with (1 + cos²θ)/2. The interval is found by
/// binary search over ≤ 302 nodes (≤ 9 comparisons). No allocation.
public struct PhotonCoherentSampler: Sendable {
    public let table: PhotonMaterialTable
    public init(table: PhotonMaterialTable) { self.table = table }

    /// Returns cos θ of the scattered photon (its energy is unchanged).
    public func sampleCosTheta(materialIndex m: Int, energyMeV e: Double, _ rng: inout RandomStream) -> Double {
        let xMax = e * 1e3 / PhotonMomentumGrid.hcKeVAngstrom
        let tMax = xMax * xMax
        let n = table.coherentT.count
        return table.coherentT.withUnsafeBufferPointer { t in
            table.coherentG.withUnsafeBufferPointer { gAll in
                table.coherentA.withUnsafeBufferPointer { aAll in
                    let g = gAll.baseAddress! + m * n, a = aAll.baseAddress! + m * n
                    // Interval containing t_max (arithmetic on the log-uniform grid).
                    var jMax: Int
                    if xMax <= PhotonMomentumGrid.minimum { jMax = 0 } else {
                        jMax = Int((_log(xMax) - PhotonMomentumGrid.logMinimum) * PhotonMomentumGrid.inverseLogStep) + 1
                        jMax = min(jMax, n - 2)
                    }
                    let aMax = Self.cumulative(at: tMax, j: jMax, t: t, g: g, a: a)
                    while true {
                        let target = rng.uniform() * aMax
                        var lo = 0, hi = jMax + 1  // a[lo] ≤ target < a[hi] (a[jMax+1] ≥ aMax)
                        while hi - lo > 1 {
                            let mid = (lo + hi) >> 1
                            if a[mid] <= target { lo = mid } else { hi = mid }
                        }
                        let tSample = min(Self.invert(target, j: lo, t: t, g: g, a: a), tMax)
                        let cosTheta = 1 - 2 * tSample / tMax
                        if 2 * rng.uniform() <= 1 + cosTheta * cosTheta { return cosTheta }
                    }
                }
            }
        }
    }

    /// A(t) for t in interval [t_j, t_{j+1}] with G linear in t.
    @inline(__always)
    static func cumulative(at tv: Double, j: Int, t: UnsafeBufferPointer<Double>, g: UnsafePointer<Double>,
                           a: UnsafePointer<Double>) -> Double {
        let h = t[j + 1] - t[j], d = tv - t[j]
        let slope = (g[j + 1] - g[j]) / h
        return a[j] + g[j] * d + 0.5 * slope * d * d
    }

    /// Solves A(t) = target for t in [t_j, t_{j+1}] (G linear in t).
    @inline(__always)
    static func invert(_ target: Double, j: Int, t: UnsafeBufferPointer<Double>, g: UnsafePointer<Double>,
                       a: UnsafePointer<Double>) -> Double {
        let h = t[j + 1] - t[j]
        let slope = (g[j + 1] - g[j]) / h
        let r = target - a[j]
        // 0.5·slope·d² + g_j·d − r = 0, stable root.
        let disc = max(0, g[j] * g[j] + 2 * slope * r)
        let d = 2 * r / (g[j] + disc.squareRoot())
        return t[j] + max(0, min(h, d))
    }
}
