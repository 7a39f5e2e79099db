import Foundation
import RPTCore
import RPTPhysics
import RPTTransport
import RPTVolume

/// A dose point kernel scored on a fine cubic voxel grid around a point source in water.
struct ScoredPointKernel {
    /// Shell outer radii (cm) and energy per decay deposited in each shell (MeV), binned by voxel-centre radius.
    var shellOuterCm: [Double]
    var shellEnergyMeV: [Double]
    /// Energy per decay deposited in the whole grid (MeV) and its 1σ.
    var totalMeV: Double
    var totalSigmaMeV: Double
    /// Energy per decay deposited in voxels whose nearest point lies beyond `rangeCm` (MeV).
    var beyondMeV: Double
    var emittedMeV: Double
    var decays: UInt64
    /// Fine shells of width `fineShellCm` (voxels shared by 4³ sub-sampling, `SubsampledShellBinning`): energy
    /// per decay (MeV) in each shell for each of the independent batches of histories (empty without fine shells).
    var fineShellCm: Double = 0
    var batchFineShellMeV: [[Double]] = []

    /// Runs `emitter` from the centre of a water cube of half-width `halfWidthCm` with `n`³ voxels (n even,
    /// source at the shared corner of the 8 central voxels).
    /// - Parameters:
    ///   - settings: transport settings (accelerations off by default).
    ///   - fineShellCm: when set, also score shells of this width by sub-sampling, per batch.
    ///   - batches: the histories are run as this many consecutive, disjoint ranges of the same random streams
    ///     (the summed result is identical to one run); the spread between batches gives the σ of any derived
    ///     quantity (batch method).
    static func run(emitter: Emitter, halfWidthCm: Double, n: Int, rangeCm: Double, decays: UInt64,
                    context: ValidationContext, settings: TransportSettings = TransportSettings().withoutAccelerations,
                    fineShellCm: Double? = nil, batches: Int = 1) throws -> ScoredPointKernel {
        let mm = 2 * halfWidthCm * 10 / Double(n)
        let grid = Grid3D(shape: SIMD3(n, n, n), spacing: SIMD3(repeating: mm))
        let world = try VoxelWorld.homogeneous(grid: grid, material: MaterialLibrary.water, density: 1.0)
        let c = halfWidthCm
        let h = mm / 10
        let box = ScoredRegion(name: "all", voxels: Array(0..<grid.voxelCount))
        let sim = try PreparedSimulation(world: world, source: .point(SIMD3(repeating: c)), emitter: emitter,
                                         settings: settings, regions: [box], seed: context.seed)
        let batches = max(1, batches)
        let perBatch = Int(decays) / batches
        var control = RunControl(decays: decays, threads: context.threads)
        control.batchSize = max(64, min(4096, perBatch / (4 * context.threads)))
        let workers = sim.workerCount(control)
        let binning = fineShellCm.map { SubsampledShellBinning(n: n, voxelCm: h, centreCm: c, shellWidthCm: $0) }
        var state = sim.emptyState()
        var batchShells: [[Double]] = []
        for b in 0..<batches {
            let lo = decays * UInt64(b) / UInt64(batches), hi = decays * UInt64(b + 1) / UInt64(batches)
            let chunk = try sim.runHistories(lo..<hi, control: control, workers: workers)
            try state.sums.add(chunk.sums)
            state.ledger += chunk.ledger
            if let binning { batchShells.append(binning.shellEnergy(chunk.sums.meanEnergyPerHistory().mean)) }
        }
        state.partial = false
        let result = sim.result(state)
        let shells = n / 2
        var shellE = [Double](repeating: 0, count: shells)
        var beyond = 0.0
        for v in 0..<grid.voxelCount {
            let e = result.energyPerDecayMeV[v]
            if e == 0 { continue }
            let ijk = grid.voxelIndex(v)
            let centre = (SIMD3(Double(ijk.x), Double(ijk.y), Double(ijk.z)) + 0.5) * h - c
            let r = (centre * centre).sum().squareRoot()
            let near = SIMD3(max(0, abs(centre.x) - h / 2), max(0, abs(centre.y) - h / 2), max(0, abs(centre.z) - h / 2))
            if (near * near).sum().squareRoot() > rangeCm { beyond += e }
            let s = Int(r / h)
            if s < shells { shellE[s] += e }
        }
        let region = result.regions[0]
        let total = region.meanDoseGy * region.massG / 1000 / PhysicalConstants.joulePerMeV
        return ScoredPointKernel(shellOuterCm: (1...shells).map { Double($0) * h }, shellEnergyMeV: shellE,
                                 totalMeV: total, totalSigmaMeV: total * region.relativeUncertainty, beyondMeV: beyond,
                                 emittedMeV: state.ledger.emittedMeV / Double(state.decaysDone), decays: state.decaysDone,
                                 fineShellCm: fineShellCm ?? 0, batchFineShellMeV: batchShells)
    }

