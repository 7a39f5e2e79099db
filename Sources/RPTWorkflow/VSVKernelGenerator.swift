import Foundation
import RPTCore
import RPTKernels
import RPTPhysics
import RPTTransport
import RPTVolume

/// Voxel S-value kernels made by RPTDose's own Monte Carlo, for any voxel size (non-cubic allowed) and medium,
/// optionally kept in a `VSVKernelCache` on disk. Used by the validation cases and by `--method vsv|vsv-density`.
public enum VSVKernelGenerator {
    /// Kernel from one Monte Carlo run: the nuclide uniform in the centre voxel of a homogeneous medium of
    /// `material`, voxels of `voxelMM` (mm, per axis), `size`³ kernel voxels (odd); the medium extends half a
    /// kernel beyond the kernel on each side so that scatter from outside it is included (as `rptdose kernel vsv`).
    /// Values in Gy per decay = Gy/(Bq·s); provenance records code version, decays, seed, settings and filter.
    public static func generate(nuclide: Nuclide, material: Material, voxelMM: SIMD3<Double>, size: Int, decays: UInt64,
                                threads: Int, seed: UInt64, settings: TransportSettings = TransportSettings(),
                                filter: EmissionFilter = .all) throws -> VoxelSValueKernel {
        try generate(nuclide: nuclide, material: material, voxelMM: voxelMM, size: size,
                     control: RunControl(decays: decays, threads: max(1, threads)), seed: seed, settings: settings,
                     filter: filter)
    }

    /// As above, with the full run control (time limit, threads), a stop flag and progress reports: a run that
    /// stops early gives a kernel of the decays done (recorded in its provenance).
    public static func generate(nuclide: Nuclide, material: Material, voxelMM: SIMD3<Double>, size: Int,
                                control: RunControl, seed: UInt64, settings: TransportSettings = TransportSettings(),
                                filter: EmissionFilter = .all, stop: StopFlag? = nil,
                                progress: (RunProgress) -> Void = { _ in }) throws -> VoxelSValueKernel {
        guard size >= 1, size % 2 == 1 else {
            throw InputError(source: "VSV kernel", field: "size", value: "\(size)", reason: "must be an odd number ≥ 1")
        }
        for a in 0..<3 where !(voxelMM[a] > 0 && voxelMM[a].isFinite) {
            throw InputError(source: "VSV kernel", field: "voxelMM[\(a)]", value: "\(voxelMM[a])", reason: "must be > 0 mm")
        }
        let n = size + 2 * (size / 2 + 1)
        let grid = Grid3D(shape: SIMD3(n, n, n), spacing: voxelMM,
                          origin: -SIMD3(Double(n / 2), Double(n / 2), Double(n / 2)) * voxelMM)
        try grid.validate(source: "VSV kernel (voxel size and kernel size)")
        let world = try VoxelWorld.homogeneous(grid: grid, material: material)
        var weights = [Double](repeating: 0, count: grid.voxelCount)
        weights[grid.linearIndex(n / 2, n / 2, n / 2)] = 1
        let sim = try PreparedSimulation(world: world, source: .voxelMap(weights: weights),
                                         emitter: .nuclide(EmissionSampler(nuclide: nuclide, includeAnnihilationPhotons: false), filter),
                                         settings: settings, seed: seed)
        let state = try sim.run(control: control, stop: stop, progress: progress)
        let result = sim.result(state)
        let off = n / 2 - size / 2
        var values: [Double] = [], sigmas: [Double] = []
        for k in 0..<size { for j in 0..<size { for i in 0..<size {
            let v = grid.linearIndex(i + off, j + off, k + off)
            values.append(result.doseGy[v])
            sigmas.append(result.doseGy[v] * result.relativeUncertainty[v])
        }}}
        let acc = settings.accelerations.isEmpty ? "none" : settings.accelerations.joined(separator: ",")
        return VoxelSValueKernel(nuclide: nuclide.name, shape: SIMD3(size, size, size), voxelSizeMM: voxelMM,
                                 medium: material.name, densityGPerCm3: material.density, valuesGyPerBqS: values,
                                 uncertaintiesGyPerBqS: sigmas,
                                 provenance: ["code": "RPTDose \(RPTDoseVersion.string) Monte Carlo",
                                              "decays": "\(state.decaysDone)", "seed": "\(seed)", "partial": state.partial ? "yes" : "no",
                                              "filter": filter.rawValue, "accelerations": acc,
                                              "created": ISO8601DateFormatter().string(from: Date())]
                                    .merging(transportProvenance(settings)) { $1 })
    }

