/// One ICRP-107 beta branch: mean kinetic energy of its betas and its yield per decay.
public struct BetaBranch: Sendable, Hashable {
    /// Mean kinetic energy of the betas of this branch (MeV), as tabulated by ICRP 107.
    public let meanEnergyMeV: Double
    /// Betas per decay from this branch.
    public let yieldPerDecay: Double

    public init(meanEnergyMeV: Double, yieldPerDecay: Double) {
        self.meanEnergyMeV = meanEnergyMeV
        self.yieldPerDecay = yieldPerDecay
    }
}

/// A beta continuum (β⁻ or β⁺) of a nuclide.
///
/// ICRP 107 tabulates the spectrum as a density n(E) (betas per MeV per decay) on a coarse non-uniform
/// grid (~100 points), and separately the branches (mean energy, yield). Linear interpolation of that
/// coarse table overestimates the mean beta energy (Lu-177: +0.39 %, Ho-166: +0.41 %) because the
/// spectrum is convex near the end-point. RPTDose therefore first refines the table with the
/// shape-preserving monotone cubic (`MonotoneCubicInterpolation`, PCHIP) into `subdivisions` equal parts
/// per interval, and treats the *refined* table as piecewise-linear — for all moments here and for
/// sampling (`BetaEnergySampler`). The refined spectrum reproduces the ICRP-107 branch mean within
/// 0.11 % for all shipped nuclides (docs/methods/nuclide-data.md).
///
/// The spectrum is used for its shape only: the number of betas per decay is the branch yield sum
/// (`yieldPerDecay`) and per-decay quantities are `yieldPerDecay` × (normalised spectrum's value).
public struct BetaSpectrum: Sendable, Hashable {
    /// Default number of parts each ICRP-107 grid interval is split into.
    public static let defaultSubdivisions = 8

    /// `.electron` for β⁻, `.positron` for β⁺.
    public let particle: ParticleKind
    /// ICRP-107 energy grid (MeV), strictly increasing.
    public let energiesMeV: [Double]
    /// ICRP-107 density at each grid point (betas per MeV per decay), ≥ 0.
    public let densityPerMeV: [Double]
    /// The ICRP-107 branches of this continuum.
    public let branches: [BetaBranch]
    /// Refined grid (MeV) on which the density is treated as piecewise-linear.
    public let samplingEnergiesMeV: [Double]
    /// Density on the refined grid (betas per MeV per decay, not renormalised).
    public let samplingDensityPerMeV: [Double]

    /// - Parameter subdivisions: parts per ICRP grid interval for the cubic refinement; 1 keeps the
    ///   raw table as the piecewise-linear density.
    /// - Precondition: grid and density of equal length ≥ 2, grid strictly increasing, density ≥ 0
    ///   with a positive integral, at least one branch.
    public init(particle: ParticleKind, energiesMeV: [Double], densityPerMeV: [Double], branches: [BetaBranch],
                subdivisions: Int = BetaSpectrum.defaultSubdivisions) {
        precondition(particle != .photon, "a beta spectrum is of electrons or positrons")
        precondition(energiesMeV.count >= 2 && energiesMeV.count == densityPerMeV.count,
                     "beta spectrum needs ≥ 2 grid points and one density per point")
        for i in 1..<energiesMeV.count {
            precondition(energiesMeV[i] > energiesMeV[i - 1], "beta spectrum grid must increase strictly")
        }
        precondition(energiesMeV[0] >= 0 && densityPerMeV.allSatisfy { $0 >= 0 && $0.isFinite },
                     "beta spectrum energies and densities must be ≥ 0")
        precondition(!branches.isEmpty, "beta spectrum needs at least one branch")
        precondition(subdivisions >= 1, "subdivisions must be ≥ 1")
        self.particle = particle
        self.energiesMeV = energiesMeV
        self.densityPerMeV = densityPerMeV
        self.branches = branches
        (samplingEnergiesMeV, samplingDensityPerMeV) =
            MonotoneCubicInterpolation.refine(x: energiesMeV, y: densityPerMeV, subdivisions: subdivisions)
        precondition(samplingIntegral > 0, "beta spectrum has zero integral")
    }

    /// Betas per decay: the sum of the branch yields.
    public var yieldPerDecay: Double { branches.reduce(0) { $0 + $1.yieldPerDecay } }

    /// Mean energy per decay of the ICRP-107 branches, Σ ⟨E⟩ᵢ yᵢ (MeV), independent of the spectrum table.
    public var branchEnergyPerDecayMeV: Double {
        branches.reduce(0) { $0 + $1.meanEnergyMeV * $1.yieldPerDecay }
    }

    /// ∫ n(E) dE of the refined piecewise-linear density (betas per decay; ≈ `yieldPerDecay`).
    public var samplingIntegral: Double {
        Self.integrals(samplingEnergiesMeV, samplingDensityPerMeV, upTo: .infinity).count
    }

    /// Mean kinetic energy of one beta (MeV): ∫E n dE / ∫n dE of the refined piecewise-linear density.
    /// This is the mean of the energies `BetaEnergySampler` draws.
    public var meanEnergyMeV: Double {
        let all = Self.integrals(samplingEnergiesMeV, samplingDensityPerMeV, upTo: .infinity)
        return all.energy / all.count
    }

    /// Mean energy of one beta (MeV) if the raw ICRP table were interpolated linearly (for comparison).
    public var rawLinearMeanEnergyMeV: Double {
        let all = Self.integrals(energiesMeV, densityPerMeV, upTo: .infinity)
        return all.energy / all.count
    }

    /// Mean beta energy per decay (MeV): `yieldPerDecay` × `meanEnergyMeV`.
    public var energyPerDecayMeV: Double { yieldPerDecay * meanEnergyMeV }

    /// Fraction of betas emitted with energy below `cutoffMeV`.
    public func fraction(belowMeV cutoffMeV: Double) -> Double {
        Self.integrals(samplingEnergiesMeV, samplingDensityPerMeV, upTo: cutoffMeV).count / samplingIntegral
    }

    /// Mean energy per decay (MeV) carried by betas emitted below `cutoffMeV`.
    public func energyPerDecayMeV(belowMeV cutoffMeV: Double) -> Double {
        yieldPerDecay * Self.integrals(samplingEnergiesMeV, samplingDensityPerMeV, upTo: cutoffMeV).energy
            / samplingIntegral
    }

    /// ∫₀^c n dE and ∫₀^c E n dE of the piecewise-linear density through (e, n) (exact: over [a, b]
    /// with end values fa, fb they are (b−a)(fa+fb)/2 and (b−a)[a(2fa+fb) + b(fa+2fb)]/6).
    static func integrals(_ e: [Double], _ n: [Double], upTo c: Double) -> (count: Double, energy: Double) {
        var count = 0.0, energy = 0.0
        for i in 1..<e.count {
            let a = e[i - 1], fa = n[i - 1]
            if a >= c { break }
            var b = e[i], fb = n[i]
            if b > c {
                fb = fa + (fb - fa) * (c - a) / (b - a)
                b = c
            }
            let h = b - a
            count += h * (fa + fb) / 2
            energy += h * (a * (2 * fa + fb) + b * (fa + 2 * fb)) / 6
        }
        return (count, energy)
    }
}