    /// Mean over batches and its standard error (batch method, σ = s/√B) of `f` applied to each batch's fine shells.
    func batchMean(_ f: ([Double]) -> Double) -> (mean: Double, sigma: Double) {
        let values = batchFineShellMeV.map(f)
        let b = Double(values.count)
        let mean = values.reduce(0, +) / b
        guard values.count > 1 else { return (mean, .nan) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (b - 1)
        return (mean, (variance / b).squareRoot())
    }

    /// F = (energy inside the sphere of radius `shells`·`fineShellCm`) / `energy`: mean and σ over batches.
    func cumulativeFraction(shells: Int, energy: Double) -> (mean: Double, sigma: Double) {
        batchMean { $0.prefix(shells).reduce(0, +) / energy }
    }

    /// Scaled kernel from the fine shells, j = (shell energy / E) / (width / r₀) at shell mid-radii x = r/r₀, with σ.
    func fineScaled(r0: Double, energy: Double) -> (x: [Double], j: [Double], sigma: [Double]) {
        let count = batchFineShellMeV.first?.count ?? 0
        let dx = fineShellCm / r0
        var x: [Double] = [], j: [Double] = [], sigma: [Double] = []
        for s in 0..<count {
            let m = batchMean { $0[s] / energy / dx }
            x.append((Double(s) + 0.5) * dx); j.append(m.mean); sigma.append(m.sigma)
        }
        return (x, j, sigma)
    }

    /// Scaled kernel j(x) = 4πr²ρ D(r) · r₀ / E at shell mid-radii x = r/r₀ (fraction of E per unit r/r₀).
    func scaled(r0: Double, energy: Double) -> (x: [Double], j: [Double]) {
        var x: [Double] = [], j: [Double] = []
        var inner = 0.0
        for (n, outer) in shellOuterCm.enumerated() {
            x.append((inner + outer) / 2 / r0)
            j.append(shellEnergyMeV[n] / (outer - inner) * r0 / energy)
            inner = outer
        }
        return (x, j)
    }
}

/// Monoenergetic electron dose point kernels in water: energy balance against ESTAR radiation yield, containment
/// within the ESTAR CSDA range, and the cumulative energy fraction F(x) = ∫₀ˣ j dx′ against published scaled kernels
/// (EGSnrc/EDKnrc, Mainegra-Hing et al. 2005; ETRAN, Berger/Seltzer as tabulated by Ferrer et al. 2007).
public struct ElectronDPKCase: ValidationCase {
    public let name = "electron-dpk-water"
    public let title = "Monoenergetic electron dose point kernels in water"
    public let inQuickSuite = true
    public init() {}

    /// A published scaled kernel: its label, file under `validation/electron-dpk-water/` and layout.
    struct Reference {
        var label: String
        var file: String
        var layout: ScaledKernelTable.Layout
    }

