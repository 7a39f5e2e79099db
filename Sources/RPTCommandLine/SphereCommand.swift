import ArgumentParser
import Foundation
import RPTCore
import RPTPhysics
import RPTTransport

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
        let geometry = try SphereGeometry(massG: massG, material: mat, voxelsAcrossDiameter: voxelsAcross)
        let control = try options.control()
        let sampler = EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)
        var parts: [(dose: Double, se: Double, emitted: Double, deposited: Double)] = []
        var partial = false  // interrupted or --max-time: exit status 3 after printing
        for filter in [EmissionFilter.electrons, .photons] {
            let sim = try PreparedSimulation(world: geometry.world, source: .voxelMap(weights: geometry.sourceWeights),
                                             emitter: .nuclide(sampler, filter), settings: options.settings,
                                             regions: [ScoredRegion(name: "sphere", voxels: geometry.sphereVoxels)],
                                             seed: control.seed)
            let stop = StopFlag()
            InterruptHandler.install(stop)
            let reporter = ProgressReporter(quiet: options.quiet || json)
            let state = try sim.run(control: control, stop: stop, progress: reporter.report)
            reporter.finish()
            InterruptHandler.uninstall()
            partial = partial || state.partial
            let r = sim.result(state).regions[0]
            let n = Double(state.decaysDone)
            let depositedMeV = r.meanDoseGy * r.massG / 1000 / PhysicalConstants.joulePerMeV  // per decay
            parts.append((r.meanDoseGy, r.meanDoseGy * r.relativeUncertainty, state.ledger.emittedMeV / n, depositedMeV))
        }
        let dose = parts[0].dose + parts[1].dose
        let se = (parts[0].se * parts[0].se + parts[1].se * parts[1].se).squareRoot()
        // Gy per decay → mGy/(MBq·s): × 1e6 decays per MBq·s × 1e3 mGy/Gy.
        let s = dose * 1e9
        let afE = parts[0].emitted > 0 ? parts[0].deposited / parts[0].emitted : 0
        let afP = parts[1].emitted > 0 ? parts[1].deposited / parts[1].emitted : 0
        let afEu = parts[0].dose > 0 ? afE * parts[0].se / parts[0].dose : 0
        let afPu = parts[1].dose > 0 ? afP * parts[1].se / parts[1].dose : 0
        if json {
            try JSONOutput.print([
                "nuclide": nuc.name, "material": mat.name, "mass_g": massG,
                "voxelised_mass_g": geometry.sphereMassG, "radius_cm": geometry.radiusCm,
                "decays_per_part": control.decays, "seed": control.seed,
                "mean_dose_per_decay_gy": dose,
                "s_value_mgy_per_mbq_s": s, "s_value_rel_uncertainty": dose > 0 ? se / dose : 0,
                "absorbed_fraction_electrons": afE, "absorbed_fraction_electrons_uncertainty": afEu,
                "absorbed_fraction_photons": afP, "absorbed_fraction_photons_uncertainty": afPu,
                "electron_energy_per_decay_mev": parts[0].emitted, "photon_energy_per_decay_mev": parts[1].emitted,
            ])
            if partial { throw ExitCode(ExitStatus.partialResult) }
            return
        }
        print("\(nuc.name) uniform in a \(fmt(massG)) g \(mat.name) sphere (R = \(fmt(geometry.radiusCm)) cm, voxelised mass \(fmt(geometry.sphereMassG)) g)")
        print("  S value                 \(fmt(s)) mGy/(MBq·s) ± \(fmt(100 * se / max(dose, 1e-300))) %")
        print("  absorbed fraction, e⁻   \(fmt(afE)) ± \(fmt(afEu))")
        print("  absorbed fraction, γ    \(fmt(afP)) ± \(fmt(afPu))")
        if partial { throw ExitCode(ExitStatus.partialResult) }
    }
}
