import Foundation
import RPTCore
import RPTKernels
import RPTTransport
import RPTVolume

/// What a region is, for reports and the planner.
public enum RegionKind: String, Sendable {
    case organ, lesion
    /// The red marrow: blood-based self-dose + Monte Carlo cross-dose.
    case redMarrow = "red_marrow"
}

/// One row of the region table (docs/formats/study-manifest.md, "Outputs").
public struct RegionDoseRow: Sendable {
    public var region: String
    public var kind: RegionKind
    /// Mass (g): from the CT density on the dose grid; for the red marrow the ICRP 89 scaled mass.
    public var massG: Double
    /// Ã (Bq·s) and its relative standard uncertainty from the kinetics.
    public var tiaBqS: Double
    public var tiaRelativeUncertainty: Double
    /// Ã / administered activity (h).
    public var residenceTimeHours: Double
    public var meanDoseGy: Double
    public var dosePerGBqGy: Double
    /// Voxel statistics of the Monte Carlo dose in the region (NaN for the blood-based marrow).
    public var minDoseGy: Double, maxDoseGy: Double, d2Gy: Double, d50Gy: Double, d98Gy: Double
    /// Relative standard uncertainties of the mean dose: Monte Carlo, kinetic fit, combined in quadrature.
    public var mcRelativeUncertainty: Double
    public var fitRelativeUncertainty: Double
    /// Combined in quadrature; a Monte Carlo term that is not defined (NaN: kernel methods) counts as 0, so the
    /// combination is then the fit uncertainty alone (the kernel method's own systematic error is not included).
    public var combinedRelativeUncertainty: Double {
        let mc = mcRelativeUncertainty.isNaN ? 0 : mcRelativeUncertainty
        return (mc * mc + fitRelativeUncertainty * fitRelativeUncertainty).squareRoot()
    }
    /// Kinetics method and the terminal effective decay constant (1/h) and half-life (h).
    public var kineticsMethod: String
    public var effectiveDecayPerHour: Double
    public var effectiveHalfLifeHours: Double { 0.693_147_180_559_945_3 / effectiveDecayPerHour }
    /// Method, points, prior weight and half-life change in one line (`RegionKineticsResult.methodSummary`).
    public var kineticsDetail: String = ""
    /// The population prior of the kinetics and its share of Ã's information (nil / NaN: none).
    public var priorName: String? = nil
    public var priorTIAFraction: Double = .nan
    /// Effective half-life change against cycle 1 (fraction) and its standard uncertainty; NaN when not estimated.
    public var halfLifeChange: Double = .nan
    public var halfLifeChangeUncertainty: Double = .nan
}

/// The kidneys as one organ for the planner.
public struct KidneySummary: Sendable {
    public var regions: [String]
    /// Mass-weighted mean dose per administered activity (Gy/GBq).
    public var dosePerGBqGy: Double
    public var mcRelativeUncertainty: Double
    public var fitRelativeUncertainty: Double
    /// Combined in quadrature; an undefined (NaN) Monte Carlo term counts as 0, as for `RegionDoseRow`.
    public var combinedRelativeUncertainty: Double {
        let mc = mcRelativeUncertainty.isNaN ? 0 : mcRelativeUncertainty
        return (mc * mc + fitRelativeUncertainty * fitRelativeUncertainty).squareRoot()
    }
    /// Ã-weighted mean of the regions' terminal effective decay constants (1/h), over the regions whose
    /// clearance was measured; NaN when none was (the planner then takes it from other cycles).
    public var effectiveDecayPerHour: Double
}

/// The dosimetry of one cycle: region table, marrow terms, DVHs and the maps.
public struct CycleDosimetryResult: Sendable {
    public var cycle: Int
    public var administeredActivityGBq: Double
    public var rows: [RegionDoseRow]
    public var marrow: RedMarrowDose?
    public var kidneys: KidneySummary?
    public var dvhs: [CumulativeDVH]
    public var dose: Volume<Double>
    /// Relative standard uncertainty of the voxel dose; `nil` where the method defines none (ldm, vsv, vsv-density).
    public var doseRelativeUncertainty: Volume<Float>?
    public var tiaMap: Volume<Double>
    /// Region number per dose-grid voxel: 0 unlabelled, r + 1 for region r of `regionNames`.
    public var regionMap: Volume<UInt16>
    public var regionNames: [String]
    public var decays: UInt64
    public var partial: Bool
    public var notes: [String]
    /// Dose method that produced `dose` (`mc`, `vsv`, `vsv-density`, `ldm`, `organ-s`).
    public var method: String = "mc"

