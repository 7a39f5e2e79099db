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
        var energy = [Double](repeating: 0, count: v)
        var dose = [Double](repeating: 0, count: v), rel = [Double](repeating: 0, count: v)
        let k = Self.grayPerMeVPerGram(decaysRepresented: decaysRepresented)
        for i in 0..<v {
            guard let x = Self.voxel(sum: sums.sum[i], sumSquares: sums.sumSquares[i], histories: n,
                                     statistics: sums.statistics, massG: mass[i], grayPerMeVPerGram: k) else { continue }
            energy[i] = x.energyPerDecayMeV
            dose[i] = x.doseGy
            rel[i] = x.relativeUncertainty
        }
        energyPerDecayMeV = energy
        doseGy = dose
        relativeUncertainty = rel
        regions = Self.regionDoses(sums: sums, histories: n, voxelCount: v, decaysRepresented: decaysRepresented,
                                   regionNames: regionNames, regionMassG: regionMassG)
        ledger = state.ledger
        partial = state.partial
    }
}

extension DoseResult {
    /// MeV per gram → Gy (J/kg) for `decaysRepresented` decays.
    public static func grayPerMeVPerGram(decaysRepresented: Double) -> Double {
        joulePerMeV * 1000 * decaysRepresented
    }

    /// Energy per decay (MeV), dose (Gy) and relative uncertainty of one voxel from its integer sums; nil where the
    /// voxel received no energy (all three are then 0). The one expression behind `DoseResult` and the slab-by-slab
    /// output (`SimulationFile`), so that both give the same bits.
    @inline(__always)
    public static func voxel(sum: UInt64, sumSquares: UInt64, histories: UInt64, statistics: TallyStatistics, massG: Double,
                             grayPerMeVPerGram k: Double)
        -> (energyPerDecayMeV: Double, doseGy: Double, relativeUncertainty: Double)? {
        guard histories > 0, sum != 0 else { return nil }
        let (m, se) = TallySums.meanAndStandardError(sum: sum, sumSquares: sumSquares, histories: histories,
                                                     statistics: statistics)
        guard m > 0 else { return nil }
        return (m, m / massG * k, se / m)
    }

    /// Mean dose and uncertainty of each scored region (the slots after the `voxelCount` voxels).
    public static func regionDoses(sums: TallySums, histories n: UInt64, voxelCount v: Int, decaysRepresented: Double,
                                   regionNames: [String], regionMassG: [Double]) -> [RegionDose] {
        let k = grayPerMeVPerGram(decaysRepresented: decaysRepresented)
        return regionNames.indices.map { r in
            let (m, s): (Double, Double) = n > 0 && sums.sum[v + r] != 0
                ? TallySums.meanAndStandardError(sum: sums.sum[v + r], sumSquares: sums.sumSquares[v + r], histories: n,
                                                 statistics: sums.statistics)
                : (0, 0)
            return RegionDose(name: regionNames[r], massG: regionMassG[r],
                              meanDoseGy: regionMassG[r] > 0 ? m / regionMassG[r] * k : 0,
                              relativeUncertainty: m > 0 ? s / m : 0)
        }
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