    /// Radii x = r/r₀ at which F is compared (multiples of `shellWidth`).
    static let comparedX = [0.3, 0.5, 0.7, 0.9]
    /// Width of the scoring shells in x (that of the EGSnrc histograms).
    static let shellWidth = 0.05
    /// Allowance on |F − F_ref| (absolute) besides 3σ, fixed before any comparison: the largest EGSnrc − ETRAN
    /// difference of F at these radii is 0.014 (100 keV, x = 0.7; 1 MeV: 0.012), i.e. the spread between two
    /// condensed-history codes; plus ≤ 0.005 for the uniform-in-voxel assumption of the sub-sampled shells.
    static let allowance = 0.02

    /// Largest fractional continuous energy loss per electron step in this case: 1 %, the ESTEPE of the EGSnrc
    /// reference calculation (EDKnrc parameters listed in Geant4 TestEm12 berger/EGSnrc/README). The kernel shape
    /// depends on the step at the default 0.2 (see README: F(0.7 r₀) at 1 MeV moves by −0.011 from 0.2 to 0.01
    /// and by −0.004 more at 0.005); the default is shown in information rows.
    static let stepFraction = 0.01
    /// Radii at which the default step is shown for information (full suite).
    static let defaultStepX = [0.5, 0.7]

    /// The published kernels for an electron energy (keV); empty when none is available.
    static func references(keV: Int) -> [Reference] {
        let egs = Reference(label: "EGSnrc", file: "egsnrc_mainegra-hing2005_\(keV)keV.csv", layout: .histogram(width: 0.05))
        let etran = Reference(label: "ETRAN", file: "etran_\(keV)keV.csv", layout: .points)
        switch keV {
        case 100, 1000: return [egs, etran]
        case 500: return [etran]
        default: return []
        }
    }

