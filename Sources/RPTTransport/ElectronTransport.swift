import RPTCore
import RPTPhysics

extension DecayKernel {
    /// Transports an electron or positron by class-II condensed history until it stops, falls below
    /// the cut-off, or leaves the world (docs/methods/transport.md).
    ///
    /// Each step is the shortest of: the distance to the next hard collision (Møller delta ray or
    /// bremsstrahlung above their thresholds, sampled with a fictitious-interaction bound so that the
    /// cross section may vary along the step), the step that loses `maxEnergyLossFraction` of the
    /// energy continuously, and the distance to the voxel boundary. Along a step the electron moves
    /// by the random-hinge scheme — a straight segment of random length, the multiple-scattering
    /// deflection for the step, then the rest of the step — and loses energy continuously through
    /// the restricted stopping power, deposited in the voxel it travels in.
    
    func transportElectron(_ particle: Particle, _ rng: inout RandomStream, _ tally: inout EnergyTally,
                           _ stack: inout ParticleStack, _ energy: inout HistoryEnergy) {
        var e = particle.energy
        var x = particle.position
        var d = particle.direction
        guard var v = geometry.voxel(at: x) else { energy.escaped += e; return }
        var n = geometry.linear(v)
        var mfpLeft = 0.0  // number of hard-collision mean free paths left before the next hard event
        let me = PhysicalConstants.electronRestEnergyMeV
        defer {
            // Positrons annihilate at rest where they stop: two back-to-back 511 keV photons.
            if particle.kind == .positron, geometry.contains(v) {
                energy.emitted += 2 * me
                let u = rng.isotropicDirection()
                push(Particle(kind: .photon, energy: me, position: x, direction: u), &stack, voxel: n, &tally, &energy)
                push(Particle(kind: .photon, energy: me, position: x, direction: -u), &stack, voxel: n, &tally, &energy)
            }
        }
        while true {
            if e <= settings.electronCutoffMeV {
                deposit(e, voxel: n, &tally, &energy)
                return
            }
            let (m, rho) = geometry.medium(n)
            let t = physics.electron.coefficients(material: m, energyMeV: e)
            // Range rejection, as a comparison of mass thicknesses (g/cm²) — the same expression as
            // `absorbedAtBirth`, so that both take the same decision.
            if settings.rangeRejection && t.csdaRange < geometry.distanceToNearestFace(x, voxel: v) * rho {
                deposit(e, voxel: n, &tally, &energy)
                return
            }
            if mfpLeft <= 0 { mfpLeft = rng.exponential() }
            let hardDistance = t.hardBound > 0 ? mfpLeft / (t.hardBound * rho) : Double.infinity
            let lossDistance = settings.maxEnergyLossFraction * e / (t.restrictedStoppingPower * rho)
            let (boundaryDistance, axis) = geometry.distanceToExit(x, d, voxel: v)
            var s = min(hardDistance, lossDistance, boundaryDistance)
            let hardEvent = s == hardDistance
            var crossing = s == boundaryDistance && !hardEvent

            // Random hinge: first segment, deflection, second segment (truncated at the boundary).
            let s1 = rng.uniform32() * s
            x += d * s1
            let eMid = max(settings.electronCutoffMeV, e - 0.5 * t.restrictedStoppingPower * rho * s)
            let mid = physics.electron.transportMeanFreePaths(material: m, energyMeV: eMid)
            let cosTheta = physics.electron.sampleMultipleScattering(lambda1: mid.lambda1, lambda2: mid.lambda2,
                                                                     massThickness: rho * s, &rng)
            d = rotate(d, cosTheta: cosTheta, azimuth: rng.azimuth())
            var s2 = s - s1
            var exitAxis = axis
            if crossing || s2 > 0 {
                let (b2, a2) = geometry.distanceToExit(x, d, voxel: v)
                if b2 <= s2 { s2 = b2; exitAxis = a2; crossing = true } else if crossing { crossing = false }
            }
            x += d * s2
            s = s1 + s2
            // Continuous restricted energy loss over the path actually travelled, from the restricted range.
            // (Clamped at 0: the range table and its inverse agree only to interpolation accuracy.)
            let loss = max(0, e - physics.electron.energyAfterContinuousLoss(material: m, restrictedRange: t.restrictedRange, massThickness: rho * s))
            mfpLeft -= s * t.hardBound * rho
            if loss >= e {
                deposit(e, voxel: n, &tally, &energy)
                return
            }
            deposit(loss, voxel: n, &tally, &energy)
            e -= loss

            if crossing {
                let dir = d[exitAxis] > 0 ? 1 : -1
                v[exitAxis] += dir
                // Put the position exactly on the shared face so that rounding cannot strand it.
                x[exitAxis] = Double(dir > 0 ? v[exitAxis] : v[exitAxis] + 1) * geometry.size[exitAxis]
                if !geometry.contains(v) { energy.escaped += e; return }
                n = geometry.linear(v)
            } else if hardEvent && s1 + s2 >= hardDistance * (1 - 1e-12) {
                mfpLeft = 0
                let now = physics.electron.coefficients(material: m, energyMeV: e)
                let r = rng.uniform() * t.hardBound
                if r < now.mollerCrossSection {
                    // Møller: delta ray of energy w; both directions from two-body kinematics.
                    let w = physics.electron.sampleMollerEnergy(energyMeV: e, thresholdMeV: settings.deltaRayThresholdMeV, &rng)
                    let e1 = e - w
                    let cos1 = ((e1 / e) * (e + 2 * me) / (e1 + 2 * me)).squareRoot()
                    let cos2 = ((w / e) * (e + 2 * me) / (w + 2 * me)).squareRoot()
                    let phi = rng.azimuth()
                    push(Particle(kind: .electron, energy: w, position: x,
                                  direction: rotate(d, cosTheta: min(1, cos2), azimuth: (-phi.cos, -phi.sin))),
                         &stack, voxel: n, &tally, &energy)
                    d = rotate(d, cosTheta: min(1, cos1), azimuth: phi)
                    e = e1
                } else if r < now.mollerCrossSection + now.bremsstrahlungCrossSection {
                    let k = physics.electron.sampleBremsstrahlungEnergy(material: m, energyMeV: e,
                                                               thresholdMeV: settings.bremsstrahlungThresholdMeV, &rng)
                    let cosK = physics.electron.sampleBremsstrahlungAngle(energyMeV: e, &rng)
                    push(Particle(kind: .photon, energy: k, position: x,
                                  direction: rotate(d, cosTheta: cosK, azimuth: rng.azimuth())),
                         &stack, voxel: n, &tally, &energy)
                    e -= k
                }
                // else: fictitious event, nothing happens.
            }
        }
    }
}
