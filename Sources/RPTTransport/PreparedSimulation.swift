import Foundation
import RPTCore
import RPTPhysics
import RPTVolume

/// A named set of voxels whose total energy is scored history by history (organs, tumours, the ROI
/// of a target uncertainty). Regions may overlap (a kidney and its cortex): energy deposited in a voxel counts in
/// every region that holds it.
public struct ScoredRegion: Sendable {
    public var name: String
    /// Flat voxel indices of the world grid.
    public var voxels: [Int]
    public init(name: String, voxels: [Int]) { self.name = name; self.voxels = voxels }
}

/// Everything a simulation needs, validated and laid out for the transport loop.
///
/// Owns the arrays the transport reads, at stable addresses for the run; the per-worker kernels hold raw pointers
/// into them. The world's voxels are kept as 2-byte indices into the table of their distinct (material, density)
/// pairs (`VoxelMediumTable`), exact; the world's own per-voxel arrays (1 + 4 bytes) are not kept, except copies
/// for the voxels the table cannot index (more than 65 535 distinct pairs). Build it from a world the caller then
/// drops, so that the world's arrays are freed before the run.
public final class PreparedSimulation: @unchecked Sendable {
    /// The dose grid.
    public let grid: Grid3D
    /// Materials referenced by the voxels' medium table.
    public let materials: [Material]
    public let regions: [ScoredRegion]
    public let settings: TransportSettings
    public let decaysRepresented: Double
    public let fingerprint: Fingerprint
    /// Master seed of the random streams: history h uses the stream (seed, h). The one place the seed is kept;
    /// it is part of the fingerprint, so a resumed or merged run cannot silently change it.
    public let seed: UInt64
    public let kernel: DecayKernel
    /// Per-voxel material index and density: full copies only when the medium table overflowed, else one element.
    private let materialIndex: UnsafeMutablePointer<UInt8>
    private let density: UnsafeMutablePointer<Float>
    private let perVoxelArrays: Bool
    private let regionOfVoxel: UnsafeMutablePointer<Int32>
    /// Region slot lists of the voxels in several regions (`RegionOverlapList`).
    private let overlapOffsets: UnsafeMutablePointer<Int32>
    private let overlapSlots: UnsafeMutablePointer<Int32>
    /// Number of voxels that lie in more than one scored region.
    public let overlappingVoxelCount: Int
    private let mediumIndex: UnsafeMutablePointer<UInt16>
    private let media: UnsafeMutablePointer<VoxelMedium>
    /// The world's distinct (material, density) pairs as the transport reads them.
    public let mediumTable: VoxelMediumTable

