import RPTCore

/// Angular deflection over a condensed-history step, reproducing the first two Legendre moments of
/// the Goudsmit–Saunderson distribution exactly.
///
/// After a path length s the exact multiple-scattering distribution has
///     ⟨P₁(cos θ)⟩ = G₁ = exp(−s/λ₁),   ⟨P₂(cos θ)⟩ = G₂ = exp(−s/λ₂)
/// (Goudsmit & Saunderson, Phys. Rev. 57, 24 (1940); Lewis, Phys. Rev. 78, 526 (1950)). In
/// μ = (1 − cos θ)/2 these are ⟨μ⟩ = (1 − G₁)/2 and ⟨μ²⟩ = (2 − 3G₁ + G₂)/6. We sample the simplest
/// distribution with those moments, the two-step histogram of PENELOPE's "artificial distribution"
/// (Fernández-Varea, Mayol, Baró & Salvat, Nucl. Instrum. Methods B 73, 447 (1993); PENELOPE-2018
/// manual, NEA/MBDAV/R(2019)1, §4.3):
///     p(μ) = a U(0, b) + (1 − a) U(b, 1),   b = (2⟨μ⟩ − 3⟨μ²⟩)/(1 − 2⟨μ⟩) = (1 − G₂/G₁)/2,
///     a = 1 + b − 2⟨μ⟩ = G₁ + b,
/// valid (0 ≤ b ≤ ½, 0 ≤ a ≤ 1) whenever λ₂ ≤ λ₁ ≤ 3λ₂, which holds for any physical cross section.
/// The single-step shape is crude, but spatial and angular moments of the track after several steps
/// depend only on λ₁ and λ₂ (Lewis 1950), which is why Fernández-Varea et al. showed such
/// distributions give correct results once a track has more than a few steps. The engine should
/// keep s ≲ λ₁ so that energy loss along the step stays small (the λ's are taken at one energy).
public enum MultipleScatteringSampler {
    /// Samples cos θ after a step with G₁ = exp(−s/λ₁), G₂ = exp(−s/λ₂).
    @inlinable
    public static func sampleCosTheta(g1: Double, g2: Double, rng: inout RandomStream) -> Double {
        // 32-bit uniforms (`RandomStream.uniform32`): a resolution of 2⁻³² in μ is far below the model's accuracy.
        if g1 < 1e-12 { return 2 * rng.uniform32() - 1 }  // fully diffused: isotropic
        let b = 0.5 * (1 - g2 / g1)
        let a = min(1, g1 + b)
        let mu = rng.uniform32() < a ? b * rng.uniform32() : b + (1 - b) * rng.uniform32()
        return 1 - 2 * mu
    }

    /// Samples cos θ for a step of `stepGramPerCm2` given λ₁, λ₂ (g/cm²).
    @inlinable
    public static func sampleCosTheta(stepGramPerCm2 s: Double, lambda1: Double, lambda2: Double,
                                      rng: inout RandomStream) -> Double {
        sampleCosTheta(g1: _exp(-s / lambda1), g2: _exp(-s / lambda2), rng: &rng)
    }
}
