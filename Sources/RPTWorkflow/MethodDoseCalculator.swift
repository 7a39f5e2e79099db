import Foundation
import RPTCore
import RPTKernels
import RPTPhysics
import RPTStore
import RPTTransport
import RPTVolume

/// Mean dose of one region from a dose method.
public struct MethodRegionDose: Sendable {
    public var name: String
    public var massG: Double
    public var meanDoseGy: Double
    /// Relative standard uncertainty (1σ) of the mean; NaN where the method defines none (ldm, vsv, vsv-density).
    public var relativeUncertainty: Double
}

/// Dose of a non-Monte-Carlo method (`ldm`, `vsv`, `vsv-density`, `organ-s`) with what it writes besides the dose.
public struct MethodDose {
    public var method: DoseMethod
    /// Absorbed dose (Gy) on the TIA grid.
    public var dose: Volume<Double>
    /// Relative uncertainty per voxel; only `organ-s` has one (propagated from the S-values' Monte Carlo uncertainty).
    public var relativeUncertainty: Volume<Float>?
    public var regions: [MethodRegionDose]
    /// Extra volumes (`density_flags` of vsv-density and ldm).
    public var extraVolumes: [(String, AnyVolume)] = []
    /// Extra tables (e.g. `organ_s_matrix` of organ-s).
    public var tables: [(String, Table)] = []
    /// Provenance of the method (kernel file, its decays and seed, energies per decay …), all strings.
    public var settings: [String: String] = [:]
    /// Warnings for the user (density-correction failures, TIA outside the organ-s source regions).
    public var warnings: [String] = []
    /// Monte Carlo decays behind the result (organ-s: summed over the source runs; 0 for ldm/vsv once the kernel exists).
    public var decays: UInt64 = 0
}

/// Computes the dose of `ldm`, `vsv`, `vsv-density` and `organ-s` on a transport world and TIA map
/// (method: docs/methods/kernel-methods.md, "Dose methods on the command line").
public enum MethodDoseCalculator {
    /// Medium of the VSV kernels: ICRU soft tissue (the CT-derived soft tissue of RPTDose's calibration).
    public static var kernelMaterial: Material { MaterialLibrary.softTissue }

