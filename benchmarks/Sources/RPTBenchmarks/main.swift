// RPTDose benchmarks. Measures, never asserts: results go to benchmarks/RESULTS.md by hand, with the
// command line that produced them.
import Foundation
import RPTCore
import RPTImageIO
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

/// The shared patient15 phantom (../shared/phantoms/lu177-patient15), Lu-177 uniform in both kidneys.
func patient15Kidneys(settings: TransportSettings, seed: UInt64, filter: EmissionFilter = .all) throws -> PreparedSimulation {
    // #filePath = <repo>/benchmarks/Sources/RPTBenchmarks/main.swift; shared data sit beside the repo.
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let dir = repo + "/../shared/phantoms/lu177-patient15"
    guard FileManager.default.fileExists(atPath: dir) else {
        throw InputError(source: dir, reason: "the patient15 phantom is needed (see ../shared/README.md)")
    }
    let attn = try ImageIO.read(dir + "/patient15_LuDOTATATE_attn.h33").asDouble
    let src = try ImageIO.read(dir + "/patient15_LuDOTATATE_src.h33").asDouble
    // The attenuation image holds CT number + 1000 (shared phantom README).
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
                let control = RunControl(decays: decays, threads: threads, seed: 1, checkpointIntervalSeconds: 1e9)
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
    for filter in [EmissionFilter.electrons, .photons, .all] {
        let sim = try patient15Kidneys(settings: TransportSettings(), seed: 1, filter: filter)
        var times: [Double] = []
        for _ in 0..<3 {
            let t0 = Date()
            _ = try sim.run(control: RunControl(decays: decays, threads: 1, seed: 1, checkpointIntervalSeconds: 1e9))
            times.append(Date().timeIntervalSince(t0))
        }
        print(String(format: "  %@ only: %.3g µs per decay (1 thread, median of 3)", filter.rawValue,
                     median(times) / Double(decays) * 1e6))
    }
}

let args = CommandLine.arguments.dropFirst()
let what = args.first ?? "all"
let decays = UInt64(ProcessInfo.processInfo.environment["RPT_BENCH_DECAYS"] ?? "") ?? 1_000_000
do {
    if what == "transport" || what == "all" { try transportBenchmark(decays: decays, repeats: 3) }
    if what == "breakdown" || what == "all" { try breakdownBenchmark(decays: decays) }
} catch {
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
