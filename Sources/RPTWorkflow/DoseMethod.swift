import Foundation

/// How a dose is computed from the TIA map (docs/methods/kernel-methods.md, "Dose methods on the command line").
public enum DoseMethod: String, CaseIterable, Sendable {
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

/// A dose method and the settings of the kernel methods (what `--method` and its options hold).
public struct DoseMethodConfiguration: Sendable {
    public var method: DoseMethod
    /// Folder of cached VSV kernels.
    public var cacheDirectory: String
    /// VSV kernel size in voxels along each axis (odd) when a kernel has to be generated.
    public var kernelSize: Int
    /// Monte Carlo decays used to generate a missing VSV kernel.
    public var kernelDecays: UInt64
    /// ldm: also deposit the photon energy per decay locally.
    public var ldmIncludePhotons: Bool

    public init(method: DoseMethod = .mc, cacheDirectory: String? = nil, kernelSize: Int = 11,
                kernelDecays: UInt64 = 2_000_000, ldmIncludePhotons: Bool = false) {
        self.method = method
        self.cacheDirectory = cacheDirectory ?? Self.defaultCacheDirectory(environment: ProcessInfo.processInfo.environment)
        self.kernelSize = kernelSize; self.kernelDecays = kernelDecays; self.ldmIncludePhotons = ldmIncludePhotons
    }

    /// `$XDG_CACHE_HOME/rptdose/kernels`, else `~/.cache/rptdose/kernels`.
    public static func defaultCacheDirectory(environment: [String: String]) -> String {
        if let x = environment["XDG_CACHE_HOME"], !x.isEmpty { return x + "/rptdose/kernels" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/rptdose/kernels"
    }
}
