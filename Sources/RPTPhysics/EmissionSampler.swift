import RPTCore

/// Samples the emissions of one decay of a nuclide, for the transport engine.
///
/// Built once per nuclide and transport cut-off; sampling allocates nothing and costs O(1) per
/// emitted particle plus O(1) per decay, whatever the number of tabulated lines:
/// * Discrete lines with E ≥ cut-off: the number N of line emissions in a decay is Poisson with mean
///   Λ = Σ yᵢ (inversion by sequential search, ~Λ+1 steps), and each of the N is line i with
///   probability yᵢ/Λ (alias table). This is the superposition of independent Poisson(yᵢ) counts per
///   line, so the mean number of line i per decay is exactly yᵢ, also when yᵢ > 1.
/// * Betas: floor(y) + Bernoulli(frac(y)) betas per decay for the branch-yield sum y (exactly one for
///   Lu-177), each with an energy from `BetaEnergySampler`; a beta drawn below the cut-off is local.
/// * Lines with E < cut-off and all alpha/recoil energy are not sampled: their mean energy per decay
///   is added to `localEnergyMeV` of every decay (`constantLocalEnergyMeV`).
/// The mean of (transported energy + local energy) per decay is exactly `Nuclide.totalEnergyPerDecayMeV`.
/// See docs/methods/nuclide-data.md.
public struct EmissionSampler: Sendable {
    /// Name of the nuclide this sampler was built from.
    public let nuclideName: String
    /// Transport cut-off (MeV) this sampler was built with.
    public let transportCutoffMeV: Double
    /// Energy (MeV) added to every decay's local deposit: sub-cut-off lines and alphas, as their mean.
    public let constantLocalEnergyMeV: Double
    /// Mean number of emissions per decay written to the buffer (lines ≥ cut-off + betas incl. those
    /// that will fall below the cut-off, which are not written).
    public let meanSampledLinesPerDecay: Double
    /// A buffer capacity that overflows with probability < 1e-12 per decay.
    public let recommendedCapacity: Int
    @usableFromInline let lineEmissions: [Emission]
    @usableFromInline let lineTable: AliasTable?
    /// P(N ≤ n) of the line count N ~ Poisson(Λ), n = 0, 1, … until the terms underflow (the recurrence
    /// p ← p·Λ/n, summed in order, evaluated once here instead of per decay).
    @usableFromInline let lineCountCDF: [Double]
    @usableFromInline let beta: BetaEnergySampler?
    @usableFromInline let betaParticle: ParticleKind
    @usableFromInline let betaWholeCount: Int
    @usableFromInline let betaFractionalCount: Double

    /// - Parameters:
    ///   - nuclide: the decay data.
    ///   - transportCutoffMeV: emissions below this energy are deposited locally (default 1 keV).
    ///   - includeAnnihilationPhotons: emit the ICRP-107 annihilation lines (0.511 MeV). Set to false
    ///     when the transport engine itself annihilates positrons at rest, else they count twice.
    public init(nuclide: Nuclide, transportCutoffMeV: Double = Nuclide.defaultTransportCutoffMeV,
                includeAnnihilationPhotons: Bool = true) {
        precondition(transportCutoffMeV >= 0 && transportCutoffMeV.isFinite, "cut-off must be ≥ 0")
        precondition(nuclide.betaSpectra.count <= 1, "at most one beta continuum is supported")
        self.transportCutoffMeV = transportCutoffMeV
        nuclideName = nuclide.name
        var emissions: [Emission] = [], yields: [Double] = [], local = 0.0
        for line in nuclide.lines {
            if line.kind == .annihilation && !includeAnnihilationPhotons { continue }
            if let particle = line.kind.transportedParticle, line.energyMeV >= transportCutoffMeV {
                emissions.append(Emission(kind: particle, energyMeV: line.energyMeV))
                yields.append(line.yieldPerDecay)
            } else {
                local += line.energyPerDecayMeV
            }
        }
        constantLocalEnergyMeV = local
        lineEmissions = emissions
        lineTable = yields.isEmpty ? nil : AliasTable(weights: yields)
        let lambda = yields.reduce(0, +)
        precondition(lambda < 500, "line yield sum \(lambda) too large for Poisson inversion")
        var cdfTable: [Double] = []
        if !yields.isEmpty {
            var p = _exp(-lambda), cdf = p, n = 0
            cdfTable.append(cdf)
            while p > 0 && cdf < 1 {
                n += 1
                p *= lambda / Double(n)
                cdf += p
                cdfTable.append(cdf)
            }
        }
        lineCountCDF = cdfTable

        if let spectrum = nuclide.betaSpectra.first {
            beta = BetaEnergySampler(spectrum: spectrum)
            betaParticle = spectrum.particle
            let y = spectrum.yieldPerDecay
            betaWholeCount = Int(y.rounded(.down))
            betaFractionalCount = y - y.rounded(.down)
        } else {
            beta = nil
            betaParticle = .electron
            betaWholeCount = 0
            betaFractionalCount = 0
        }
        meanSampledLinesPerDecay = lambda + Double(betaWholeCount) + betaFractionalCount

        // Smallest k with P(Poisson(Λ) > k) < 1e-12, plus the maximum number of betas.
        var k = 0, p = _exp(-lambda), cdf = p
        while 1 - cdf > 1e-12 && p > 0 {
            k += 1
            p *= lambda / Double(k)
            cdf += p
        }
        recommendedCapacity = k + betaWholeCount + (betaFractionalCount > 0 ? 1 : 0)
    }

    /// Samples one decay. Writes the transported emissions to `buffer[0..<count]` and returns their
    /// number and the energy (MeV) to deposit at the decay site. Emissions beyond `capacity` are
    /// deposited locally (added to `localEnergyMeV`) and counted in `overflowCount`. Allocates nothing.
    @inlinable
    public func sampleDecay(_ rng: inout RandomStream, into buffer: UnsafeMutablePointer<Emission>,
                            capacity: Int) -> (count: Int, localEnergyMeV: Double, overflowCount: Int) {
        var count = 0, overflows = 0
        var local = constantLocalEnergyMeV

        if let beta {
            var betas = betaWholeCount
            if betaFractionalCount > 0 && rng.uniform() < betaFractionalCount { betas += 1 }
            for _ in 0..<betas {
                let energy = beta.sample(&rng)
                if energy < transportCutoffMeV {
                    local += energy
                } else if count < capacity {
                    buffer[count] = Emission(kind: betaParticle, energyMeV: energy)
                    count += 1
                } else {
                    local += energy
                    overflows += 1
                }
            }
        }

        if let lineTable {
            // N ~ Poisson(Λ) by sequential search of the tabulated CDF.
            let u = rng.uniform32()  // P(N = n) below 2⁻³² never matters
            let n = lineCountCDF.withUnsafeBufferPointer { c in
                var n = 0
                while n < c.count - 1 && u > c[n] { n += 1 }
                return n
            }
            lineEmissions.withUnsafeBufferPointer { lines in
                for _ in 0..<n {
                    let emission = lines[lineTable.sample(&rng)]
                    if count < capacity {
                        buffer[count] = emission
                        count += 1
                    } else {
                        local += emission.energyMeV
                        overflows += 1
                    }
                }
            }
        }
        return (count, local, overflows)
    }
}
