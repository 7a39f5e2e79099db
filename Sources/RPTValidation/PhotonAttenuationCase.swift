import Foundation
import RPTCore
import RPTPhysics
import RPTTransport
import RPTVolume

/// Photon attenuation and energy absorption against NIST SRD 126 (Hubbell & Seltzer), read from
/// `validation/reference/nist_photon_mass_coefficients.csv`:
/// 1. the tables RPTDose transports with (μ/ρ, μ_en/ρ for water, ICRU-44 soft tissue, cortical bone, lung);
/// 2. Monte Carlo narrow-beam transmission of a pencil beam through water, uncollided fraction vs exp(−μx).
public struct PhotonAttenuationCase: ValidationCase {
    public let name = "photon-attenuation-nist"
    public let title = "Photon attenuation and energy absorption vs NIST SRD 126"
    public let inQuickSuite = true
    public init() {}

    static let materials = [("water_liquid", "water"), ("soft_tissue_ICRU44", "soft_tissue"),
                            ("cortical_bone_ICRU44", "cortical_bone"), ("lung_ICRU44", "lung")]

    public func run(_ context: ValidationContext) throws -> ValidationCaseResult {
        var rows: [ValidationRow] = []
        let table = PhotonMaterialTable.builtIn()
        let estar = try ESTARWaterTable(referenceDirectory: context.referenceDirectory)
        let yield: (Double) -> Double = { e in
            e <= estar.energiesMeV[0] ? estar.radiationYield[0] * e / estar.energiesMeV[0]
                : estar.interpolate(estar.radiationYield, at: e)
        }
        var plot = SVGPlot(title: "RPTDose / NIST − 1", xLabel: "photon energy (keV)", yLabel: "relative deviation (%)",
                           logX: true)
        for (n, (nistName, ours)) in Self.materials.enumerated() {
            let nist = try NISTPhotonTable(referenceDirectory: context.referenceDirectory, material: nistName)
            let m = try table.materialIndex(named: ours)
            var worstMu = 0.0, worstEn = 0.0, dMu: [Double] = [], dEn: [Double] = []
            for (i, e) in nist.energiesMeV.enumerated() {
                let mu = try table.totalMassAttenuation(materialIndex: m, energyMeV: e)
                let en = try table.energyAbsorptionCoefficient(materialIndex: m, energyMeV: e, radiativeYield: yield)
                dMu.append(100 * (mu / nist.muRho[i] - 1)); dEn.append(100 * (en / nist.muEnRho[i] - 1))
                worstMu = max(worstMu, abs(mu / nist.muRho[i] - 1)); worstEn = max(worstEn, abs(en / nist.muEnRho[i] - 1))
            }
            let range = "\(Int(nist.rangeMeV.lowerBound * 1000))–\(Int(nist.rangeMeV.upperBound * 1000)) keV"
            rows.append(.compare("μ/ρ \(ours), worst of \(nist.energiesMeV.count) energies \(range)", value: 100 * worstMu,
                                 reference: 0, sigma: 0, k: 0, systematic: 1.0, unit: "% dev.",
                                 note: "deterministic; allowance 1 % (spread of photon cross-section libraries)"))
            rows.append(.compare("μ_en/ρ \(ours), worst of \(nist.energiesMeV.count) energies \(range)", value: 100 * worstEn,
                                 reference: 0, sigma: 0, k: 0, systematic: 2.0, unit: "% dev.",
                                 note: "deterministic; allowance 2 % (μ_en adds the mean transfer and radiative-yield models)"))
            let kev = nist.energiesMeV.map { $0 * 1000 }
            plot.series.append(.init(label: "μ/ρ \(ours)", x: kev, y: dMu, color: SVGPlot.color(n), markers: true))
            plot.series.append(.init(label: "μen/ρ \(ours)", x: kev, y: dEn, color: SVGPlot.color(n), line: false, markers: true))
        }
        plot.hLines = [(1, "+1 %"), (-1, "−1 %")]

        // Narrow-beam transmission through water, thickness 1/μ (T ≈ e⁻¹), uncollided = no real interaction.
        let water = try NISTPhotonTable(referenceDirectory: context.referenceDirectory, material: "water_liquid")
        let energies = context.isQuick ? [0.1, 0.2083] : [0.05, 0.1, 0.2083, 0.3, 0.5]
        let count = context.isQuick ? 10_000 : 200_000
        for e in energies {
            let mu = water.coefficients(e).mu  // cm²/g = 1/cm at ρ = 1
            let thickness = 1 / mu            // cm
            let nz = 40
            let grid = Grid3D(shape: SIMD3(3, 3, nz), spacing: SIMD3(20, 20, thickness * 10 / Double(nz)))
            let world = try VoxelWorld.homogeneous(grid: grid, material: MaterialLibrary.water, density: 1.0)
            let sim = try PreparedSimulation(world: world, source: .point(SIMD3(3, 3, 1e-9)),
                                             emitter: .beam(.photon, energyMeV: e, direction: SIMD3(0, 0, 1)),
                                             settings: TransportSettings(), seed: context.seed)
            let kernel = sim.kernel
            var state = TransportState(tallySlots: sim.tallySlots)
            var uncollided = 0
            for h in 0..<UInt64(count) {
                state.beginHistory(seed: context.seed, history: h)
                kernel.run(history: h, &state)
                state.endHistory()
                if state.energy.photonInteractions == 0 { uncollided += 1 }
            }
            let t = Double(uncollided) / Double(count)
            let expected = exp(-1.0)
            let sigma = (expected * (1 - expected) / Double(count)).squareRoot()
            rows.append(.compare(String(format: "narrow-beam T, water, %.1f keV, x = 1/μ_NIST = %.2f cm", e * 1000, thickness),
                                 value: t, reference: expected, sigma: sigma, k: 3, systematic: expected * 0.01,
                                 unit: "fraction",
                                 note: "\(count) photons; allowance 1 % of μx (table vs NIST, checked above)"))
        }
        return ValidationCaseResult(
            name: name, title: title, rows: rows, figureSVG: plot.render(),
            figureCaption: "Relative deviation of RPTDose's photon tables from NIST SRD 126 (lines: μ/ρ, dots: μ_en/ρ).",
            notes: ["Reference: NIST SRD 126 (Hubbell & Seltzer, X-Ray Mass Attenuation Coefficients), "
                    + "`validation/reference/nist_photon_mass_coefficients.csv`; μ_en uses the ESTAR water radiation yield.",
                    "Narrow-beam: pencil beam along z through a water slab of thickness 1/μ (NIST, log–log interpolated); "
                    + "a history is uncollided when its photon has no real (non-virtual) interaction."])
    }
}
