import Foundation
import RPTCore
import RPTKernels
import RPTPhysics
import RPTTransport
import RPTVolume

/// Monte Carlo vs VSV vs density-corrected VSV vs LDM on the patient15 phantom (Lu-177 DOTATATE,
/// `phantoms/lu177-patient15`). There is no reference: the case documents the differences per region
/// and the gamma pass rate, with the Monte Carlo as the yardstick.
public struct Patient15MethodsCase: ValidationCase {
    public let name = "patient15-methods"
    public let title = "MC vs VSV vs LDM on patient15 (no reference)"
    public let inQuickSuite = false
    public init() {}

    /// Label → (name, relative TIA concentration per mL). Concentrations are illustrative (kidney = 1).
    static let regions: [(UInt16, String, Double)] = [
        (15000, "liver", 0.2), (16000, "spleen", 0.6), (17000, "kidney_left", 1.0), (18000, "kidney_right", 1.0),
        (19000, "tumour_1", 4.0), (20000, "tumour_2", 4.0), (21000, "tumour_3", 4.0)]

    public func run(_ context: ValidationContext) throws -> ValidationCaseResult {
        let dir = context.phantomsDirectory + "/lu177-patient15"
        func read(_ file: String) throws -> [UInt16] {
            let path = dir + "/" + file
            guard let d = FileManager.default.contents(atPath: path) else {
                throw InputError(source: path, reason: "patient15 phantom file missing (see phantoms/lu177-patient15/README.md)")
            }
            return d.withUnsafeBytes { raw in (0..<(d.count / 2)).map { UInt16(littleEndian: raw.load(fromByteOffset: 2 * $0, as: UInt16.self)) } }
        }
        let attn = try read("patient15_LuDOTATATE_attn.i33"), src = try read("patient15_LuDOTATATE_src.i33")
        let grid = Grid3D(shape: SIMD3(108, 70, 90), spacing: SIMD3(3.9063, 3.9063, 4.4196))
        guard attn.count == grid.voxelCount, src.count == grid.voxelCount else {
            throw InputError(source: dir, field: "voxel count", value: "\(attn.count)", reason: "expected \(grid.voxelCount)")
        }
        let hu = Volume<Double>(grid: grid, voxels: attn.map { Double($0) - 1000 })
        let calibration = try CTCalibration.load(directory: context.phantomsDirectory + "/scanners/default")
        let world = try WorldBuilder.fromCT(hu, calibration: calibration)
        let ml = grid.voxelVolumeML
        var tia = [Double](repeating: 0, count: grid.voxelCount)
        var members: [String: [Int]] = [:]
        var labels = [UInt16](repeating: 0, count: grid.voxelCount)
        for (n, l) in src.enumerated() {
            guard let r = Self.regions.first(where: { $0.0 == l }) else { continue }
            tia[n] = r.2 * ml * 1e9  // Bq·s: 1e9 Bq·s per mL × relative concentration
            members[r.1, default: []].append(n)
            labels[n] = l
        }
        let nuc = try Nuclide.named("Lu-177")
        let scored = Self.regions.map { ScoredRegion(name: $0.1, voxels: members[$0.1] ?? []) }
        let totalTIA = tia.reduce(0, +)
        let decays: UInt64 = context.isQuick ? 50_000 : 4_000_000
        let t0 = Date()
        let sim = try PreparedSimulation(world: world, source: .voxelMap(weights: tia),
                                         emitter: .nuclide(MonteCarloRuns.sampler(nuc)), settings: TransportSettings(),
                                         regions: scored, decaysRepresented: totalTIA, seed: context.seed)
        let (state, mc) = try MonteCarloRuns.run(sim, decays: decays, context: context)
        let tMC = Date().timeIntervalSince(t0)
        let density = Volume<Double>(grid: grid, voxels: world.density.map(Double.init))
        let tiaVolume = Volume<Double>(grid: grid, voxels: tia, unit: "Bq s")
        let t1 = Date()
        let kernel = try MonteCarloRuns.vsvKernel(nuclide: nuc, material: MaterialLibrary.softTissue, voxelMM: grid.spacing,
                                                  size: 11, decays: context.isQuick ? 20_000 : 2_000_000, context: context)
        let tKernel = Date().timeIntervalSince(t1)
        let vsv = try VSVConvolution.dose(tia: tiaVolume, kernel: kernel)
        let vsvDensity = try DensityCorrectedVSV.dose(tia: tiaVolume, density: density, kernel: kernel)
        let ldm = try LocalDeposition.dose(tia: tiaVolume, electronEnergyPerDecayMeV: nuc.electronEnergyPerDecayMeV,
                                           density: density)
        let mcDose = Volume<Double>(grid: grid, voxels: mc.doseGy, unit: "Gy")
        let regionMap = RegionMap(labels: Volume<UInt16>(grid: grid, voxels: labels),
                                  names: Dictionary(uniqueKeysWithValues: Self.regions.map { ($0.0, $0.1) }))
        var rows: [ValidationRow] = []
        // The one checked quantity: energy conservation of the Monte Carlo run.
        let ledger = state.ledger
        rows.append(.compare("MC energy balance (deposited + escaped)/emitted", value: (ledger.depositedMeV + ledger.escapedMeV) / ledger.emittedMeV,
                             reference: 1, sigma: 0, k: 0, systematic: 1e-6, unit: "ratio", note: "exact bookkeeping"))
        for r in mc.regions {
            rows.append(.info("MC mean dose \(r.name)", value: r.meanDoseGy, sigma: r.meanDoseGy * r.relativeUncertainty, unit: "Gy",
                              note: String(format: "%.2f %% (1σ), %.0f g", 100 * r.relativeUncertainty, r.massG)))
        }
        for (method, dose) in [("VSV", vsv), ("VSV-density", vsvDensity.dose), ("LDM", ldm)] {
            let diffs = try DoseComparison.regionMeanDifferences(reference: mcDose, evaluated: dose, regions: regionMap, density: density)
            for d in diffs {
                let mcRegion = mc.regions.first { $0.name == d.region }
                rows.append(.info("\(method) − MC, \(d.region)", value: d.differencePercent, reference: 0,
                                  sigma: 100 * (mcRegion?.relativeUncertainty ?? 0), unit: "%",
                                  note: String(format: "%@ %.3g Gy vs MC %.3g Gy", method, d.evaluatedMeanGy, d.referenceMeanGy)))
            }
        }
        let criteria = GammaCriteria(doseDifferencePercent: 3, distanceToAgreementMM: 3, lowerDoseThresholdPercent: 10)
        var gammaNotes: [String] = []
        for (method, dose) in [("VSV", vsv), ("VSV-density", vsvDensity.dose), ("LDM", ldm)] {
            let g = try GammaIndex.compute(reference: mcDose, evaluated: dose, criteria: criteria)
            rows.append(.info("γ(3 %/3 mm, global, 10 % threshold) pass rate \(method) vs MC", value: 100 * g.passRate, unit: "%",
                              note: "\(g.evaluatedVoxelCount) voxels evaluated, mean γ \(String(format: "%.2f", g.meanGamma))"))
            gammaNotes.append(method)
        }
        rows.append(.info("VSV-density: share of dose in flagged (ρ < 0.5 or > 1.5 g/cm³) voxels", value: 100 * vsvDensity.flaggedDoseFraction,
                          unit: "%", note: vsvDensity.warning.isEmpty ? "no flagged voxel with dose" : vsvDensity.warning))
        rows.append(.info("wall time MC / kernel generation", value: tMC, reference: tKernel, unit: "s",
                          note: "\(state.decaysDone) decays; kernel 11³ by MC (reference column = kernel time)"))

        // Profile along x through the centre of the right kidney.
        let kidney = members["kidney_right"] ?? []
        var centre = SIMD3<Double>(0, 0, 0)
        for v in kidney { let ijk = grid.voxelIndex(v); centre += SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)) }
        centre /= Double(max(1, kidney.count))
        let j = Int(centre.y.rounded()), k = Int(centre.z.rounded())
        let xs = (0..<grid.shape.x).map { Double($0) * grid.spacing.x }
        func profile(_ v: [Double]) -> [Double] { (0..<grid.shape.x).map { v[grid.linearIndex($0, j, k)] } }
        var plot = SVGPlot(title: "patient15: dose profile through the right kidney (row \(j), slice \(k))",
                           xLabel: "x (mm)", yLabel: "dose (Gy)")
        plot.series = [.init(label: "MC", x: xs, y: profile(mc.doseGy), color: SVGPlot.color(0)),
                       .init(label: "VSV", x: xs, y: profile(vsv.voxels), color: SVGPlot.color(1)),
                       .init(label: "VSV-density", x: xs, y: profile(vsvDensity.dose.voxels), color: SVGPlot.color(2)),
                       .init(label: "LDM", x: xs, y: profile(ldm.voxels), color: SVGPlot.color(3))]
        return ValidationCaseResult(
            name: name, title: title, rows: rows, figureSVG: plot.render(),
            figureCaption: "Dose profiles of the four methods along x through the right kidney of patient15.",
            notes: ["Uniform TIA per region, relative concentrations per mL: " + Self.regions.map { "\($0.1) \($0.2)" }.joined(separator: ", ")
                    + "; 1e9 Bq·s per mL at concentration 1. CT = attenuation value − 1000 HU through `phantoms/scanners/default`.",
                    "MC: \(state.decaysDone) decays, seed \(context.seed). VSV kernel: 11³, ICRU soft tissue, voxel "
                    + "3.9063 × 3.9063 × 4.4196 mm, made by the same Monte Carlo. LDM: electron energy per decay (ICRP 107) "
                    + "deposited locally, photons ignored. Region means are mass-weighted with the CT density."])
    }
}
