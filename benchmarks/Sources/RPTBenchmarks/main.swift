// RPTDose benchmarks. Measures, never asserts: results go to benchmarks/RESULTS.md by hand, with the
// command line that produced them.
import Foundation
import RPTCore
import RPTImageIO
import RPTKernels
import RPTValidation
import RPTPhysics
import RPTTransport
import RPTVolume

/// Median of a list.
func median(_ x: [Double]) -> Double { let s = x.sorted(); return s[s.count / 2] }

/// Peak resident memory of this process (MB), from getrusage (ru_maxrss is in kB on Linux).
func peakMemoryMB() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024
}

/// The patient15 phantom (phantoms/lu177-patient15), Lu-177 uniform in both kidneys.
func patient15Kidneys(settings: TransportSettings, seed: UInt64, filter: EmissionFilter = .all) throws -> PreparedSimulation {
    // #filePath = <repo>/benchmarks/Sources/RPTBenchmarks/main.swift.
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let dir = repo + "/phantoms/lu177-patient15"
    guard FileManager.default.fileExists(atPath: dir) else {
        throw InputError(source: dir, reason: "the patient15 phantom is missing (phantoms/lu177-patient15)")
    }
    let attn = try ImageIO.read(dir + "/patient15_LuDOTATATE_attn.h33").asDouble
    let src = try ImageIO.read(dir + "/patient15_LuDOTATATE_src.h33").asDouble
    // The attenuation image holds CT number + 1000 (phantom README).
    let hu = Volume<Double>(grid: attn.grid, voxels: attn.voxels.map { $0 - 1000 }, unit: "HU")
    let cal = try CTCalibration.load(directory: repo + "/phantoms/scanners/default")
    let world = try WorldBuilder.fromCT(hu, calibration: cal)
    var left: [Int] = [], right: [Int] = []
    for (n, v) in src.voxels.enumerated() {
        if v == 17000 { left.append(n) } else if v == 18000 { right.append(n) }
    }
    var w = [Double](repeating: 0, count: world.grid.voxelCount)
    for n in left + right { w[n] = 1 }
    let nuc = try Nuclide.named("Lu-177")
    return try PreparedSimulation(world: world, source: .voxelMap(weights: w),
                                  emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false), filter),
                                  settings: settings,
                                  regions: [ScoredRegion(name: "kidneys", voxels: left + right)], seed: seed)
}

func transportBenchmark(decays: UInt64, repeats: Int) throws {
    for (label, settings) in [("accelerations on", TransportSettings()),
                              ("accelerations off", TransportSettings().withoutAccelerations)] {
        let sim = try patient15Kidneys(settings: settings, seed: 1)
        var rates: [Int: [Double]] = [:]
        var lastState: SimulationState? = nil
        for threads in [1, 2] {
            for _ in 0..<repeats {
                let control = RunControl(decays: decays, threads: threads, checkpointIntervalSeconds: 1e9)
                let t0 = Date()
                let state = try sim.run(control: control)
                let dt = Date().timeIntervalSince(t0)
                rates[threads, default: []].append(Double(decays) / dt)
                lastState = state
            }
        }
        let r1 = median(rates[1]!), r2 = median(rates[2]!)
        let state = lastState!
        let result = sim.result(state)
        let u = result.regions[0].relativeUncertainty
        let kidneyVoxels = sim.regions[0].voxels
        let voxelU = kidneyVoxels.map { result.relativeUncertainty[$0] }.sorted()
        let medianVoxelU = voxelU[voxelU.count / 2]
        // σ ∝ 1/√N: decays needed for a target t are N·(u/t)²; time at the 2-thread rate.
        let tMean = Double(decays) * (u / 0.01) * (u / 0.01) / r2
        let tVoxel = Double(decays) * (medianVoxelU / 0.02) * (medianVoxelU / 0.02) / r2
        print("patient15 kidneys, Lu-177, \(label), \(decays) decays, median of \(repeats):")
        print(String(format: "  1 thread : %.3g decays/s", r1))
        print(String(format: "  2 threads: %.3g decays/s (%.3g per core); parallel efficiency %.1f %%", r2, r2 / 2, 100 * r2 / (2 * r1)))
        print(String(format: "  kidney mean-dose uncertainty after %llu decays: %.3f %%; median voxel: %.2f %%", decays, 100 * u, 100 * medianVoxelU))
        print(String(format: "  time to 1 %% kidney mean: %.2f s; to 2 %% median voxel in kidneys: %.1f s (2 threads)", tMean, tVoxel))
        print(String(format: "  peak memory so far: %.0f MB", peakMemoryMB()))
    }
}

