import ArgumentParser
import Foundation
import RPTCore
import RPTPhysics
import RPTTransport
import RPTWorkflow

/// `rptdose sphere`: S value and absorbed fractions of a uniform source in a sphere.
struct SphereCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sphere",
        abstract: "S value and absorbed fractions for a nuclide uniform in a sphere inside a large volume of the same medium.")

    @Option(help: "Radionuclide.") var nuclide: String = "Lu-177"
    @Option(help: "Sphere mass (g).") var massG: Double
    @Option(help: "Material (see `rptdose physics materials`).") var material: String = "water"
    @Option(help: "Voxels across the sphere's diameter.") var voxelsAcross: Int = 24
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: RunOptions

    func run() throws {
        let mat = try MaterialLibrary.material(named: material, source: "--material")
        let nuc = try Nuclide.named(nuclide, source: "--nuclide")
        let control = try options.control()
        let r = try ProcessEnvironment.withInterrupts(quiet: options.quiet || json) { environment in
            try SphereSValue.compute(nuclide: nuc, material: mat, massG: massG, voxelsAcross: voxelsAcross,
                                     control: control, seed: options.seed, settings: options.settings,
                                     environment: environment)
        }
        let dose = r.doseGyPerDecay, se = r.doseSigmaGyPerDecay
        if json {
            try JSONOutput.print([
                "nuclide": nuc.name, "material": mat.name, "mass_g": massG,
                "voxelised_mass_g": r.geometry.sphereMassG, "radius_cm": r.geometry.radiusCm,
                "decays_per_part": control.decays, "seed": options.seed,
                "mean_dose_per_decay_gy": dose,
                "s_value_mgy_per_mbq_s": r.sValueMGyPerMBqS, "s_value_rel_uncertainty": dose > 0 ? se / dose : 0,
                "absorbed_fraction_electrons": r.electronFraction, "absorbed_fraction_electrons_uncertainty": r.electronFractionSigma,
                "absorbed_fraction_photons": r.photonFraction, "absorbed_fraction_photons_uncertainty": r.photonFractionSigma,
                "electron_energy_per_decay_mev": r.electronEnergyPerDecayMeV, "photon_energy_per_decay_mev": r.photonEnergyPerDecayMeV,
            ])
            if r.partial { throw ExitCode(ExitStatus.partialResult) }
            return
        }
        print("\(nuc.name) uniform in a \(fmt(massG)) g \(mat.name) sphere (R = \(fmt(r.geometry.radiusCm)) cm, voxelised mass \(fmt(r.geometry.sphereMassG)) g)")
        print("  S value                 \(fmt(r.sValueMGyPerMBqS)) mGy/(MBq·s) ± \(fmt(100 * se / max(dose, 1e-300))) %")
        print("  absorbed fraction, e⁻   \(fmt(r.electronFraction)) ± \(fmt(r.electronFractionSigma))")
        print("  absorbed fraction, γ    \(fmt(r.photonFraction)) ± \(fmt(r.photonFractionSigma))")
        if r.partial { throw ExitCode(ExitStatus.partialResult) }
    }
}
