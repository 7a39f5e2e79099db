import Foundation
import RPTCore
import RPTPhysics

/// Electron collision and radiative stopping powers, CSDA range and radiation yield of liquid water against
/// NIST ESTAR (SRD 124), `validation/reference/nist_estar_water.csv`, 10 keV – 1 MeV.
public struct ElectronStoppingCase: ValidationCase {
    public let name = "electron-stopping-estar"
    public let title = "Electron stopping powers and CSDA range vs NIST ESTAR"
    public let inQuickSuite = true
    public init() {}

    public func run(_ context: ValidationContext) throws -> ValidationCaseResult {
        let estar = try ESTARWaterTable(referenceDirectory: context.referenceDirectory)
        let cuts = try ElectronCuts(mollerThresholdMeV: 0.010, photonThresholdMeV: 0.010)
        let table = try ElectronMaterialTable(material: MaterialLibrary.water, cuts: cuts)
        var rows: [ValidationRow] = []
        var dCol: [Double] = [], dRad: [Double] = [], dRange: [Double] = [], dY: [Double] = []
        for (i, e) in estar.energiesMeV.enumerated() {
            dCol.append(100 * (try table.value(.collisionStoppingPower, energyMeV: e) / estar.collision[i] - 1))
            dRad.append(100 * (try table.value(.radiativeStoppingPower, energyMeV: e) / estar.radiative[i] - 1))
            dRange.append(100 * (table.csdaRange(energyMeV: e) / estar.csdaRange[i] - 1))
            dY.append(100 * (table.radiationYield(energyMeV: e) / estar.radiationYield[i] - 1))
        }
        let n = estar.energiesMeV.count
        for (label, d, allowance, why) in [
            ("S_col/ρ", dCol, 1.0, "Bethe formula with the Sternheimer density effect, as ESTAR"),
            ("S_rad/ρ", dRad, 5.0, "Seltzer–Berger tables; ESTAR's own uncertainty is 5 %"),
            ("CSDA range", dRange, 2.0, "integral of 1/S_tot"),
            ("radiation yield", dY, 5.0, "integral of S_rad/S_tot, inherits the S_rad allowance"),
        ] {
            let worst = d.map(abs).max() ?? .nan
            rows.append(.compare("\(label) water, worst of \(n) energies 10 keV–1 MeV", value: worst, reference: 0, sigma: 0,
                                 k: 0, systematic: allowance, unit: "% dev.", note: "deterministic; allowance \(Int(allowance)) %: \(why)"))
        }
        var plot = SVGPlot(title: "RPTDose / ESTAR − 1, liquid water", xLabel: "electron energy (MeV)",
                           yLabel: "relative deviation (%)", logX: true)
        let kev = estar.energiesMeV
        plot.series = [.init(label: "S_col", x: kev, y: dCol, color: SVGPlot.color(0), markers: true),
                       .init(label: "S_rad", x: kev, y: dRad, color: SVGPlot.color(1), markers: true),
                       .init(label: "CSDA range", x: kev, y: dRange, color: SVGPlot.color(2), markers: true),
                       .init(label: "rad. yield", x: kev, y: dY, color: SVGPlot.color(3), markers: true)]
        plot.hLines = [(1, "+1 %"), (-1, "−1 %")]
        return ValidationCaseResult(name: name, title: title, rows: rows, figureSVG: plot.render(),
                                    figureCaption: "Relative deviation from NIST ESTAR for liquid water.",
                                    notes: ["Reference: NIST ESTAR (Berger, Coursey, Zucker & Chang, SRD 124; ICRU Report 37), "
                                            + "`validation/reference/nist_estar_water.csv`. Tables built with Δ = k_c = 10 keV."])
    }
}
