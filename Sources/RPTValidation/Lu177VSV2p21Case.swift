import Foundation
import RPTCore
import RPTKernels
import RPTPhysics
import RPTTransport

/// Lu-177 voxel S values for 2.21 mm soft-tissue voxels next to `validation/lu177-vsv-2p21/reference_s_values.csv`,
/// a copy found in a thesis repository that is now identified as the Lanconelli et al. 2012 database (Phys Med Biol
/// 57:517; identical values to MIRDCalculation's `VoxelSValues/177Lu2.21mmsoft.txt`; see that folder's README). The
/// checked comparison with that database, at 3.00 and 4.80 mm, is `Lu177VSVLanconelliCase`; here the S values are
/// shown for information and the checked row is analytic (ICRP 107 electron energy, NIST ESTAR yield).
///
/// Rows: RPTDose (all ICRP-107 emissions, ICRU-44 soft tissue 1.06 g/cm³) against the table; the energy per
/// decay the table holds in the 27 voxels around the source at 1.00/1.04/1.06 g/cm³ (all electron energy must
/// lie there, because R_CSDA(β_max)/ρ < 2.21 mm) against the ICRP-107 electron energy; and RPTDose with β⁻ and
/// photons only (no conversion or Auger electrons) at 1.00 g/cm³, the variant the table's energy content suggests.
public struct Lu177VSV2p21Case: ValidationCase {
    public let name = "lu177-vsv-2p21"
    public let title = "Lu-177 voxel S values, 2.21 mm, vs the Lanconelli et al. 2012 table (information)"
    public let inQuickSuite = false
    public init() {}

    /// Offsets compared (first octant), in the table's order.
    static let offsets: [SIMD3<Int>] = [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(1, 1, 1), SIMD3(2, 0, 0)]

