import RPTCore
import RPTPhysics

/// Electron interaction data of the world's materials, as the transport loop uses them: the
/// physics module's per-material tables (read through their unsafe-pointer views) plus the
/// fictitious-interaction bound of the hard cross section.
public struct ElectronTransportData: @unchecked Sendable {
    /// Owners of the table storage (kept alive for the views).
    public let tables: [ElectronMaterialTable]
    let views: UnsafeMutablePointer<ElectronTableView>
    /// Σ̂ (cm²/g) per material and interval of `boundGrid`: max of Σ_Møller + Σ_brems over the
    /// energies a step starting in the interval can reach.
    let hardBound: UnsafeMutablePointer<Double>
    public let boundGrid: LogEnergyGrid
    let materialCount: Int
    /// Bounds of the CSDA range (g/cm²) per material and interval [i·ΔE, (i+1)·ΔE) of a uniform energy
    /// grid (ΔE = `rangeBoundStepMeV`, `rangeBoundCount` intervals), as pairs (lower, upper) at
    /// `2·(m·rangeBoundCount + i)`: the range just below the interval's lower end (0 for the first interval)
    /// and just above its upper end, which bound it inside because the range grows with energy. Lets range rejection decide
    /// most electrons with one multiplication instead of a logarithmic table look-up.
    let rangeBound: UnsafeMutablePointer<Double>
    static let rangeBoundStepMeV = 0.004
    static let rangeBoundCount = 250
    /// Frees `views` and `hardBound` when the last copy of this value goes away.
    let owner: BufferOwner

    public init(materials: [Material], settings: TransportSettings) throws {
        let cuts = try ElectronCuts(mollerThresholdMeV: settings.deltaRayThresholdMeV,
                                    photonThresholdMeV: settings.bremsstrahlungThresholdMeV)
        tables = try materials.map { try ElectronMaterialTable(material: $0, cuts: cuts) }
        materialCount = materials.count
        views = .allocate(capacity: max(1, materials.count))
        for (m, t) in tables.enumerated() { (views + m).initialize(to: t.view) }
        boundGrid = LogEnergyGrid(minimumMeV: ElectronMaterialTable.minEnergyMeV,
                                  maximumMeV: ElectronMaterialTable.maxEnergyMeV, count: ElectronMaterialTable.defaultGridCount)
        precondition(tables.allSatisfy { $0.gridCount == ElectronMaterialTable.defaultGridCount },
                     "the hard-event bound shares the tables' energy grid")
        let n = boundGrid.count
        hardBound = .allocate(capacity: max(1, materials.count * n))
        rangeBound = .allocate(capacity: max(2, 2 * materials.count * Self.rangeBoundCount))
        owner = BufferOwner(views: views, hardBound: hardBound, rangeBound: rangeBound)
        for m in 0..<materials.count {
            for i in 0..<Self.rangeBoundCount {
                // The ends are widened by 10⁻³ ΔE so that the bounds hold even where e·(1/ΔE) rounds across
                // an interval end.
                let k = 2 * (m * Self.rangeBoundCount + i)
                rangeBound[k] = i == 0 ? 0 : views[m].csdaRange(energyMeV: (Double(i) - 1e-3) * Self.rangeBoundStepMeV)
                rangeBound[k + 1] = views[m].csdaRange(energyMeV: (Double(i + 1) + 1e-3) * Self.rangeBoundStepMeV)
            }
        }
        // A step loses at most `maxEnergyLossFraction` of E continuously (midpoint rule: allow 1.5×),
        // so from E in [Eᵢ, Eᵢ₊₁] the energy stays in [Eᵢ·(1 − 1.5 f), Eᵢ₊₁]. Sample that range densely.
        let low = max(0.0, 1 - 1.5 * settings.maxEnergyLossFraction)
        for m in 0..<materials.count {
            let v = views[m]
            for i in 0..<n {
                let hi = boundGrid.energy(min(i + 1, n - 1))
                let lo = boundGrid.energy(i) * low
                var best = 0.0
                let samples = 64
                for s in 0...samples {
                    let e = lo * _pow(hi / lo, Double(s) / Double(samples))
                    best = max(best, v.mollerCrossSection(energyMeV: e) + v.bremsstrahlungCrossSection(energyMeV: e))
                }
                // 2 % margin over the sampled maximum for the curvature between samples.
                hardBound[m * n + i] = best * 1.02
            }
        }
    }

    /// All the electron data at one energy in material m (one logarithm for all look-ups). Inlined, so
    /// that a caller computes only the fields it reads.
    @inline(__always)
    public func coefficients(material m: Int, energyMeV e: Double) -> ElectronCoefficients {
        let v = views[m]
        let loc = v.location(energyMeV: e)
        let q = v.stepQuantities(at: loc)
        let i = loc.gridIndex  // the bound grid is the table's own energy grid (checked in init)
        return ElectronCoefficients(
            restrictedStoppingPower: q.restrictedStoppingPower,
            csdaRange: q.csdaRange,
            mollerCrossSection: q.moller,
            bremsstrahlungCrossSection: q.bremsstrahlung,
            hardBound: hardBound[m * boundGrid.count + i],
            restrictedRange: v.restrictedRange(at: loc))
    }