/// Time per decay split by emission type (1 thread), to see where the time goes.
func breakdownBenchmark(decays: UInt64) throws {
    for filter in (ProcessInfo.processInfo.environment["RPT_FILTER"].map { [EmissionFilter(rawValue: $0)!] } ?? [EmissionFilter.electrons, .photons, .all]) {
        var settings = TransportSettings()
        if let b = ProcessInfo.processInfo.environment["RPT_BLOCK"].flatMap(Int.init) { settings.majorantBlockSize = b }
        if let f = ProcessInfo.processInfo.environment["RPT_STEP"].flatMap(Double.init) { settings.maxEnergyLossFraction = f }
        let sim = try patient15Kidneys(settings: settings, seed: 1, filter: filter)
        var times: [Double] = []
        for _ in 0..<3 {
            let t0 = Date()
            _ = try sim.run(control: RunControl(decays: decays, threads: 1, checkpointIntervalSeconds: 1e9))
            times.append(Date().timeIntervalSince(t0))
        }
        print(String(format: "  %@ only: %.3g µs per decay (1 thread, median of 3)", filter.rawValue,
                     median(times) / Double(decays) * 1e6))
    }
}

/// Wall time of LDM, VSV (FFT) and the Monte Carlo on patient15 (Lu-177 in the kidneys) and on a
/// 256×256×200 grid of 4 mm voxels (soft tissue, random uptake blobs). Kernel generation is timed apart.
func methodsBenchmark(decays: UInt64) throws {
    let nuc = try Nuclide.named("Lu-177")
    let context = ValidationContext(mode: .full, seed: 1, threads: 2, validationDirectory: "")
    func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let t0 = Date(); let r = try body(); return (r, Date().timeIntervalSince(t0))
    }
    // patient15
    let sim = try patient15Kidneys(settings: TransportSettings(), seed: 1)
    let grid = sim.world.grid
    var tia = [Double](repeating: 0, count: grid.voxelCount)
    for v in sim.regions[0].voxels { tia[v] = 1e9 }
    let tiaVolume = Volume<Double>(grid: grid, voxels: tia, unit: "Bq s")
    let density = Volume<Double>(grid: grid, voxels: sim.world.density.map(Double.init))
    let (kernel, tKernel) = try timed { try MonteCarloRuns.vsvKernel(nuclide: nuc, material: MaterialLibrary.softTissue,
                                                                     voxelMM: grid.spacing, size: 11, decays: 1_000_000,
                                                                     context: context) }
    var tLDM: [Double] = [], tVSV: [Double] = []
    for _ in 0..<3 {
        tLDM.append(try timed { try LocalDeposition.dose(tia: tiaVolume, electronEnergyPerDecayMeV: nuc.electronEnergyPerDecayMeV,
                                                         density: density) }.1)
        tVSV.append(try timed { try VSVConvolution.dose(tia: tiaVolume, kernel: kernel) }.1)
    }
    let (state, tMC) = try timed { try sim.run(control: RunControl(decays: decays, threads: 2, checkpointIntervalSeconds: 1e9)) }
    let r = sim.result(state)
    let u = sim.regions[0].voxels.map { r.relativeUncertainty[$0] }.sorted()
    let tMC2 = tMC * (u[u.count / 2] / 0.02) * (u[u.count / 2] / 0.02)
    print("patient15 (108×70×90), Lu-177 in the kidneys, 2 threads:")
    print(String(format: "  LDM %.3f s, VSV FFT %.3f s (median of 3); kernel generation by MC %.1f s (1e6 decays, once per voxel size)",
                 median(tLDM), median(tVSV), tKernel))
    print(String(format: "  MC to 2 %% median voxel uncertainty in the kidneys: %.0f s (extrapolated from %llu decays in %.1f s)",
                 tMC2, decays, tMC))
    // 256×256×200
    let big = Grid3D(shape: SIMD3(256, 256, 200), spacing: SIMD3(4, 4, 4))
    var w = [Double](repeating: 0, count: big.voxelCount)
    var rng = RandomStream(seed: 9, stream: 0)
    for _ in 0..<20 {
        let c = SIMD3(rng.uniform() * 256, rng.uniform() * 256, rng.uniform() * 200)
        let rad = 3 + rng.uniform() * 8
        for k in max(0, Int(c.z - rad))..<min(200, Int(c.z + rad) + 1) {
            for j in max(0, Int(c.y - rad))..<min(256, Int(c.y + rad) + 1) {
                for i in max(0, Int(c.x - rad))..<min(256, Int(c.x + rad) + 1) {
                    let d = SIMD3(Double(i), Double(j), Double(k)) - c
                    if (d * d).sum() <= rad * rad { w[big.linearIndex(i, j, k)] = 1e9 }
                }
            }
        }
    }
    let bigTIA = Volume<Double>(grid: big, voxels: w, unit: "Bq s")
    let (bigKernel, _) = try timed { try MonteCarloRuns.vsvKernel(nuclide: nuc, material: MaterialLibrary.softTissue,
                                                                  voxelMM: big.spacing, size: 11, decays: 300_000, context: context) }
    let (_, tBigLDM) = try timed { try LocalDeposition.dose(tia: bigTIA, electronEnergyPerDecayMeV: nuc.electronEnergyPerDecayMeV) }
    let (_, tBigVSV) = try timed { try VSVConvolution.dose(tia: bigTIA, kernel: bigKernel) }
    let world = try VoxelWorld.homogeneous(grid: big, material: MaterialLibrary.softTissue)
    let bigSim = try PreparedSimulation(world: world, source: .voxelMap(weights: w),
                                        emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                        settings: TransportSettings(), seed: 1)
    let (_, tBigMC) = try timed { try bigSim.run(control: RunControl(decays: decays, threads: 2, checkpointIntervalSeconds: 1e9)) }
    print("256×256×200 grid, 4 mm voxels, soft tissue, 20 uptake spheres, 2 threads:")
    print(String(format: "  LDM %.3f s, VSV FFT %.2f s; MC %.3g decays/s (%llu decays in %.1f s, incl. tally set-up)",
                 tBigLDM, tBigVSV, Double(decays) / tBigMC, decays, tBigMC))
    print(String(format: "  peak memory: %.0f MB", peakMemoryMB()))
}

