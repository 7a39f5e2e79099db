import RPTCore

/// Electron interaction data of one material for class-II condensed-history transport, on a grid
/// uniform in ln T from 1 keV to 3 MeV.
///
/// Holds, per energy: S_col and S_rad (unrestricted), the class-II continuous loss (collision
/// restricted to transfers < Δ plus radiative restricted to photons < k_c), the Møller and
/// bremsstrahlung cross sections above the cuts, λ₁ and λ₂, the CSDA range, the radiation yield
/// and δ; the energy as a function of residual range on a grid uniform in ln R; and the
/// material's scaled bremsstrahlung spectra for sampling photon energies. Physics and sources:
/// docs/methods/electron-physics.md and the types `ElectronCollisionStoppingPower`,
/// `DensityEffect`, `MollerScattering`, `BremsstrahlungCrossSection`, `MultipleScatteringModel`.
///
/// The table is an immutable value; its numbers live in one heap block read through
/// `ElectronTableView` (a pointer plus constants) so that lookups in the transport loop are
/// arithmetic, allocation-free and free of class references.
public struct ElectronMaterialTable: Sendable {
    /// Lowest tabulated kinetic energy (MeV).
    public static let minEnergyMeV = 0.001
    /// Highest tabulated kinetic energy (MeV).
    public static let maxEnergyMeV = 3.0
    /// Default number of grid energies.
    public static let defaultGridCount = 512

    /// Material name.
    public let materialName: String
    /// Nominal mass density of the material (g/cm³); tabulated values are per unit mass.
    public let density: Double
    /// Class-II production thresholds used for the restricted quantities.
    public let cuts: ElectronCuts
    /// Number of grid energies.
    public let gridCount: Int

    let storage: ElectronTableStorage
    let layout: ElectronTableView.Layout

