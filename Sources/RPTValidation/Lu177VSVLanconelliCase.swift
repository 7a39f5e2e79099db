import Foundation
import RPTCore
import RPTKernels
import RPTPhysics
import RPTTransport

/// Lu-177 voxel S values at 3.00 and 4.80 mm against the published database of Lanconelli N, Pacilio M, Lo Meo S,
/// Botta F, Di Dia A, Torres Aroche LA, Coca Pérez MA, Cremonesi M, "A free database of radionuclide voxel S values
/// for the dosimetry of nonuniform activity distributions", Phys Med Biol 57:517–533 (2012), as redistributed in
/// github.com/MGHPhysicsResearch/MIRDCalculation (see `validation/lu177-vsv-lanconelli/README.md`).
///
/// Rows per voxel size: the energy the table holds in the 27 voxels around the source at 1.00/1.04/1.06 g/cm³ against
/// the ICRP-107 electron energy (info: which emissions the table contains); **checked**: RPTDose with the β⁻ spectrum
/// and photon lines only (the emission set the table's own energy content implies), ICRU-44 soft-tissue composition at
/// 1.04 g/cm³ (assumed), S(0,0,0) and the mean of the six face neighbours against the table within
/// 3σ + `centreAllowance`/`faceAllowance`; info: the same kernel at 1.00 and 1.06 g/cm³ (density sensitivity) and the
/// default full-emission kernel of `rptdose kernel vsv` (ICRU-44 soft tissue, 1.06 g/cm³) at five offsets.
public struct Lu177VSVLanconelliCase: ValidationCase {
    public let name = "lu177-vsv-lanconelli"
    public let title = "Lu-177 voxel S values, 3.00 and 4.80 mm, vs Lanconelli et al. 2012"
    public let inQuickSuite = true
    public init() {}

    /// Systematic allowance (fraction of the table value) of the checked rows, fixed before the comparison was run,
    /// on top of the table's rounding (`VSVReferenceTable.relativeRoundingError`, ≤ 0.3 % for these values):
    /// density 1.03–1.06 g/cm³ for "ICRP soft tissue" around the assumed 1.04 (centre ∝ 1/ρ: 2 %; face ∝ range/mass
    /// ≈ 1/ρ²: 4 %) plus inter-code spread of transport physics and β-spectrum data (centre 3 %, face 4 %; self-dose VSVs
    /// of different codes agree within a few %, first neighbours less well: Pacilio et al., Med Phys 36:1543 (2009)).
    static let centreAllowance = 0.02 + 0.03
    static let faceAllowance = 0.04 + 0.04
    /// Density assumed for the table's "soft tissue" (g/cm³), and the densities run to show the sensitivity.
    static let assumedDensity = 1.04
    static let sensitivityDensities = [1.00, 1.06]

    /// Reference file of voxel size `mm` in this case's folder.
    static func referenceFile(mm: Double) -> String {
        "reference_" + String(format: "%.2f", mm).replacingOccurrences(of: ".", with: "p") + "mm.csv"
    }

    static let offsets: [SIMD3<Int>] = [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(1, 1, 1), SIMD3(2, 0, 0)]