    /// Builds the result from a finished (or partial) Monte Carlo run of `setup.simulation`.
    public static func make(setup: CycleDosimetrySetup, dose: DoseResult) throws -> CycleDosimetryResult {
        try make(setup: setup, doseGy: dose.doseGy, relativeUncertainty: dose.relativeUncertainty,
                 regionDoses: dose.regions.map { ($0.name, $0.massG, $0.meanDoseGy, $0.relativeUncertainty) },
                 decays: dose.decays, partial: dose.partial, method: "mc")
    }

    /// Builds the result from any dose method's voxel dose (Gy, on the dose grid) and region means.
    /// - Parameters:
    ///   - relativeUncertainty: per-voxel relative uncertainty, `nil` when the method defines none.
    ///   - regionDoses: per scored region: name, mass (g), mean dose (Gy), relative uncertainty of the mean
    ///     (NaN when not defined).
    ///   - decays: Monte Carlo decays behind the result (0 for ldm / vsv).
    public static func make(setup: CycleDosimetrySetup, doseGy: [Double], relativeUncertainty: [Double]?,
                            regionDoses: [(name: String, massG: Double, meanDoseGy: Double, relativeUncertainty: Double)],
                            decays: UInt64, partial: Bool, method: String) throws -> CycleDosimetryResult {
        let regions = setup.images.regions
        let grid = setup.images.doseGrid
        let adminGBq = setup.cycle.administeredActivityGBq
        let lesions = Set(setup.manifest.lesions ?? regions.names.filter {
            $0.hasPrefix("tumor") || $0.hasPrefix("tumour") || $0.hasPrefix("lesion")
        })
        var voxels = [[Int]](repeating: [], count: regions.names.count)
        for (v, r) in setup.images.referenceRegionIndex.enumerated() where r >= 0 { voxels[Int(r)].append(v) }
        let mcByName = Dictionary(uniqueKeysWithValues: regionDoses.map { ($0.name, $0) })
        let scoredIndices = regions.names.indices.filter { !voxels[$0].isEmpty }
        let top = scoredIndices.flatMap { voxels[$0] }.reduce(0.0) { max($0, doseGy[$1]) }
        var dvhs: [CumulativeDVH] = []
        var rows: [RegionDoseRow] = []
        var notes: [String] = setup.warnings.map { "WARNING: " + $0 }
        var marrow: RedMarrowDose?
        for r in regions.names.indices {
            let name = regions.names[r], k = setup.kinetics[r]
            for note in [k.note] where !note.isEmpty { notes.append("\(name): \(note)") }
            guard let mc = mcByName[name] else {
                notes.append("\(name): no voxel on the dose grid; not reported")
                continue
            }
            let dvh = try CumulativeDVH(region: name, doses: voxels[r].map { doseGy[$0] }, binCount: setup.options.dvhBins,
                                        axisMaxGy: top > 0 ? top : nil)
            dvhs.append(dvh)
            if r == setup.marrowIndex {
                guard let blood = setup.blood else {
                    notes.append("\(name): no blood samples in this cycle or cycle 1; blood-based marrow dose not computed")
                    continue
                }
                let m = RedMarrowDose(sex: setup.manifest.patient.sex, bodyMassKg: setup.manifest.patient.massKg,
                                      bloodTIAConcentrationBqSPerML: blood.tia.valueBqS,
                                      bloodTIAConcentrationUncertaintyBqSPerML: blood.tia.standardUncertaintyBqS,
                                      bloodMethod: blood.method, marrowToBloodRatio: setup.manifest.marrowToBloodRatio,
                                      electronEnergyPerDecayMeV: setup.nuclide.electronEnergyPerDecayMeV,
                                      crossDoseGy: mc.meanDoseGy, crossMCRelativeUncertainty: mc.relativeUncertainty)
                marrow = m
                if !(blood.kinetics?.caveats.isEmpty ?? true) { notes.append("\(name): blood Ã by \(blood.method)") }
                // The marrow region holds no decays: its cross-dose is what the method carries from elsewhere.
                switch method {
                case "ldm":
                    notes.append("\(name): local deposition carries no dose between regions — the marrow cross-dose is 0 and the "
                                 + "marrow dose is the blood-based self-dose only (use mc or organ-s for the cross-dose)")
                case "vsv", "vsv-density":
                    notes.append("\(name): the marrow cross-dose comes from a truncated voxel S-value kernel, which keeps only "
                                 + "the photon energy absorbed within the kernel — an underestimate (use mc or organ-s for the cross-dose)")
                default: break
                }
                rows.append(RegionDoseRow(region: name, kind: .redMarrow, massG: m.marrowMassG, tiaBqS: m.marrowTIABqS,
                                          tiaRelativeUncertainty: m.selfRelativeUncertainty,
                                          residenceTimeHours: m.marrowTIABqS / (adminGBq * 1e9) / 3600,
                                          meanDoseGy: m.totalDoseGy, dosePerGBqGy: m.totalDoseGy / adminGBq,
                                          minDoseGy: .nan, maxDoseGy: .nan, d2Gy: .nan, d50Gy: .nan, d98Gy: .nan,
                                          mcRelativeUncertainty: m.mcRelativeUncertainty,
                                          fitRelativeUncertainty: m.fitRelativeUncertainty,
                                          kineticsMethod: "blood: " + blood.method, effectiveDecayPerHour: (blood.kinetics?.curve?.slowestRatePerSecond ?? .nan) * 3600))
                continue
            }
            // Kinetic uncertainty of the mean dose: the region's own Ã uncertainty times the share of the dose
            // that its own electrons give (locally absorbed estimate Ã·E_e/m, capped at 1); the cross-dose from
            // other regions is taken as free of kinetic uncertainty.
            let selfElectronGy = k.tiaBqS * setup.nuclide.electronEnergyPerDecayMeV * PhysicalConstants.joulePerMeV / (mc.massG * 1e-3)
            let selfShare = mc.meanDoseGy > 0 ? min(1, selfElectronGy / mc.meanDoseGy) : 1
            var row = RegionDoseRow(region: name, kind: lesions.contains(name) ? .lesion : .organ, massG: mc.massG,
                                      tiaBqS: k.tiaBqS, tiaRelativeUncertainty: k.tiaRelativeUncertainty,
                                      residenceTimeHours: k.tiaBqS / (adminGBq * 1e9) / 3600,
                                      meanDoseGy: mc.meanDoseGy, dosePerGBqGy: mc.meanDoseGy / adminGBq,
                                      minDoseGy: dvh.minGy, maxDoseGy: dvh.maxGy, d2Gy: dvh.d2Gy, d50Gy: dvh.d50Gy, d98Gy: dvh.d98Gy,
                                      mcRelativeUncertainty: mc.relativeUncertainty,
                                      fitRelativeUncertainty: selfShare * k.tiaRelativeUncertainty,
                                      kineticsMethod: k.method, effectiveDecayPerHour: k.effectiveDecayPerSecond * 3600)
            row.kineticsDetail = k.methodSummary
            row.priorName = k.priorName
            row.priorTIAFraction = k.priorTIAFraction
            row.halfLifeChange = k.halfLifeChange
            row.halfLifeChangeUncertainty = k.halfLifeChangeUncertainty
            rows.append(row)
        }
        // Kidneys as one organ.
        var kidneys: KidneySummary?
        let kidneyRows = rows.filter { setup.manifest.kidneyRegions.contains($0.region) }
        if !kidneyRows.isEmpty {
            let mass = kidneyRows.reduce(0) { $0 + $1.massG }
            let energy = kidneyRows.reduce(0) { $0 + $1.massG * $1.meanDoseGy }
            func combined(_ f: (RegionDoseRow) -> Double) -> Double {
                energy > 0 ? kidneyRows.reduce(0) { $0 + pow($1.massG * $1.meanDoseGy * f($1), 2) }.squareRoot() / energy : 0
            }
            let measured = kidneyRows.filter { $0.effectiveDecayPerHour.isFinite }
            let tia = measured.reduce(0) { $0 + $1.tiaBqS }
            let lambda = tia > 0 ? measured.reduce(0) { $0 + $1.tiaBqS * $1.effectiveDecayPerHour } / tia : .nan
            kidneys = KidneySummary(regions: kidneyRows.map(\.region), dosePerGBqGy: energy / mass / adminGBq,
                                    mcRelativeUncertainty: combined(\.mcRelativeUncertainty),
                                    fitRelativeUncertainty: combined(\.fitRelativeUncertainty), effectiveDecayPerHour: lambda)
        } else {
            notes.append("no kidney region (" + setup.manifest.kidneyRegions.joined(separator: ", ") + ") in the label map")
        }
        var regionMap = [UInt16](repeating: 0, count: grid.voxelCount)
        for (v, r) in setup.images.referenceRegionIndex.enumerated() where r >= 0 { regionMap[v] = UInt16(r + 1) }
        if partial { notes.append("the Monte Carlo run stopped early (partial result: \(decays) decays)") }
        notes.append(contentsOf: setup.images.registrations.flatMap(\.result.warnings))
        var result = CycleDosimetryResult(cycle: setup.cycle.number, administeredActivityGBq: adminGBq, rows: rows, marrow: marrow,
                                    kidneys: kidneys, dvhs: dvhs,
                                    dose: Volume(grid: grid, voxels: doseGy, unit: "Gy"),
                                    doseRelativeUncertainty: relativeUncertainty.map { Volume(grid: grid, voxels: $0.map { Float($0) }, unit: "1") },
                                    tiaMap: Volume(grid: grid, voxels: setup.tiaMap.tiaBqS, unit: "Bq s"),
                                    regionMap: Volume(grid: grid, voxels: regionMap, unit: "label"),
                                    regionNames: regions.names, decays: decays, partial: partial, notes: notes)
        result.method = method
        return result
    }

