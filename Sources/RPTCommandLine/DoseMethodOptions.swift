import ArgumentParser
import Foundation
import RPTCore

/// How a dose is computed from the TIA map (docs/methods/kernel-methods.md, "Dose methods on the command line").
enum DoseMethod: String, CaseIterable, Sendable {
    /// Full Monte Carlo transport (the reference).
    case mc
    /// Convolution with a Lu-177 voxel S-value kernel in soft tissue made by the Monte Carlo.
    case vsv
    /// VSV with the voxel-wise density correction ρ_kernel/ρ_voxel (flags lung/air and bone).
    case vsvDensity = "vsv-density"
    /// Local energy deposition of the electron (optionally also photon) energy per decay.
    case ldm
    /// MIRD organ S-values computed by the Monte Carlo for the patient's own regions.
    case organS = "organ-s"
}

/// `--method` and the options of the kernel methods, shared by `simulate` and `dosimetry`.
struct DoseMethodOptions: ParsableArguments {
    @Option(help: "Dose method: mc, vsv, vsv-density, ldm or organ-s (docs/methods/kernel-methods.md).")
    var method: String = DoseMethod.mc.rawValue
    @Option(help: "Folder of cached VSV kernels (default $XDG_CACHE_HOME/rptdose/kernels or ~/.cache/rptdose/kernels).")
    var kernelCache: String?
    @Option(help: "VSV kernel size in voxels along each axis (odd) when a kernel has to be generated.")
    var kernelSize: Int = 11
    @Option(help: "Monte Carlo decays used to generate a missing VSV kernel.")
    var kernelDecays: UInt64 = 2_000_000
    @Flag(help: "ldm: also deposit the photon energy per decay locally (default: electrons only).")
    var ldmIncludePhotons = false

    /// The parsed `--method`.
    func resolvedMethod() throws -> DoseMethod {
        guard let m = DoseMethod(rawValue: method) else {
            throw InputError(source: "--method", value: method,
                             reason: "valid: " + DoseMethod.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard kernelSize >= 1, kernelSize % 2 == 1 else {
            throw InputError(source: "--kernel-size", value: "\(kernelSize)", reason: "must be an odd number ≥ 1")
        }
        guard kernelDecays >= 1 else {
            throw InputError(source: "--kernel-decays", value: "\(kernelDecays)", reason: "must be ≥ 1")
        }
        return m
    }

    /// The kernel cache folder: `--kernel-cache`, else `$XDG_CACHE_HOME/rptdose/kernels`, else `~/.cache/rptdose/kernels`.
    var cacheDirectory: String {
        if let kernelCache { return kernelCache }
        return Self.defaultCacheDirectory(environment: ProcessInfo.processInfo.environment)
    }

    static func defaultCacheDirectory(environment: [String: String]) -> String {
        if let x = environment["XDG_CACHE_HOME"], !x.isEmpty { return x + "/rptdose/kernels" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/rptdose/kernels"
    }
}