    /// - Parameters:
    ///   - source: where decays happen (a `.voxelMap` must be on the world grid).
    ///   - emitter: what each decay emits.
    ///   - decaysRepresented: the real number of decays (the map's Bq·s) the dose is scaled to; 1 = per decay.
    ///   - identity: extra strings that identify the inputs (nuclide, file hashes) for the fingerprint.
    public init(world: VoxelWorld, source: SourceGeometry, emitter: Emitter, settings: TransportSettings,
                regions: [ScoredRegion] = [], decaysRepresented: Double = 1, seed: UInt64,
                identity: [String] = []) throws {
        self.grid = world.grid; self.materials = world.materials; self.regions = regions; self.settings = settings
        self.decaysRepresented = decaysRepresented
        self.seed = seed
        let n = world.grid.voxelCount
        // The randomly accessed arrays (medium indices, region map) are huge-page backed where the OS allows.
        mediumIndex = LargeAllocation.allocate(UInt16.self, count: n)
        mediumTable = VoxelMediumTable(materialIndex: world.materialIndex, density: world.density, indices: mediumIndex)
        media = .allocate(capacity: max(1, mediumTable.media.count))
        media.initialize(from: mediumTable.media, count: mediumTable.media.count)
        // Full per-voxel arrays only for voxels outside the medium table (the transport and the masses read them
        // there alone); otherwise one-element placeholders.
        perVoxelArrays = mediumTable.overflowVoxels > 0
        let copies = perVoxelArrays ? n : 1
        materialIndex = LargeAllocation.allocate(UInt8.self, count: copies)
        density = LargeAllocation.allocate(Float.self, count: copies)
        if perVoxelArrays {
            materialIndex.initialize(from: world.materialIndex, count: n)
            density.initialize(from: world.density, count: n)
        } else {
            materialIndex.initialize(to: 0); density.initialize(to: 1)
        }
        // The region map (4 bytes per voxel) only when regions are scored (the kernel does not read it otherwise).
        let mapCount = regions.isEmpty ? 1 : n
        regionOfVoxel = LargeAllocation.allocate(Int32.self, count: mapCount)
        regionOfVoxel.initialize(repeating: -1, count: mapCount)
        // A voxel may lie in several regions (a kidney and its cortex): it then holds −2 − k, k an entry of the
        // overlap list giving its region slots; equal slot lists share one entry.
        var slotsOfVoxel: [Int: [Int32]] = [:]
        for (r, region) in regions.enumerated() {
            for v in region.voxels {
                guard v >= 0 && v < n else {
                    throw InputError(source: "region '\(region.name)'", field: "voxel index", value: "\(v)",
                                     reason: "outside the grid of \(n) voxels")
                }
                let current = regionOfVoxel[v]
                if current == -1 { regionOfVoxel[v] = Int32(r); continue }
                var list = slotsOfVoxel[v] ?? [current]
                guard list.last != Int32(r) else {
                    throw InputError(source: "region '\(region.name)'", field: "voxel index", value: "\(v)",
                                     reason: "listed twice in the region")
                }
                list.append(Int32(r))
                slotsOfVoxel[v] = list
            }
        }
        var entryOfList: [[Int32]: Int32] = [:], offsets: [Int32] = [0], slots: [Int32] = []
        for v in slotsOfVoxel.keys.sorted() {
            let list = slotsOfVoxel[v]!
            let k: Int32
            if let e = entryOfList[list] { k = e } else {
                k = Int32(offsets.count - 1); entryOfList[list] = k
                slots += list; offsets.append(Int32(slots.count))
            }
            regionOfVoxel[v] = -2 - k
        }
        overlapOffsets = .allocate(capacity: offsets.count)
        overlapOffsets.initialize(from: offsets, count: offsets.count)
        overlapSlots = .allocate(capacity: max(1, slots.count))
        overlapSlots.initialize(from: slots, count: slots.count)
        overlappingVoxelCount = slotsOfVoxel.count
        let geometry = VoxelGeometry(shape: world.grid.shape, sizeCm: world.voxelSizeCm,
                                     materialIndex: materialIndex, density: density, mediumIndex: mediumIndex, media: media)
        let physics = try TransportPhysics(materials: world.materials, maximumDensity: world.maximumDensityPerMaterial,
                                           settings: settings)
        guard settings.sourceBatchDecays >= 1 && settings.sourceBatchDecays <= 1 << 24 else {
            throw InputError(source: "source batch size", value: "\(settings.sourceBatchDecays)", reason: "must be 1…16 777 216 decays")
        }
        let positions = try PositionSampler(source, world: world, sampling: settings.sourceSampling)
        let majorants = MajorantGrid(world: world, photon: physics.photon, blockSize: settings.majorantBlockSize)
        kernel = DecayKernel(geometry: geometry, physics: physics, majorants: majorants, settings: settings, positions: positions,
                             emitter: emitter, regionOfVoxel: regions.isEmpty ? nil : UnsafePointer(regionOfVoxel),
                             regionOverlaps: slots.isEmpty ? nil
                                : RegionOverlapList(offsets: UnsafePointer(overlapOffsets), slots: UnsafePointer(overlapSlots)))
        var f = Fingerprint()
        f.combine(world.grid.description)
        f.combine(world.materials.map(\.name).joined(separator: ","))
        // A medium from a material table is identified by its composition too (a name may be reused with other
        // fractions); built-in materials by their name alone, so that existing fingerprints are unchanged.
        for m in world.materials where !MaterialLibrary.all.contains(m) {
            f.combine(m.composition.flatMap { [Double($0.z), $0.massFraction] } + [m.density, m.meanExcitationEnergyEV])
        }
        f.combine(voxels: world.materialIndex)
        f.combine(voxels: world.density)
        switch source {
        case .voxelMap(let w): f.combine("map"); f.combine(voxels: w)
        case .point(let p): f.combine("point"); f.combine([p.x, p.y, p.z])
        case .sphere(let c, let r): f.combine("sphere"); f.combine([c.x, c.y, c.z, r])
        case .box(let a, let b): f.combine("box"); f.combine([a.x, a.y, a.z, b.x, b.y, b.z])
        }
        switch emitter {
        case .nuclide(let s, let filter): f.combine("nuclide \(s.nuclideName) \(filter.rawValue)")
        case .monoenergetic(let k, let e): f.combine("mono \(k) \(e)")
        case .beam(let k, let e, let d): f.combine("beam \(k) \(e) \(d)")
        }
        f.combine(settings.fingerprintText)
        f.combine("transport algorithm revision \(DecayKernel.algorithmRevision)")
        f.combine(regions.map(\.name).joined(separator: ","))
        // The regions' voxels too: a resumed or merged run must not add tallies of differently drawn regions
        // that happen to carry the same names.
        for r in regions { f.combine(voxels: r.voxels) }
        f.combine(seed)
        for s in identity { f.combine(s) }
        fingerprint = f
    }

    deinit {
        LargeAllocation.deallocate(materialIndex); LargeAllocation.deallocate(density)
        LargeAllocation.deallocate(regionOfVoxel); LargeAllocation.deallocate(mediumIndex)
        media.deallocate(); overlapOffsets.deallocate(); overlapSlots.deallocate()
    }

