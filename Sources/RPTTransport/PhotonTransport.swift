import RPTCore
import RPTPhysics

extension DecayKernel {
    /// Transports a photon by Woodcock (delta) tracking with super-voxel majorants until it is absorbed,
    /// falls below the photon cut-off, or leaves the world.
    ///
    /// The photon carries an optical depth τ ~ Exp(1) to its next tentative interaction. In its current
    /// block b it advances by τ/μ̂_b(E); if that would leave the block, it moves to the block's face, spends
    /// μ̂_b·d of its optical depth and continues in the neighbouring block. At a tentative interaction the
    /// interaction is real with probability μ(E, voxel)/μ̂_b(E), else virtual (Woodcock et al. 1965;
    /// `MajorantGrid`; docs/methods/transport.md). No voxel boundary is ever computed.
    func transportPhoton(_ photon: Particle, _ rng: inout RandomStream, _ tally: inout EnergyTally,
                         _ stack: inout ParticleStack, _ energy: inout HistoryEnergy) {
        var e = photon.energy
        var x = photon.position
        var d = photon.direction
        var inverseD = 1 / d  // per axis; ±∞ for a zero component (that axis is then never the exit)

        let grid = majorants
        // Grid location of the current energy: recomputed only when the energy changes (Compton).
        var location = physics.photon.table.gridLocation(e)
        guard let v0 = geometry.voxel(at: x) else { energy.escaped += e; return }
        var block = v0 / grid.blockSize
        var depth = rng.exponential()
        while true {
            if e < settings.photonCutoffMeV {
                if let v = geometry.voxel(at: x) { deposit(e, voxel: geometry.linear(v), &tally, &energy) }
                else { energy.escaped += e }
                return
            }
            let muHat = grid.majorant(block: grid.linear(block), energyIndex: location.index)
            // Distance to the exit of the current block along d.
            var exit = Double.infinity, axis = 0
            for a in 0..<3 {
                let da = d[a]
                if da > 0 {
                    let t = (min(Double(block[a] + 1) * grid.blockSizeCm[a], geometry.extent[a]) - x[a]) * inverseD[a]
                    if t < exit { exit = t; axis = a }
                } else if da < 0 {
                    let t = (Double(block[a]) * grid.blockSizeCm[a] - x[a]) * inverseD[a]
                    if t < exit { exit = t; axis = a }
                }
            }
            exit = max(0, exit)
            let flight = depth / muHat
            if flight >= exit {
                depth -= exit * muHat
                x += d * exit
                let step = d[axis] > 0 ? 1 : -1
                block[axis] += step
                x[axis] = Double(step > 0 ? block[axis] : block[axis] + 1) * grid.blockSizeCm[axis]
                if block[axis] < 0 || block[axis] >= grid.blocks[axis] { energy.escaped += e; return }
                continue
            }
            x += d * flight
            depth = rng.exponential()
            // Where the next tentative interaction will be if this one is virtual: start loading its voxel
            // data now, so that the cache miss overlaps with the work below (a hint only).
            geometry.prefetch(at: x + d * (depth / muHat))
            // The voxel holding x, kept inside the current block against rounding at its faces.
            // Truncation (scalar: the SIMD conversion is generic and slow); it equals the floor for x ≥ 0, and the
            // clamp below handles a position a rounding error below 0.
            let f = x * geometry.inverseSize
            var v = SIMD3(Int(f.x), Int(f.y), Int(f.z))
            let lo = block &* grid.blockSize
            let hi = SIMD3(min(lo.x + grid.blockSize, geometry.nx), min(lo.y + grid.blockSize, geometry.ny),
                           min(lo.z + grid.blockSize, geometry.nz)) &- 1
            v = v.clamped(lowerBound: lo, upperBound: hi)
            let n = geometry.linear(v)
            let m = Int(geometry.materialIndex[n])
            let rho = Double(geometry.density[n])
            let r = rng.uniform() * muHat
            let mu = physics.photon.table.totalMuOverRho(materialIndex: m, location: location) * rho
            if r >= mu { continue }  // virtual interaction
            let c = physics.photon.table.processShares(materialIndex: m, location: location)
            prefetchDeposit(voxel: n, tally)  // a deposit in n follows most real interactions
            energy.photonInteractions += 1
            let share = r / mu       // uniform in [0, 1): picks the process
            if share < c.photoelectric {
                let out = physics.photon.photoelectric.sample(materialIndex: m, energyMeV: e, &rng)
                if out.localDepositMeV > 0 { deposit(out.localDepositMeV, voxel: n, &tally, &energy) }
                if out.electronEnergyMeV > 0
                    && !absorbedAtBirth(.electron, energyMeV: out.electronEnergyMeV, faceDistance: geometry.distanceToNearestFace(x, voxel: v),
                                        voxel: n, material: m, density: rho, &tally, &energy) {
                    let dir = rotate(d, cosTheta: out.electronCosTheta, azimuth: rng.azimuth())
                    push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: x, direction: dir),
                         &stack, voxel: n, &tally, &energy)
                }
                if out.fluorescenceEnergyMeV > 0 {
                    push(Particle(kind: .photon, energy: out.fluorescenceEnergyMeV, position: x,
                                  direction: rng.isotropicDirection()), &stack, voxel: n, &tally, &energy)
                }
                return
            } else if share < c.photoelectric + c.incoherent {
                let out = physics.photon.incoherent.sample(materialIndex: m, energyMeV: e, &rng)
                let phi = rng.azimuth()
                if out.electronEnergyMeV > 0
                    && !absorbedAtBirth(.electron, energyMeV: out.electronEnergyMeV, faceDistance: geometry.distanceToNearestFace(x, voxel: v),
                                        voxel: n, material: m, density: rho, &tally, &energy) {
                    push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: x,
                                  direction: rotate(d, cosTheta: out.electronCosTheta, azimuth: (-phi.cos, -phi.sin))),
                         &stack, voxel: n, &tally, &energy)
                }
                e = out.photonEnergyMeV
                d = rotate(d, cosTheta: out.photonCosTheta, azimuth: phi)
                inverseD = 1 / d
                location = physics.photon.table.gridLocation(e)
            } else if share < c.photoelectric + c.incoherent + c.coherent {
                let cosT = physics.photon.coherent.sampleCosTheta(materialIndex: m, energyMeV: e, &rng)
                d = rotate(d, cosTheta: cosT, azimuth: rng.azimuth())
                inverseD = 1 / d
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