    /// Builds the table of `material` for `cuts`.
    /// - Throws: `InputError` for an invalid material (empty or non-normalised composition, unknown
    ///   element, non-positive density or I-value) or grid size.
    public init(material: Material, cuts: ElectronCuts, gridCount: Int = ElectronMaterialTable.defaultGridCount) throws {
        try Self.validate(material)
        guard gridCount >= 16, gridCount <= 100_000 else {
            throw InputError(source: material.name, field: "gridCount", value: "\(gridCount)",
                             reason: "must be between 16 and 100000")
        }
        let n = gridCount
        let lnMin = _log(Self.minEnergyMeV), lnMax = _log(Self.maxEnergyMeV)
        let step = (lnMax - lnMin) / Double(n - 1)
        let energies = (0..<n).map { i in i == n - 1 ? Self.maxEnergyMeV : _exp(lnMin + Double(i) * step) }
        let nk = SeltzerBergerTable.kappa.count

        let densityEffect = try DensityEffect(material: material)
        let ne = material.electronsPerGram
        let iEV = material.meanExcitationEnergyEV
        var col = [[Double]](repeating: [Double](repeating: 0, count: n), count: ElectronTableView.Layout.columnCount)
        var chiRows = [Double](repeating: 0, count: n * nk)
        for (i, t) in energies.enumerated() {
            let k = ElectronKinematics(kineticEnergyMeV: t)
            let delta = densityEffect.delta(kineticEnergyMeV: t)
            let x = try BremsstrahlungCrossSection.materialScaledCrossSection(material, kineticEnergyMeV: t)
            let kappaCut = min(1, cuts.photonThresholdMeV / t)
            let (inv1, inv2) = try MultipleScatteringModel.inverseTransportMeanFreePaths(material, kineticEnergyMeV: t)
            col[ElectronTableView.Layout.collision][i] = ElectronCollisionStoppingPower.unrestricted(
                kineticEnergyMeV: t, electronsPerGram: ne, meanExcitationEnergyEV: iEV, delta: delta)
            col[ElectronTableView.Layout.radiative][i] = t / k.beta2 * BremsstrahlungCrossSection.integral(x, from: 0, to: 1)
            col[ElectronTableView.Layout.restrictedCollision][i] = ElectronCollisionStoppingPower.restricted(
                kineticEnergyMeV: t, cutMeV: cuts.mollerThresholdMeV, electronsPerGram: ne,
                meanExcitationEnergyEV: iEV, delta: delta)
            col[ElectronTableView.Layout.restrictedRadiative][i] =
                t / k.beta2 * BremsstrahlungCrossSection.integral(x, from: 0, to: kappaCut)
            col[ElectronTableView.Layout.moller][i] =
                ne * MollerScattering.crossSectionPerElectron(kineticEnergyMeV: t, cutMeV: cuts.mollerThresholdMeV)
            col[ElectronTableView.Layout.brems][i] = kappaCut < 1
                ? BremsstrahlungCrossSection.integralOverKappa(x, from: kappaCut, to: 1) / k.beta2 : 0
            col[ElectronTableView.Layout.lambda1][i] = 1 / inv1
            col[ElectronTableView.Layout.lambda2][i] = 1 / inv2
            col[ElectronTableView.Layout.delta][i] = delta
            var rowMax = 0.0
            for j in 0..<nk { chiRows[i * nk + j] = x[j]; rowMax = max(rowMax, x[j]) }
            col[ElectronTableView.Layout.bremsRowMax][i] = rowMax
        }

        // CSDA range and its restricted (class-II continuous-loss) counterpart, with inverses.
        let sTot = (0..<n).map { col[ElectronTableView.Layout.collision][$0] + col[ElectronTableView.Layout.radiative][$0] }
        let lTot = (0..<n).map {
            col[ElectronTableView.Layout.restrictedCollision][$0] + col[ElectronTableView.Layout.restrictedRadiative][$0]
        }
        let csda = Self.rangeTables(energies: energies, stoppingPower: sTot)
        let restricted = Self.rangeTables(energies: energies, stoppingPower: lTot)
        col[ElectronTableView.Layout.csdaRange] = csda.range
        col[ElectronTableView.Layout.energyFromRange] = csda.energyFromRange
        col[ElectronTableView.Layout.restrictedRange] = restricted.range
        col[ElectronTableView.Layout.energyFromRestrictedRange] = restricted.energyFromRange

        // Radiation yield Y(T) = (1/T) ∫₀^T S_rad/S_tot dT', S_rad/S_tot held at its T₀ value below T₀;
        // trapezoid rule in u = ln T on T · S_rad/S_tot.
        let radiative = col[ElectronTableView.Layout.radiative]
        var yieldIntegral = energies[0] * radiative[0] / sTot[0]
        col[ElectronTableView.Layout.radiationYield][0] = radiative[0] / sTot[0]
        for i in 1..<n {
            let du = _log(energies[i] / energies[i - 1])
            yieldIntegral += 0.5 * du * (energies[i - 1] * radiative[i - 1] / sTot[i - 1] + energies[i] * radiative[i] / sTot[i])
            col[ElectronTableView.Layout.radiationYield][i] = yieldIntegral / energies[i]
        }

        var flat: [Double] = []
        flat.reserveCapacity(ElectronTableView.Layout.columnCount * n + nk + n * nk)
        for c in col { flat.append(contentsOf: c) }
        flat.append(contentsOf: SeltzerBergerTable.kappa)
        flat.append(contentsOf: chiRows)

        materialName = material.name
        density = material.density
        self.cuts = cuts
        self.gridCount = n
        storage = ElectronTableStorage(flat)
        layout = ElectronTableView.Layout(
            count: n, lnMinEnergy: lnMin, inverseEnergyStep: 1 / step, minEnergy: Self.minEnergyMeV,
            csda: csda.grid, restricted: restricted.grid, kappaCount: nk,
            mollerThresholdMeV: cuts.mollerThresholdMeV, photonThresholdMeV: cuts.photonThresholdMeV)
    }

