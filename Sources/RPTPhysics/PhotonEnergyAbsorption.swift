import RPTCore

/// Energy-transfer and energy-absorption coefficients derived from the photon tables and the samplers'
/// models, so that kerma and collision kerma agree with what the Monte Carlo deposits.
///
/// μ_tr/ρ = Σ_processes (μ/ρ)_p · f_p with the mean fraction f_p of the photon energy given to electrons:
/// - photoelectric: f = 1 − X/E, X = mean K-fluorescence energy per absorption = Σ share_Z · P_K · ω_K · Ē_K
///   (all Auger and L/M energy counted as transferred);
/// - incoherent: f = ⟨T⟩/E over Klein–Nishina × S(x,Z) (T = E − E′), integrated numerically;
/// - coherent: f = 0; pair: f = (E − 2m_ec²)/E (annihilation photons escape).
/// μ_en/ρ = Σ (μ/ρ)_p · (f_p − ⟨Y(T)·T⟩_p / E), i.e. μ_tr(1 − ḡ) with ḡ averaged over the secondary-electron
/// spectrum of each process, Y(T) being the electron radiation yield supplied by the caller
/// (in-flight annihilation of positrons is neglected).
extension PhotonMaterialTable {
    /// Mean fraction of the photon energy transferred to electrons in one interaction of `process`.
    /// - Throws: `InputError` for energies outside 1 keV – 3 MeV or an invalid material index.
    public func meanEnergyTransferFraction(_ process: PhotonProcess, materialIndex m: Int, energyMeV e: Double) throws -> Double {
        try Self.checkEnergy(e); try checkMaterial(m)
        return transferAndRadiated(process, m, e, radiativeYield: nil).transfer / e
    }

    /// μ_tr/μ for all processes together.
    public func meanEnergyTransferFraction(materialIndex m: Int, energyMeV e: Double) throws -> Double {
        try energyTransferCoefficient(materialIndex: m, energyMeV: e) / totalMassAttenuation(materialIndex: m, energyMeV: e)
    }

    /// Mass energy-transfer coefficient μ_tr/ρ (cm²/g).
    public func energyTransferCoefficient(materialIndex m: Int, energyMeV e: Double) throws -> Double {
        try Self.checkEnergy(e); try checkMaterial(m)
        var s = 0.0
        for p in PhotonProcess.allCases {
            s += muOverRho(p, materialIndex: m, energyMeV: e) * transferAndRadiated(p, m, e, radiativeYield: nil).transfer / e
        }
        return s
    }

    /// Mass energy-absorption coefficient μ_en/ρ (cm²/g) = μ_tr/ρ · (1 − ḡ).
    /// - Parameter radiativeYield: electron radiation yield Y(T) of this material (T in MeV, 0 ≤ T ≤ 3 MeV).
    public func energyAbsorptionCoefficient(materialIndex m: Int, energyMeV e: Double,
                                            radiativeYield: (Double) -> Double) throws -> Double {
        try Self.checkEnergy(e); try checkMaterial(m)
        var s = 0.0
        for p in PhotonProcess.allCases {
            let r = withoutActuallyEscaping(radiativeYield) { transferAndRadiated(p, m, e, radiativeYield: $0) }
            s += muOverRho(p, materialIndex: m, energyMeV: e) * (r.transfer - r.radiated) / e
        }
        return s
    }

    /// Mean K-fluorescence energy (MeV) emitted per photoabsorption at energy `e`.
    public func meanFluorescenceEnergyPerAbsorption(materialIndex m: Int, energyMeV e: Double) throws -> Double {
        try Self.checkEnergy(e); try checkMaterial(m)
        let loc = gridLocation(e)
        var x = 0.0
        for s in slots(of: m) { x += slotShare(kind: 0, slot: s, materialIndex: m, location: loc) * Self.fluorescence(slotElement[s], e).mean }
        return x
    }