/// CPU seconds (user + system) used by this process so far.
func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
        + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
}

/// Efficiency of the photon estimators on patient15 (issue 18 item 3): for each scenario and estimator, the CPU time
/// per decay T and the relative σ of the kidney mean, the kidney median voxel, a lesion (mean, median voxel) and the
/// red-marrow stand-in (mean, median voxel); efficiency 1/(σ²·T) and the time to 2 % on 2 cores (CPU time / 2: the
/// runner's parallel efficiency at 2 threads is 98–99 %). Analogue and track-length runs alternate; CPU time rather
/// than wall time, because the shared machine's load changes the wall time by factors.
/// Scenarios: "kidneys" — Lu-177 uniform in both kidneys (the `transport` benchmark, issue 18's 7.4 s reference);
/// "organs" — Lu-177 in liver, spleen, kidneys and the three tumours at illustrative concentration ratios
/// 1 : 2 : 2 : 8 (liver : spleen : kidneys : tumours). Red marrow stand-in: the voxels of the phantom's "Bone" class
/// (attenuation value 1150–2150, i.e. 150–1150 HU; spine, ribs, pelvis in the field of view).
func estimatorBenchmark(decays: UInt64, repeats: Int) throws {
    let (world, kidneys, lesion, marrow, scenarios) = try patient15EfficiencyScenarios()
    let regions = [ScoredRegion(name: "kidneys", voxels: kidneys), ScoredRegion(name: "lesion", voxels: lesion),
                   ScoredRegion(name: "marrow", voxels: marrow)]
    let only = ProcessInfo.processInfo.environment["RPT_SCENARIO"]
    let nuc = try Nuclide.named("Lu-177")
    print("photon estimators, patient15, \(decays) decays per run, 2 threads, median of \(repeats) (alternating):")
    print("  marrow stand-in: \(marrow.count) voxels; lesion (tumour 1): \(lesion.count) voxels")
    for (scenario, weights) in scenarios where only == nil || only == scenario {
        var rows: [PhotonEstimator: [[Double]]] = [:]
        var sims: [PhotonEstimator: PreparedSimulation] = [:]
        for e in PhotonEstimator.allCases {
            var settings = TransportSettings()
            settings.photonEstimator = e
            sims[e] = try PreparedSimulation(world: world, source: .voxelMap(weights: weights),
                                             emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                             settings: settings, regions: regions, seed: 1)
        }
        for _ in 0..<repeats {
            for e in PhotonEstimator.allCases {
                let sim = sims[e]!
                let c0 = processCPUSeconds(), t0 = Date()
                let state = try sim.run(control: RunControl(decays: decays, threads: 2, checkpointIntervalSeconds: 1e9))
                let cpu = processCPUSeconds() - c0, wall = Date().timeIntervalSince(t0)
                let r = sim.result(state)
                func medianVoxel(_ v: [Int]) -> Double { median(v.map { r.relativeUncertainty[$0] > 0 ? r.relativeUncertainty[$0] : .infinity }) }
                rows[e, default: []].append([cpu / Double(decays), wall / Double(decays),
                                             r.regions[0].relativeUncertainty, medianVoxel(kidneys),
                                             r.regions[1].relativeUncertainty, medianVoxel(lesion),
                                             r.regions[2].relativeUncertainty, medianVoxel(marrow),
                                             r.regions[0].meanDoseGy, r.regions[1].meanDoseGy, r.regions[2].meanDoseGy])
            }
        }
        print("  scenario \(scenario):")
        var eff: [PhotonEstimator: [Double]] = [:]
        let names = ["kidney mean", "kidney median voxel", "lesion mean", "lesion median voxel", "marrow mean", "marrow median voxel"]
        for e in PhotonEstimator.allCases {
            let all = rows[e]!
            let col = { (k: Int) in median(all.map { $0[k] }) }
            let cpu = col(0)
            print(String(format: "    %@: %.3f µs CPU per decay (%.3f µs wall at 2 threads); doses per decay kidneys %.4e, lesion %.4e, marrow %.4e Gy",
                         e.rawValue, cpu * 1e6, col(1) * 1e6, col(8), col(9), col(10)))
            eff[e] = []
            for (i, name) in names.enumerated() {
                let u = col(2 + i)
                let efficiency = 1 / (u * u * cpu * Double(decays))  // 1/(σ²·T), T = CPU seconds of the run
                let t2 = cpu * Double(decays) * (u / 0.02) * (u / 0.02) / 2
                eff[e]!.append(efficiency)
                print(String(format: "      %@: σ %.3f %% after %llu decays; efficiency 1/(σ²T) %.4g /s; time to 2 %% on 2 cores %.3g s",
                             name, 100 * u, decays, efficiency, t2))
            }
        }
        for (i, name) in names.enumerated() {
            print(String(format: "    ratio track-length/analogue, %@: efficiency %.3g", name, eff[.trackLength]![i] / eff[.analog]![i]))
        }
    }
}

