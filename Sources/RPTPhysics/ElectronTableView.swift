import RPTCore

/// Allocation-free read access to an `ElectronMaterialTable` for the transport loop.
///
/// A pointer into the table's storage plus grid constants: every lookup is one logarithm, an index
/// computation and a linear interpolation in ln T. Valid only while its table exists. Energies are
/// expected inside 1 keV ... 3 MeV; outside, the first/last grid interval is extrapolated linearly
/// (memory-safe but not physics — the engine stops electrons below its cut-off and never exceeds
/// the source energy). Samplers take the history's `RandomStream`.
@frozen
public struct ElectronTableView {
    /// Where each column lives and the grid constants.
    @frozen
    public struct Layout: Sendable {
        @usableFromInline static let collision = 0
        @usableFromInline static let radiative = 1
        @usableFromInline static let restrictedCollision = 2
        @usableFromInline static let restrictedRadiative = 3
        @usableFromInline static let moller = 4
        @usableFromInline static let brems = 5
        @usableFromInline static let lambda1 = 6
        @usableFromInline static let lambda2 = 7
        @usableFromInline static let csdaRange = 8
        @usableFromInline static let radiationYield = 9
        @usableFromInline static let energyFromRange = 10
        @usableFromInline static let bremsRowMax = 11
        @usableFromInline static let delta = 12
        @usableFromInline static let restrictedRange = 13
        @usableFromInline static let energyFromRestrictedRange = 14
        @usableFromInline static let columnCount = 15

        @usableFromInline let count: Int
        @usableFromInline let lnMinEnergy: Double
        @usableFromInline let inverseEnergyStep: Double
        @usableFromInline let minEnergy: Double
        @usableFromInline let csda: RangeGrid
        @usableFromInline let restricted: RangeGrid
        @usableFromInline let kappaCount: Int
        /// Δ (MeV).
        public let mollerThresholdMeV: Double
        /// k_c (MeV).
        public let photonThresholdMeV: Double
    }

    /// Constants of a range table: R(T₀), the ln R grid of T(R) and the power law below T₀.
    @frozen
    public struct RangeGrid: Sendable {
        @usableFromInline let lnMinRange: Double
        @usableFromInline let inverseRangeStep: Double
        /// R(T₀) (g/cm²).
        @usableFromInline let minRange: Double
        /// R ∝ T^exponent below T₀.
        @usableFromInline let exponent: Double
    }

    @usableFromInline let base: UnsafePointer<Double>
    /// Grid constants and cuts.
    public let layout: Layout

    @inlinable
    init(base: UnsafePointer<Double>, layout: Layout) {
        self.base = base
        self.layout = layout
    }

    // MARK: interpolation

    /// (interval index, fraction) of T on the ln T grid, the index clamped to the grid.
    @inlinable @inline(__always)
    func energyIndex(_ t: Double) -> (Int, Double) {
        let u = (_log(t) - layout.lnMinEnergy) * layout.inverseEnergyStep
        let fl = Double(Int(min(max(u, 0), Double(layout.count - 2))))  // truncation = floor here (≥ 0); no libm call
        return (Int(fl), u - fl)
    }

    @inlinable @inline(__always)
    func interpolate(_ column: Int, _ t: Double) -> Double {
        let (i, f) = energyIndex(t)
        return interpolate(column, i, f)
    }

    @inlinable @inline(__always)
    func interpolate(_ column: Int, _ i: Int, _ f: Double) -> Double {
        let p = base + column * layout.count + i
        return p[0] + f * (p[1] - p[0])
    }

    /// Where kinetic energy T lies on the table's grid, for several look-ups at one energy with a single
    /// logarithm (`stepQuantities(at:)`).
    @frozen
    public struct Location: Sendable {
        @usableFromInline let index: Int
        @usableFromInline let fraction: Double
        @usableFromInline let energy: Double
        /// Interval index on the table's energy grid (`layout.count` points uniform in ln T).
        @inlinable public var gridIndex: Int { index }
        @inlinable init(index: Int, fraction: Double, energy: Double) {
            self.index = index; self.fraction = fraction; self.energy = energy
        }
    }

    /// The grid location of kinetic energy T (MeV).
    @inlinable @inline(__always)
    public func location(energyMeV t: Double) -> Location {
        let (i, f) = energyIndex(t)
        return Location(index: i, fraction: f, energy: t)
    }

    @inlinable @inline(__always)
    func interpolate(_ column: Int, _ loc: Location) -> Double {
        let p = base + column * layout.count + loc.index
        return p[0] + loc.fraction * (p[1] - p[0])
    }

