import RPTCore

/// Outcome of a photoabsorption.
public struct Photoabsorption: Sendable, Equatable {
    /// Atomic number of the absorbing atom.
    public var z: Int
    /// Kinetic energy of the photoelectron (MeV) = E − binding energy of the ionised shell.
    public var electronEnergyMeV: Double
    /// cos θ of the photoelectron relative to the photon (Sauter K-shell distribution); NaN when the caller
    /// asked for no direction (`electronDirection: false`).
    public var electronCosTheta: Double
    /// Energy of the K fluorescence photon (MeV) emitted isotropically, or 0 if none was emitted
    /// (Auger cascade, Z < 15, non-K shell, or below the caller's cut-off).
    public var fluorescenceEnergyMeV: Double
    /// Energy to deposit at the interaction point (MeV): binding energy not carried by a fluorescence photon
    /// (Auger electrons, L/M X-rays) plus a fluorescence photon below the cut-off.
    public var localDepositMeV: Double
}

/// Samples photoabsorption.
///
/// The atom is chosen from its share of the material's photoelectric cross section. The K shell is ionised
/// with probability (r_K − 1)/r_K above the K edge (r_K = xraylib JumpFactor); otherwise the L1 binding
/// energy (if E is above it) stands for the outer-shell binding. After K ionisation of an atom with Z ≥ 15,
/// a Kα or Kβ photon (xraylib LineEnergy, shares from RadRate) is emitted with probability ω_K (xraylib
/// FluorYield); L-shell and later fluorescence, and all Auger electrons, are deposited locally.
/// The photoelectron direction follows Sauter's K-shell distribution (Sauter 1931), sampled as in the
/// PENELOPE 2018 manual §2.2.1: ν = 1 − cos θ from ν/(A+ν)³ (A = 1/β − 1) by inversion, accepted with
/// (2−ν)[1/(A+ν) + βγ(γ−1)(γ−2)/2] over its value at ν = 0.
public struct PhotonPhotoelectricSampler: Sendable {
    public let table: PhotonMaterialTable
    /// Fluorescence photons below this energy (MeV) are deposited locally.
    public let fluorescenceCutoffMeV: Double

    public init(table: PhotonMaterialTable, fluorescenceCutoffMeV: Double = 1e-3) {
        self.table = table; self.fluorescenceCutoffMeV = fluorescenceCutoffMeV
    }

    public func sample(materialIndex m: Int, energyMeV e: Double, _ rng: inout RandomStream) -> Photoabsorption {
        sample(materialIndex: m, energyMeV: e, location: table.gridLocation(e), &rng)
    }

    /// As `sample(materialIndex:energyMeV:_:)`, with the energy's grid location (`table.gridLocation(e)`)
    /// already known (saves its logarithm). With `electronDirection: false` the photoelectron's angle is not
    /// sampled (`electronCosTheta` is NaN): for a transport that deposits most photoelectrons where they are
    /// born and samples `sampleSauterCosTheta` only for those it follows.
    public func sample(materialIndex m: Int, energyMeV e: Double, location loc: (index: Int, fraction: Double),
                       electronDirection: Bool = true, _ rng: inout RandomStream) -> Photoabsorption {
        let slot = table.sampleSlot(kind: 0, materialIndex: m, location: loc, &rng)
        // The atom's scalars, read in place (a copy of the element's data would retain its arrays).
        let el = table.slotElement.withUnsafeBufferPointer { p in
            let a = p.baseAddress! + slot
            return (z: a.pointee.z, kEdgeMeV: a.pointee.kEdgeMeV, l1EdgeMeV: a.pointee.l1EdgeMeV,
                    kJumpRatio: a.pointee.kJumpRatio, kFluorescenceYield: a.pointee.kFluorescenceYield,
                    kAlphaShare: a.pointee.kAlphaShare, kAlphaEnergyMeV: a.pointee.kAlphaEnergyMeV,
                    kBetaEnergyMeV: a.pointee.kBetaEnergyMeV)
        }
        var binding = 0.0, fluorescence = 0.0
        let kShell = e > el.kEdgeMeV && el.kEdgeMeV > 0 && rng.uniform() * el.kJumpRatio > 1
        if kShell {
            binding = el.kEdgeMeV
            if el.kFluorescenceYield > 0 && rng.uniform() < el.kFluorescenceYield {
                fluorescence = rng.uniform() < el.kAlphaShare ? el.kAlphaEnergyMeV : el.kBetaEnergyMeV
            }
        } else if e > el.l1EdgeMeV {
            binding = el.l1EdgeMeV
        }
        let electron = e - binding
        var local = binding - fluorescence
        if fluorescence > 0 && fluorescence < fluorescenceCutoffMeV { local += fluorescence; fluorescence = 0 }
        let cosTheta = electronDirection ? Self.sampleSauterCosTheta(electronEnergyMeV: electron, &rng) : .nan
        return Photoabsorption(z: el.z, electronEnergyMeV: electron, electronCosTheta: cosTheta,
                               fluorescenceEnergyMeV: fluorescence, localDepositMeV: max(0, local))
    }

    /// cos θ of a photoelectron of kinetic energy T from Sauter's distribution (see the type's documentation).
    @inlinable
    public static func sampleSauterCosTheta(electronEnergyMeV t: Double, _ rng: inout RandomStream) -> Double {
        let gamma = 1 + t / PhotonConstants.electronRestEnergyMeV
        let beta = (max(0, gamma * gamma - 1)).squareRoot() / gamma
        if beta < 1e-6 { return 2 * rng.uniform() - 1 }  // non-relativistic limit tends to sin²θ; negligible
        let a = 1 / beta - 1
        let b = 0.5 * beta * gamma * (gamma - 1) * (gamma - 2)
        let bound = 2 * (1 / a + b)
        while true {
            let r = rng.uniform().squareRoot()
            let nu = 2 * a * r / (a + 2 - 2 * r)
            let tv = (2 - nu) * (1 / (a + nu) + b)
            if rng.uniform() * bound <= tv { return 1 - nu }
        }
    }
}
