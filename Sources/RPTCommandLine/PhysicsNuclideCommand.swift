import ArgumentParser
import Foundation
import RPTCore
import RPTPhysics

/// `rptdose physics nuclide NAME`: half-life, energy per decay by emission type, and the line list.
struct PhysicsNuclideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nuclide",
        abstract: "Show a radionuclide's ICRP-107 emission data: half-life, energy per decay, lines.")

    @Argument(help: "Nuclide name, e.g. Lu-177, Y-90, I-131, Tb-161, Ho-166.")
    var name: String

    @Flag(help: "Print JSON (keys documented in docs/formats/cli-json.md).")
    var json = false

    @Option(help: "Emissions below this energy (keV) are deposited locally rather than transported.")
    var cutoffKeV: Double = Nuclide.defaultTransportCutoffMeV * 1000

    func run() throws {
        let n = try Nuclide.named(name, source: "nuclide argument")
        let budget = n.energyBudget(transportCutoffMeV: cutoffKeV / 1000)
        if json {
            let lines: [[String: Any]] = n.lines.map {
                ["kind": $0.kind.rawValue, "energy_mev": $0.energyMeV, "yield_per_decay": $0.yieldPerDecay]
            }
            try JSONOutput.print([
                "nuclide": n.name,
                "half_life_s": n.halfLifeSeconds,
                "half_life_d": n.halfLifeSeconds / 86400,
                "beta_mean_energy_mev": n.betaMeanEnergyMeV,
                "electron_energy_per_decay_mev": n.electronEnergyPerDecayMeV,
                "photon_energy_per_decay_mev": n.photonEnergyPerDecayMeV,
                "total_energy_per_decay_mev": n.totalEnergyPerDecayMeV,
                "transport_cutoff_mev": budget.transportCutoffMeV,
                "locally_deposited_energy_per_decay_mev": budget.locallyDepositedMeV,
                "lines": lines,
                "data_source": Nuclide.dataSource,
            ])
            return
        }
        print("\(n.name): half-life \(fmt(n.halfLifeSeconds / 86400)) d (\(fmt(n.halfLifeSeconds)) s)")
        print("  mean beta energy per decay     \(fmt(n.betaMeanEnergyMeV)) MeV")
        print("  electron energy per decay      \(fmt(n.electronEnergyPerDecayMeV)) MeV")
        print("  photon energy per decay        \(fmt(n.photonEnergyPerDecayMeV)) MeV")
        print("  below \(fmt(cutoffKeV)) keV (deposited locally) \(fmt(budget.locallyDepositedMeV)) MeV")
        print("  lines with yield ≥ 1e-3 per decay:")
        for l in n.lines where l.yieldPerDecay >= 1e-3 {
            print("    \(l.kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) "
                  + "\(fmt(l.energyMeV * 1000)) keV  yield \(fmt(l.yieldPerDecay))")
        }
        print("  source: \(Nuclide.dataSource)")
    }
}

/// Formats a number with 5 significant digits.
func fmt(_ x: Double) -> String {
    if x == 0 { return "0" }
    let a = abs(x)
    if a >= 1e-3 && a < 1e6 {
        return String(format: "%.5g", x)
    }
    return String(format: "%.4e", x)
}
