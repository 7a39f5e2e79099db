import RPTCore
import RPTPhysics

/// Where a real photon interaction happens: position (cm), voxel indices and linear index, medium.
struct InteractionSite {
    var position: SIMD3<Double>
    var voxel: SIMD3<Int>
    var linear: Int
    /// Material index and mass density (g/cm³) of the voxel.
    var material: Int
    var density: Double
}

/// The named photon interaction events of `transportPhoton` (docs/methods/photon-physics.md). Each draws
/// its random numbers from the history's stream in a fixed order, pushes the secondaries it creates and
/// deposits what is absorbed locally.
extension DecayKernel {
    /// Whether the track-length estimator scores the electrons of an interaction at `site` (then they are not
    /// created): with `PhotonEstimator.trackLength`, in voxels at least `trackLengthMinimumDensity` dense.
    @inline(__always)
    func scoresTrackLength(_ site: InteractionSite) -> Bool {
        settings.photonEstimator == .trackLength && site.density >= PhotonEstimator.trackLengthMinimumDensity
    }

    /// Event: photoelectric absorption. The photon ends; the photoelectron is followed (its angle from the
    /// Sauter distribution, sampled only then) unless absorbed at birth; fluorescence goes onto the stack;
    /// the rest of the binding energy is deposited locally. With the track-length estimator neither the
    /// photoelectron nor the local energy is created (the estimator scores their expectation).
    @inline(__always)
    func photoelectric(energy e: Double, direction d: SIMD3<Double>, location: (index: Int, fraction: Double),
                       at site: InteractionSite, _ h: inout TransportState) {
        let n = site.linear
        let out = physics.photon.photoelectric.sample(materialIndex: site.material, energyMeV: e, location: location,
                                                      electronDirection: false, &h.rng)
        let trackLength = scoresTrackLength(site)
        if trackLength {
            // The track-length estimator scores this energy's expectation along the flight instead.
            h.energy.photonKerma += out.localDepositMeV + out.electronEnergyMeV
        } else if out.localDepositMeV > 0 { deposit(out.localDepositMeV, voxel: n, &h) }
        if out.electronEnergyMeV > 0 && !trackLength
            && !absorbedAtBirth(.electron, energyMeV: out.electronEnergyMeV,
                                faceDistance: geometry.distanceToNearestFace(site.position, voxel: site.voxel),
                                voxel: n, material: site.material, density: site.density, &h) {
            // The photoelectron's angle, sampled only for one that is followed.
            let cosTheta = PhotonPhotoelectricSampler.sampleSauterCosTheta(electronEnergyMeV: out.electronEnergyMeV, &h.rng)
            let dir = rotate(d, cosTheta: cosTheta, azimuth: h.rng.azimuth())
            push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: site.position, direction: dir),
                 voxel: n, &h)
        }
        if out.fluorescenceEnergyMeV > 0 {
            push(Particle(kind: .photon, energy: out.fluorescenceEnergyMeV, position: site.position,
                          direction: h.rng.isotropicDirection()), voxel: n, &h)
        }
    }

    /// Event: Compton (incoherent) scattering. The recoil electron is followed unless absorbed at birth (with
    /// the track-length estimator it is not created: the estimator scores its expected energy); returns
    /// the scattered photon's energy (MeV) and direction, or nil when it falls below the photon cut-off (its
    /// energy is then deposited here).
    @inline(__always)
    func compton(energy e: Double, direction d: SIMD3<Double>, location: (index: Int, fraction: Double),
                 at site: InteractionSite, _ h: inout TransportState) -> (energy: Double, direction: SIMD3<Double>)? {
        let n = site.linear
        let out = physics.photon.incoherent.sample(materialIndex: site.material, energyMeV: e, location: location, &h.rng)
        let phi = h.rng.azimuth()
        if scoresTrackLength(site) {
            h.energy.photonKerma += out.electronEnergyMeV  // scored by the track-length estimator instead
        } else if out.electronEnergyMeV > 0
            && !absorbedAtBirth(.electron, energyMeV: out.electronEnergyMeV,
                                faceDistance: geometry.distanceToNearestFace(site.position, voxel: site.voxel),
                                voxel: n, material: site.material, density: site.density, &h) {
            push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: site.position,
                          direction: rotate(d, cosTheta: out.electronCosTheta, azimuth: (-phi.cos, -phi.sin))),
                 voxel: n, &h)
        }
        let scattered = out.photonEnergyMeV
        if scattered < settings.photonCutoffMeV { deposit(scattered, voxel: n, &h); return nil }
        return (scattered, rotate(d, cosTheta: out.photonCosTheta, azimuth: phi))
    }

    /// Event: Rayleigh (coherent) scattering; returns the new direction (no energy changes hands).
    @inline(__always)
    func rayleigh(energy e: Double, direction d: SIMD3<Double>, at site: InteractionSite,
                  _ h: inout TransportState) -> SIMD3<Double> {
        let cosT = physics.photon.coherent.sampleCosTheta(materialIndex: site.material, energyMeV: e, &h.rng)
        return rotate(d, cosTheta: cosT, azimuth: h.rng.azimuth())
    }

    /// Event: pair production. The photon ends; the electron and positron go onto the stack (the positron
    /// annihilates where it stops, see `annihilation`).
    @inline(__always)
    func pairProduction(energy e: Double, direction d: SIMD3<Double>, at site: InteractionSite, _ h: inout TransportState) {
        let n = site.linear
        let out = PhotonPairSampler().sample(energyMeV: e, &h.rng)
        let phi = h.rng.azimuth()
        push(Particle(kind: .electron, energy: out.electronEnergyMeV, position: site.position,
                      direction: rotate(d, cosTheta: out.cosTheta, azimuth: phi)), voxel: n, &h)
        push(Particle(kind: .positron, energy: out.positronEnergyMeV, position: site.position,
                      direction: rotate(d, cosTheta: out.cosTheta, azimuth: (-phi.cos, -phi.sin))), voxel: n, &h)
        // The pair's rest energy 2mc² returns as annihilation photons, counted as emitted then.
        h.energy.emitted -= e - out.electronEnergyMeV - out.positronEnergyMeV
    }
}
