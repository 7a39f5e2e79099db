import RPTCore

extension DecayKernel {
    /// Transports a photon by Woodcock (delta) tracking until it is absorbed, falls below the photon
    /// cut-off, or leaves the world.
    ///
    /// Flights are sampled with the majorant μ̂(E) = max over materials of μ(E)·ρ_max (1/cm), so no
    /// voxel boundary is ever computed; at each flight end the interaction is real with probability
    /// μ(E, voxel)/μ̂(E) (Woodcock et al. 1965; see docs/methods/transport.md).
    @inlinable
    func transportPhoton(_ photon: Particle, _ rng: inout RandomStream, _ tally: inout EnergyTally,
                         _ stack: inout ParticleStack, _ energy: inout HistoryEnergy) {
        var e = photon.energy
        var x = photon.position
        var d = photon.direction
        let me = PhysicalConstants.electronRestEnergyMeV
        while true {
            if e < settings.photonCutoffMeV {
                if let v = geometry.voxel(at: x) { deposit(e, voxel: geometry.linear(v), &tally, &energy) }
                else { energy.escaped += e }
                return
            }
            let majorant = physics.photonMajorant(e)
            x += d * (rng.exponential() / majorant)
            guard let v = geometry.voxel(at: x) else { energy.escaped += e; return }
            let n = geometry.linear(v)
            let m = Int(geometry.materialIndex[n])
            let rho = Double(geometry.density[n])
            let c = physics.photonCoefficients(material: m, energyMeV: e)
            let r = rng.uniform() * majorant
            if r >= c.total * rho { continue }  // virtual interaction
            let share = r / (c.total * rho)     // uniform in [0, 1): picks the process
            if share < c.photoelectricShare {
                let out = physics.samplePhotoelectric(material: m, energyMeV: e, &rng)
                if out.localEnergyMeV > 0 { deposit(out.localEnergyMeV, voxel: n, &tally, &energy) }
                if out.electronEnergyMeV > 0 {
                    push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: x,
                                  direction: rng.isotropicDirection()), &stack, voxel: n, &tally, &energy)
                }
                if out.fluorescenceEnergyMeV > 0 {
                    push(Particle(kind: .photon, energy: out.fluorescenceEnergyMeV, position: x,
                                  direction: rng.isotropicDirection()), &stack, voxel: n, &tally, &energy)
                }
                return
            } else if share < c.photoelectricShare + c.incoherentShare {
                let out = physics.sampleIncoherent(material: m, energyMeV: e, &rng)
                let phi = 2 * Double.pi * rng.uniform()
                let te = e - out.scatteredEnergyMeV - out.localEnergyMeV  // Compton electron
                if out.localEnergyMeV > 0 { deposit(out.localEnergyMeV, voxel: n, &tally, &energy) }
                if te > 0 {
                    // Free-electron kinematics: cot θe = (1 + E/mc²)·tan(θ/2) (e.g. Attix 1986, Eq. 7.6).
                    let cosT = out.cosTheta
                    let tanHalf = max(0, (1 - cosT) / (1 + cosT)).squareRoot()
                    let k = (1 + e / me) * tanHalf
                    let cosE = k / (1 + k * k).squareRoot()
                    push(Particle(kind: .electron, energy: te, position: x,
                                  direction: rotate(d, cosTheta: cosE, phi: phi + Double.pi)),
                         &stack, voxel: n, &tally, &energy)
                }
                e = out.scatteredEnergyMeV
                d = rotate(d, cosTheta: out.cosTheta, phi: phi)
            } else if share < c.photoelectricShare + c.incoherentShare + c.coherentShare {
                let cosT = physics.sampleCoherent(material: m, energyMeV: e, &rng)
                d = rotate(d, cosTheta: cosT, phi: 2 * Double.pi * rng.uniform())
            } else {
                // Pair production (E > 2mc²): kinetic energy shared uniformly between e⁻ and e⁺ (a
                // documented simplification; irrelevant below 1.022 MeV), both along the photon.
                let kinetic = e - 2 * me
                let split = rng.uniform()
                push(Particle(kind: .electron, energy: kinetic * split, position: x, direction: d),
                     &stack, voxel: n, &tally, &energy)
                push(Particle(kind: .positron, energy: kinetic * (1 - split), position: x, direction: d),
                     &stack, voxel: n, &tally, &energy)
                // The positron's rest energy returns as annihilation photons, counted when created.
                energy.emitted -= 2 * me
                return
            }
        }
    }
}
