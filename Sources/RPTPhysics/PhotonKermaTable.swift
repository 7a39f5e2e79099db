import RPTCore

/// Mass energy-transfer coefficients of the photon interactions whose electrons a track-length estimator
/// replaces: the expected energy (MeV) that one photoelectric absorption or one incoherent scattering gives to
/// electrons and to local deposits in the transport's own models, times its mass attenuation coefficient.
///
/// K/ρ(E, m) = (μ_pe/ρ)·(E − X̄) + (μ_inc/ρ)·⟨T⟩   (MeV cm²/g), with
/// - X̄ = Σ_atoms share_Z · P_K · ω_K · Ē_K: mean energy of the K-fluorescence photons that `PhotonPhotoelectricSampler`
///   emits (those below the fluorescence cut-off are deposited locally and stay in E − X̄);
/// - ⟨T⟩ = mean recoil-electron energy E − E′ over Klein–Nishina × S(x, Z) (`PhotonIncoherentSampler`), per atom,
///   weighted by its share of the incoherent cross section.
/// Coherent scattering transfers nothing; pair production is left out (it stays analogue: its electron and positron
/// are transported). So E·μ_tr-like quantity K·ρ (MeV/cm) is the expected energy the analogue simulation gives to
/// electrons per cm of photon path: E[Σ electron energies of the real photoelectric and incoherent events on a path]
/// = ∫ K(E, m(l))·ρ(l) dl (Woodcock/analogue tracking sample interactions at rate μ(l)), which is why the track-length
/// estimator built on it is unbiased for the photon *kerma* (all transferred energy deposited where it is
/// transferred; docs/methods/variance-reduction.md).
///
/// K/ρ differs from E·μ_en/ρ only by the radiative fraction ḡ of the secondary electrons (≤ 0.1 % below
/// 0.5 MeV in soft tissue, ESTAR radiation yield); for water and ICRU tissues it agrees with NIST SRD 126
/// μ_en/ρ (Hubbell & Seltzer 1995) within 2 % over 30–500 keV (tested). Values at the grid points of
/// `PhotonEnergyGrid`, interpolated lin–log like the attenuation coefficients.
public struct PhotonKermaTable: Sendable {
    let energyCount: Int
    /// K/ρ (MeV cm²/g): [m · energyCount + i].
    let values: [Double]

    /// An empty table (for runs that do not use the track-length estimator).
    public init() { energyCount = PhotonEnergyGrid.count; values = [] }

    /// - Parameters:
    ///   - table: the world's photon table.
    ///   - fluorescenceCutoffMeV: fluorescence photons below this are deposited locally (as in the sampler).
    public init(table: PhotonMaterialTable, fluorescenceCutoffMeV: Double) {
        let n = PhotonEnergyGrid.count
        energyCount = n
        // Mean Compton recoil energy per element (once per Z: the integral is the expensive part).
        var recoilByZ: [Int: [Double]] = [:]
        for el in table.slotElement where recoilByZ[el.z] == nil {
            recoilByZ[el.z] = (0..<n).map { PhotonMaterialTable.incoherentMeans(el, PhotonEnergyGrid.energy(at: $0),
                                                                                radiativeYield: nil).transfer }
        }
        var v = [Double](repeating: 0, count: table.materials.count * n)
        for m in table.materials.indices {
            for i in 0..<n {
                let e = PhotonEnergyGrid.energy(at: i)
                let loc = (index: min(i, n - 2), fraction: i == n - 1 ? 1.0 : 0.0)
                let muPE = table.channel(m * 5 + PhotonProcess.photoelectric.rawValue, loc)
                let muInc = table.channel(m * 5 + PhotonProcess.incoherent.rawValue, loc)
                var fluorescence = 0.0, recoil = 0.0
                for s in table.slots(of: m) {
                    let el = table.slotElement[s]
                    fluorescence += table.slotShare(kind: 0, slot: s, materialIndex: m, location: loc)
                        * Self.meanEmittedFluorescence(el, e, cutoffMeV: fluorescenceCutoffMeV)
                    recoil += table.slotShare(kind: 1, slot: s, materialIndex: m, location: loc) * recoilByZ[el.z]![i]
                }
                v[m * n + i] = muPE * (e - fluorescence) + muInc * recoil
            }
        }
        values = v
    }

    /// Mean energy (MeV) of the K-fluorescence photons the photoelectric sampler emits (and transports) per
    /// absorption in this atom: P_K · ω_K · (share_α E_α + share_β E_β), lines below the cut-off counted as local.
    static func meanEmittedFluorescence(_ el: PhotonElementData, _ e: Double, cutoffMeV: Double) -> Double {
        guard el.kEdgeMeV > 0, e > el.kEdgeMeV else { return 0 }
        let pK = (el.kJumpRatio - 1) / el.kJumpRatio
        let alpha = el.kAlphaEnergyMeV >= cutoffMeV ? el.kAlphaShare * el.kAlphaEnergyMeV : 0
        let beta = el.kBetaEnergyMeV >= cutoffMeV ? (1 - el.kAlphaShare) * el.kBetaEnergyMeV : 0
        return pK * el.kFluorescenceYield * (alpha + beta)
    }

    /// K/ρ (MeV cm²/g) of material m at a grid location (`PhotonMaterialTable.gridLocation`). Hot-loop lookup.
    @inline(__always)
    public func coefficient(materialIndex m: Int, location loc: (index: Int, fraction: Double)) -> Double {
        values.withUnsafeBufferPointer { p in
            let k = m &* energyCount &+ loc.index
            return p[k] + loc.fraction * (p[k &+ 1] - p[k])
        }
    }
}