    /// The transport settings and engine revision a kernel depends on, as provenance strings: cut-offs, the
    /// electron step, the delta-ray and bremsstrahlung thresholds and `DecayKernel.algorithmRevision` (the
    /// same quantities the Monte Carlo checkpoint fingerprint holds, so that a cached kernel is reused only
    /// when the engine would make it the same way).
    static func transportProvenance(_ settings: TransportSettings) -> [String: String] {
        ["electron_cutoff_mev": "\(settings.electronCutoffMeV)",
         "photon_cutoff_mev": "\(settings.photonCutoffMeV)",
         "max_energy_loss_fraction": "\(settings.maxEnergyLossFraction)",
         "delta_ray_threshold_mev": "\(settings.deltaRayThresholdMeV)",
         "bremsstrahlung_threshold_mev": "\(settings.bremsstrahlungThresholdMeV)",
         "transport_algorithm_revision": "\(DecayKernel.algorithmRevision)"]
    }

    /// The kernel for (nuclide, medium, voxel size) from `cache` when the cached one was made the way this call
    /// would make it (`cacheMismatch` is nil), else a new one generated by `generate` and stored in the cache
    /// (replacing the old file). Returns the kernel, whether it came from the cache, the cache file path, and
    /// why a cached kernel was not used (nil when there was none or it was used).
    public static func cachedOrGenerated(cache: VSVKernelCache, nuclide: Nuclide, material: Material,
                                         voxelMM: SIMD3<Double>, size: Int, decays: UInt64, threads: Int, seed: UInt64,
                                         settings: TransportSettings = TransportSettings())
        throws -> (kernel: VoxelSValueKernel, fromCache: Bool, path: String, replacedBecause: String?) {
        let key = VSVKernelKey(nuclide: nuclide.name, medium: material.name, voxelSizeMM: voxelMM)
        var reason: String? = nil
        if let k = try cache.load(key) {
            reason = cacheMismatch(k, material: material, size: size, decays: decays, settings: settings)
            if reason == nil { return (k, true, cache.path(for: key), nil) }
        }
        let k = try generate(nuclide: nuclide, material: material, voxelMM: voxelMM, size: size, decays: decays,
                             threads: threads, seed: seed, settings: settings)
        return (k, false, try cache.store(k), reason)
    }

    /// Why a cached kernel differs from what `generate` would make now with these arguments, or nil when it can
    /// be used: same shape, medium density, emission filter (all), accelerations, transport settings and engine
    /// revision (`transportProvenance`), and at least as many decays (a kernel with more decays only has smaller
    /// uncertainties; the seed does not matter). A kernel cached before a setting was recorded is regenerated.
    public static func cacheMismatch(_ k: VoxelSValueKernel, material: Material, size: Int, decays: UInt64,
                                     settings: TransportSettings) -> String? {
        if k.shape != SIMD3(size, size, size) {
            return "cached kernel is \(k.shape.x)x\(k.shape.y)x\(k.shape.z), \(size)^3 requested"
        }
        if abs(k.densityGPerCm3 - material.density) > 1e-9 * material.density {
            return "cached kernel density \(k.densityGPerCm3) g/cm3, medium has \(material.density)"
        }
        let p = k.provenance
        let acc = settings.accelerations.isEmpty ? "none" : settings.accelerations.joined(separator: ",")
        let expected: [(String, String)] = [("filter", EmissionFilter.all.rawValue), ("accelerations", acc)]
            + transportProvenance(settings).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (field, value) in expected where p[field] != value {
            return "cached kernel \(field) = \(p[field] ?? "missing"), this run uses \(value)"
        }
        guard let made = p["decays"].flatMap(UInt64.init), made >= decays else {
            return "cached kernel has \(p["decays"] ?? "an unknown number of") decays, \(decays) requested"
        }
        return nil
    }
}