/// The patient15 world (CT through the default calibration) with the voxels of the kidneys, the lesion (tumour 1) and
/// the red-marrow stand-in (the phantom's "Bone" class, attenuation value 1150–2150 outside the source organs), and
/// the two activity scenarios of `estimators` and `sampling`: "kidneys" (uniform in both kidneys) and "organs"
/// (liver : spleen : kidneys : tumours = 1 : 2 : 2 : 8).
func patient15EfficiencyScenarios() throws
    -> (world: VoxelWorld, kidneys: [Int], lesion: [Int], marrow: [Int], scenarios: [(String, [Double])]) {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let dir = repo + "/phantoms/lu177-patient15"
    let attn = try ImageIO.read(dir + "/patient15_LuDOTATATE_attn.h33").asDouble
    let src = try ImageIO.read(dir + "/patient15_LuDOTATATE_src.h33").asDouble
    let hu = Volume<Double>(grid: attn.grid, voxels: attn.voxels.map { $0 - 1000 }, unit: "HU")
    let cal = try CTCalibration.load(directory: repo + "/phantoms/scanners/default")
    let world = try WorldBuilder.fromCT(hu, calibration: cal)
    var kidneys: [Int] = [], lesion: [Int] = [], marrow: [Int] = []
    for (n, v) in src.voxels.enumerated() {
        if v == 17000 || v == 18000 { kidneys.append(n) }
        if v == 19000 { lesion.append(n) }
        if v < 15000 && attn.voxels[n] >= 1150 && attn.voxels[n] < 2150 { marrow.append(n) }
    }
    let concentration: [Double: Double] = [15000: 1, 16000: 2, 17000: 2, 18000: 2, 19000: 8, 20000: 8, 21000: 8]
    let scenarios: [(String, [Double])] = [
        ("kidneys", src.voxels.map { $0 == 17000 || $0 == 18000 ? 1 : 0 }),
        ("organs", src.voxels.map { concentration[$0] ?? 0 }),
    ]
    return (world, kidneys, lesion, marrow, scenarios)
}

