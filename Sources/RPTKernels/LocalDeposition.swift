import RPTCore
import RPTVolume

/// Local energy deposition (LDM): every decay's locally absorbed energy stays in its own voxel.
///
/// dose_v = TIA_v · E_local · (J/MeV) / (ρ_v · V_voxel), with E_local = electron energy per decay plus,
/// optionally, the photon energy per decay assumed absorbed locally (MeV), ρ in g/cm³ converted to kg
/// (V in cm³ · ρ · 1e-3 kg/g), and 1 MeV = 1.602176634e-13 J (exact: e = 1.602176634e-19 C, SI 2019,
/// CODATA 2018; `PhysicalConstants.joulePerMeV`).
public enum LocalDeposition {
    /// Density assumed where no density map is given: water at 1 g/cm³.
    public static let waterDensityGPerCm3 = 1.0

    /// Dose (Gy) per voxel.
    /// - Parameters:
    ///   - tia: time-integrated activity per voxel (Bq·s); finite and ≥ 0.
    ///   - electronEnergyPerDecayMeV: mean electron (β⁻, conversion, Auger) energy per decay (MeV), ≥ 0.
    ///   - photonEnergyPerDecayMeV: photon energy per decay also deposited locally (MeV), ≥ 0; 0 for
    ///     the usual "electrons only" LDM.
    ///   - density: mass density map (g/cm³) on the same grid; `nil` means `uniformDensityGPerCm3` everywhere.
    ///   - uniformDensityGPerCm3: density used without a map (g/cm³), default water.
    public static func dose(tia: Volume<Double>, electronEnergyPerDecayMeV: Double,
                            photonEnergyPerDecayMeV: Double = 0, density: Volume<Double>? = nil,
                            uniformDensityGPerCm3: Double = waterDensityGPerCm3) throws -> Volume<Double> {
        try VolumeChecks.requireNonNegative(tia, source: "TIA map")
        for (name, e) in [("electronEnergyPerDecayMeV", electronEnergyPerDecayMeV),
                          ("photonEnergyPerDecayMeV", photonEnergyPerDecayMeV)] where !(e >= 0 && e.isFinite) {
            throw InputError(source: "local deposition", field: name, value: "\(e)",
                             reason: "energy per decay must be a finite number ≥ 0 MeV")
        }
        guard uniformDensityGPerCm3 > 0, uniformDensityGPerCm3.isFinite else {
            throw InputError(source: "local deposition", field: "uniformDensityGPerCm3",
                             value: "\(uniformDensityGPerCm3)", reason: "must be a finite number > 0 g/cm³")
        }
        if let density {
            try VolumeChecks.requireGrid(density, equalTo: tia.grid, source: "density map")
            try VolumeChecks.requirePositive(density, source: "density map")
        }
        let energyJ = (electronEnergyPerDecayMeV + photonEnergyPerDecayMeV) * PhysicalConstants.joulePerMeV
        let voxelCm3 = tia.grid.voxelVolumeML
        var out = [Double](repeating: 0, count: tia.voxels.count)
        for n in out.indices {
            let massKg = (density?.voxels[n] ?? uniformDensityGPerCm3) * voxelCm3 * 1e-3
            out[n] = tia.voxels[n] * energyJ / massKg
        }
        return Volume(grid: tia.grid, voxels: out, unit: "Gy")
    }
}
