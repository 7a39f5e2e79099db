import Foundation
import RPTCore
import RPTKernels
import RPTPhysics

/// Helpers shared by the cases that compare RPTDose voxel S-value kernels with published tables.
enum VSVComparison {
    /// The six face neighbours of the source voxel.
    static let faces = [SIMD3(1, 0, 0), SIMD3(-1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, -1, 0), SIMD3(0, 0, 1), SIMD3(0, 0, -1)]

    /// S (Gy/(Bq·s)) and its 1σ at `offset` of kernel `k`.
    static func value(_ k: VoxelSValueKernel, _ offset: SIMD3<Int>) -> (value: Double, sigma: Double) {
        let p = k.centre &+ offset
        return (k.value(atOffset: offset), k.uncertaintiesGyPerBqS[k.linearIndex(p.x, p.y, p.z)])
    }

    /// Mean S (Gy/(Bq·s)) of the six face neighbours and its 1σ, the six voxel estimates taken as independent.
    static func faceMean(_ k: VoxelSValueKernel) -> (value: Double, sigma: Double) {
        let v = faces.map { value(k, $0) }
        return (v.reduce(0) { $0 + $1.value } / 6, v.reduce(0) { $0 + $1.sigma * $1.sigma }.squareRoot() / 6)
    }

    /// Energy (MeV/decay) and its 1σ in the 3×3×3 voxels around the source of a kernel of voxel `mm` at density `rho`.
    static func blockEnergyMeV(_ k: VoxelSValueKernel, rho: Double, mm: Double) -> (value: Double, sigma: Double) {
        let massKg = rho * pow(mm / 10, 3) * 1e-3
        var sum = 0.0, variance = 0.0
        for dz in -1...1 { for dy in -1...1 { for dx in -1...1 {
            let s = value(k, SIMD3(dx, dy, dz))
            sum += s.value
            variance += s.sigma * s.sigma
        }}}
        return (sum * massKg / PhysicalConstants.joulePerMeV, variance.squareRoot() * massKg / PhysicalConstants.joulePerMeV)
    }

    /// `nuclide` with its β spectra and photon lines only: the conversion and Auger electrons removed.
    static func betaAndPhotonsOnly(_ nuclide: Nuclide) -> Nuclide {
        Nuclide(name: nuclide.name + " (beta and photons only)", halfLifeSeconds: nuclide.halfLifeSeconds,
                lines: nuclide.lines.filter { $0.kind.isPhoton }, betaSpectra: nuclide.betaSpectra)
    }

    /// `material`'s composition and I-value at mass density `density` (g/cm³).
    static func material(_ material: Material, density: Double) -> Material {
        Material(name: material.name + String(format: "_rho%.2f", density), density: density,
                 composition: material.composition, meanExcitationEnergyEV: material.meanExcitationEnergyEV,
                 source: material.source + String(format: ", density set to %.2f g/cm³", density))
    }
}