    public func run(_ context: ValidationContext) throws -> ValidationCaseResult {
        let estar = try ESTARWaterTable(referenceDirectory: context.referenceDirectory)
        let energies = context.isQuick ? [0.5] : [0.05, 0.1, 0.5, 1.0]
        let decays: UInt64 = context.isQuick ? 2_000 : 100_000
        let batches = context.isQuick ? 10 : 20
        var settings = TransportSettings().withoutAccelerations
        settings.maxEnergyLossFraction = Self.stepFraction
        var rows: [ValidationRow] = []
        var plot = SVGPlot(title: "Scaled electron DPK in water, j(r/r₀) = 4πr²ρD r₀/E", xLabel: "r / r_CSDA",
                           yLabel: "j")
        var notes: [String] = []
        for (n, e) in energies.enumerated() {
            let r0 = estar.interpolate(estar.csdaRange, at: e)
            let y = estar.interpolate(estar.radiationYield, at: e)
            let k = try ScoredPointKernel.run(emitter: .monoenergetic(.electron, energyMeV: e), halfWidthCm: 1.3 * r0,
                                              n: context.isQuick ? 26 : 52, rangeCm: r0, decays: decays, context: context,
                                              settings: settings, fineShellCm: Self.shellWidth * r0, batches: batches)
            let keV = Int((e * 1000).rounded())
            let label = "\(keV) keV"
            rows.append(.compare("absorbed/E within 1.3 r_CSDA, \(label)", value: k.totalMeV / e, reference: 1 - y,
                                 sigma: k.totalSigmaMeV / e, k: 3, systematic: 0.005, unit: "fraction",
                                 note: String(format: "1 − Y (ESTAR Y = %.2e); 0.5 %% allowance: absorbed bremsstrahlung, yield model", y)))
            rows.append(.bound("energy beyond r_CSDA / E, \(label)", value: k.beyondMeV / e, bound: 0.01, isLower: false,
                               sigma: 0, k: 0, systematic: 0, unit: "fraction",
                               note: String(format: "r_CSDA = %.4f cm (ESTAR); range straggling allowance 1 %%", r0)))
            let s = k.fineScaled(r0: r0, energy: e)
            plot.series.append(.init(label: "RPTDose \(label)", x: s.x, y: s.j, yError: s.sigma.map { 3 * $0 },
                                     color: SVGPlot.color(n), line: false, markers: true))
            let refs = Self.references(keV: keV)
            var peakNote = "RPTDose: centre of the 0.05 r₀ shell with the largest j"
            var peakRef = Double.nan
            for (m, ref) in refs.enumerated() {
                let path = context.validationDirectory + "/" + name + "/" + ref.file
                let table = try ScaledKernelTable(path: path, layout: ref.layout)
                for x in Self.comparedX {
                    let f = k.cumulativeFraction(shells: Int((x / Self.shellWidth).rounded()), energy: e)
                    rows.append(.compare(String(format: "F(%.1f r₀) = ∫₀ˣ j, %@ vs %@", x, label, ref.label), value: f.mean,
                                         reference: table.cumulative(at: x), sigma: f.sigma, k: 3,
                                         systematic: Self.allowance, unit: "fraction of E",
                                         note: "\(ref.file); σ from \(batches) batches; allowance 0.02 (EGSnrc − ETRAN spread ≤ 0.014 + voxelization)"))
                }
                if m == 0 {
                    peakRef = table.peakX
                    if !context.isQuick {
                        // The same kernel at the default step (information: step-size dependence of the shape).
                        let d = try ScoredPointKernel.run(emitter: .monoenergetic(.electron, energyMeV: e), halfWidthCm: 1.3 * r0,
                                                          n: 52, rangeCm: r0, decays: decays, context: context,
                                                          fineShellCm: Self.shellWidth * r0, batches: batches)
                        for x in Self.defaultStepX {
                            let f = d.cumulativeFraction(shells: Int((x / Self.shellWidth).rounded()), energy: e)
                            rows.append(.info(String(format: "F(%.1f r₀), %@, default step %.2g", x, label,
                                                     TransportSettings().maxEnergyLossFraction),
                                              value: f.mean, reference: table.cumulative(at: x), sigma: f.sigma,
                                              unit: "fraction of E",
                                              note: "reference \(ref.label); maxEnergyLossFraction at its default instead of \(Self.stepFraction)"))
                        }
                    }
                }
                peakNote += String(format: "; %@ peak at x = %.3f", ref.label, table.peakX)
                plot.series.append(.init(label: "\(ref.label) \(label)", x: table.x, y: table.j,
                                         color: SVGPlot.color(n + (ref.label == "ETRAN" ? 0 : 4)), line: true, markers: false))
                notes.append(String(format: "%@ %@ kernel: ∫ j dx = %.4f (%@).", ref.label, label, table.total, ref.file))
            }
            var peak = 0
            for i in s.j.indices where s.j[i] > s.j[peak] { peak = i }
            rows.append(.info("peak position of j, \(label)", value: s.x[peak], reference: peakRef, unit: "r/r₀",
                              note: peakNote))
        }
        return ValidationCaseResult(
            name: name, title: title, rows: rows, figureSVG: plot.render(),
            figureCaption: "Scaled dose point kernels of monoenergetic electrons in water: RPTDose Monte Carlo (markers, "
                + "3σ bars, 0.05 r₀ shells) and published kernels (lines: ETRAN, Berger/Seltzer via Ferrer et al. 2007; "
                + "EGSnrc/EDKnrc, Mainegra-Hing et al. 2005, as redistributed in Geant4's TestEm12 example).",
            notes: ["\(decays) electrons per energy in \(batches) batches, isotropic point source in a water cube of "
                    + "half-width 1.3 r_CSDA (\(context.isQuick ? 26 : 52)³ voxels), accelerations off, maxEnergyLossFraction "
                    + "\(Self.stepFraction) (ESTEPE of the EGSnrc reference), seed \(context.seed); r₀ = ESTAR CSDA range.",
                    "F(x) from RPTDose: voxel energies shared among 0.05 r₀ shells by 4³ sub-sampling of each voxel "
                    + "(energy uniform in a voxel), summed for r < x r₀, divided by E; σ from the spread of the batches."]
                + notes)
    }
}

/// Lu-177 electron dose point kernel in water: emitted electron energy per decay against ICRP 107, energy
/// balance, containment within the CSDA range of the β endpoint.
public struct Lu177DPKCase: ValidationCase {
    public let name = "lu177-dpk-water"
    public let title = "Lu-177 dose point kernel in water"
    public let inQuickSuite = true
    public init() {}

