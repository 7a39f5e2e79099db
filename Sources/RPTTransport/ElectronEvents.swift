import RPTCore
import RPTPhysics

/// The named electron and positron events of `transportElectron` (docs/methods/electron-physics.md). Each
/// draws its random numbers from the history's stream in a fixed order and pushes the secondaries it creates.
extension DecayKernel {
    /// Event: a voxel boundary crossing along `axis`. Moves to the neighbouring voxel and puts the position
    /// exactly on the shared face (so that rounding cannot strand it); false when the particle leaves the world.
    @inline(__always)
    func crossBoundary(axis: Int, direction d: SIMD3<Double>, position x: inout SIMD3<Double>,
                       voxel v: inout SIMD3<Int>) -> Bool {
        let dir = d[axis] > 0 ? 1 : -1
        v[axis] += dir
        x[axis] = Double(dir > 0 ? v[axis] : v[axis] + 1) * geometry.size[axis]
        return geometry.contains(v)
    }

    /// Event: a hard collision candidate at the end of a step, sampled against the bound `bound` (cm²/g) of
    /// the hard cross sections: a Møller delta ray, a bremsstrahlung photon, or (the rest of the bound) a
    /// fictitious event that changes nothing.
    @inline(__always)
    func hardCollision(energy e: inout Double, direction d: inout SIMD3<Double>, at x: SIMD3<Double>, voxel n: Int,
                       material m: Int, bound: Double, _ h: inout TransportState) {
        let now = physics.electron.coefficients(material: m, energyMeV: e)
        let r = h.rng.uniform() * bound
        if r < now.mollerCrossSection {
            mollerDeltaRay(energy: &e, direction: &d, at: x, voxel: n, &h)
        } else if r < now.mollerCrossSection + now.bremsstrahlungCrossSection {
            bremsstrahlung(energy: &e, direction: d, at: x, voxel: n, material: m, &h)
        }
        // else: fictitious event, nothing happens.
    }

    /// Event: Møller scattering above the delta-ray threshold — a delta ray of energy w goes onto the stack;
    /// both directions from two-body kinematics.
    @inline(__always)
    func mollerDeltaRay(energy e: inout Double, direction d: inout SIMD3<Double>, at x: SIMD3<Double>, voxel n: Int,
                        _ h: inout TransportState) {
        let me = PhysicalConstants.electronRestEnergyMeV
        let w = physics.electron.sampleMollerEnergy(energyMeV: e, thresholdMeV: settings.deltaRayThresholdMeV, &h.rng)
        let e1 = e - w
        let cos1 = ((e1 / e) * (e + 2 * me) / (e1 + 2 * me)).squareRoot()
        let cos2 = ((w / e) * (e + 2 * me) / (w + 2 * me)).squareRoot()
        let phi = h.rng.azimuth()
        push(Particle(kind: .electron, energy: w, position: x,
                      direction: rotate(d, cosTheta: min(1, cos2), azimuth: (-phi.cos, -phi.sin))), voxel: n, &h)
        d = rotate(d, cosTheta: min(1, cos1), azimuth: phi)
        e = e1
    }

    /// Event: bremsstrahlung above its threshold — the photon (energy from the Seltzer–Berger tables, angle
    /// sampled) goes onto the stack and the electron loses its energy; the electron's direction is unchanged.
    @inline(__always)
    func bremsstrahlung(energy e: inout Double, direction d: SIMD3<Double>, at x: SIMD3<Double>, voxel n: Int,
                        material m: Int, _ h: inout TransportState) {
        let k = physics.electron.sampleBremsstrahlungEnergy(material: m, energyMeV: e,
                                                            thresholdMeV: settings.bremsstrahlungThresholdMeV, &h.rng)
        let cosK = physics.electron.sampleBremsstrahlungAngle(energyMeV: e, &h.rng)
        push(Particle(kind: .photon, energy: k, position: x, direction: rotate(d, cosTheta: cosK, azimuth: h.rng.azimuth())),
             voxel: n, &h)
        e -= k
    }

    /// Event: a positron annihilates at rest where it stops — two back-to-back 511 keV photons onto the stack.
    @inline(__always)
    func annihilation(at x: SIMD3<Double>, voxel n: Int, _ h: inout TransportState) {
        let me = PhysicalConstants.electronRestEnergyMeV
        h.energy.emitted += 2 * me
        let u = h.rng.isotropicDirection()
        push(Particle(kind: .photon, energy: me, position: x, direction: u), voxel: n, &h)
        push(Particle(kind: .photon, energy: me, position: x, direction: -u), voxel: n, &h)
    }
}
