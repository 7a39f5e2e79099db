import RPTCore

/// Outcome of an incoherent (Compton) scattering.
public struct IncoherentScattering: Sendable, Equatable {
    /// Energy of the scattered photon (MeV).
    public var photonEnergyMeV: Double
    /// Cosine of the photon's polar scattering angle.
    public var photonCosTheta: Double
    /// Kinetic energy given to the recoil electron (MeV) = E − E′ (binding energy is not subtracted: it is
    /// deposited with the electron, see docs/methods/photon-physics.md).
    public var electronEnergyMeV: Double
    /// Cosine of the electron's polar angle relative to the incident photon (free-electron kinematics).
    public var electronCosTheta: Double
}

/// Samples incoherent scattering: Klein–Nishina × S(x,Z)/Z.
///
/// The atom is chosen from its share of the material's incoherent cross section. ε = E′/E is sampled from
/// the free-electron Klein–Nishina cross section, for k = E/(m_e c²) < 3 (every photon of a
/// radiopharmaceutical) by Kahn's rejection method (H. Kahn, "Applications of Monte Carlo", AECU-3259,
/// RAND (1954); as in MCNP and OpenMC's `klein_nishina`), which needs no logarithm or exponential: with
/// x = 1/ε and β = 1 + 2k, with probability β/(β + 8) take 1 − cos θ = 2ξ₁, x = 1 + k(1 − cos θ) and accept
/// if ξ₂ < (4/x)(1 − 1/x); otherwise take x = β/(1 + 2kξ₁), cos θ = 1 − (x − 1)/k and accept if
/// ξ₂ < (cos²θ + 1/x)/2. For k ≥ 3 the Butcher & Messel method is used (Nucl. Phys. 20 (1960) 15; as in
/// EGS4, Nelson et al. SLAC-265 (1985) §2.9, and Geant4's G4KleinNishinaCompton): with ε₀ = 1/(1+2k),
/// α₁ = ln(1/ε₀), α₂ = (1−ε₀²)/2, take ε = ε₀^r (prob. α₁/(α₁+α₂)) or ε² = ε₀² + (1−ε₀²)r, accept with
/// 1 − ε sin²θ/(1+ε²). The pair (ε, θ) is then accepted with S(x,Z)/Z, x = sin(θ/2)·E/hc, which
/// reproduces dσ/dΩ = dσ_KN/dΩ · S(x,Z) (Waller–Hartree binding; no Doppler broadening).
///
/// The S/Z test uses a squeeze: a precomputed lower bound of S(x,Z)/Z on cells of x accepts most
/// events without the logarithm and exponential of the exact log-log interpolation; only a uniform
/// number above the bound is compared with S(x,Z) itself. The bound is the minimum of the interpolated
/// function over the cell (the function is monotone between table nodes, so the minimum lies at a node
/// or a cell end), lowered by 10⁻¹² relative against rounding, so every decision is the exact test's.
/// Every uniform number here is a 32-bit one (`RandomStream.uniform32`): a resolution of 2⁻³² moves ε and
/// cos θ by < 10⁻⁸ (for Butcher–Messel at 3 MeV the exponent ln(1 + 2k) is < 2.5).
/// No allocation; expected ~2–3 KN trials per accepted event, more at low energy where S(x,Z)/Z ≪ 1.
public struct PhotonIncoherentSampler: @unchecked Sendable {
    public let table: PhotonMaterialTable
    /// Atomic number of the element in each slot of `table` (as Double).
    let slotZ: UnsafeMutablePointer<Double>
    /// ln S(x,Z) on `PhotonMomentumGrid` per slot: [slot · count + j].
    let slotLogS: UnsafeMutablePointer<Double>
    /// Lower bound of S(x,Z)/Z per slot and x cell: [slot · (squeezeCells + 1) + c]; cell c < squeezeCells
    /// covers [c·Δx, (c+1)·Δx), the last one every x ≥ squeezeCells·Δx.
    let squeeze: UnsafeMutablePointer<Double>
    /// Width Δx (1/Å) and number of the squeeze cells.
    static let squeezeStep = 0.125
    static let squeezeCells = 64
    let owner: IncoherentSamplerStorage

