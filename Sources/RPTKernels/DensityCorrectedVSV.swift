import RPTCore
import RPTVolume

/// VSV dose with the usual voxel-wise density correction, and a record of where that correction is known
/// to be poor.
///
/// dose_v = (TIA ⊛ K)_v · ρ_kernel / ρ_v. This keeps the energy the kernel deposits in voxel v and puts it
/// into that voxel's actual mass. It ignores that the range of electrons and photons also changes with
/// density, so it fails near lung/air (ρ < 0.5 g/cm³) and bone (ρ > 1.5 g/cm³) and across their
/// interfaces; those voxels are flagged and the share of dose in them is reported, not hidden.
public enum DensityCorrectedVSV {
    /// Class of a voxel in the `flags` map (`DensityFlags.Flag`).
    public typealias Flag = DensityFlags.Flag

    /// Result: corrected dose, flags, and how much dose sits in flagged voxels.
    public struct Result: Sendable {
        /// Density-corrected dose (Gy).
        public var dose: Volume<Double>
        /// `Flag` raw value per voxel (unit "flag").
        public var flags: Volume<UInt8>
        public var flaggedBelowCount: Int
        public var flaggedAboveCount: Int
        /// Σ dose over flagged voxels / Σ dose over all voxels (0 when there is no dose).
        public var flaggedDoseFraction: Double
        /// Energy in flagged voxels / total energy, Σ D·ρ over flagged / Σ D·ρ (equal voxel volumes).
        public var flaggedEnergyFraction: Double
        /// Human-readable warning, empty when no voxel with dose is flagged.
        public var warning: String
    }

    /// Density-corrected VSV dose.
    /// - Parameters:
    ///   - density: mass density (g/cm³) on the TIA grid, finite and > 0.
    ///   - lowDensityGPerCm3, highDensityGPerCm3: flagging thresholds (defaults 0.5 and 1.5 g/cm³).
    public static func dose(tia: Volume<Double>, density: Volume<Double>, kernel: VoxelSValueKernel,
                            method: VSVConvolution.Method = .automatic,
                            lowDensityGPerCm3: Double = 0.5, highDensityGPerCm3: Double = 1.5) throws -> Result {
        try VolumeChecks.requireGrid(density, equalTo: tia.grid, source: "density map")
        try VolumeChecks.requirePositive(density, source: "density map")
        guard lowDensityGPerCm3 < highDensityGPerCm3 else {
            throw InputError(source: "density correction", field: "lowDensityGPerCm3",
                             value: "\(lowDensityGPerCm3)", reason: "must be below highDensityGPerCm3 = \(highDensityGPerCm3)")
        }
        let uncorrected = try VSVConvolution.dose(tia: tia, kernel: kernel, method: method)
        var dose = uncorrected.voxels
        for n in dose.indices { dose[n] *= kernel.densityGPerCm3 / density.voxels[n] }
        let corrected = Volume(grid: tia.grid, voxels: dose, unit: "Gy")
        let f = try DensityFlags(dose: corrected, density: density, lowDensityGPerCm3: lowDensityGPerCm3,
                                 highDensityGPerCm3: highDensityGPerCm3)
        return Result(dose: corrected, flags: f.flags, flaggedBelowCount: f.belowCount, flaggedAboveCount: f.aboveCount,
                      flaggedDoseFraction: f.doseFraction, flaggedEnergyFraction: f.energyFraction,
                      warning: f.warning("density correction"))
    }
}
