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
    public let geometry: VoxelGeometry
    public let physics: TransportPhysics
    /// Super-voxel majorants for photon tracking.
    public let majorants: MajorantGrid
    public let settings: TransportSettings
    public let positions: PositionSampler
    public let emitter: Emitter
    /// The nuclide sampler, held separately so that sampling mutates it in place (no copy per decay).
    var nuclideSampler: EmissionSampler?
    /// Region slot of each voxel (−1: none); nil when no regions are scored.
    public let regionOfVoxel: UnsafePointer<Int32>?
    public let voxelCount: Int

    public init(geometry: VoxelGeometry, physics: TransportPhysics, majorants: MajorantGrid, settings: TransportSettings,
                positions: PositionSampler, emitter: Emitter, regionOfVoxel: UnsafePointer<Int32>?) {
        self.geometry = geometry; self.physics = physics; self.majorants = majorants; self.settings = settings
        self.positions = positions; self.emitter = emitter; self.regionOfVoxel = regionOfVoxel
        if case .nuclide(let sampler, _) = emitter { nuclideSampler = sampler }
        voxelCount = geometry.nx * geometry.ny * geometry.nz
    }

    @inline(__always)
    func deposit(_ e: Double, voxel n: Int, _ tally: inout EnergyTally, _ energy: inout HistoryEnergy) {
        tally.deposit(e, voxel: n)
        if let regions = regionOfVoxel {
            let r = Int(regions[n])
            if r >= 0 { tally.deposit(e, voxel: voxelCount + r) }
        }
        energy.deposited += e
    }

    public mutating func run(history: UInt64, rng: inout RandomStream, tally: inout EnergyTally,
                             stack: inout ParticleStack, energy: inout HistoryEnergy) {
        let origin = positions.sample(&rng)
        guard let v0 = geometry.voxel(at: origin) else { return }  // sources lie inside by construction
        let n0 = geometry.linear(v0)
        switch emitter {
        case .monoenergetic(let kind, let e):
            energy.emitted += e
            push(Particle(kind: kind, energy: e, position: origin, direction: rng.isotropicDirection()),
                 &stack, voxel: n0, &tally, &energy)
        case .beam(let kind, let e, let dir):
            energy.emitted += e
            push(Particle(kind: kind, energy: e, position: origin, direction: dir), &stack, voxel: n0, &tally, &energy)
        case .nuclide(_, let filter):
            let capacity = ParticleStack.scratchBytes / MemoryLayout<Emission>.stride
            let buffer = stack.scratch.bindMemory(to: Emission.self, capacity: capacity)
            let (count, local) = nuclideSampler!.sampleDecay(&rng, into: buffer, capacity: capacity)
            if local > 0 && filter != .photons {
                energy.emitted += local
                energy.local += local
                deposit(local, voxel: n0, &tally, &energy)
            }
            for i in 0..<count {
                let em = buffer[i]
                if filter == .photons && em.kind != .photon { continue }
                if filter == .electrons && em.kind == .photon { continue }
                energy.emitted += em.energyMeV
                push(Particle(kind: em.kind, energy: em.energyMeV, position: origin, direction: rng.isotropicDirection()),
                     &stack, voxel: n0, &tally, &energy)
            }
        }
        while let p = stack.pop() {
            if p.kind == .photon {
                transportPhoton(p, &rng, &tally, &stack, &energy)
            } else {
                transportElectron(p, &rng, &tally, &stack, &energy)
            }
        }
    }

    /// Pushes a secondary; a full stack (never seen in practice) deposits it at `voxel` instead.
    
    func push(_ p: Particle, _ stack: inout ParticleStack, voxel n: Int,
              _ tally: inout EnergyTally, _ energy: inout HistoryEnergy) {
        if !stack.push(p) {
            energy.overflow += p.energy
            deposit(p.energy, voxel: n, &tally, &energy)
        }
    }
}