    public init(table: PhotonMaterialTable) {
        self.table = table
        let slots = table.slotElement.count
        let nX = PhotonMomentumGrid.count
        let cells = Self.squeezeCells
        slotZ = .allocate(capacity: max(1, slots))
        slotLogS = .allocate(capacity: max(1, slots * nX))
        squeeze = .allocate(capacity: max(1, slots * (cells + 1)))
        owner = IncoherentSamplerStorage([slotZ, slotLogS, squeeze])
        for s in 0..<slots {
            let element = table.slotElement[s]
            slotZ[s] = Double(element.z)
            for j in 0..<nX { slotLogS[s * nX + j] = element.logScatteringFunction[j] }
            for c in 0...cells {
                let a = Double(c) * Self.squeezeStep
                let b = c < cells ? Double(c + 1) * Self.squeezeStep : PhotonMomentumGrid.maximum
                var low = min(Self.scatteringFunction(slotLogS + s * nX, z: slotZ[s], x: a),
                              Self.scatteringFunction(slotLogS + s * nX, z: slotZ[s], x: b))
                for j in 0..<nX {
                    let xj = PhotonMomentumGrid.momentum(at: j)
                    if xj > a && xj < b { low = min(low, Self.scatteringFunction(slotLogS + s * nX, z: slotZ[s], x: xj)) }
                }
                squeeze[s * (cells + 1) + c] = low / slotZ[s] * (1 - 1e-12)
            }
        }
    }

    /// S(x,Z) from the slot's ln S table: log-log interpolation in x (1/Å); S ∝ x² below the grid, S = Z
    /// above it (the same values as `PhotonElementData.scatteringFunction`).
    @inline(__always)
    static func scatteringFunction(_ logS: UnsafeMutablePointer<Double>, z: Double, x: Double) -> Double {
        x >= PhotonMomentumGrid.maximum ? z : PhotonMomentumGrid.logLogValue(logS, x: x, smallPower: 2)
    }

    /// - Parameters: materialIndex into `table.materials`; energyMeV within 1 keV – 3 MeV (not checked).
    public func sample(materialIndex m: Int, energyMeV e: Double, _ rng: inout RandomStream) -> IncoherentScattering {
        sample(materialIndex: m, energyMeV: e, location: table.gridLocation(e), &rng)
    }

    /// As `sample(materialIndex:energyMeV:_:)`, with the energy's grid location (`table.gridLocation(e)`)
    /// already known (saves its logarithm).
    @inline(__always)
    public func sample(materialIndex m: Int, energyMeV e: Double, location loc: (index: Int, fraction: Double),
                       _ rng: inout RandomStream) -> IncoherentScattering {
        let slot = table.sampleSlot(kind: 1, materialIndex: m, location: loc, &rng)
        let z = slotZ[slot]
        let logS = slotLogS + slot * PhotonMomentumGrid.count
        let bounds = squeeze + slot * (Self.squeezeCells + 1)
        let k = e / PhotonConstants.electronRestEnergyMeV
        let xScale = e * 1e3 / PhotonMomentumGrid.hcKeVAngstrom
        while true {
            let (epsilon, oneMinusCos) = Self.sampleKleinNishina(k: k, &rng)
            let x = xScale * (0.5 * oneMinusCos).squareRoot()
            let u = rng.uniform32()
            // Squeeze first (x ≥ 0, so the truncation is the floor); the exact test only above the bound.
            if u >= bounds[min(Int(x * (1 / Self.squeezeStep)), Self.squeezeCells)]
                && u * z > Self.scatteringFunction(logS, z: z, x: x) { continue }
            let ePrime = epsilon * e
            let cosTheta = 1 - oneMinusCos
            let pe2 = e * e + ePrime * ePrime - 2 * e * ePrime * cosTheta
            let electronCos = pe2 > 0 ? (e - ePrime * cosTheta) / pe2.squareRoot() : 1
            return IncoherentScattering(photonEnergyMeV: ePrime, photonCosTheta: cosTheta,
                                        electronEnergyMeV: e - ePrime, electronCosTheta: electronCos)
        }
    }

