import RPTCore

/// Samples beta kinetic energies from a tabulated spectrum in O(1) per beta.
///
/// The density is taken as piecewise-linear between the points of the spectrum's refined grid
/// (`BetaSpectrum.samplingEnergiesMeV`). A bin (trapezoid) is chosen with
/// an alias table weighted by its area (Walker 1977; `AliasTable`), then the energy inside it is drawn
/// exactly by inverting the linear density's CDF: with end densities f₀, f₁ and u uniform in (0,1),
/// the fraction t ∈ [0,1] of the bin width solves f₀t + (f₁−f₀)t²/2 = u(f₀+f₁)/2, i.e.
/// t = u(f₀+f₁) / (f₀ + √(f₀² + u(f₁²−f₀²))) — the cancellation-free form of the quadratic root,
/// valid also for f₁ = f₀ (t = u) and f₀ = 0 (t = √u). Cost: two uniforms and one square root per beta.
public struct BetaEnergySampler: Sendable {
    /// Precomputed data of one trapezoid bin.
    @frozen @usableFromInline
    struct Bin: Sendable {
        @usableFromInline let lowerEnergyMeV: Double
        @usableFromInline let widthMeV: Double
        @usableFromInline let lowerDensity: Double
        /// f₁² − f₀².
        @usableFromInline let squareDifference: Double
        /// f₀ + f₁.
        @usableFromInline let densitySum: Double
    }

    @usableFromInline let bins: [Bin]
    @usableFromInline let binTable: AliasTable
    /// Mean energy (MeV) of the distribution sampled: that of the normalised piecewise-linear spectrum.
    public let meanEnergyMeV: Double

    public init(spectrum: BetaSpectrum) {
        let e = spectrum.samplingEnergiesMeV, n = spectrum.samplingDensityPerMeV
        var bins: [Bin] = [], areas: [Double] = []
        for i in 1..<e.count {
            let h = e[i] - e[i - 1], f0 = n[i - 1], f1 = n[i]
            bins.append(Bin(lowerEnergyMeV: e[i - 1], widthMeV: h, lowerDensity: f0,
                            squareDifference: f1 * f1 - f0 * f0, densitySum: f0 + f1))
            areas.append(h * (f0 + f1) / 2)
        }
        self.bins = bins
        self.binTable = AliasTable(weights: areas)
        self.meanEnergyMeV = spectrum.meanEnergyMeV
    }

    /// One beta kinetic energy (MeV).
    @inlinable
    public func sample(_ rng: inout RandomStream) -> Double {
        let i = binTable.sample(&rng)
        let u = rng.uniform32()  // position inside one bin: 2⁻³² of a bin width is ample
        return bins.withUnsafeBufferPointer { b in
            let bin = b[i]
            let root = (bin.lowerDensity * bin.lowerDensity + u * bin.squareDifference).squareRoot()
            let t = u * bin.densitySum / (bin.lowerDensity + root)
            return bin.lowerEnergyMeV + min(t, 1) * bin.widthMeV
        }
    }
}