/// Efficiency of systematic source sampling on patient15 (issue 18 item 3): like `estimators`, alternating runs of
/// analogue sampling, systematic sampling, and systematic sampling with the photon track-length estimator, each of
/// `decays` decays (rounded down to whole batches of RPT_SOURCE_BATCH decays, default 16 384) on 2 threads; σ of the
/// systematic runs from batch statistics. Scenario and regions as in `estimators` (RPT_SCENARIO=kidneys|organs).
func samplingBenchmark(decays requested: UInt64, repeats: Int) throws {
    let (world, kidneys, lesion, marrow, scenarios) = try patient15EfficiencyScenarios()
    let regions = [ScoredRegion(name: "kidneys", voxels: kidneys), ScoredRegion(name: "lesion", voxels: lesion),
                   ScoredRegion(name: "marrow", voxels: marrow)]
    let only = ProcessInfo.processInfo.environment["RPT_SCENARIO"]
    let nuc = try Nuclide.named("Lu-177")
    let batch = UInt64(ProcessInfo.processInfo.environment["RPT_SOURCE_BATCH"] ?? "") ?? UInt64(SourceSampling.defaultBatchDecays)
    let decays = requested / batch * batch
    let configs: [(String, SourceSampling, PhotonEstimator)] = [("analog", .analog, .analog),
                                                                ("systematic", .systematic, .analog),
                                                                ("systematic+track-length", .systematic, .trackLength)]
    print("source sampling, patient15, \(decays) decays per run (\(decays / batch) batches), 2 threads, median of \(repeats) (alternating):")
    for (scenario, weights) in scenarios where only == nil || only == scenario {
        var rows: [[[Double]]] = configs.map { _ in [] }
        let sims = try configs.map { c -> PreparedSimulation in
            var settings = TransportSettings()
            settings.sourceSampling = c.1
            settings.sourceBatchDecays = Int(batch)
            settings.photonEstimator = c.2
            return try PreparedSimulation(world: world, source: .voxelMap(weights: weights),
                                          emitter: .nuclide(EmissionSampler(nuclide: nuc, includeAnnihilationPhotons: false)),
                                          settings: settings, regions: regions, seed: 1)
        }
        for rep in 0..<repeats {
            for (i, sim) in sims.enumerated() {
                let c0 = processCPUSeconds(), t0 = Date()
                let state = try sim.run(control: RunControl(decays: decays, threads: 2, checkpointIntervalSeconds: 1e9))
                let cpu = processCPUSeconds() - c0, wall = Date().timeIntervalSince(t0)
                let r = sim.result(state)
                func medianVoxel(_ v: [Int]) -> Double { median(v.map { r.relativeUncertainty[$0] > 0 ? r.relativeUncertainty[$0] : .infinity }) }
                rows[i].append([cpu / Double(decays), wall / Double(decays),
                                r.regions[0].relativeUncertainty, medianVoxel(kidneys),
                                r.regions[1].relativeUncertainty, medianVoxel(lesion),
                                r.regions[2].relativeUncertainty, medianVoxel(marrow),
                                r.regions[0].meanDoseGy, r.regions[1].meanDoseGy, r.regions[2].meanDoseGy])
                print(String(format: "    run %d %@: %.3f µs CPU/decay, kidney median voxel σ %.3f %%", rep, configs[i].0,
                             cpu / Double(decays) * 1e6, 100 * medianVoxel(kidneys)))
            }
        }
        print("  scenario \(scenario):")
        var eff: [[Double]] = []
        let names = ["kidney mean", "kidney median voxel", "lesion mean", "lesion median voxel", "marrow mean", "marrow median voxel"]
        for (i, c) in configs.enumerated() {
            let all = rows[i]
            let col = { (k: Int) in median(all.map { $0[k] }) }
            let cpu = col(0)
            print(String(format: "    %@: %.3f µs CPU per decay (%.3f µs wall at 2 threads); doses per decay kidneys %.5e, lesion %.4e, marrow %.4e Gy",
                         c.0, cpu * 1e6, col(1) * 1e6, col(8), col(9), col(10)))
            eff.append([])
            for (k, name) in names.enumerated() {
                let u = col(2 + k)
                let efficiency = 1 / (u * u * cpu * Double(decays))
                let t2 = cpu * Double(decays) * (u / 0.02) * (u / 0.02) / 2
                eff[i].append(efficiency)
                print(String(format: "      %@: σ %.3f %% after %llu decays; efficiency 1/(σ²T) %.4g /s; time to 2 %% on 2 cores %.3g s",
                             name, 100 * u, decays, efficiency, t2))
            }
        }
        for (k, name) in names.enumerated() {
            print(String(format: "    ratios to analogue, %@: systematic %.3g, systematic+track-length %.3g", name,
                         eff[1][k] / eff[0][k], eff[2][k] / eff[0][k]))
        }
    }
}