    /// Samples ε = E′/E and 1 − cos θ from the free-electron Klein–Nishina cross section for k = E/(m_e c²)
    /// (Kahn's method below k = 3, Butcher–Messel above; see the type's documentation).
    @inlinable
    public static func sampleKleinNishina(k: Double, _ rng: inout RandomStream) -> (epsilon: Double, oneMinusCos: Double) {
        if k < 3 { return sampleKleinNishinaKahn(k: k, &rng) }
        return sampleKleinNishinaButcherMessel(k: k, &rng)
    }

    /// Kahn's rejection method (k < 3; see the type's documentation).
    @inlinable
    public static func sampleKleinNishinaKahn(k: Double, _ rng: inout RandomStream) -> (epsilon: Double, oneMinusCos: Double) {
        let beta = 1 + 2 * k
        let leftShare = beta / (beta + 8)
        let inverseK = 1 / k
        // The acceptance tests are multiplied through by x² resp. 2x (> 0): no division per trial.
        while true {
            if rng.uniform32() < leftShare {
                let oneMinusCos = 2 * rng.uniform32()
                let x = 1 + k * oneMinusCos
                if rng.uniform32() * x * x < 4 * (x - 1) { return (1 / x, oneMinusCos) }  // ξ < (4/x)(1 − 1/x)
            } else {
                let x = beta / (1 + 2 * k * rng.uniform32())
                let oneMinusCos = (x - 1) * inverseK
                let cosTheta = 1 - oneMinusCos
                // ξ < (cos²θ + 1/x)/2
                if 2 * rng.uniform32() * x < x * cosTheta * cosTheta + 1 { return (1 / x, max(0, min(2, oneMinusCos))) }
            }
        }
    }

    /// The Butcher–Messel method (any k; see the type's documentation).
    @inlinable
    public static func sampleKleinNishinaButcherMessel(k: Double, _ rng: inout RandomStream) -> (epsilon: Double, oneMinusCos: Double) {
        let eps0 = 1 / (1 + 2 * k)
        let eps0Sq = eps0 * eps0
        let alpha1 = -_log(eps0)
        let alpha2 = 0.5 * (1 - eps0Sq)
        while true {
            var epsilon: Double, epsilonSq: Double
            if alpha1 > (alpha1 + alpha2) * rng.uniform32() {
                epsilon = _exp(-alpha1 * rng.uniform32())
                epsilonSq = epsilon * epsilon
            } else {
                epsilonSq = eps0Sq + (1 - eps0Sq) * rng.uniform32()
                epsilon = epsilonSq.squareRoot()
            }
            let oneMinusCos = (1 - epsilon) / (epsilon * k)
            let sinSq = oneMinusCos * (2 - oneMinusCos)
            let g = 1 - epsilon * sinSq / (1 + epsilonSq)
            if g >= rng.uniform32() { return (epsilon, max(0, min(2, oneMinusCos))) }
        }
    }
}

/// Frees the buffers of a `PhotonIncoherentSampler` when its last copy goes away.
final class IncoherentSamplerStorage: @unchecked Sendable {
    let buffers: [UnsafeMutablePointer<Double>]
    init(_ buffers: [UnsafeMutablePointer<Double>]) { self.buffers = buffers }
    deinit { for b in buffers { b.deallocate() } }
}

/// Constants used by the photon samplers.
public enum PhotonConstants {
    /// m_e c² (MeV), CODATA 2018 via `PhysicalConstants`.
    public static let electronRestEnergyMeV = PhysicalConstants.electronRestEnergyMeV
}