    /// What one condensed-history step needs at one energy, from one grid location: restricted stopping
    /// power (MeV cm²/g), CSDA range (g/cm²), Møller and bremsstrahlung cross sections above the cuts
    /// (cm²/g), λ₁ and λ₂ (g/cm²). Same values as the individual look-ups.
    @inlinable @inline(__always)
    public func stepQuantities(at loc: Location) -> (restrictedStoppingPower: Double, csdaRange: Double,
                                                      moller: Double, bremsstrahlung: Double,
                                                      lambda1: Double, lambda2: Double) {
        let range = loc.energy < layout.minEnergy ? csdaRange(energyMeV: loc.energy) : interpolate(Layout.csdaRange, loc)
        return (interpolate(Layout.restrictedCollision, loc) + interpolate(Layout.restrictedRadiative, loc), range,
                max(0, interpolate(Layout.moller, loc)), max(0, interpolate(Layout.brems, loc)),
                interpolate(Layout.lambda1, loc), interpolate(Layout.lambda2, loc))
    }

    // MARK: lookups (per unit mass; multiply by the voxel density for per-length values)

    /// S_col/ρ (MeV cm²/g).
    @inlinable public func collisionStoppingPower(energyMeV t: Double) -> Double { interpolate(Layout.collision, t) }
    /// S_rad/ρ (MeV cm²/g).
    @inlinable public func radiativeStoppingPower(energyMeV t: Double) -> Double { interpolate(Layout.radiative, t) }
    /// Class-II continuous loss: L_Δ/ρ + restricted S_rad/ρ below k_c (MeV cm²/g).
    @inlinable public func restrictedStoppingPower(energyMeV t: Double) -> Double {
        let (i, f) = energyIndex(t)
        return interpolate(Layout.restrictedCollision, i, f) + interpolate(Layout.restrictedRadiative, i, f)
    }
    /// Møller cross section above Δ per gram (cm²/g); 0 for T ≤ 2Δ.
    @inlinable public func mollerCrossSection(energyMeV t: Double) -> Double {
        t <= 2 * layout.mollerThresholdMeV ? 0 : max(0, interpolate(Layout.moller, t))
    }
    /// Bremsstrahlung cross section above k_c per gram (cm²/g); 0 for T ≤ k_c.
    @inlinable public func bremsstrahlungCrossSection(energyMeV t: Double) -> Double {
        t <= layout.photonThresholdMeV ? 0 : max(0, interpolate(Layout.brems, t))
    }
    /// Maximum of σ_Møller + σ_brems (cm²/g) over kinetic energies in [lower, upper] (MeV), exact for
    /// the tabulated (piecewise-linear) cross sections. σ_Møller grows as T falls (∝ 1/β²) until T
    /// nears 2Δ, so a step that loses energy must sample its hard-event distance with this maximum
    /// and accept an event at energy T' with probability σ(T')/maximum (fictitious events).
    @inlinable public func maximumHardCrossSection(lowerEnergyMeV lower: Double, upperEnergyMeV upper: Double) -> Double {
        var best = max(mollerCrossSection(energyMeV: lower) + bremsstrahlungCrossSection(energyMeV: lower),
                       mollerCrossSection(energyMeV: upper) + bremsstrahlungCrossSection(energyMeV: upper))
        let (i0, _) = energyIndex(lower)
        let (i1, f1) = energyIndex(upper)
        let last = f1 > 0 ? i1 : i1 - 1
        if i0 + 1 <= last {
            let gridLnMin = layout.lnMinEnergy, step = 1 / layout.inverseEnergyStep
            for i in (i0 + 1)...last {
                let t = _exp(gridLnMin + Double(i) * step)
                let m = t <= 2 * layout.mollerThresholdMeV ? 0 : base[Layout.moller * layout.count + i]
                let b = t <= layout.photonThresholdMeV ? 0 : base[Layout.brems * layout.count + i]
                best = max(best, m + b)
            }
        }
        return best
    }

    /// λ₁ (g/cm²).
    @inlinable public func firstTransportMeanFreePath(energyMeV t: Double) -> Double { interpolate(Layout.lambda1, t) }
    /// λ₂ (g/cm²).
    @inlinable public func secondTransportMeanFreePath(energyMeV t: Double) -> Double { interpolate(Layout.lambda2, t) }
    /// λ₁ (g/cm²) at a location already found.
    @inlinable public func firstTransportMeanFreePath(at loc: Location) -> Double { interpolate(Layout.lambda1, loc) }
    /// λ₂ (g/cm²) at a location already found.
    @inlinable public func secondTransportMeanFreePath(at loc: Location) -> Double { interpolate(Layout.lambda2, loc) }

    /// CSDA range (g/cm²); below 1 keV R = R(1 keV) (T / 1 keV)^(1 − d ln S/d ln T).
    @inlinable public func csdaRange(energyMeV t: Double) -> Double {
        range(t, Layout.csdaRange, layout.csda)
    }

    /// Restricted range ∫ dT/(L_Δ + restricted S_rad) (g/cm²). For a step of ρs (g/cm²) without
    /// hard events the class-II energy after the step is `energyFromRestrictedRange(restrictedRange(T) − ρs)`.
    @inlinable public func restrictedRange(energyMeV t: Double) -> Double {
        range(t, Layout.restrictedRange, layout.restricted)
    }