    /// Read-only view for the transport loop. Valid while this table (or a copy of it) exists.
    public var view: ElectronTableView { ElectronTableView(base: UnsafePointer(storage.pointer), layout: layout) }

    /// Radiation yield Y(T): fraction of T radiated as bremsstrahlung while slowing down (CSDA).
    /// Below 1 keV Y is taken ∝ T (it is < 10⁻⁴ there). Requires T ≤ 3 MeV.
    public func radiationYield(energyMeV: Double) -> Double {
        precondition(energyMeV >= 0 && energyMeV <= Self.maxEnergyMeV, "electron energy \(energyMeV) MeV outside 0...3 MeV")
        return withExtendedLifetime(storage) { view.radiationYield(energyMeV: energyMeV) }
    }

    /// CSDA range R(T) (g/cm²). Below 1 keV the power-law continuation of S_tot is used. Requires T ≤ 3 MeV.
    public func csdaRange(energyMeV: Double) -> Double {
        precondition(energyMeV >= 0 && energyMeV <= Self.maxEnergyMeV, "electron energy \(energyMeV) MeV outside 0...3 MeV")
        return withExtendedLifetime(storage) { view.csdaRange(energyMeV: energyMeV) }
    }

    /// Restricted range ∫ dT/(L_Δ + restricted S_rad) (g/cm²): the path over which the class-II
    /// continuous loss alone would stop the electron. Requires T ≤ 3 MeV.
    public func restrictedRange(energyMeV: Double) -> Double {
        precondition(energyMeV >= 0 && energyMeV <= Self.maxEnergyMeV, "electron energy \(energyMeV) MeV outside 0...3 MeV")
        return withExtendedLifetime(storage) { view.restrictedRange(energyMeV: energyMeV) }
    }

    /// Kinetic energy (MeV) of an electron whose CSDA residual range is `gramPerCm2`.
    public func energyFromResidualRange(gramPerCm2: Double) -> Double {
        precondition(gramPerCm2 >= 0, "negative residual range")
        return withExtendedLifetime(storage) { view.energyFromResidualRange(gramPerCm2: gramPerCm2) }
    }

    /// Checked lookup of any tabulated quantity at kinetic energy T (MeV).
    /// - Throws: `InputError` if T is not finite or lies outside 1 keV ... 3 MeV.
    public func value(_ quantity: ElectronQuantity, energyMeV t: Double) throws -> Double {
        guard t.isFinite, t >= Self.minEnergyMeV, t <= Self.maxEnergyMeV else {
            throw InputError(source: "electron table '\(materialName)'", field: "energy_MeV", value: "\(t)",
                             reason: "outside the tabulated range \(Self.minEnergyMeV)...\(Self.maxEnergyMeV) MeV")
        }
        return withExtendedLifetime(storage) {
            let v = view
            switch quantity {
            case .collisionStoppingPower: return v.collisionStoppingPower(energyMeV: t)
            case .radiativeStoppingPower: return v.radiativeStoppingPower(energyMeV: t)
            case .totalStoppingPower: return v.collisionStoppingPower(energyMeV: t) + v.radiativeStoppingPower(energyMeV: t)
            case .restrictedCollisionStoppingPower: return v.interpolate(ElectronTableView.Layout.restrictedCollision, t)
            case .restrictedRadiativeStoppingPower: return v.interpolate(ElectronTableView.Layout.restrictedRadiative, t)
            case .restrictedStoppingPower: return v.restrictedStoppingPower(energyMeV: t)
            case .mollerCrossSection: return v.mollerCrossSection(energyMeV: t)
            case .bremsstrahlungCrossSection: return v.bremsstrahlungCrossSection(energyMeV: t)
            case .firstTransportMeanFreePath: return v.firstTransportMeanFreePath(energyMeV: t)
            case .secondTransportMeanFreePath: return v.secondTransportMeanFreePath(energyMeV: t)
            case .csdaRange: return v.csdaRange(energyMeV: t)
            case .restrictedRange: return v.restrictedRange(energyMeV: t)
            case .radiationYield: return v.radiationYield(energyMeV: t)
            case .densityEffect: return v.interpolate(ElectronTableView.Layout.delta, t)
            }
        }
    }

