import ArgumentParser
import Foundation
import RPTCore
import RPTWorkflow

/// `--method` and the options of the kernel methods, shared by `simulate` and `dosimetry`.
struct DoseMethodOptions: ParsableArguments {
    @Option(help: "Dose method: mc, vsv, vsv-density, ldm or organ-s (docs/methods/kernel-methods.md).")
    var method: String = DoseMethod.mc.rawValue
    @Option(help: "Folder of cached VSV kernels (default $XDG_CACHE_HOME/rptdose/kernels or ~/.cache/rptdose/kernels).", completion: .directory)
    var kernelCache: String?
    @Option(help: "VSV kernel size in voxels along each axis (odd) when a kernel has to be generated.")
    var kernelSize: Int = 11
    @Option(help: "Monte Carlo decays used to generate a missing VSV kernel.")
    var kernelDecays: UInt64 = 2_000_000
    @Flag(help: "ldm: also deposit the photon energy per decay locally (default: electrons only).")
    var ldmIncludePhotons = false

    /// The parsed options.
    func configuration() throws -> DoseMethodConfiguration {
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
        return DoseMethodConfiguration(method: m, cacheDirectory: cacheDirectory, kernelSize: kernelSize,
                                       kernelDecays: kernelDecays, ldmIncludePhotons: ldmIncludePhotons)
    }

    /// The kernel cache folder: `--kernel-cache`, else `$XDG_CACHE_HOME/rptdose/kernels`, else `~/.cache/rptdose/kernels`.
    var cacheDirectory: String {
        kernelCache ?? DoseMethodConfiguration.defaultCacheDirectory(environment: ProcessInfo.processInfo.environment)
    }
}
