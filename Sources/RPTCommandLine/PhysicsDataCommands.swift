import ArgumentParser
import Foundation
import RPTCore
import RPTPhysics

/// `rptdose physics photon`: photon interaction coefficients of a material at one energy.
struct PhysicsPhotonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "photon",
        abstract: "μ/ρ (total and per process) and μen/ρ of a material at one photon energy (1 keV – 3 MeV).")

    @Option(help: "Material name (see `rptdose physics materials`).") var material: String
    @Option(parsing: .unconditional, help: "Photon energy (keV).") var energyKev: Double
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let mat = try MaterialLibrary.material(named: material, source: "--material")
        let e = energyKev / 1000
        try PhotonMaterialTable.checkEnergy(e, source: "--energy-kev")
        let table = try PhotonMaterialTable(materials: [mat])
        let electrons = try ElectronMaterialTable(material: mat, cuts: ElectronCuts())
        let mu = try table.totalMassAttenuation(materialIndex: 0, energyMeV: e)
        var parts: [String: Double] = [:]
        for p in PhotonProcess.allCases { parts["\(p)"] = try table.massAttenuation(p, materialIndex: 0, energyMeV: e) }
        let muTr = try table.energyTransferCoefficient(materialIndex: 0, energyMeV: e)
        // μen/ρ = μtr/ρ·(1 − ḡ): the secondary electrons' radiative losses from the engine's own radiation yield.
        let muEn = try table.energyAbsorptionCoefficient(materialIndex: 0, energyMeV: e) { t in
            t < ElectronMaterialTable.minEnergyMeV ? 0 : electrons.radiationYield(energyMeV: t)
        }
        if json {
            try JSONOutput.print(["material": mat.name, "energy_kev": energyKev, "mu_rho_cm2_g": mu,
                                  "photoelectric_cm2_g": parts["photoelectric"]!, "incoherent_cm2_g": parts["incoherent"]!,
                                  "coherent_cm2_g": parts["coherent"]!, "pair_cm2_g": parts["pair"]!,
                                  "mu_tr_rho_cm2_g": muTr, "mu_en_rho_cm2_g": muEn])
            return
        }
        print("\(mat.name) at \(fmt(energyKev)) keV")
        print("  μ/ρ total        \(fmt(mu)) cm²/g")
        for p in PhotonProcess.allCases { print("    \("\(p)".padding(toLength: 14, withPad: " ", startingAt: 0)) \(fmt(parts["\(p)"]!)) cm²/g") }
        print("  μtr/ρ            \(fmt(muTr)) cm²/g")
        print("  μen/ρ            \(fmt(muEn)) cm²/g")
    }
}

/// `rptdose physics electron`: stopping powers and CSDA range of a material at one electron energy.
struct PhysicsElectronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "electron",
        abstract: "Collision and radiative stopping powers and CSDA range at one electron energy (1 keV – 3 MeV).")

    @Option(help: "Material name (see `rptdose physics materials`).") var material: String
    @Option(parsing: .unconditional, help: "Electron kinetic energy (keV).") var energyKev: Double
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let mat = try MaterialLibrary.material(named: material, source: "--material")
        let e = energyKev / 1000
        let t = try ElectronMaterialTable(material: mat, cuts: ElectronCuts())
        let scol = try t.value(.collisionStoppingPower, energyMeV: e)
        let srad = try t.value(.radiativeStoppingPower, energyMeV: e)
        let range = t.csdaRange(energyMeV: e)
        let rangeMM = range / mat.density * 10
        if json {
            try JSONOutput.print(["material": mat.name, "energy_kev": energyKev,
                                  "collision_stopping_power_mev_cm2_g": scol, "radiative_stopping_power_mev_cm2_g": srad,
                                  "total_stopping_power_mev_cm2_g": scol + srad, "csda_range_g_cm2": range,
                                  "csda_range_mm": rangeMM, "density_g_cm3": mat.density,
                                  "radiation_yield": t.radiationYield(energyMeV: e)])
            return
        }
        print("\(mat.name) (ρ = \(fmt(mat.density)) g/cm³), electrons of \(fmt(energyKev)) keV")
        print("  collision stopping power  \(fmt(scol)) MeV cm²/g")
        print("  radiative stopping power  \(fmt(srad)) MeV cm²/g")
        print("  CSDA range                \(fmt(range)) g/cm² = \(fmt(rangeMM)) mm")
        print("  radiation yield           \(fmt(t.radiationYield(energyMeV: e)))")
    }
}

/// `rptdose physics materials`: the built-in material table.
struct PhysicsMaterialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "materials", abstract: "List the built-in materials.")
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        if json {
            try JSONOutput.print(MaterialLibrary.all.map { m in
                ["name": m.name, "density_g_cm3": m.density, "mean_excitation_energy_ev": m.meanExcitationEnergyEV,
                 "composition": m.composition.map { ["z": $0.z, "mass_fraction": $0.massFraction] },
                 "source": m.source] as [String: Any]
            })
            return
        }
        print("name              density (g/cm³)  I (eV)  composition (Z: mass fraction)")
        for m in MaterialLibrary.all {
            let comp = m.composition.map { "\(Element.byZ($0.z)?.symbol ?? "Z\($0.z)") \(fmt($0.massFraction))" }.joined(separator: ", ")
            print(m.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + fmt(m.density).padding(toLength: 17, withPad: " ", startingAt: 0)
                  + fmt(m.meanExcitationEnergyEV).padding(toLength: 8, withPad: " ", startingAt: 0) + comp)
        }
    }
}