    public func run(_ context: ValidationContext) throws -> ValidationCaseResult {
        let mm = 2.21
        let path = context.validationDirectory + "/\(name)/reference_s_values.csv"
        let reference = try VSVReferenceTable(path: path)
        try reference.require(Self.offsets, source: path)
        let table = reference.values  // mGy/(MBq·s), first octant
        let estar = try ESTARWaterTable(referenceDirectory: context.referenceDirectory)
        let nuc = try Nuclide.named("Lu-177")
        let electronEnergy = nuc.electronEnergyPerDecayMeV
        let betaMax = nuc.betaMinus?.energiesMeV.last ?? 0.498
        let yMax = estar.interpolate(estar.radiationYield, at: betaMax)
        let rMaxMM = estar.interpolate(estar.csdaRange, at: betaMax) * 10  // at 1 g/cm³
        let decays: UInt64 = 2_000_000
        var rows: [ValidationRow] = []
        var notes: [String] = []

        // Energy the table puts in the 3×3×3 voxels around the source.
        for rho in [1.00, 1.04, 1.06] {
            rows.append(.info(String(format: "table: energy in the 27 voxels around the source, ρ = %.2f g/cm³", rho),
                              value: reference.blockEnergyMeV(voxelMM: mm, density: rho), reference: electronEnergy, unit: "MeV/decay",
                              note: String(format: "reference: ICRP-107 electron energy per decay; no electron reaches beyond "
                                           + "(R_CSDA(%.0f keV) = %.2f mm/ρ < %.2f mm)", betaMax * 1000, rMaxMM, mm)))
        }

        // RPTDose, all emissions, ICRU-44 soft tissue (1.06 g/cm³).
        let tissue = MaterialLibrary.softTissue
        let full = try MonteCarloRuns.vsvKernel(nuclide: nuc, material: tissue, voxelMM: SIMD3(repeating: mm), size: 5,
                                                decays: decays, context: context)
        let fullBlock = VSVComparison.blockEnergyMeV(full, rho: tissue.density, mm: mm)
        rows.append(.bound("RPTDose: energy in the 27 voxels around the source", value: fullBlock.value, bound: electronEnergy * (1 - yMax),
                           isLower: true, sigma: fullBlock.sigma, k: 3, systematic: 0.005 * electronEnergy, unit: "MeV/decay",
                           note: "E_e(1 − Y(β_max)), ICRP 107 + ESTAR; 0.5 % allowance (photon escape is an extra margin)"))
        for o in Self.offsets {
            let c = full.centre &+ o
            let v = full.value(atOffset: o) * 1e9, ref = table[o]!
            rows.append(.info("S(\(o.x),\(o.y),\(o.z)), all emissions, ρ = 1.06", value: v,
                              reference: ref, sigma: full.uncertaintiesGyPerBqS[full.linearIndex(c.x, c.y, c.z)] * 1e9,
                              unit: "mGy/(MBq·s)", note: String(format: "%+.1f %% vs table (Lanconelli 2012)", 100 * (v / ref - 1))))
        }

        // RPTDose, β⁻ spectrum and photons only, same composition at 1.00 g/cm³.
        let betaPhoton = VSVComparison.betaAndPhotonsOnly(nuc)
        let unitTissue = VSVComparison.material(tissue, density: 1.0)
        let variant = try MonteCarloRuns.vsvKernel(nuclide: betaPhoton, material: unitTissue, voxelMM: SIMD3(repeating: mm),
                                                   size: 5, decays: decays, context: context)
        for o in Self.offsets {
            let c = variant.centre &+ o
            let v = variant.value(atOffset: o) * 1e9, ref = table[o]!
            rows.append(.info("S(\(o.x),\(o.y),\(o.z)), β⁻ + photons only, ρ = 1.00", value: v,
                              reference: ref, sigma: variant.uncertaintiesGyPerBqS[variant.linearIndex(c.x, c.y, c.z)] * 1e9,
                              unit: "mGy/(MBq·s)", note: String(format: "%+.1f %% vs table (Lanconelli 2012)", 100 * (v / ref - 1))))
        }
        var plot = SVGPlot(title: "Lu-177 VSV, 2.21 mm, along an axis", xLabel: "distance from source voxel (mm)",
                           yLabel: "S (mGy/(MBq·s))", logY: true)
        let axis = 0...2
        plot.series.append(.init(label: "table (Lanconelli 2012)", x: axis.map { Double($0) * mm },
                                 y: axis.map { table[SIMD3($0, 0, 0)]! }, yError: [], color: SVGPlot.color(0), markers: true))
        for (n, (k, label)) in [(full, "RPTDose, all emissions, 1.06"), (variant, "RPTDose, β⁻+γ only, 1.00")].enumerated() {
            plot.series.append(.init(label: label, x: axis.map { Double($0) * mm },
                                     y: axis.map { k.value(atOffset: SIMD3($0, 0, 0)) * 1e9 },
                                     yError: axis.map { k.uncertaintiesGyPerBqS[k.linearIndex(k.centre.x + $0, k.centre.y, k.centre.z)] * 1e9 },
                                     color: SVGPlot.color(n + 1), markers: true))
        }
        notes.append("\(decays) decays per kernel, kernel 5³ in a homogeneous medium (as `rptdose kernel vsv`), seed \(context.seed).")
        notes.append("Table: github.com/luisadias02/masters-thesis, dosimetry_177Lu/s_values_lu177_2p21.txt, identical to the "
                     + "Lanconelli et al. 2012 (Phys Med Biol 57:517) 2.21 mm soft-tissue table as redistributed in "
                     + "github.com/MGHPhysicsResearch/MIRDCalculation (VoxelSValues/177Lu2.21mmsoft.txt). Its 27-voxel energy "
                     + "(1.00–1.06 g/cm³) is below the Lu-177 electron energy, so it cannot be a full-emission kernel; see the README. "
                     + "The checked comparison with this database is lu177-vsv-lanconelli (3.00 and 4.80 mm).")
        return ValidationCaseResult(name: name, title: title, rows: rows, figureSVG: plot.render(),
                                    figureCaption: "Lu-177 VSV at 2.21 mm along the x axis: the Lanconelli et al. 2012 table and RPTDose (±1σ).",
                                    notes: notes)
    }
}
