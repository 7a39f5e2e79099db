import RPTCore
import RPTPhysics

extension DecayKernel {
    /// Track-length estimator of photon energy deposition (`PhotonEstimator.trackLength`,
    /// docs/methods/variance-reduction.md): scores K(E, mᵥ)·ρᵥ·ℓᵥ (MeV) in every voxel v that the straight
    /// photon flight from `start` (cm) along unit direction `d` crosses, ℓᵥ being the flight's length (cm) inside v,
    /// K/ρ the energy-transfer coefficient of `PhotonKermaTable` at the flight's energy (grid location `location`).
    /// Voxels less dense than `PhotonEstimator.trackLengthMinimumDensity` are skipped (analogue scoring there).
    ///
    /// The voxels are walked by the 3-D DDA of Amanatides & Woo (Eurographics 1987): per axis the path length at
    /// which the flight leaves the current voxel through that axis' face, the smallest of the three deciding the
    /// next voxel. `length` is the flight's length up to its next real interaction or to the world's edge; the walk
    /// also stops if rounding takes it out of the grid first. Draws no random numbers.
    @inline(__always)
    func scoreTrackLength(from start: SIMD3<Double>, direction d: SIMD3<Double>, length: Double,
                          location: (index: Int, fraction: Double), _ h: inout TransportState) {
        guard length > 0 else { return }
        let f = start * geometry.inverseSize
        // The start lies in the world or on its surface: truncation (= floor for f ≥ 0), clamped against rounding.
        var i = min(max(Int(f.x), 0), geometry.nx &- 1)
        var j = min(max(Int(f.y), 0), geometry.ny &- 1)
        var k = min(max(Int(f.z), 0), geometry.nz &- 1)
        let size = geometry.size
        // Path length to the first face crossing on each axis, the path length between crossings, the index step.
        func axis(_ v: Int, _ dv: Double, _ x0: Double, _ width: Double) -> (next: Double, delta: Double) {
            if dv > 0 { return ((Double(v &+ 1) * width - x0) / dv, width / dv) }
            if dv < 0 { return ((Double(v) * width - x0) / dv, -width / dv) }
            return (.infinity, .infinity)
        }
        var (tx, dtx) = axis(i, d.x, start.x, size.x)
        var (ty, dty) = axis(j, d.y, start.y, size.y)
        var (tz, dtz) = axis(k, d.z, start.z, size.z)
        let sx = d.x > 0 ? 1 : -1, sy = d.y > 0 ? 1 : -1, sz = d.z > 0 ? 1 : -1
        let plane = geometry.nx &* geometry.ny
        var n = geometry.linear(SIMD3(i, j, k))
        var t = 0.0
        var scored = 0.0
        while true {
            var tNext = tx, a = 0
            if ty < tNext { tNext = ty; a = 1 }
            if tz < tNext { tNext = tz; a = 2 }
            let end = min(tNext, length)
            if end > t {
                let (m, rho) = geometry.medium(n)
                if rho >= PhotonEstimator.trackLengthMinimumDensity {  // else analogue scoring in this voxel
                    let e = physics.photon.kerma.coefficient(materialIndex: m, location: location) * rho * (end - t)
                    score(e, voxel: n, &h)
                    scored += e
                }
                t = end
            }
            if tNext >= length { break }
            // Into the neighbouring voxel (`continue`); a `break` inside the switch falls through to the loop's exit.
            switch a {
            case 0:
                i &+= sx; if i < 0 || i >= geometry.nx { break }
                tx += dtx; n &+= sx
                continue
            case 1:
                j &+= sy; if j < 0 || j >= geometry.ny { break }
                ty += dty; n &+= sy &* geometry.nx
                continue
            default:
                k &+= sz; if k < 0 || k >= geometry.nz { break }
                tz += dtz; n &+= sz &* plane
                continue
            }
            break  // left the grid (rounding before `length`)
        }
        h.energy.trackLengthScored += scored
        h.energy.deposited += scored
    }
}