    /// R(T) = R(T₀) + ∫_{T₀}^{T} dT'/S(T') on the energy grid (trapezoid rule in ln T) and T(R) on a
    /// grid uniform in ln R. Below T₀ = 1 keV, S is continued as the power law S ∝ T^s through the two
    /// lowest grid points, so R(T₀) = T₀ / ((1 − s) S(T₀)) and R ∝ T^(1−s) below T₀.
    static func rangeTables(energies: [Double], stoppingPower sp: [Double])
        -> (range: [Double], energyFromRange: [Double], grid: ElectronTableView.RangeGrid) {
        let n = energies.count
        let slope = _log(sp[1] / sp[0]) / _log(energies[1] / energies[0])
        let exponent = 1 - slope
        var range = [Double](repeating: 0, count: n)
        range[0] = energies[0] / (exponent * sp[0])
        for i in 1..<n {
            let du = _log(energies[i] / energies[i - 1])
            range[i] = range[i - 1] + 0.5 * du * (energies[i - 1] / sp[i - 1] + energies[i] / sp[i])
        }
        let lnRMin = _log(range[0]), lnRMax = _log(range[n - 1])
        let stepR = (lnRMax - lnRMin) / Double(n - 1)
        var energyFromRange = [Double](repeating: 0, count: n)
        var seg = 0
        for j in 0..<n {
            let target = j == n - 1 ? lnRMax : lnRMin + Double(j) * stepR
            while seg < n - 2 && _log(range[seg + 1]) < target { seg += 1 }
            let a = _log(range[seg]), b = _log(range[seg + 1])
            let f = (target - a) / (b - a)
            energyFromRange[j] = _exp((1 - f) * _log(energies[seg]) + f * _log(energies[seg + 1]))
        }
        let grid = ElectronTableView.RangeGrid(lnMinRange: lnRMin, inverseRangeStep: 1 / stepR,
                                               minRange: range[0], exponent: exponent)
        return (range, energyFromRange, grid)
    }

    static func validate(_ m: Material) throws {
        guard !m.composition.isEmpty else {
            throw InputError(source: m.name, field: "composition", value: "", reason: "is empty")
        }
        var sum = 0.0
        for c in m.composition {
            guard Element.byZ(c.z) != nil else {
                throw InputError(source: m.name, field: "composition", value: "Z=\(c.z)", reason: "element not in Element.table")
            }
            guard c.massFraction.isFinite, c.massFraction > 0 else {
                throw InputError(source: m.name, field: "composition", value: "Z=\(c.z): \(c.massFraction)",
                                 reason: "mass fractions must be positive")
            }
            sum += c.massFraction
        }
        guard abs(sum - 1) <= 5e-3 else {
            throw InputError(source: m.name, field: "composition", value: "sum=\(sum)", reason: "mass fractions must sum to 1 (±0.005)")
        }
        guard m.density.isFinite, m.density > 0 else {
            throw InputError(source: m.name, field: "density", value: "\(m.density)", reason: "must be positive (g/cm³)")
        }
        guard m.meanExcitationEnergyEV.isFinite, m.meanExcitationEnergyEV > 1, m.meanExcitationEnergyEV < 2000 else {
            throw InputError(source: m.name, field: "meanExcitationEnergyEV", value: "\(m.meanExcitationEnergyEV)",
                             reason: "must lie between 1 and 2000 eV")
        }
    }
}

/// Owner of the table's heap block; immutable after initialisation.
final class ElectronTableStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    let count: Int
    init(_ values: [Double]) {
        count = values.count
        pointer = .allocate(capacity: values.count)
        values.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: $0.count) }
    }
    deinit { pointer.deallocate() }
}