    /// - Parameters:
    ///   - tiaBqS: TIA per voxel (Bq·s) on `world.grid`.
    ///   - regions: the scored regions; region means are mass-weighted over them, and organ-s uses them as
    ///     sources and targets.
    ///   - control: threads and seed for kernel generation and the organ-s runs; `decays` = decays per organ-s source.
    public static func compute(method: DoseMethod, world: VoxelWorld, tiaBqS: [Double], regions: [ScoredRegion],
                        nuclide: Nuclide, options: DoseMethodConfiguration, control: RunControl, seed: UInt64,
                        settings: TransportSettings, log: (String) -> Void) throws -> MethodDose {
        let grid = world.grid
        let tia = Volume<Double>(grid: grid, voxels: tiaBqS, unit: "Bq s")
        let density = Volume<Double>(grid: grid, voxels: world.density.map(Double.init), unit: "g/cm3")
        let mass = world.voxelMassG
        var out: MethodDose
        switch method {
        case .mc:
            preconditionFailure("the Monte Carlo is run by SimulationRunner")
        case .ldm:
            let photons = options.ldmIncludePhotons ? nuclide.photonEnergyPerDecayMeV : 0
            let dose = try LocalDeposition.dose(tia: tia, electronEnergyPerDecayMeV: nuclide.electronEnergyPerDecayMeV,
                                                photonEnergyPerDecayMeV: photons, density: density)
            out = MethodDose(method: method, dose: dose, relativeUncertainty: nil, regions: [])
            // Dose ∝ 1/ρ: SPECT spill-out into air or lung becomes very large doses there; flagged as for vsv-density.
            let flags = try DensityFlags(dose: dose, density: density)
            out.extraVolumes = [("density_flags", AnyVolume(flags.flags))]
            let warning = flags.warning("local deposition (dose ∝ 1/ρ)")
            if !warning.isEmpty { out.warnings.append(warning) }
            out.settings = ["ldm_electron_energy_per_decay_mev": "\(nuclide.electronEnergyPerDecayMeV)",
                            "ldm_flagged_dose_fraction": "\(flags.doseFraction)",
                            "ldm_photon_energy_per_decay_mev": "\(photons)",
                            "ldm_include_photons": options.ldmIncludePhotons ? "yes" : "no",
                            "nuclide_data": Nuclide.dataSource]
        case .vsv, .vsvDensity:
            let cache = VSVKernelCache(directory: options.cacheDirectory)
            let key = VSVKernelKey(nuclide: nuclide.name, medium: kernelMaterial.name, voxelSizeMM: grid.spacing)
            log("VSV kernel \(key.fileName): looking in \(cache.directory)")
            let t0 = Date()
            let k = try VSVKernelGenerator.cachedOrGenerated(
                cache: cache, nuclide: nuclide, material: kernelMaterial, voxelMM: grid.spacing, size: options.kernelSize,
                decays: options.kernelDecays, threads: control.threads, seed: seed, settings: settings)
            if let why = k.replacedBecause { log("VSV kernel in the cache not used: \(why)") }
            log(k.fromCache ? "VSV kernel loaded from \(k.path)"
                : String(format: "VSV kernel generated by the Monte Carlo in %.1f s and stored in %@", Date().timeIntervalSince(t0), k.path))
            if method == .vsv {
                out = MethodDose(method: method, dose: try VSVConvolution.dose(tia: tia, kernel: k.kernel, method: .automatic),
                                 relativeUncertainty: nil, regions: [])
            } else {
                let r = try DensityCorrectedVSV.dose(tia: tia, density: density, kernel: k.kernel, method: .automatic)
                out = MethodDose(method: method, dose: r.dose, relativeUncertainty: nil, regions: [])
                out.extraVolumes = [("density_flags", AnyVolume(r.flags))]
                out.settings["vsv_density_flagged_dose_fraction"] = "\(r.flaggedDoseFraction)"
                out.settings["vsv_density_flagged_energy_fraction"] = "\(r.flaggedEnergyFraction)"
                if !r.warning.isEmpty { out.warnings.append(r.warning) }
            }
            out.settings["kernel_file"] = k.path
            out.settings["kernel_from_cache"] = k.fromCache ? "yes" : "no"
            out.settings["kernel_medium"] = k.kernel.medium
            out.settings["kernel_density_g_cm3"] = "\(k.kernel.densityGPerCm3)"
            out.settings["kernel_shape"] = "\(k.kernel.shape.x)x\(k.kernel.shape.y)x\(k.kernel.shape.z)"
            out.settings["kernel_voxel_mm"] = (0..<3).map { "\(k.kernel.voxelSizeMM[$0])" }.joined(separator: "x")
            for (key, v) in k.kernel.provenance { out.settings["kernel_" + key] = v }
        case .organS:
            out = try organS(world: world, tiaBqS: tiaBqS, regions: regions, nuclide: nuclide, control: control, seed: seed,
                             settings: settings, log: log)
        }
        if method != .organS {
            out.regions = regions.map { r in
                var e = 0.0, m = 0.0
                for v in r.voxels { e += out.dose.voxels[v] * mass[v]; m += mass[v] }
                return MethodRegionDose(name: r.name, massG: m, meanDoseGy: m > 0 ? e / m : 0, relativeUncertainty: .nan)
            }
        }
        out.settings["method"] = method.rawValue
        return out
    }

