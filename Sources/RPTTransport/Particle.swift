import RPTPhysics

/// A particle in flight, in the voxel world's frame (cm).
public struct Particle: Sendable {
    public var kind: ParticleKind
    /// Kinetic energy (MeV).
    public var energy: Double
    /// Position (cm) in the world frame (corner of voxel (0,0,0) at the origin).
    public var position: SIMD3<Double>
    /// Unit direction.
    public var direction: SIMD3<Double>
    
    public init(kind: ParticleKind, energy: Double, position: SIMD3<Double>, direction: SIMD3<Double>) {
        self.kind = kind; self.energy = energy; self.position = position; self.direction = direction
    }
}

/// A fixed-capacity stack of particles waiting to be transported (secondaries), allocated once per
/// worker. Pushing onto a full stack deposits the particle's energy locally instead (counted in
/// `overflowEnergyMeV`, reported so that it can be checked to be zero in practice).
public struct ParticleStack: ~Copyable {
    let storage: UnsafeMutablePointer<Particle>
    public let capacity: Int
    public var count: Int = 0

    /// Per-worker scratch memory for kernels (e.g. the emissions of one decay), `scratchBytes` long.
    public let scratch: UnsafeMutableRawPointer
    public static let scratchBytes = 1 << 16

    public init(capacity: Int = 4096) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
        scratch = .allocate(byteCount: Self.scratchBytes, alignment: 16)
    }
    deinit { storage.deallocate(); scratch.deallocate() }

    /// Pushes `p`; returns false (and stores nothing) when full.
    
    public mutating func push(_ p: Particle) -> Bool {
        guard count < capacity else { return false }
        (storage + count).initialize(to: p)
        count += 1
        return true
    }
    
    public mutating func pop() -> Particle? {
        guard count > 0 else { return nil }
        count -= 1
        return (storage + count).move()
    }
}
