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
    /// the restricted stopping power, deposited in the voxel it travels in. The discrete events are named
    /// (`ElectronEvents.swift`): hard collisions (Møller delta rays, bremsstrahlung), voxel boundary crossings,
    /// local deposits and positron annihilation.
    
    func transportElectron(_ particle: Particle, _ h: inout TransportState) {
        var e = particle.energy
        var x = particle.position
        var d = particle.direction
        guard var v = geometry.voxel(at: x) else { h.energy.escaped += e; return }
        var n = geometry.linear(v)
        var mfpLeft = 0.0  // number of hard-collision mean free paths left before the next hard event
        defer {
            if particle.kind == .positron, geometry.contains(v) { annihilation(at: x, voxel: n, &h) }
        }
        while true {
            if e <= settings.electronCutoffMeV {
                deposit(e, voxel: n, &h)
                return
            }
            let (m, rho) = geometry.medium(n)
            let t = physics.electron.coefficients(material: m, energyMeV: e)
            // Range rejection, as a comparison of mass thicknesses (g/cm²) — the same expression as
            // `absorbedAtBirth`, so that both take the same decision.
            if settings.rangeRejection && t.csdaRange < geometry.distanceToNearestFace(x, voxel: v) * rho {
                deposit(e, voxel: n, &h)
                return
            }
            if mfpLeft <= 0 { mfpLeft = h.rng.exponential() }
            let hardDistance = t.hardBound > 0 ? mfpLeft / (t.hardBound * rho) : Double.infinity
            let lossDistance = settings.maxEnergyLossFraction * e / (t.restrictedStoppingPower * rho)
            let (boundaryDistance, axis) = geometry.distanceToExit(x, d, voxel: v)
            var s = min(hardDistance, lossDistance, boundaryDistance)
            let hardEvent = s == hardDistance
            var crossing = s == boundaryDistance && !hardEvent

            // Random hinge: first segment, deflection, second segment (truncated at the boundary).
            let s1 = h.rng.uniform32() * s
            x += d * s1
            let eMid = max(settings.electronCutoffMeV, e - 0.5 * t.restrictedStoppingPower * rho * s)
            let mid = physics.electron.transportMeanFreePaths(material: m, energyMeV: eMid)
            let cosTheta = physics.electron.sampleMultipleScattering(lambda1: mid.lambda1, lambda2: mid.lambda2,
                                                                     massThickness: rho * s, &h.rng)
            d = rotate(d, cosTheta: cosTheta, azimuth: h.rng.azimuth())
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
                deposit(e, voxel: n, &h)
                return
            }
            deposit(loss, voxel: n, &h)
            e -= loss

            if crossing {
                guard crossBoundary(axis: exitAxis, direction: d, position: &x, voxel: &v) else {
                    h.energy.escaped += e
                    return
                }
                n = geometry.linear(v)
            } else if hardEvent && s1 + s2 >= hardDistance * (1 - 1e-12) {
                mfpLeft = 0
                hardCollision(energy: &e, direction: &d, at: x, voxel: n, material: m, bound: t.hardBound, &h)
            }
        }
    }
}
