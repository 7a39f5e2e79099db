import CPrefetch
import RPTCore
import RPTPhysics

/// What one decay emits: the emissions of a radionuclide, or one monoenergetic particle.
public enum Emitter: Sendable {
    case nuclide(EmissionSampler, EmissionFilter)
    case monoenergetic(ParticleKind, energyMeV: Double)
    /// One particle in a fixed direction (a pencil beam from each source point), for validation.
    case beam(ParticleKind, energyMeV: Double, direction: SIMD3<Double>)

    /// All emissions of a nuclide.
    public static func nuclide(_ s: EmissionSampler) -> Emitter { .nuclide(s, .all) }
}

/// Which emissions of a nuclide are simulated (to split absorbed fractions by radiation type).
public enum EmissionFilter: String, Sendable {
    /// Everything.
    case all
    /// Electrons, positrons and the energy deposited locally below the transport cut-off.
    case electrons
    /// Photons only.
    case photons
}

/// Transports complete decays through the voxel world: the Monte Carlo history of RPTDose.
///
/// A history: sample the decay position (`PositionSampler`) and its emissions (`Emitter`), push them
/// on the stack, then transport particles from the stack until it is empty — photons by Woodcock
/// tracking (`transportPhoton`), electrons and positrons by class-II condensed history
/// (`transportElectron`). Every deposit goes to the voxel's tally slot and, when the voxel belongs to
/// a scored region, also to that region's slot.
public struct DecayKernel: HistoryKernel {
    /// Changes whenever the way a history uses its random numbers changes (so that a checkpoint or shard
    /// of an older engine is refused instead of being mixed with new histories). 2: ziggurat exponentials,
    /// range rejection at birth, polynomial azimuths (2026-11-28). 3: 32-bit uniforms where they suffice,
    /// block-walking photon tracks (2026-11-29, first commits). 4: Kahn's Klein–Nishina method, photoelectron
    /// angles only when followed, 32-bit line count and atom choice, a separate draw for the photon process,
    /// one-word ziggurat exponentials, 32-bit alias draws for tables of ≤ 2¹⁶ bins (2026-11-29).
    public static let algorithmRevision = 4

    public let geometry: VoxelGeometry
    public let physics: TransportPhysics
    /// Super-voxel majorants for photon tracking.
    public let majorants: MajorantGrid
    public let settings: TransportSettings
    public let positions: PositionSampler
    public let emitter: Emitter
    /// The nuclide sampler and emission filter, held outside `emitter` so that a decay reads them in
    /// place (no copy of the enum payload per decay).
    let nuclideSampler: EmissionSampler
    /// Whether `emitter` is a nuclide (else `nuclideSampler` is an empty placeholder).
    let emitsNuclide: Bool
    let emissionFilter: EmissionFilter
    /// Region slot of each voxel (−1: none; ≤ −2: the voxel lies in several regions, listed by
    /// `regionOverlaps` entry −2 − value); nil when no regions are scored.
    public let regionOfVoxel: UnsafePointer<Int32>?
    /// Region slots of the voxels that lie in several regions.
    public let regionOverlaps: RegionOverlapList?
    public let voxelCount: Int
    /// Systematic source sampling: the decay's position comes from `TransportState.sourceQuantile`.
    let systematicSource: Bool
    public let sourceBatchDecays: UInt64?

    public init(geometry: VoxelGeometry, physics: TransportPhysics, majorants: MajorantGrid, settings: TransportSettings,
                positions: PositionSampler, emitter: Emitter, regionOfVoxel: UnsafePointer<Int32>?,
                regionOverlaps: RegionOverlapList? = nil) {
        self.geometry = geometry; self.physics = physics; self.majorants = majorants; self.settings = settings
        self.positions = positions; self.emitter = emitter; self.regionOfVoxel = regionOfVoxel
        self.regionOverlaps = regionOverlaps
        if case .nuclide(let sampler, let filter) = emitter {
            nuclideSampler = sampler; emissionFilter = filter; emitsNuclide = true
        } else {
            nuclideSampler = EmissionSampler(nuclide: Nuclide(name: "none", halfLifeSeconds: 1, lines: [], betaSpectra: []))
            emissionFilter = .all; emitsNuclide = false
        }
        voxelCount = geometry.nx * geometry.ny * geometry.nz
        systematicSource = settings.sourceSampling == .systematic
        sourceBatchDecays = systematicSource ? UInt64(settings.sourceBatchDecays) : nil
    }

    /// Event: local deposit of `e` MeV in voxel n (and in its scored region's slot).
    @inline(__always)
    func deposit(_ e: Double, voxel n: Int, _ h: inout TransportState) {
        score(e, voxel: n, &h)
        h.energy.deposited += e
    }

