import RPTCore
import RPTVolume

/// Absorbed dose from a finished (or partial) simulation, derived from its tally sums.
public struct DoseResult: Sendable {
    public let grid: Grid3D
    /// Decays simulated.
    public let decays: UInt64
    /// Number of real decays the results are scaled to (the map's total Bq·s); 1 for "per decay".
    public let decaysRepresented: Double
    /// Mean energy deposited per decay in each voxel (MeV).
    public let energyPerDecayMeV: [Double]
    /// Absorbed dose to medium (Gy) for `decaysRepresented` decays.
    public let doseGy: [Double]
    /// Relative standard uncertainty (1σ) of each voxel dose; 0 where no energy was deposited.
    public let relativeUncertainty: [Double]
    /// Per scored region: mean dose (Gy), relative uncertainty, mass (g).
    public let regions: [RegionDose]
    public let ledger: EnergyLedger
    public let partial: Bool

    /// J per MeV (exact, SI 2019: e = 1.602176634e-19 C).
    public static let joulePerMeV = PhysicalConstants.joulePerMeV

    /// - Parameters:
    ///   - voxelMassG: mass of each voxel (g).
    ///   - regionNames, regionMassG: the scored regions (virtual tally slots after the voxels).
    public init(state: SimulationState, world: VoxelWorld, decaysRepresented: Double,
                regionNames: [String] = [], regionMassG: [Double] = []) {
        self.init(state: state, grid: world.grid, voxelMassG: world.voxelMassG, decaysRepresented: decaysRepresented,
                  regionNames: regionNames, regionMassG: regionMassG)
    }

    /// The same from the grid and the voxel masses alone (what `rptdose merge` reads back from the shards).
    /// - Parameter voxelMassG: mass of each voxel (g), i fastest, `grid.voxelCount` values.
    public init(state: SimulationState, grid: Grid3D, voxelMassG mass: [Double], decaysRepresented: Double,
                regionNames: [String] = [], regionMassG: [Double] = []) {
        let v = grid.voxelCount
        precondition(mass.count == v && state.sums.sum.count == v + regionNames.count
                     && regionMassG.count == regionNames.count)
        self.grid = grid
        decays = state.decaysDone
        self.decaysRepresented = decaysRepresented
        // Slot by slot (no full-grid temporaries of means and standard errors).
        let sums = state.sums, n = state.decaysDone
        func moments(_ slot: Int) -> (mean: Double, standardError: Double) {
            guard n > 0, sums.sum[slot] != 0 else { return (0, 0) }
            return TallySums.meanAndStandardError(sum: sums.sum[slot], sumSquares: sums.sumSquares[slot], histories: n,
                                                  statistics: sums.statistics)
        }
        var energy = [Double](repeating: 0, count: v)
        var dose = [Double](repeating: 0, count: v), rel = [Double](repeating: 0, count: v)
        let k = Self.joulePerMeV * 1000 * decaysRepresented  // MeV/g → Gy (J/kg)
        for i in 0..<v {
            let (m, se) = moments(i)
            guard m > 0 else { continue }
            energy[i] = m
            dose[i] = m / mass[i] * k
            rel[i] = se / m
        }
        energyPerDecayMeV = energy
        doseGy = dose
        relativeUncertainty = rel
        regions = regionNames.indices.map { r in
            let (m, s) = moments(v + r)
            return RegionDose(name: regionNames[r], massG: regionMassG[r],
                              meanDoseGy: regionMassG[r] > 0 ? m / regionMassG[r] * k : 0,
                              relativeUncertainty: m > 0 ? s / m : 0)
        }
        ledger = state.ledger
        partial = state.partial
    }
}

/// Mean absorbed dose in a region, with its Monte Carlo uncertainty.
public struct RegionDose: Sendable, Equatable {
    public var name: String
    public var massG: Double
    public var meanDoseGy: Double
    /// Relative standard uncertainty (1σ), history by history over the region's total energy.
    public var relativeUncertainty: Double
}