    public func run(_ context: ValidationContext) throws -> ValidationCaseResult {
        let estar = try ESTARWaterTable(referenceDirectory: context.referenceDirectory)
        let nuc = try Nuclide.named("Lu-177")
        let betaMax = nuc.betaMinus?.energiesMeV.last ?? 0.498
        let rMax = estar.interpolate(estar.csdaRange, at: betaMax)
        let yMax = estar.interpolate(estar.radiationYield, at: betaMax)
        let decays: UInt64 = context.isQuick ? 4_000 : 400_000
        let k = try ScoredPointKernel.run(emitter: .nuclide(MonteCarloRuns.sampler(nuc), .electrons), halfWidthCm: 1.2 * rMax,
                                          n: context.isQuick ? 24 : 60, rangeCm: rMax, decays: decays, context: context)
        let expected = nuc.electronEnergyPerDecayMeV
        var rows: [ValidationRow] = []
        // Emitted electron energy per decay: a sample mean of the decay sampler; σ from the per-decay spread is
        // not tallied, so σ uses the bound std ≤ (largest electron energy of one decay)/2.
        let maxPerDecay = betaMax + (nuc.lines.filter { $0.kind.isElectron }.map(\.energyMeV).max() ?? 0)
        let sigmaEmitted = maxPerDecay / 2 / Double(k.decays).squareRoot()
        rows.append(.compare("emitted e⁻ energy per decay", value: k.emittedMeV, reference: expected, sigma: sigmaEmitted, k: 3,
                             systematic: 0, unit: "MeV", note: "ICRP 107 sum (β + IC + Auger, all energies)"))
        rows.append(.compare("absorbed within 1.2 R_CSDA(E_max) / emitted", value: k.totalMeV / k.emittedMeV, reference: 1,
                             sigma: k.totalSigmaMeV / k.emittedMeV, k: 3, systematic: yMax,
                             unit: "fraction", note: String(format: "allowance Y(E_max) = %.1e (bremsstrahlung escape, ESTAR)", yMax)))
        rows.append(.bound("energy beyond R_CSDA(E_max) / emitted", value: k.beyondMeV / k.emittedMeV, bound: 0.001,
                           isLower: false, sigma: 0, k: 0, systematic: 0, unit: "fraction",
                           note: String(format: "R_CSDA(%.0f keV) = %.4f cm; 0.1 %% straggling allowance", betaMax * 1000, rMax)))
        // X90: radius of the sphere holding 90 % of the absorbed energy (information).
        var cum = 0.0, x90 = Double.nan
        for (n, e) in k.shellEnergyMeV.enumerated() {
            cum += e
            if cum >= 0.9 * k.totalMeV { x90 = k.shellOuterCm[n]; break }
        }
        rows.append(.info("X90 (90 % of absorbed energy)", value: x90 * 10, unit: "mm",
                          note: "binned by voxel-centre radius; no published value retrieved for comparison"))
        let s = k.scaled(r0: x90, energy: k.emittedMeV)
        var plot = SVGPlot(title: "Lu-177 electron DPK in water", xLabel: "r / X90", yLabel: "4πr²ρD · X90 / E")
        plot.series = [.init(label: "RPTDose MC", x: s.x, y: s.j, color: SVGPlot.color(0), markers: true)]
        return ValidationCaseResult(
            name: name, title: title, rows: rows, figureSVG: plot.render(),
            figureCaption: "Scaled Lu-177 electron dose point kernel in water (β, conversion and Auger electrons).",
            notes: ["\(decays) decays, electrons only, point source in a water cube of half-width 1.2 R_CSDA(E_max), "
                    + "accelerations off, seed \(context.seed).",
                    "Published Lu-177 DPKs (Botta et al. 2011; Papadimitroulas et al. 2012) could not be retrieved as numbers; "
                    + "the references are ICRP 107's electron energy per decay, the energy balance and the ESTAR range."])
    }
}