    /// Adds `e` MeV to voxel n's tally slot and to its scored regions' slots (no energy bookkeeping).
    @inline(__always)
    func score(_ e: Double, voxel n: Int, _ h: inout TransportState) {
        h.tally.deposit(e, voxel: n)
        if let regions = regionOfVoxel {
            let r = Int(regions[n])
            if r >= 0 {
                h.tally.deposit(e, voxel: voxelCount + r)
            } else if r < -1, let overlaps = regionOverlaps {
                for s in overlaps.slots(entry: -2 - r) { h.tally.deposit(e, voxel: voxelCount + Int(s)) }
            }
        }
    }

    /// Starts loading what a deposit in voxel n will touch (its tally slot and region entry) into the
    /// cache; a hint only.
    @inline(__always)
    func prefetchDeposit(voxel n: Int, _ tally: borrowing EnergyTally) {
        tally.prefetch(voxel: n)
        if let regions = regionOfVoxel { rpt_prefetch(regions + n) }
    }

    /// Non-mutating, so that the kernel is borrowed, never copied, by the calls it makes per decay.
    public func run(history: UInt64, _ h: inout TransportState) {
        let origin = systematicSource ? positions.sample(quantile: h.sourceQuantile, &h.rng) : positions.sample(&h.rng)
        guard let v0 = geometry.voxel(at: origin) else { return }  // sources lie inside by construction
        let n0 = geometry.linear(v0)
        let (m0, rho0) = geometry.medium(n0)
        let face0 = geometry.distanceToNearestFace(origin, voxel: v0)
        let capacity = ParticleStack.scratchBytes / MemoryLayout<Emission>.stride
        let buffer = h.stack.scratch.bindMemory(to: Emission.self, capacity: capacity)
        // A non-optional stored sampler is read in place (an optional one is copied per decay).
        if emitsNuclide {
            let (count, local, _) = nuclideSampler.sampleDecay(&h.rng, into: buffer, capacity: capacity)
            let filter = emissionFilter
            if local > 0 && filter != .photons {
                h.energy.emitted += local
                h.energy.local += local
                deposit(local, voxel: n0, &h)
            }
            for i in 0..<count {
                let em = buffer[i]
                if filter == .photons && em.kind != .photon { continue }
                if filter == .electrons && em.kind == .photon { continue }
                h.energy.emitted += em.energyMeV
                if em.kind == .photon {
                    push(Particle(kind: .photon, energy: em.energyMeV, position: origin, direction: h.rng.isotropicDirection()),
                         voxel: n0, &h)
                } else if !absorbedAtBirth(em.kind, energyMeV: em.energyMeV, faceDistance: face0, voxel: n0, material: m0,
                                           density: rho0, &h) {
                    push(Particle(kind: em.kind, energy: em.energyMeV, position: origin, direction: h.rng.isotropicDirection()),
                         voxel: n0, &h)
                }
            }
        } else {
            switch emitter {
            case .monoenergetic(let kind, let e):
                h.energy.emitted += e
                push(Particle(kind: kind, energy: e, position: origin, direction: h.rng.isotropicDirection()), voxel: n0, &h)
            case .beam(let kind, let e, let dir):
                h.energy.emitted += e
                push(Particle(kind: kind, energy: e, position: origin, direction: dir), voxel: n0, &h)
            case .nuclide:
                break  // handled above
            }
        }
        while let p = h.stack.pop() {
            if p.kind == .photon {
                transportPhoton(p, &h)
            } else {
                transportElectron(p, &h)
            }
        }
    }

    /// Range rejection at birth: whether a new electron of `energyMeV` in voxel n (material m, density
    /// `rho` g/cm³), `faceDistance` cm from the voxel's nearest face, ends in that voxel on the first
    /// iteration of `transportElectron` — at or below the transport cut-off, or (with range rejection)
    /// with a CSDA range shorter than `faceDistance`. If so its energy is deposited here and the caller
    /// need not sample a direction or push it. Positrons always go to the stack (they annihilate).
    @inline(__always)
    func absorbedAtBirth(_ kind: ParticleKind, energyMeV e: Double, faceDistance: Double, voxel n: Int, material m: Int,
                         density rho: Double, _ h: inout TransportState) -> Bool {
        guard kind == .electron else { return false }
        if e <= settings.electronCutoffMeV
            || (settings.rangeRejection && physics.electron.csdaRange(material: m, energyMeV: e, isShorterThan: faceDistance * rho)) {
            deposit(e, voxel: n, &h)
            return true
        }
        return false
    }

    /// Event: a new secondary goes onto the stack; a full stack (never seen in practice) deposits it at
    /// `voxel` instead.
    func push(_ p: Particle, voxel n: Int, _ h: inout TransportState) {
        if !h.stack.push(p) {
            h.energy.overflow += p.energy
            deposit(p.energy, voxel: n, &h)
        }
    }
}