    /// The region table as text (one line per region, uncertainties in %).
    public func renderTable() -> String {
        var s = String(format: "Cycle %d, %.2f GBq administered, %llu decays simulated%@\n", cycle, administeredActivityGBq,
                       decays, partial ? " (partial)" : "")
        if method != "mc" {
            s = String(format: "Cycle %d, %.2f GBq administered, dose method %@ (%llu Monte Carlo decays)\n", cycle,
                       administeredActivityGBq, method, decays)
        }
        s += "  region               mass (g)   TIA (MBq·h)   dose (Gy)   Gy/GBq    MC %   fit %   total %  kinetics\n"
        for r in rows {
            s += "  " + r.region.padding(toLength: 19, withPad: " ", startingAt: 0)
            s += String(format: "%10.1f %12.1f %11.3f %8.3f %7.2f %7.2f %8.2f  ", r.massG, r.tiaBqS / 3.6e9, r.meanDoseGy,
                        r.dosePerGBqGy, 100 * r.mcRelativeUncertainty, 100 * r.fitRelativeUncertainty,
                        100 * r.combinedRelativeUncertainty)
            s += r.kineticsMethod + (r.kind == .lesion ? " [lesion]" : "") + "\n"
        }
        if let m = marrow {
            s += String(format: "  red marrow: self %.4f Gy (blood-based, RMBLR %.2f, %.0f g) + cross %.4f Gy (Monte Carlo) = %.4f Gy\n",
                        m.selfDoseGy, m.marrowToBloodRatio, m.marrowMassG, m.crossDoseGy, m.totalDoseGy)
        }
        if let k = kidneys {
            let halfLife = k.effectiveDecayPerHour.isFinite
                ? String(format: "%.1f h", 0.6931471805599453 / k.effectiveDecayPerHour) : "not measured this cycle"
            s += String(format: "  kidneys (%@): %.3f Gy/GBq ± %.1f %% (MC %.2f %%, fit %.1f %%), T_eff %@\n",
                        k.regions.joined(separator: " + "), k.dosePerGBqGy, 100 * k.combinedRelativeUncertainty,
                        100 * k.mcRelativeUncertainty, 100 * k.fitRelativeUncertainty, halfLife)
        }
        for n in notes { s += "  note: \(n)\n" }
        return s
    }
}
