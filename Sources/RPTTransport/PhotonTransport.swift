import RPTCore
import RPTPhysics

extension DecayKernel {
    /// Transports a photon by Woodcock (delta) tracking with super-voxel majorants until it is absorbed,
    /// falls below the photon cut-off, or leaves the world.
    ///
    /// The photon carries an optical depth τ ~ Exp(1) to its next tentative interaction. In its current
    /// block b it advances by τ/μ̂_b(E); if that would leave the block, it moves to the block's face, spends
    /// μ̂_b·d of its optical depth and continues in the neighbouring block (`BlockTrack` walks the blocks
    /// along each straight segment of the track). At a tentative interaction the
    /// interaction is real with probability μ(E, voxel)/μ̂_b(E), else virtual (Woodcock et al. 1965;
    /// `MajorantGrid`; docs/methods/transport.md). No voxel boundary is ever computed. A real interaction
    /// is one of the named events of `PhotonEvents.swift`: photoelectric absorption, Compton (incoherent)
    /// scattering, Rayleigh (coherent) scattering or pair production.
    ///
    /// With the track-length estimator (`PhotonEstimator.trackLength`) every straight flight — from the photon's
    /// start or its last real interaction to its next real interaction or the world's edge — is scored voxel by voxel
    /// (`scoreTrackLength`), and the photoelectric and incoherent events create no electrons (docs/methods/variance-reduction.md).
    /// The random numbers drawn are the same as in an analogue run up to the first such electron.
    func transportPhoton(_ photon: Particle, _ h: inout TransportState) {
        var e = photon.energy
        var d = photon.direction
        guard let v0 = geometry.voxel(at: photon.position) else { h.energy.escaped += e; return }
        if e < settings.photonCutoffMeV { deposit(e, voxel: geometry.linear(v0), &h); return }

        let grid = majorants
        let extent = geometry.extent
        let trackLength = settings.photonEstimator == .trackLength
        // Grid location of the current energy: recomputed only when the energy changes (Compton).
        var location = physics.photon.table.gridLocation(e)
        var track = BlockTrack(origin: photon.position, direction: d, block: v0 / grid.blockSize, grid: grid, extent: extent)
        var muHat = grid.majorant(block: track.blockLinear, energyIndex: location.index)
        var s = 0.0  // path length (cm) travelled along the current straight track
        var depth = h.rng.exponential()
        var flight = depth / muHat  // always depth / muHat: updated whenever either changes
        while true {
            let (exitS, axis) = track.nextExit()
            if s + flight >= exitS {
                // Leave the block: spend μ̂_b·(distance to its face) of optical depth, continue in the next block.
                if exitS > s { depth = max(0, depth - (exitS - s) * muHat); s = exitS }
                if !track.cross(axis: axis, grid: grid, extent: extent) {
                    if trackLength { scoreTrackLength(from: track.origin, direction: d, length: exitS, location: location, &h) }
                    h.energy.escaped += e
                    return
                }
                muHat = grid.majorant(block: track.blockLinear, energyIndex: location.index)
                flight = depth / muHat
                continue
            }
            s += flight
            let x = track.origin + d * s
            depth = h.rng.exponential()
            flight = depth / muHat
            // Where the next tentative interaction will be if this one is virtual: start loading its voxel
            // data now, so that the cache miss overlaps with the work below (a hint only).
            geometry.prefetch(at: x + d * flight)
            // The voxel holding x, kept inside the current block against rounding at its faces.
            // Truncation (scalar: the SIMD conversion is generic and slow); it equals the floor for x ≥ 0, and the
            // clamp below handles a position a rounding error below 0.
            let f = x * geometry.inverseSize
            let b = grid.blockSize
            let lo = SIMD3(track.bx &* b, track.by &* b, track.bz &* b)
            let v = SIMD3(min(max(Int(f.x), lo.x), min(lo.x &+ b, geometry.nx) &- 1),
                          min(max(Int(f.y), lo.y), min(lo.y &+ b, geometry.ny) &- 1),
                          min(max(Int(f.z), lo.z), min(lo.z &+ b, geometry.nz) &- 1))
            let n = geometry.linear(v)
            let (m, rho) = geometry.medium(n)
            let r = h.rng.uniform32() * muHat  // real with probability μ/μ̂ (resolution 2⁻³² absolute)
            let mu = physics.photon.table.totalMuOverRho(materialIndex: m, location: location) * rho
            if r >= mu { continue }  // virtual interaction
            let c = physics.photon.table.processShares(materialIndex: m, location: location)
            prefetchDeposit(voxel: n, h.tally)  // a deposit in n follows most real interactions
            h.energy.photonInteractions += 1
            // Track-length estimator: the straight flight from the last real event (or the start) to here.
            if trackLength { scoreTrackLength(from: track.origin, direction: d, length: s, location: location, &h) }
            // A fresh uniform picks the process: r/μ would be uniform too, but with only (μ/μ̂)·2³² distinct values
            // given a real event, too coarse where μ ≪ μ̂ (e.g. air in a block with metal).
            let share = h.rng.uniform32()
            let site = InteractionSite(position: x, voxel: v, linear: n, material: m, density: rho)
            if share < c.photoelectric {
                photoelectric(energy: e, direction: d, location: location, at: site, &h)
                return
            } else if share < c.photoelectric + c.incoherent {
                guard let scattered = compton(energy: e, direction: d, location: location, at: site, &h) else { return }
                e = scattered.energy
                d = scattered.direction
                location = physics.photon.table.gridLocation(e)
                muHat = grid.majorant(block: track.blockLinear, energyIndex: location.index)
                flight = depth / muHat
                track.restart(at: x, direction: d, grid: grid, extent: extent)
                s = 0
            } else if share < c.photoelectric + c.incoherent + c.coherent {
                d = rayleigh(energy: e, direction: d, at: site, &h)
                track.restart(at: x, direction: d, grid: grid, extent: extent)
                s = 0
            } else {
                pairProduction(energy: e, direction: d, at: site, &h)
                return
            }
        }
    }
}
