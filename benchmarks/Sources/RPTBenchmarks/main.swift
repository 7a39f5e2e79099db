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

let args = CommandLine.arguments.dropFirst()
let what = args.first ?? "all"
let decays = UInt64(ProcessInfo.processInfo.environment["RPT_BENCH_DECAYS"] ?? "") ?? 1_000_000
do {
    if what == "transport" || what == "all" { try transportBenchmark(decays: decays, repeats: 3) }
    if what == "breakdown" || what == "all" { try breakdownBenchmark(decays: decays) }
    if what == "methods" || what == "all" { try methodsBenchmark(decays: decays) }
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