    /// λ₁ and λ₂ (g/cm²) at kinetic energy e in material m (the values `coefficients` gives, without the
    /// other look-ups).
    @inline(__always)
    public func transportMeanFreePaths(material m: Int, energyMeV e: Double) -> (lambda1: Double, lambda2: Double) {
        let v = views[m]
        let loc = v.location(energyMeV: e)
        return (v.firstTransportMeanFreePath(at: loc), v.secondTransportMeanFreePath(at: loc))
    }

    /// CSDA range (g/cm²) at kinetic energy e in material m (the value `coefficients` gives).
    @inline(__always)
    public func csdaRange(material m: Int, energyMeV e: Double) -> Double {
        views[m].stepQuantities(at: views[m].location(energyMeV: e)).csdaRange
    }

    /// Whether the CSDA range at e in material m is shorter than `massDistance` (g/cm²): exactly
    /// `csdaRange(material:energyMeV:) < massDistance`, answered from `rangeBound` when one of the bounds
    /// already decides it (all but the electrons whose range is close to the distance), else from the table.
    @inline(__always)
    public func csdaRange(material m: Int, energyMeV e: Double, isShorterThan massDistance: Double) -> Bool {
        let i = Int(e * (1 / Self.rangeBoundStepMeV))
        if i < Self.rangeBoundCount {
            let k = 2 * (m * Self.rangeBoundCount + i)
            if rangeBound[k + 1] < massDistance { return true }  // range ≤ upper bound < distance
            if rangeBound[k] >= massDistance { return false }    // range ≥ lower bound ≥ distance
        }
        return csdaRange(material: m, energyMeV: e) < massDistance
    }

    /// Kinetic energy (MeV) after a path of `massThickness` (g/cm²) with continuous (restricted) loss
    /// only, from the restricted range r₀ (g/cm²) at the start energy (`ElectronCoefficients.restrictedRange`):
    /// E(r₀ − ρs) through the restricted-range table, exact for the class-II CSDA; 0 when the path exceeds r₀.
    @inline(__always)
    public func energyAfterContinuousLoss(material m: Int, restrictedRange r0: Double, massThickness t: Double) -> Double {
        let r = r0 - t
        return r > 0 ? views[m].energyFromRestrictedRange(gramPerCm2: r) : 0
    }

    /// cos θ of the multiple-scattering deflection over a step of `massThickness` (g/cm²), from λ₁ and λ₂ (g/cm²).
    @inline(__always)
    public func sampleMultipleScattering(lambda1: Double, lambda2: Double, massThickness: Double,
                                         _ rng: inout RandomStream) -> Double {
        MultipleScatteringSampler.sampleCosTheta(stepGramPerCm2: massThickness, lambda1: lambda1, lambda2: lambda2, rng: &rng)
    }

    /// Delta-ray energy (MeV) of a Møller event at kinetic energy e (> 2Δ).
    
    public func sampleMollerEnergy(energyMeV e: Double, thresholdMeV: Double, _ rng: inout RandomStream) -> Double {
        MollerScattering.sampleDeltaRayEnergy(kineticEnergyMeV: e, cutMeV: thresholdMeV, rng: &rng)
    }

    /// Bremsstrahlung photon energy (MeV) in material m at kinetic energy e (> k_c).
    
    public func sampleBremsstrahlungEnergy(material m: Int, energyMeV e: Double, thresholdMeV: Double,
                                           _ rng: inout RandomStream) -> Double {
        views[m].sampleBremsstrahlungPhotonEnergy(kineticEnergyMeV: e, rng: &rng)
    }

    /// cos θ of a bremsstrahlung photon relative to the electron: the leading-order (Sauter-type) density
    /// p(cos θ) ∝ (1 − β cos θ)⁻², sampled by inversion (as the "simple" angular model of EGS/PENELOPE
    /// at low energy; the photon direction hardly matters for voxel dose at these energies).
    
    public func sampleBremsstrahlungAngle(energyMeV e: Double, _ rng: inout RandomStream) -> Double {
        let me = PhysicalConstants.electronRestEnergyMeV
        let gamma = 1 + e / me
        let beta = (1 - 1 / (gamma * gamma)).squareRoot()
        // CDF inversion of (1 − βc)⁻² on [−1, 1]: 1/(1 − βc) = 1/(1 + β) + u·2β/(1 − β²).
        let u = rng.uniform()
        let inv = 1 / (1 + beta) + u * 2 * beta / (1 - beta * beta)
        return min(1, max(-1, (1 - 1 / inv) / beta))
    }
}

/// Deallocates the raw buffers of an `ElectronTransportData` (outside the hot loop).
final class BufferOwner: @unchecked Sendable {
    let views: UnsafeMutablePointer<ElectronTableView>
    let hardBound: UnsafeMutablePointer<Double>
    let rangeBound: UnsafeMutablePointer<Double>
    init(views: UnsafeMutablePointer<ElectronTableView>, hardBound: UnsafeMutablePointer<Double>,
         rangeBound: UnsafeMutablePointer<Double>) {
        self.views = views; self.hardBound = hardBound; self.rangeBound = rangeBound
    }
    deinit { views.deallocate(); hardBound.deallocate(); rangeBound.deallocate() }
}