    static func fluorescence(_ el: PhotonElementData, _ e: Double) -> (kProbability: Double, mean: Double) {
        let pK = (el.kEdgeMeV > 0 && e > el.kEdgeMeV) ? (el.kJumpRatio - 1) / el.kJumpRatio : 0
        let line = el.kAlphaShare * el.kAlphaEnergyMeV + (1 - el.kAlphaShare) * el.kBetaEnergyMeV
        return (pK, pK * el.kFluorescenceYield * line)
    }

    /// Mean energy transferred to electrons and mean energy they radiate (MeV) per interaction.
    func transferAndRadiated(_ p: PhotonProcess, _ m: Int, _ e: Double,
                             radiativeYield y: ((Double) -> Double)?) -> (transfer: Double, radiated: Double) {
        let mc2 = PhotonConstants.electronRestEnergyMeV
        switch p {
        case .coherent:
            return (0, 0)
        case .pair:
            let tMax = max(0, e - 2 * mc2)
            guard let y, tMax > 0 else { return (tMax, 0) }
            // Electron and positron kinetic energies each uniform on [0, tMax]: 2·⟨Y(T)T⟩.
            let radiated = 2 * Self.simpson(n: 64, from: 0, to: tMax) { t in y(t) * t } / tMax
            return (tMax, radiated)
        case .photoelectric:
            let loc = gridLocation(e)
            var transfer = 0.0, radiated = 0.0
            for s in slots(of: m) {
                let el = slotElement[s]
                let share = slotShare(kind: 0, slot: s, materialIndex: m, location: loc)
                let f = Self.fluorescence(el, e)
                transfer += share * (e - f.mean)
                if let y {
                    let tK = e - el.kEdgeMeV
                    let tOuter = e > el.l1EdgeMeV ? e - el.l1EdgeMeV : e
                    radiated += share * (f.kProbability * (tK > 0 ? y(tK) * tK : 0) + (1 - f.kProbability) * y(tOuter) * tOuter)
                }
            }
            return (transfer, radiated)
        case .incoherent:
            let loc = gridLocation(e)
            var transfer = 0.0, radiated = 0.0
            for s in slots(of: m) {
                let share = slotShare(kind: 1, slot: s, materialIndex: m, location: loc)
                let r = Self.incoherentMeans(slotElement[s], e, radiativeYield: y)
                transfer += share * r.transfer
                radiated += share * r.radiated
            }
            return (transfer, radiated)
        }
    }

    /// ⟨T⟩ and ⟨Y(T)T⟩ over dσ_KN/dΩ · S(x,Z): Simpson's rule in ln(1 − cos θ) from 1e-10 to 2.
    static func incoherentMeans(_ el: PhotonElementData, _ e: Double,
                                radiativeYield y: ((Double) -> Double)?) -> (transfer: Double, radiated: Double) {
        let k = e / PhotonConstants.electronRestEnergyMeV
        let xScale = e * 1e3 / PhotonMomentumGrid.hcKeVAngstrom
        var w0 = 0.0, w1 = 0.0, w2 = 0.0
        let n = 600
        let lo = _log(1e-10), hi = _log(2.0), h = (hi - lo) / Double(n)
        for i in 0...n {
            let v = _exp(lo + Double(i) * h)  // v = 1 − cos θ
            let eps = 1 / (1 + k * v)
            let sinSq = v * (2 - v)
            let kn = eps * eps * (eps + 1 / eps - sinSq)
            let weight = kn * el.scatteringFunction(x: xScale * (0.5 * v).squareRoot()) * v
                * (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2))
            let t = e * (1 - eps)
            w0 += weight; w1 += weight * t
            if let y { w2 += weight * y(t) * t }
        }
        return (w1 / w0, w2 / w0)
    }

    static func simpson(n: Int, from a: Double, to b: Double, _ f: (Double) -> Double) -> Double {
        let h = (b - a) / Double(n)
        var s = f(a) + f(b)
        for i in 1..<n { s += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return s * h / 3
    }
}
