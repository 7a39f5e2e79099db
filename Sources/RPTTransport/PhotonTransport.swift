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
    /// `MajorantGrid`; docs/methods/transport.md). No voxel boundary is ever computed.
    func transportPhoton(_ photon: Particle, _ rng: inout RandomStream, _ tally: inout EnergyTally,
                         _ stack: inout ParticleStack, _ energy: inout HistoryEnergy) {
        var e = photon.energy
        var d = photon.direction
        guard let v0 = geometry.voxel(at: photon.position) else { energy.escaped += e; return }
        if e < settings.photonCutoffMeV { deposit(e, voxel: geometry.linear(v0), &tally, &energy); return }

        let grid = majorants
        let extent = geometry.extent
        // Grid location of the current energy: recomputed only when the energy changes (Compton).
        var location = physics.photon.table.gridLocation(e)
        var track = BlockTrack(origin: photon.position, direction: d, block: v0 / grid.blockSize, grid: grid, extent: extent)
        var muHat = grid.majorant(block: track.blockLinear, energyIndex: location.index)
        var s = 0.0  // path length (cm) travelled along the current straight track
        var depth = rng.exponential()
        var flight = depth / muHat  // always depth / muHat: updated whenever either changes
        while true {
            let (exitS, axis) = track.nextExit()
            if s + flight >= exitS {
                // Leave the block: spend μ̂_b·(distance to its face) of optical depth, continue in the next block.
                if exitS > s { depth = max(0, depth - (exitS - s) * muHat); s = exitS }
                if !track.cross(axis: axis, grid: grid, extent: extent) { energy.escaped += e; return }
                muHat = grid.majorant(block: track.blockLinear, energyIndex: location.index)
                flight = depth / muHat
                continue
            }
            s += flight
            let x = track.origin + d * s
            depth = rng.exponential()
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
            let r = rng.uniform32() * muHat  // real with probability μ/μ̂ (resolution 2⁻³² absolute)
            let mu = physics.photon.table.totalMuOverRho(materialIndex: m, location: location) * rho
            if r >= mu { continue }  // virtual interaction
            let c = physics.photon.table.processShares(materialIndex: m, location: location)
            prefetchDeposit(voxel: n, tally)  // a deposit in n follows most real interactions
            energy.photonInteractions += 1
            // A fresh uniform picks the process: r/μ would be uniform too, but with only (μ/μ̂)·2³² distinct values
            // given a real event, too coarse where μ ≪ μ̂ (e.g. air in a block with metal).
            let share = rng.uniform32()
            if share < c.photoelectric {
                let out = physics.photon.photoelectric.sample(materialIndex: m, energyMeV: e, location: location,
                                                                    electronDirection: false, &rng)
                if out.localDepositMeV > 0 { deposit(out.localDepositMeV, voxel: n, &tally, &energy) }
                if out.electronEnergyMeV > 0
                    && !absorbedAtBirth(.electron, energyMeV: out.electronEnergyMeV, faceDistance: geometry.distanceToNearestFace(x, voxel: v),
                                        voxel: n, material: m, density: rho, &tally, &energy) {
                    // The photoelectron's angle, sampled only for one that is followed.
                    let cosTheta = PhotonPhotoelectricSampler.sampleSauterCosTheta(electronEnergyMeV: out.electronEnergyMeV, &rng)
                    let dir = rotate(d, cosTheta: cosTheta, azimuth: rng.azimuth())
                    push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: x, direction: dir),
                         &stack, voxel: n, &tally, &energy)
                }
                if out.fluorescenceEnergyMeV > 0 {
                    push(Particle(kind: .photon, energy: out.fluorescenceEnergyMeV, position: x,
                                  direction: rng.isotropicDirection()), &stack, voxel: n, &tally, &energy)
                }
                return
            } else if share < c.photoelectric + c.incoherent {
                let out = physics.photon.incoherent.sample(materialIndex: m, energyMeV: e, location: location, &rng)
                let phi = rng.azimuth()
                if out.electronEnergyMeV > 0
                    && !absorbedAtBirth(.electron, energyMeV: out.electronEnergyMeV, faceDistance: geometry.distanceToNearestFace(x, voxel: v),
                                        voxel: n, material: m, density: rho, &tally, &energy) {
                    push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: x,
                                  direction: rotate(d, cosTheta: out.electronCosTheta, azimuth: (-phi.cos, -phi.sin))),
                         &stack, voxel: n, &tally, &energy)
                }
                e = out.photonEnergyMeV
                if e < settings.photonCutoffMeV { deposit(e, voxel: n, &tally, &energy); return }
                d = rotate(d, cosTheta: out.photonCosTheta, azimuth: phi)
                location = physics.photon.table.gridLocation(e)
                muHat = grid.majorant(block: track.blockLinear, energyIndex: location.index)
                flight = depth / muHat
                track.restart(at: x, direction: d, grid: grid, extent: extent)
                s = 0
            } else if share < c.photoelectric + c.incoherent + c.coherent {
                let cosT = physics.photon.coherent.sampleCosTheta(materialIndex: m, energyMeV: e, &rng)
                d = rotate(d, cosTheta: cosT, azimuth: rng.azimuth())
                track.restart(at: x, direction: d, grid: grid, extent: extent)
                s = 0
            } else {
                let out = PhotonPairSampler().sample(energyMeV: e, &rng)
                let phi = rng.azimuth()
                push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: x,
                              direction: rotate(d, cosTheta: out.cosTheta, azimuth: phi)), &stack, voxel: n, &tally, &energy)
                push(Particle(kind: .positron, energy: out.positronEnergyMeV, position: x,
                              direction: rotate(d, cosTheta: out.cosTheta, azimuth: (-phi.cos, -phi.sin))),
                     &stack, voxel: n, &tally, &energy)
                // The pair's rest energy 2mc² returns as annihilation photons, counted as emitted then.
                energy.emitted -= e - out.electronEnergyMeV - out.positronEnergyMeV
                return
            }
        }
    }
}
