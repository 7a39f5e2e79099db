import RPTCore

/// A radionuclide's decay data: half-life, discrete emission lines and beta continua.
///
/// Source: ICRP Publication 107 (Eckerman & Endo 2008, Ann. ICRP 38(3)), read from the PyPI package
/// `icrp107-database` by `scripts/generate_nuclide_data.py` into `Generated/NuclideData.swift`
/// (see `Nuclide.dataSource`). All lines are kept, including those below any transport cut-off;
/// the split into transported and locally deposited energy is `energyBudget(transportCutoffMeV:)`.
///
/// The summary sums (`electronEnergyPerDecayMeV`, …) count *every* emission whatever its energy:
/// they are what the nuclide emits, not what the transport tracks.
public struct Nuclide: Sendable, Hashable {
    /// ICRP-107 name, e.g. "Lu-177".
    public let name: String
    /// Half-life (s).
    public let halfLifeSeconds: Double
    /// Decay constant λ = ln 2 / T½ (1/s).
    public let decayConstant: Double
    /// Discrete lines (γ, X, annihilation, IC, Auger, α, α-recoil) in ICRP-107 order.
    public let lines: [EmissionLine]
    /// Beta continua: at most one β⁻ and one β⁺.
    public let betaSpectra: [BetaSpectrum]

    /// Default transport cut-off (MeV): 1 keV. Emissions below it are deposited at the decay site.
    public static let defaultTransportCutoffMeV = 0.001

    public init(name: String, halfLifeSeconds: Double, lines: [EmissionLine], betaSpectra: [BetaSpectrum]) {
        precondition(halfLifeSeconds > 0 && halfLifeSeconds.isFinite, "half-life must be positive")
        self.name = name
        self.halfLifeSeconds = halfLifeSeconds
        self.decayConstant = _log(2) / halfLifeSeconds
        self.lines = lines
        self.betaSpectra = betaSpectra
    }

    // MARK: Catalogue

    /// All shipped nuclides, parsed once at first use from the generated records.
    public static let all: [Nuclide] = NuclideData.records.enumerated().map { index, record in
        do {
            return try NuclideDataParser.parse(record, source: "Generated/NuclideData.swift record \(index)")
        } catch {
            preconditionFailure("corrupt generated nuclide data: \(error)")
        }
    }

    /// Names of the shipped nuclides, e.g. ["Lu-177", "Y-90", …].
    public static var availableNames: [String] { all.map(\.name) }

    /// Provenance of the data: publication, package and version, generation date.
    public static var dataSource: String {
        "\(NuclideData.publication); via PyPI package \(NuclideData.packageName) \(NuclideData.packageVersion), "
            + "generated \(NuclideData.generatedOn)"
    }

    /// The shipped nuclide called `name`. Case, hyphens, underscores, spaces and the order of mass number
    /// and symbol are ignored: "Lu-177", "Lu177", "lu-177", "LU_177" and "177Lu" all work.
    /// - Throws: `InputError` naming the value and listing the valid names.
    public static func named(_ name: String, source: String = "nuclide") throws -> Nuclide {
        let key = canonicalKey(name)
        if let found = all.first(where: { canonicalKey($0.name) == key }) { return found }
        throw InputError(source: source, field: "nuclide", value: name,
                         reason: "unknown nuclide; valid names: " + availableNames.joined(separator: ", "))
    }

    /// Lower-case symbol followed by mass number with separators removed ("177Lu" → "lu177").
    static func canonicalKey(_ name: String) -> String {
        let kept = name.lowercased().filter { !"-_ ".contains($0) }
        let digits = kept.prefix { $0.isNumber }
        return digits.isEmpty ? kept : String(kept.dropFirst(digits.count)) + digits
    }

    // MARK: Per-decay sums (all emissions, no cut-off)

    /// Mean number per decay of discrete lines of `kind`.
    public func yieldPerDecay(of kind: EmissionKind) -> Double {
        lines.reduce(0) { $1.kind == kind ? $0 + $1.yieldPerDecay : $0 }
    }

    /// Mean energy per decay (MeV) of discrete lines of `kind`, Σ Eᵢ yᵢ.
    public func energyPerDecayMeV(of kind: EmissionKind) -> Double {
        lines.reduce(0) { $1.kind == kind ? $0 + $1.energyPerDecayMeV : $0 }
    }

    /// The β⁻ spectrum, if any.
    public var betaMinus: BetaSpectrum? { betaSpectra.first { $0.particle == .electron } }
    /// The β⁺ spectrum, if any.
    public var betaPlus: BetaSpectrum? { betaSpectra.first { $0.particle == .positron } }

    /// Mean β energy per decay (MeV), β⁻ and β⁺ together: Σ yield × ∫E n(E) dE / ∫n(E) dE over the
    /// piecewise-linear spectrum (see `BetaSpectrum` for why the spectrum is normalised to the yield).
    public var betaMeanEnergyMeV: Double { betaSpectra.reduce(0) { $0 + $1.energyPerDecayMeV } }

    /// Electron energy per decay (MeV): β⁻ + β⁺ kinetic energy + internal-conversion + Auger, all energies.
    public var electronEnergyPerDecayMeV: Double {
        betaMeanEnergyMeV + energyPerDecayMeV(of: .conversionElectron) + energyPerDecayMeV(of: .augerElectron)
    }

    /// Photon energy per decay (MeV): γ + X + annihilation, all energies (the 19.4 eV X line included).
    public var photonEnergyPerDecayMeV: Double {
        energyPerDecayMeV(of: .gamma) + energyPerDecayMeV(of: .xray) + energyPerDecayMeV(of: .annihilation)
    }

    /// Alpha and alpha-recoil energy per decay (MeV).
    public var alphaEnergyPerDecayMeV: Double {
        energyPerDecayMeV(of: .alpha) + energyPerDecayMeV(of: .alphaRecoil)
    }

    /// Total emitted energy per decay (MeV): electrons + photons + alphas. (Neutrinos are not counted.)
    public var totalEnergyPerDecayMeV: Double {
        electronEnergyPerDecayMeV + photonEnergyPerDecayMeV + alphaEnergyPerDecayMeV
    }

    /// Split of the total energy per decay into what is transported and what is deposited locally,
    /// for the transport cut-off `transportCutoffMeV` (lines and betas with E < cut-off are local).
    public func energyBudget(transportCutoffMeV: Double = Nuclide.defaultTransportCutoffMeV) -> NuclideEnergyBudget {
        var photon = 0.0, electron = 0.0, positron = 0.0, local = 0.0
        for line in lines {
            switch line.kind.transportedParticle {
            case .photon? where line.energyMeV >= transportCutoffMeV: photon += line.energyPerDecayMeV
            case .electron? where line.energyMeV >= transportCutoffMeV: electron += line.energyPerDecayMeV
            default: local += line.energyPerDecayMeV
            }
        }
        for spectrum in betaSpectra {
            let below = spectrum.energyPerDecayMeV(belowMeV: transportCutoffMeV)
            local += below
            if spectrum.particle == .positron {
                positron += spectrum.energyPerDecayMeV - below
            } else {
                electron += spectrum.energyPerDecayMeV - below
            }
        }
        return NuclideEnergyBudget(transportCutoffMeV: transportCutoffMeV, transportedPhotonMeV: photon,
                                   transportedElectronMeV: electron, transportedPositronMeV: positron,
                                   locallyDepositedMeV: local)
    }
}