    public func run(_ context: ValidationContext) throws -> ValidationCaseResult {
        let sizes: [Double] = context.isQuick ? [4.8] : [3.0, 4.8]
        let decays: UInt64 = context.isQuick ? 200_000 : 2_000_000
        let kernelSize = 5
        let nuc = try Nuclide.named("Lu-177")
        let betaPhoton = VSVComparison.betaAndPhotonsOnly(nuc)
        let estar = try ESTARWaterTable(referenceDirectory: context.referenceDirectory)
        let electronEnergy = nuc.electronEnergyPerDecayMeV
        let betaEnergy = nuc.betaMeanEnergyMeV
        let betaMax = nuc.betaMinus?.energiesMeV.last ?? 0.498
        let rMaxMM = estar.interpolate(estar.csdaRange, at: betaMax) * 10  // at 1 g/cm³
        let tissue = MaterialLibrary.softTissue
        var rows: [ValidationRow] = []
        var notes: [String] = []
        var plot = SVGPlot(title: "Lu-177 VSV along an axis: Lanconelli et al. 2012 vs RPTDose",
                           xLabel: "distance from source voxel (mm)", yLabel: "S (mGy/(MBq·s))", logY: true)
        let unit = "mGy/(MBq·s)"

        for (n, mm) in sizes.enumerated() {
            let label = String(format: "%.2f mm", mm)
            let path = context.validationDirectory + "/\(name)/" + Self.referenceFile(mm: mm)
            let table = try VSVReferenceTable(path: path)
            try table.require(Self.offsets, source: path)
            guard table.maxPermutationAsymmetry == 0 else {
                throw InputError(source: path, field: "s_mGy_per_MBq_s", value: "\(table.maxPermutationAsymmetry)",
                                 reason: "table not symmetric under permutation of (i,j,k): transcription error")
            }

            // What the table contains: energy in the 27 voxels (all electron energy lies there: R_CSDA(β_max)/ρ < L).
            for rho in [1.00, Self.assumedDensity, 1.06] {
                let e = table.blockEnergyMeV(voxelMM: mm, density: rho)
                rows.append(.info(String(format: "table: energy in the 27 voxels around the source, %@, ρ = %.2f", label, rho),
                                  value: e, reference: electronEnergy, unit: "MeV/decay",
                                  note: String(format: "ref. ICRP-107 electron energy (β⁻ + IC + Auger); %.1f %% of it, %.1f %% of the "
                                               + "β⁻ energy %.4f MeV; R_CSDA(%.0f keV) = %.2f mm/ρ < %.2f mm",
                                               100 * e / electronEnergy, 100 * e / betaEnergy, betaEnergy, betaMax * 1000, rMaxMM, mm)))
            }

            // Checked: β⁻ + photons, ICRU-44 composition at the assumed density.
            let checked = try MonteCarloRuns.vsvKernel(
                nuclide: betaPhoton, material: VSVComparison.material(tissue, density: Self.assumedDensity),
                voxelMM: SIMD3(repeating: mm), size: kernelSize, decays: decays, context: context)
            let centre = VSVComparison.value(checked, .zero), face = VSVComparison.faceMean(checked)
            for (q, s, ref, allowance, what) in [
                ("S(0,0,0)", centre, table.value(.zero)!, Self.centreAllowance, "2 % density + 3 % inter-code"),
                ("S(1,0,0) (mean of 6 faces)", face, table.value(SIMD3(1, 0, 0))!, Self.faceAllowance, "4 % density + 4 % inter-code"),
            ] {
                let rounding = VSVReferenceTable.relativeRoundingError(ref)
                let v = s.value * 1e9
                rows.append(.compare(String(format: "%@, %@, β⁻ + photons, ρ = %.2f", q, label, Self.assumedDensity), value: v,
                                     reference: ref, sigma: s.sigma * 1e9, k: 3, systematic: (allowance + rounding) * ref, unit: unit,
                                     note: String(format: "%+.1f %% vs Lanconelli 2012; allowance %@ + %.2f %% rounding",
                                                  100 * (v / ref - 1), what, 100 * rounding)))
            }
            var series: [(VoxelSValueKernel, String)] = [(checked, String(format: "RPTDose β⁻+γ, ρ %.2f, %@", Self.assumedDensity, label))]

            if !context.isQuick {
                // Density sensitivity of the checked quantities.
                for rho in Self.sensitivityDensities {
                    let k = try MonteCarloRuns.vsvKernel(nuclide: betaPhoton, material: VSVComparison.material(tissue, density: rho),
                                                         voxelMM: SIMD3(repeating: mm), size: kernelSize, decays: decays, context: context)
                    for (q, s, ref, base) in [("S(0,0,0)", VSVComparison.value(k, .zero), table.value(.zero)!, centre.value),
                                              ("S(1,0,0) (mean of 6 faces)", VSVComparison.faceMean(k), table.value(SIMD3(1, 0, 0))!, face.value)] {
                        let v = s.value * 1e9
                        rows.append(.info(String(format: "%@, %@, β⁻ + photons, ρ = %.2f", q, label, rho), value: v, reference: ref,
                                          sigma: s.sigma * 1e9, unit: unit,
                                          note: String(format: "%+.1f %% vs table; %+.1f %% vs ρ = %.2f (density sensitivity)",
                                                       100 * (v / ref - 1), 100 * (s.value / base - 1), Self.assumedDensity)))
                    }
                }
                // The default kernel of `rptdose kernel vsv`: all ICRP-107 emissions, ICRU-44 soft tissue 1.06 g/cm³.
                let full = try MonteCarloRuns.vsvKernel(nuclide: nuc, material: tissue, voxelMM: SIMD3(repeating: mm),
                                                        size: kernelSize, decays: decays, context: context)
                for o in Self.offsets {
                    let s = o == SIMD3(1, 0, 0) ? VSVComparison.faceMean(full) : VSVComparison.value(full, o)
                    let v = s.value * 1e9, ref = table.value(o)!
                    rows.append(.info("S(\(o.x),\(o.y),\(o.z)), \(label), all ICRP-107 emissions, ρ = 1.06 (default kernel)", value: v,
                                      reference: ref, sigma: s.sigma * 1e9, unit: unit,
                                      note: String(format: "%+.1f %% vs table", 100 * (v / ref - 1))
                                          + (o == .zero ? "; conversion/Auger electrons deposit in the source voxel" : "")))
                }
                let fullBlock = VSVComparison.blockEnergyMeV(full, rho: tissue.density, mm: mm)
                let checkedBlock = VSVComparison.blockEnergyMeV(checked, rho: Self.assumedDensity, mm: mm)
                notes.append(String(format: "%@: RPTDose energy in the 27 voxels: all emissions %.4f ± %.4f MeV/decay, β⁻ + photons "
                                    + "%.4f ± %.4f MeV/decay (table %.4f at ρ = %.2f).", label, fullBlock.value, fullBlock.sigma,
                                    checkedBlock.value, checkedBlock.sigma, table.blockEnergyMeV(voxelMM: mm, density: Self.assumedDensity),
                                    Self.assumedDensity))
                series.append((full, "RPTDose all emissions, ρ 1.06, " + label))
            }

            let axis = 0...kernelSize / 2
            plot.series.append(.init(label: "Lanconelli 2012, " + label, x: axis.map { Double($0) * mm },
                                     y: axis.map { table.value(SIMD3($0, 0, 0))! }, yError: [], color: SVGPlot.color(3 * n), markers: true))
            for (m, (k, seriesLabel)) in series.enumerated() {
                plot.series.append(.init(label: seriesLabel, x: axis.map { Double($0) * mm },
                                         y: axis.map { k.value(atOffset: SIMD3($0, 0, 0)) * 1e9 },
                                         yError: axis.map { VSVComparison.value(k, SIMD3($0, 0, 0)).sigma * 1e9 },
                                         color: SVGPlot.color(3 * n + m + 1), markers: true))
            }
        }
        notes.append("\(decays) decays per kernel, kernel \(kernelSize)³ in a homogeneous medium extending half a kernel further "
                     + "(as `rptdose kernel vsv`), seed \(context.seed); σ of the face mean takes the six voxels as independent.")
        notes.append("Table: Lanconelli et al., Phys Med Biol 57:517 (2012), as redistributed in github.com/MGHPhysicsResearch/"
                     + "MIRDCalculation (third-party copy, checked for cubic symmetry). The checked kernel leaves out conversion and "
                     + "Auger electrons because the table's 27-voxel energy is below the Lu-177 electron energy at any soft-tissue "
                     + "density; the density 1.04 g/cm³ is an assumption (the files give none).")
        return ValidationCaseResult(name: name, title: title, rows: rows, figureSVG: plot.render(),
                                    figureCaption: "Lu-177 VSV along the x axis: Lanconelli et al. 2012 and RPTDose (β⁻ + photons at "
                                        + "1.04 g/cm³; all emissions at 1.06 g/cm³ in the full suite), ±1σ.",
                                    notes: notes)
    }
}