    /// Radiation yield Y(T); below 1 keV Y ∝ T.
    @inlinable public func radiationYield(energyMeV t: Double) -> Double {
        if t < layout.minEnergy { return base[Layout.radiationYield * layout.count] * t / layout.minEnergy }
        return interpolate(Layout.radiationYield, t)
    }

    /// Kinetic energy (MeV) whose CSDA range is `gramPerCm2` (inverse of `csdaRange`).
    @inlinable public func energyFromResidualRange(gramPerCm2 r: Double) -> Double {
        energy(r, Layout.energyFromRange, layout.csda)
    }

    /// `restrictedRange(energyMeV:)` at a location already found (no second logarithm; same value).
    @inlinable public func restrictedRange(at loc: Location) -> Double {
        loc.energy < layout.minEnergy ? restrictedRange(energyMeV: loc.energy) : interpolate(Layout.restrictedRange, loc)
    }

    /// Kinetic energy (MeV) whose restricted range is `gramPerCm2` (inverse of `restrictedRange`).
    @inlinable public func energyFromRestrictedRange(gramPerCm2 r: Double) -> Double {
        energy(r, Layout.energyFromRestrictedRange, layout.restricted)
    }

    @inlinable @inline(__always)
    func range(_ t: Double, _ column: Int, _ g: RangeGrid) -> Double {
        if t < layout.minEnergy { return g.minRange * _pow(t / layout.minEnergy, g.exponent) }
        return interpolate(column, t)
    }

    @inlinable @inline(__always)
    func energy(_ r: Double, _ column: Int, _ g: RangeGrid) -> Double {
        if r < g.minRange { return layout.minEnergy * _pow(r / g.minRange, 1 / g.exponent) }
        let u = (_log(r) - g.lnMinRange) * g.inverseRangeStep
        let fl = Double(Int(min(max(u, 0), Double(layout.count - 2))))  // truncation = floor here (≥ 0); no libm call
        let f = u - fl
        let p = base + column * layout.count + Int(fl)
        return p[0] + f * (p[1] - p[0])
    }

    // MARK: samplers

    /// Delta-ray kinetic energy W ∈ [Δ, T/2] (MeV) of a Møller event; requires T > 2Δ.
    @inlinable
    public func sampleDeltaRayEnergy(kineticEnergyMeV t: Double, rng: inout RandomStream) -> Double {
        MollerScattering.sampleDeltaRayEnergy(kineticEnergyMeV: t, cutMeV: layout.mollerThresholdMeV, rng: &rng)
    }

    /// Bremsstrahlung photon energy k ∈ [k_c, T] (MeV); requires T > k_c.
    ///
    /// The material's scaled spectrum X(T, κ) of the grid energy just below or just above T is chosen
    /// with probability given by T's position in the interval (interpolation by random selection);
    /// κ is proposed from 1/κ on [k_c/T, 1] and accepted with X(κ)/max X (X linear between the
    /// 30 tabulated κ).
    @inlinable
    public func sampleBremsstrahlungPhotonEnergy(kineticEnergyMeV t: Double, rng: inout RandomStream) -> Double {
        let (i0, f) = energyIndex(t)
        let row = rng.uniform() < f ? i0 + 1 : i0
        let nk = layout.kappaCount
        let kappa = base + Layout.columnCount * layout.count
        let x = kappa + nk + row * nk
        let xMax = base[Layout.bremsRowMax * layout.count + row]
        let lnKappaCut = _log(min(1, layout.photonThresholdMeV / t))
        while true {
            let k = _exp(lnKappaCut * (1 - rng.uniform()))  // log-uniform on [κ_c, 1]
            var lo = 0, hi = nk - 1
            while hi - lo > 1 {
                let mid = (lo + hi) >> 1
                if kappa[mid] <= k { lo = mid } else { hi = mid }
            }
            let value = x[lo] + (x[hi] - x[lo]) * (k - kappa[lo]) / (kappa[hi] - kappa[lo])
            if rng.uniform() * xMax <= value { return k * t }
        }
    }

    /// cos θ of the net deflection over a step of `stepGramPerCm2` (ρ·s) at kinetic energy T,
    /// with λ₁ and λ₂ taken at T (`MultipleScatteringSampler`).
    @inlinable
    public func sampleMultipleScatteringCosTheta(kineticEnergyMeV t: Double, stepGramPerCm2 s: Double,
                                                 rng: inout RandomStream) -> Double {
        let (i, f) = energyIndex(t)
        return MultipleScatteringSampler.sampleCosTheta(stepGramPerCm2: s, lambda1: interpolate(Layout.lambda1, i, f),
                                                        lambda2: interpolate(Layout.lambda2, i, f), rng: &rng)
    }
}

/// The view points at immutable data, so it may be shared between threads while its table lives.
extension ElectronTableView: @unchecked Sendable {}