    /// Seed of the organ-s run of source `index`: a SplitMix64 step of the master seed and the index, so that the
    /// source runs do not share random streams with each other or with a direct run of the master seed.
    public static func sourceSeed(_ seed: UInt64, index: Int) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// MIRD organ-level dose: one Monte Carlo run per source region holding TIA (activity uniform per voxel in that
    /// region, `control.decays` decays), S(t ← s) = mean dose per decay in each target region (energy / mass),
    /// D_t = Σ_s S(t ← s)·Ã_s. The dose volume holds each target's mean dose on its voxels (0 outside the regions);
    /// the uncertainty σ_t² = Σ_s (Ã_s·σ_S(t←s))² (independent runs).
    public static func organS(world: VoxelWorld, tiaBqS: [Double], regions: [ScoredRegion], nuclide: Nuclide,
                       control: RunControl, seed masterSeed: UInt64, settings: TransportSettings, log: (String) -> Void) throws -> MethodDose {
        guard !regions.isEmpty else {
            throw InputError(source: "--method", value: "organ-s", reason: "needs segmented regions (simulate: --regions)")
        }
        if let (a, b) = ScoringRegionSet.firstOverlap(regions) {
            throw InputError(source: "--method", value: "organ-s", reason: "source regions must not overlap ('\(a)' and '\(b)' share voxels)")
        }
        let grid = world.grid
        let regionTIA = regions.map { r in r.voxels.reduce(0.0) { $0 + tiaBqS[$1] } }
        let total = tiaBqS.reduce(0, +)
        let assigned = regionTIA.reduce(0, +)
        let sources = regions.indices.filter { regionTIA[$0] > 0 }
        var s = [[Double]](repeating: [Double](repeating: 0, count: sources.count), count: regions.count)
        var sigma = s
        var masses = [Double](repeating: 0, count: regions.count)
        var decays: UInt64 = 0
        let emitter = Emitter.nuclide(EmissionSampler(nuclide: nuclide, includeAnnihilationPhotons: false))
        for (c, src) in sources.enumerated() {
            var weights = [Double](repeating: 0, count: grid.voxelCount)
            for v in regions[src].voxels { weights[v] = 1 }
            let seed = sourceSeed(masterSeed, index: src)
            let sim = try PreparedSimulation(world: world, source: .voxelMap(weights: weights), emitter: emitter,
                                             settings: settings, regions: regions, decaysRepresented: 1, seed: seed,
                                             identity: [nuclide.name, "organ-s source \(regions[src].name)"])
            log("organ-s: source \(c + 1)/\(sources.count) \(regions[src].name), \(control.decays) decays")
            let state = try sim.run(control: RunControl(decays: control.decays, threads: control.threads))
            decays += state.decaysDone
            let result = sim.result(state)
            for (t, r) in result.regions.enumerated() {
                s[t][c] = r.meanDoseGy
                sigma[t][c] = r.meanDoseGy * r.relativeUncertainty
                masses[t] = r.massG
            }
        }
        let names = regions.map(\.name)
        let matrix = try OrganSMatrix(sourceRegions: sources.map { names[$0] }, targetRegions: names, valuesGyPerBqS: s)
        let doses = try matrix.targetDoses(tiaBqS: Dictionary(uniqueKeysWithValues: sources.map { (names[$0], regionTIA[$0]) }))
        var doseVoxels = [Double](repeating: 0, count: grid.voxelCount)
        var relVoxels = [Float](repeating: 0, count: grid.voxelCount)
        var out: [MethodRegionDose] = []
        for (t, r) in regions.enumerated() {
            let d = doses[names[t]] ?? 0
            let var2 = sources.indices.reduce(0.0) { $0 + pow(regionTIA[sources[$1]] * sigma[t][$1], 2) }
            let rel = d > 0 ? var2.squareRoot() / d : 0
            for v in r.voxels { doseVoxels[v] = d; relVoxels[v] = Float(rel) }
            out.append(MethodRegionDose(name: r.name, massG: masses[t], meanDoseGy: d, relativeUncertainty: rel))
        }
        var columns: [Table.Column] = [.init("target", .string(names))]
        for (c, src) in sources.enumerated() {
            columns.append(.init(names[src], .double(s.map { $0[c] }), unit: "Gy/(Bq s)"))
        }
        var result = MethodDose(method: .organS, dose: Volume(grid: grid, voxels: doseVoxels, unit: "Gy"),
                                relativeUncertainty: Volume(grid: grid, voxels: relVoxels, unit: "1"), regions: out)
        result.tables = [("organ_s_matrix", Table(columns: columns)),
                         ("organ_s_sources", Table(columns: [.init("source", .string(sources.map { names[$0] })),
                                                             .init("tia_bq_s", .double(sources.map { regionTIA[$0] }), unit: "Bq s")]))]
        result.decays = decays
        result.settings = ["organ_s_decays_per_source": "\(control.decays)",
                           "organ_s_sources": sources.map { names[$0] }.joined(separator: ","),
                           "organ_s_source_distribution": "uniform per voxel within each source region",
                           "organ_s_unassigned_tia_fraction": "\(total > 0 ? (total - assigned) / total : 0)"]
        if total > 0, (total - assigned) / total > 1e-9 {
            result.warnings.append(String(format: "organ-s: %.2f %% of the TIA lies outside every region and is not counted",
                                          100 * (total - assigned) / total))
        }
        return result
    }
}