    /// The world as given (rebuilt from the medium table: allocates its 5 bytes per voxel on every call).
    public var world: VoxelWorld {
        let n = grid.voxelCount
        var m = [UInt8](repeating: 0, count: n), d = [Float](repeating: 0, count: n)
        for v in 0..<n { let x = medium(ofVoxel: v); m[v] = x.material; d[v] = x.density }
        // The values were validated when this simulation was prepared.
        return try! VoxelWorld(grid: grid, materials: materials, materialIndex: m, density: d)
    }

    /// Material index and density of voxel `v` (flat index), exactly the world's.
    @inline(__always)
    public func medium(ofVoxel v: Int) -> VoxelMedium {
        let c = mediumIndex[v]
        if c != VoxelMediumTable.overflow { return media[Int(c)] }
        return VoxelMedium(density: density[v], material: materialIndex[v])
    }

    /// Masses (g) of the voxels `range` (flat indices) into `mass` — the world's `voxelMassG`, bit for bit.
    public func voxelMassesG(_ range: Range<Int>, into mass: UnsafeMutableBufferPointer<Double>) {
        precondition(mass.count >= range.count)
        let volume = grid.voxelVolumeML
        for (k, v) in range.enumerated() { mass[k] = Double(medium(ofVoxel: v).density) * volume }
    }

    /// Mass of each scored region (g): the sum of its voxels' masses in its voxel order.
    public var regionMassesG: [Double] {
        let volume = grid.voxelVolumeML
        return regions.map { $0.voxels.reduce(0.0) { $0 + Double(medium(ofVoxel: $1).density) * volume } }
    }

    /// Tally slots: the grid's voxels, then one per region.
    public var tallySlots: Int { grid.voxelCount + regions.count }

    /// An empty state for a new run.
    public func emptyState() -> SimulationState { SimulationState(voxelCount: tallySlots) }

    /// Runs (or resumes) the simulation; see `SimulationDriver.run`.
    public func run(from state: SimulationState? = nil, control: RunControl, targetRegion: Int? = nil,
                    firstDecay: UInt64 = 0, totalDecays: UInt64? = nil, stop: StopFlag? = nil,
                    roundRunner: RoundRunner? = nil, progress: (RunProgress) -> Void = { _ in },
                    checkpoint: (SimulationState) throws -> Void = { _ in }) throws -> SimulationState {
        var driver = SimulationDriver(kernel: kernel, voxelCount: grid.voxelCount, regionCount: regions.count,
                                      targetRegion: targetRegion,
                                      targetRegionVoxels: targetRegion.map { regions[$0].voxels } ?? [],
                                      firstDecay: firstDecay, seed: seed)
        driver.roundRunner = roundRunner
        driver.totalDecays = totalDecays
        return try driver.run(from: state ?? SimulationState(voxelCount: 0), control: control, stop: stop, progress: progress,
                              checkpoint: checkpoint)
    }

    /// Runs the histories of `range` on this process's threads (one MPI rank's share of a round).
    public func runHistories(_ range: Range<UInt64>, control: RunControl, workers: Int, stop: StopFlag? = nil) throws -> RunChunk {
        try ParallelRunner.run(kernel: kernel, seed: seed, histories: range, batchSize: control.batchSize,
                           workers: workers, voxelCount: tallySlots, stop: stop)
    }

    /// Local worker threads for `control` (the tally is shared, so memory no longer limits them).
    public func workerCount(_ control: RunControl) -> Int { control.threads }

    /// Voxel masses (g) and region masses (g), as the dose is computed from them (a full-grid array: 8 bytes per
    /// voxel; the output stage reads `voxelMassesG(_:into:)` slab by slab instead).
    public var masses: (voxelG: [Double], regionG: [Double]) {
        let mass = [Double](unsafeUninitializedCapacity: grid.voxelCount) { b, count in
            voxelMassesG(0..<grid.voxelCount, into: b); count = grid.voxelCount
        }
        return (mass, regionMassesG)
    }

    /// Doses and uncertainties of a state (full-grid arrays; see `regionDoses` for the regions alone).
    public func result(_ state: SimulationState) -> DoseResult {
        let (mass, regionMass) = masses
        return DoseResult(state: state, grid: grid, voxelMassG: mass, decaysRepresented: decaysRepresented,
                          regionNames: regions.map(\.name), regionMassG: regionMass)
    }

    /// The scored regions' doses of a state, without any full-grid array (the same values as `result(_:).regions`).
    public func regionDoses(_ state: SimulationState) -> [RegionDose] {
        DoseResult.regionDoses(sums: state.sums, histories: state.decaysDone, voxelCount: grid.voxelCount,
                               decaysRepresented: decaysRepresented, regionNames: regions.map(\.name),
                               regionMassG: regionMassesG)
    }
}
