import RPTCore
import RPTPhysics

extension DecayKernel {
    /// Transports a photon by Woodcock (delta) tracking until it is absorbed, falls below the photon
    /// cut-off, or leaves the world.
    ///
    /// Flights are sampled with the majorant μ̂(E) (1/cm), so no voxel boundary is ever computed; at
    /// each flight end the interaction is real with probability μ(E, voxel)/μ̂(E) (Woodcock et al.
    /// 1965; see docs/methods/transport.md).
    
    func transportPhoton(_ photon: Particle, _ rng: inout RandomStream, _ tally: inout EnergyTally,
                         _ stack: inout ParticleStack, _ energy: inout HistoryEnergy) {
        var e = photon.energy
        var x = photon.position
        var d = photon.direction
        let data = physics.photon
        while true {
            if e < settings.photonCutoffMeV {
                if let v = geometry.voxel(at: x) { deposit(e, voxel: geometry.linear(v), &tally, &energy) }
                else { energy.escaped += e }
                return
            }
            let majorant = data.majorant(e)
            x += d * (rng.exponential() / majorant)
            guard let v = geometry.voxel(at: x) else { energy.escaped += e; return }
            let n = geometry.linear(v)
            let m = Int(geometry.materialIndex[n])
            let rho = Double(geometry.density[n])
            let c = data.table.processShares(materialIndex: m, energyMeV: e)
            let r = rng.uniform() * majorant
            let mu = c.total * rho
            if r >= mu { continue }  // virtual interaction
            energy.photonInteractions += 1
            let share = r / mu       // uniform in [0, 1): picks the process
            if share < c.photoelectric {
                let out = data.photoelectric.sample(materialIndex: m, energyMeV: e, &rng)
                if out.localDepositMeV > 0 { deposit(out.localDepositMeV, voxel: n, &tally, &energy) }
                if out.electronEnergyMeV > 0 {
                    let dir = rotate(d, cosTheta: out.electronCosTheta, phi: 2 * Double.pi * rng.uniform())
                    push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: x, direction: dir),
                         &stack, voxel: n, &tally, &energy)
                }
                if out.fluorescenceEnergyMeV > 0 {
                    push(Particle(kind: .photon, energy: out.fluorescenceEnergyMeV, position: x,
                                  direction: rng.isotropicDirection()), &stack, voxel: n, &tally, &energy)
                }
                return
            } else if share < c.photoelectric + c.incoherent {
                let out = data.incoherent.sample(materialIndex: m, energyMeV: e, &rng)
                let phi = 2 * Double.pi * rng.uniform()
                if out.electronEnergyMeV > 0 {
                    push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: x,
                                  direction: rotate(d, cosTheta: out.electronCosTheta, phi: phi + Double.pi)),
                         &stack, voxel: n, &tally, &energy)
                }
                e = out.photonEnergyMeV
                d = rotate(d, cosTheta: out.photonCosTheta, phi: phi)
            } else if share < c.photoelectric + c.incoherent + c.coherent {
                let cosT = data.coherent.sampleCosTheta(materialIndex: m, energyMeV: e, &rng)
                d = rotate(d, cosTheta: cosT, phi: 2 * Double.pi * rng.uniform())
            } else {
                let out = PhotonPairSampler().sample(energyMeV: e, &rng)
                let phi = 2 * Double.pi * rng.uniform()
                push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: x,
                              direction: rotate(d, cosTheta: out.cosTheta, phi: phi)), &stack, voxel: n, &tally, &energy)
                push(Particle(kind: .positron, energy: out.positronEnergyMeV, position: x,
                              direction: rotate(d, cosTheta: out.cosTheta, phi: phi + Double.pi)),
                     &stack, voxel: n, &tally, &energy)
                // The pair's rest energy 2mc² returns as annihilation photons, counted as emitted then.
                energy.emitted -= e - out.electronEnergyMeV - out.positronEnergyMeV
                return
            }
        }
    }
}