let args = CommandLine.arguments.dropFirst()
let what = args.first ?? "all"
let decays = UInt64(ProcessInfo.processInfo.environment["RPT_BENCH_DECAYS"] ?? "") ?? 1_000_000
do {
    if what == "transport" || what == "all" { try transportBenchmark(decays: decays, repeats: 3) }
    if what == "breakdown" || what == "all" { try breakdownBenchmark(decays: decays) }
    if what == "methods" || what == "all" { try methodsBenchmark(decays: decays) }
    if what == "sampling" { try samplingBenchmark(decays: decays, repeats: Int(ProcessInfo.processInfo.environment["RPT_REPEATS"] ?? "") ?? 3) }
    let env = ProcessInfo.processInfo.environment
    if what == "clinical" || what == "wholebody" {
        // One case per process (peak memory): RPT_DOSE_GRID=ct|activity, RPT_THREADS, RPT_CLINICAL_DIR.
        try clinicalBenchmark(slices: what == "clinical" ? 300 : Int(env["RPT_SLICES"] ?? "") ?? 1000,
                              doseGrid: env["RPT_DOSE_GRID"] ?? "ct", decays: decays,
                              threads: Int(env["RPT_THREADS"] ?? "") ?? 2)
    }
    if what == "estimators" { try estimatorBenchmark(decays: decays, repeats: Int(ProcessInfo.processInfo.environment["RPT_REPEATS"] ?? "") ?? 3) }
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
