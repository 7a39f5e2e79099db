import Foundation
import RPTCore
import RPTKernels
import RPTPhysics
import RPTTransport
import RPTVolume
import RPTWorkflow

/// Monte Carlo building blocks shared by the cases.
public enum MonteCarloRuns {
    /// Runs a prepared simulation to `decays` and returns its result.
    static func run(_ sim: PreparedSimulation, decays: UInt64, context: ValidationContext) throws -> (SimulationState, DoseResult) {
        let state = try sim.run(control: RunControl(decays: decays, threads: context.threads))
        return (state, sim.result(state))
    }

    /// Lu-177 (or any nuclide) emission sampler without annihilation photons (as `rptdose sphere`/`kernel vsv`).
    static func sampler(_ nuclide: Nuclide) -> EmissionSampler {
        EmissionSampler(nuclide: nuclide, includeAnnihilationPhotons: false)
    }

    /// A voxel S-value kernel made by the Monte Carlo: source uniform in the centre voxel of a homogeneous
    /// medium of `material`, voxels of `voxelMM` (may be non-cubic), `size`³ kernel voxels; the medium extends
    /// half a kernel beyond the kernel on each side (as `rptdose kernel vsv`).
    public static func vsvKernel(nuclide: Nuclide, material: Material, voxelMM: SIMD3<Double>, size: Int, decays: UInt64,
                          context: ValidationContext, filter: EmissionFilter = .all) throws -> VoxelSValueKernel {
        try VSVKernelGenerator.generate(nuclide: nuclide, material: material, voxelMM: voxelMM, size: size, decays: decays,
                                        threads: context.threads, seed: context.seed, filter: filter)
    }
}

/// Escape probability of photons born uniformly and isotropically in a sphere of optical radius τ = μR without
/// interacting (Case, de Hoffmann & Placzek 1953; e.g. ICRU Report 32):
/// P = 3/(8τ³) · [2τ² − 1 + (1 + 2τ) e^{−2τ}].
func sphereEscapeProbability(opticalRadius t: Double) -> Double {
    if t < 1e-4 { return 1 - 0.75 * t }
    return 3 / (8 * t * t * t) * (2 * t * t - 1 + (1 + 2 * t) * exp(-2 * t))
}
