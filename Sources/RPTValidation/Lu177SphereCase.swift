import Foundation
import RPTCore
import RPTPhysics
import RPTTransport

/// Lu-177 uniform in water spheres: electron and photon absorbed fractions against analytic bounds built
/// from independent data (NIST ESTAR ranges, NIST SRD 126 coefficients), and the total S value shown
/// next to a tabulation of unverified provenance (no published Lu-177 sphere table could be retrieved; see README).
public struct Lu177SphereCase: ValidationCase {
    public let name = "lu177-spheres"
    public let title = "Lu-177 sphere absorbed fractions and S values"
    public let inQuickSuite = true
    public init() {}

    public func run(_ context: ValidationContext) throws -> ValidationCaseResult {
        let nuc = try Nuclide.named("Lu-177")
        let water = MaterialLibrary.water
        let nist = try NISTPhotonTable(referenceDirectory: context.referenceDirectory, material: "water_liquid")
        let estar = try ESTARWaterTable(referenceDirectory: context.referenceDirectory)
        let tablePath = context.validationDirectory + "/\(name)/sphere_s_values_unverified.csv"
        let table = try ReferenceCSV.rows(tablePath).map {
            (try ReferenceCSV.number($0, "mass_g", source: tablePath), try ReferenceCSV.number($0, "s_gy_per_bq_s", source: tablePath))
        }
        let masses: [Double] = context.isQuick ? [4.31] : [0.539, 4.31, 34.5, 276]
        let decays: UInt64 = context.isQuick ? 8_000 : 400_000
        let voxelsAcross = context.isQuick ? 16 : 24

        // Photon lines (transported, ≥ 1 keV): energy weights and NIST coefficients.
        let photonLines = nuc.lines.filter { $0.kind.isPhoton && $0.energyMeV >= Nuclide.defaultTransportCutoffMeV }
        let photonEnergy = photonLines.reduce(0) { $0 + $1.energyPerDecayMeV }
        // Largest β⁻ energy and its ESTAR CSDA range: no electron born deeper than this can leave the sphere.
        let betaMax = nuc.betaMinus?.energiesMeV.last ?? 0.5
        let electronMax = max(betaMax, nuc.lines.filter { $0.kind.isElectron }.map(\.energyMeV).max() ?? 0)
        let rMaxCm = estar.interpolate(estar.csdaRange, at: electronMax)  // ρ = 1
        let yMax = estar.interpolate(estar.radiationYield, at: electronMax)

        var rows: [ValidationRow] = []
        var afE: [Double] = [], afG: [Double] = [], lowG: [Double] = [], upG: [Double] = [], sOurs: [Double] = []
        for m in masses {
            let g = try SphereGeometry(massG: m, material: water, voxelsAcrossDiameter: voxelsAcross)
            var part: [(af: Double, afSigma: Double, dose: Double, doseSigma: Double)] = []
            for filter in [EmissionFilter.electrons, .photons] {
                let sim = try PreparedSimulation(world: g.world, source: .voxelMap(weights: g.sourceWeights),
                                                 emitter: .nuclide(MonteCarloRuns.sampler(nuc), filter),
                                                 settings: TransportSettings(),
                                                 regions: [ScoredRegion(name: "sphere", voxels: g.sphereVoxels)], seed: context.seed)
                let (state, result) = try MonteCarloRuns.run(sim, decays: decays, context: context)
                let r = result.regions[0]
                let deposited = r.meanDoseGy * r.massG / 1000 / PhysicalConstants.joulePerMeV
                let emitted = state.ledger.emittedMeV / Double(state.decaysDone)
                let af = deposited / emitted
                part.append((af, af * r.relativeUncertainty, r.meanDoseGy, r.meanDoseGy * r.relativeUncertainty))
            }
            let R = g.radiusCm
            let eBound = pow(max(0, 1 - rMaxCm / R), 3) * (1 - yMax)
            rows.append(.bound(String(format: "φ_e, %.3g g (R = %.2f cm)", m, R), value: part[0].af, bound: eBound, isLower: true,
                               sigma: part[0].afSigma, k: 3, systematic: 0,
                               unit: "fraction", note: String(format: "(1 − R_CSDA(%.0f keV)/R)³(1 − Y), ESTAR", electronMax * 1000)))
            rows.append(.bound(String(format: "φ_e, %.3g g", m), value: part[0].af, bound: 1, isLower: false,
                               sigma: part[0].afSigma, k: 3, systematic: 0, unit: "fraction", note: "energy conservation"))
            var upper = 0.0, lower = 0.0
            for line in photonLines {
                let w = line.energyPerDecayMeV / photonEnergy
                if nist.rangeMeV.contains(line.energyMeV) {
                    let c = nist.coefficients(line.energyMeV)
                    let interact = 1 - sphereEscapeProbability(opticalRadius: c.mu * water.density * R)
                    upper += w * interact
                    lower += w * interact * c.muEn / c.mu
                } else if line.energyMeV < nist.rangeMeV.lowerBound {
                    upper += w  // soft X-rays: at most fully absorbed, at least nothing
                } else {
                    upper += w  // above the table: no bound tighter than 1
                }
            }
            rows.append(.bound(String(format: "φ_γ, %.3g g", m), value: part[1].af, bound: upper, isLower: false,
                               sigma: part[1].afSigma, k: 3, systematic: 0.02 * upper,
                               unit: "fraction", note: "energy of photons interacting in the sphere, 1 − P_esc(μR), NIST μ; 2 % voxelisation allowance"))
            rows.append(.bound(String(format: "φ_γ, %.3g g", m), value: part[1].af, bound: lower, isLower: true,
                               sigma: part[1].afSigma, k: 3, systematic: 0.02 * lower,
                               unit: "fraction", note: "first-collision energy absorbed, (μ_en/μ)(1 − P_esc), NIST; 2 % allowance"))
            let s = part[0].dose + part[1].dose
            let sSigma = (part[0].doseSigma * part[0].doseSigma + part[1].doseSigma * part[1].doseSigma).squareRoot()
            if let ref = Self.logInterpolate(table, at: m) {
                rows.append(.info(String(format: "S total, %.3g g", m), value: s, reference: ref, sigma: sSigma, unit: "Gy/(Bq·s)",
                                  note: String(format: "%+.1f %% vs PyTheranostics spheres.json (unverified provenance, tissue 1.03 g/cm³)",
                                               100 * (s / ref - 1))))
            }
            afE.append(part[0].af); afG.append(part[1].af); lowG.append(lower); upG.append(upper); sOurs.append(s)
        }
        var plot = SVGPlot(title: "Lu-177 in water spheres: absorbed fractions", xLabel: "sphere mass (g)",
                           yLabel: "absorbed fraction", logX: true)
        plot.series = [.init(label: "φ electrons (MC)", x: masses, y: afE, color: SVGPlot.color(0), markers: true),
                       .init(label: "φ photons (MC)", x: masses, y: afG, color: SVGPlot.color(1), markers: true),
                       .init(label: "φ photons upper", x: masses, y: upG, color: "#999", markers: false),
                       .init(label: "φ photons lower", x: masses, y: lowG, color: "#bbb", markers: false)]
        return ValidationCaseResult(
            name: name, title: title, rows: rows, figureSVG: plot.render(),
            figureCaption: "Electron and photon absorbed fractions of Lu-177 in water spheres with the analytic photon bounds.",
            notes: [String(format: "%d decays per emission class and mass, %d voxels across the diameter, seed %llu.",
                           Int(decays), voxelsAcross, context.seed),
                    "No published Lu-177 sphere S-value table (OLINDA/EXM sphere model, Stabin & Konijnenberg 2000) could be "
                    + "retrieved; the S values are compared, for information only, with `sphere_s_values_unverified.csv`."])
    }

    /// Log–log interpolation in a (mass, S) table; nil outside it.
    static func logInterpolate(_ t: [(Double, Double)], at m: Double) -> Double? {
        guard let i = t.indices.dropLast().first(where: { t[$0].0 <= m && m <= t[$0 + 1].0 }) else { return nil }
        let f = log(m / t[i].0) / log(t[i + 1].0 / t[i].0)
        return exp(log(t[i].1) + f * (log(t[i + 1].1) - log(t[i].1)))
    }
}
