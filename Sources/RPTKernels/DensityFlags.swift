import RPTCore
import RPTVolume

/// Where a kernel method's dose rests on a density far from soft tissue, and how much dose sits there.
///
/// Both density-scaled kernel methods put energy into a voxel's own mass: `vsv-density` (the kernel's energy
/// scaled by ρ_kernel/ρ) and `ldm` (dose ∝ 1/ρ). Neither follows the change of particle ranges with density,
/// so both fail in lung/air (ρ < 0.5 g/cm³, where SPECT spill-out into low-density voxels becomes very large
/// doses) and bone (ρ > 1.5 g/cm³). Such voxels are flagged and the share of dose in them reported, not hidden.
public struct DensityFlags: Sendable {
    /// Class of a voxel in the `flags` map.
    public enum Flag: UInt8, Sendable {
        /// Density within [low, high].
        case ok = 0
        /// Density below the low threshold (lung, air).
        case belowRange = 1
        /// Density above the high threshold (bone).
        case aboveRange = 2
    }

    /// `Flag` raw value per voxel (unit "flag").
    public var flags: Volume<UInt8>
    public var belowCount: Int
    public var aboveCount: Int
    /// Σ dose over flagged voxels / Σ dose over all voxels (0 when there is no dose).
    public var doseFraction: Double
    /// Energy in flagged voxels / total energy, Σ D·ρ over flagged / Σ D·ρ (equal voxel volumes).
    public var energyFraction: Double
    /// Whether any voxel with dose is flagged.
    public var anyDoseFlagged: Bool
    /// The thresholds (g/cm³) the voxels were flagged against.
    let low: Double, high: Double

    /// Flags `dose` (Gy) by `density` (g/cm³, same grid, > 0) against [low, high] g/cm³ (defaults 0.5, 1.5).
    public init(dose: Volume<Double>, density: Volume<Double>, lowDensityGPerCm3: Double = 0.5,
                highDensityGPerCm3: Double = 1.5) throws {
        try VolumeChecks.requireGrid(density, equalTo: dose.grid, source: "density map")
        guard lowDensityGPerCm3 < highDensityGPerCm3 else {
            throw InputError(source: "density flags", field: "lowDensityGPerCm3",
                             value: "\(lowDensityGPerCm3)", reason: "must be below highDensityGPerCm3 = \(highDensityGPerCm3)")
        }
        var flags = [UInt8](repeating: Flag.ok.rawValue, count: dose.voxels.count)
        var below = 0, above = 0
        var doseAll = 0.0, doseFlagged = 0.0, energyAll = 0.0, energyFlagged = 0.0
        for n in dose.voxels.indices {
            let rho = density.voxels[n], d = dose.voxels[n]
            let flagged: Bool
            if rho < lowDensityGPerCm3 { flags[n] = Flag.belowRange.rawValue; below += 1; flagged = true }
            else if rho > highDensityGPerCm3 { flags[n] = Flag.aboveRange.rawValue; above += 1; flagged = true }
            else { flagged = false }
            doseAll += d; energyAll += d * rho
            if flagged { doseFlagged += d; energyFlagged += d * rho }
        }
        self.flags = Volume(grid: dose.grid, voxels: flags, unit: "flag")
        belowCount = below; aboveCount = above
        doseFraction = doseAll > 0 ? doseFlagged / doseAll : 0
        energyFraction = energyAll > 0 ? energyFlagged / energyAll : 0
        anyDoseFlagged = doseFlagged > 0
        self.low = lowDensityGPerCm3; self.high = highDensityGPerCm3
    }

    /// "<what> unreliable in N voxel(s) below … holding x % of the summed voxel dose (y % of the energy)", or "".
    public func warning(_ what: String) -> String {
        guard anyDoseFlagged else { return "" }
        return "\(what) unreliable in \(belowCount) voxel(s) below \(low) g/cm³ and \(aboveCount) above \(high) g/cm³, "
            + "holding \(Self.percent(doseFraction)) of the summed voxel dose (\(Self.percent(energyFraction)) of the energy)"
    }

    private static func percent(_ f: Double) -> String { "\((f * 1000).rounded() / 10) %" }
}
