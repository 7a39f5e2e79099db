import RPTCore

/// Photon mass attenuation coefficients of a list of materials on the uniform log-energy grid
/// `PhotonEnergyGrid` (1 keV – 3 MeV, ~200 points per decade), per process and in total.
///
/// Mixture rule: μ/ρ = Σ wᵢ (μ/ρ)ᵢ (independent-atom approximation; no molecular or solid-state effects).
/// Lookup: t = (ln E − ln E_min) · invΔ, i = ⌊t⌋, μ/ρ = (1−f)·μᵢ + f·μᵢ₊₁ with f = t − i, i.e. linear in μ/ρ
/// and in ln E (“lin–log”). With Δln E = 0.0114 the interpolation error of a power law E⁻³ is < 2·10⁻⁴;
/// absorption edges are resolved only to one grid step (an edge is smeared over ±1.1 % in energy).
/// The table also holds what the samplers need: per-element partial cross sections (to choose the atom)
/// and each material's cumulative coherent form-factor integral.
public struct PhotonMaterialTable: Sendable {
    /// The materials, in the order of `materialIndex`.
    public let materials: [Material]
    @usableFromInline let energyCount: Int
    /// μ/ρ (cm²/g): [(material · 5 + channel) · energyCount + i], channels = 4 processes + total.
    @usableFromInline let mu: [Double]
    /// Flattened (material, element) slots: slot range per material.
    @usableFromInline let slotStart: [Int]
    @usableFromInline let slotCount: [Int]
    /// Element data per slot.
    let slotElement: [PhotonElementData]
    /// Mass fraction / atomic weight (mol/g) per slot.
    let slotAtomsPerGram: [Double]
    /// Partial μ/ρ (cm²/g, already × mass fraction) per slot, k = 0 photoelectric, 1 incoherent, laid out by
    /// grid point: [(k · energyCount + i) · slotTotal + slot], so that choosing the atom at one energy reads
    /// two short contiguous rows instead of one cache line per element.
    @usableFromInline let slotPartialByPoint: [Double]
    /// Number of slots over all materials.
    @usableFromInline let slotTotal: Int
    /// Coherent sampling: nodes t_j = x_j² (1/Å²) with t_0 = 0, then the momentum grid squared.
    let coherentT: [Double]
    /// G(t) = Σ (wᵢ/Aᵢ) Fᵢ(x)² and its cumulative A(t) = ∫₀ᵗ G dt' per material: [m · nT + j].
    let coherentG: [Double]
    let coherentA: [Double]

    /// Builds the table for `materials`.
    /// - Throws: `InputError` if a material contains an element without photon data, or its fractions
    ///   do not sum to 1 within 1e-3.
    public init(materials: [Material]) throws {
        self.materials = materials
        let nE = PhotonEnergyGrid.count
        energyCount = nE
        var mu = [Double](repeating: 0, count: materials.count * 5 * nE)
        var start: [Int] = [], count: [Int] = [], elems: [PhotonElementData] = [], perGram: [Double] = []
        var partial: [[Double]] = []  // per slot: photoelectric row, then incoherent row
        for (m, mat) in materials.enumerated() {
            let sum = mat.composition.reduce(0) { $0 + $1.massFraction }
            guard abs(sum - 1) < 1e-3 else {
                throw InputError(source: "material '\(mat.name)'", field: "composition", value: "\(sum)",
                                 reason: "mass fractions must sum to 1")
            }
            start.append(elems.count); count.append(mat.composition.count)
            for c in mat.composition {
                guard let d = PhotonElementLibrary.byZ[c.z], let el = Element.byZ(c.z) else {
                    throw InputError(source: "material '\(mat.name)'", field: "composition", value: "Z=\(c.z)",
                                     reason: "no photon data for this element; available Z: "
                                        + PhotonElementLibrary.byZ.keys.sorted().map(String.init).joined(separator: ", "))
                }
                let w = c.massFraction / sum
                elems.append(d); perGram.append(w / el.atomicWeight)
                for p in PhotonProcess.allCases {
                    for i in 0..<nE {
                        let v = w * d.massAttenuation(p, at: i)
                        mu[(m * 5 + p.rawValue) * nE + i] += v
                        mu[(m * 5 + 4) * nE + i] += v
                    }
                }
                partial.append(d.photoelectric.map { w * $0 })
                partial.append(d.incoherent.map { w * $0 })
            }
        }
        self.mu = mu; slotStart = start; slotCount = count; slotElement = elems; slotAtomsPerGram = perGram
        let slots = elems.count
        slotTotal = slots
        var byPoint = [Double](repeating: 0, count: 2 * nE * slots)
        for s in 0..<slots {
            for k in 0..<2 {
                for i in 0..<nE { byPoint[(k * nE + i) * slots + s] = partial[s * 2 + k][i] }
            }
        }
        slotPartialByPoint = byPoint
        // Coherent cumulative: trapezoid rule in t = x² on the momentum grid.
        let nX = PhotonMomentumGrid.count
        var t = [0.0]
        for j in 0..<nX { let x = PhotonMomentumGrid.momentum(at: j); t.append(x * x) }
        var g = [Double](), a = [Double]()
        for m in materials.indices {
            var gm = [Double](repeating: 0, count: nX + 1)
            for s in start[m]..<(start[m] + count[m]) {
                let d = elems[s]
                for j in 0..<nX {
                    let f = d.formFactor(x: PhotonMomentumGrid.momentum(at: j))
                    gm[j + 1] += perGram[s] * f * f
                }
            }
            gm[0] = gm[1]  // F is constant below the grid's first node
            var am = [Double](repeating: 0, count: nX + 1)
            for j in 1...nX { am[j] = am[j - 1] + 0.5 * (gm[j - 1] + gm[j]) * (t[j] - t[j - 1]) }
            g += gm; a += am
        }
        coherentT = t; coherentG = g; coherentA = a
    }

    /// The table for every built-in material (`MaterialLibrary.all`), in that order.
    public static func builtIn() -> PhotonMaterialTable {
        do { return try PhotonMaterialTable(materials: MaterialLibrary.all) } catch {
            fatalError("built-in materials lack photon data: \(error)")
        }
    }

    /// Index of the material called `name`.
    /// - Throws: `InputError` listing the table's material names.
    public func materialIndex(named name: String, source: String = "material") throws -> Int {
        if let i = materials.firstIndex(where: { $0.name == name }) { return i }
        throw InputError(source: source, field: "material", value: name,
                         reason: "unknown material; valid names: " + materials.map(\.name).joined(separator: ", "))
    }

    /// Checks that `energyMeV` lies in the tabulated range 1 keV – 3 MeV.
    /// - Throws: `InputError` naming `source`, the energy and the valid range.
    public static func checkEnergy(_ energyMeV: Double, source: String = "photon energy") throws {
        guard energyMeV.isFinite, energyMeV >= PhotonEnergyGrid.minimumMeV * (1 - 1e-12),
              energyMeV <= PhotonEnergyGrid.maximumMeV * (1 + 1e-12) else {
            throw InputError(source: source, field: "energy (MeV)", value: "\(energyMeV)",
                             reason: "photon data cover 0.001 MeV (1 keV) to 3 MeV only")
        }
    }

    /// Grid interval and fraction for `energyMeV` (clamped to the grid).
    @inlinable
    public func gridLocation(_ energyMeV: Double) -> (index: Int, fraction: Double) {
        var t = (_log(energyMeV) - PhotonEnergyGrid.logMinimum) * PhotonEnergyGrid.inverseLogStep
        t = min(max(t, 0), Double(energyCount - 1) - 1e-9)
        let i = Int(t)
        return (i, t - Double(i))
    }

    /// μ/ρ (cm²/g) of one process. Hot-loop lookup: no checks, energies outside 1 keV – 3 MeV are clamped.
    @inlinable
    public func muOverRho(_ process: PhotonProcess, materialIndex m: Int, energyMeV: Double) -> Double {
        channel(m * 5 + process.rawValue, gridLocation(energyMeV))
    }

    /// Total μ/ρ (cm²/g) = photoelectric + incoherent + coherent + pair. Hot-loop lookup (clamped).
    @inlinable
    public func totalMuOverRho(materialIndex m: Int, energyMeV: Double) -> Double {
        channel(m * 5 + 4, gridLocation(energyMeV))
    }

    /// Total μ/ρ (cm²/g) and the shares of photoelectric, incoherent and coherent scattering (pair
    /// production is the rest), with one grid lookup. Hot-loop lookup (clamped, unchecked).
    @inlinable
    public func processShares(materialIndex m: Int, energyMeV: Double)
        -> (total: Double, photoelectric: Double, incoherent: Double, coherent: Double) {
        processShares(materialIndex: m, location: gridLocation(energyMeV))
    }

    /// `processShares` at a grid location already computed with `gridLocation` (saves the logarithm
    /// when the energy has not changed since).
    @inlinable
    public func processShares(materialIndex m: Int, location loc: (index: Int, fraction: Double))
        -> (total: Double, photoelectric: Double, incoherent: Double, coherent: Double) {
        let total = channel(m * 5 + 4, loc)
        let inv = total > 0 ? 1 / total : 0
        return (total, channel(m * 5 + PhotonProcess.photoelectric.rawValue, loc) * inv,
                channel(m * 5 + PhotonProcess.incoherent.rawValue, loc) * inv,
                channel(m * 5 + PhotonProcess.coherent.rawValue, loc) * inv)
    }

    /// Total μ/ρ (cm²/g) of material m at a grid location (the `total` of `processShares`, alone).
    @inlinable
    public func totalMuOverRho(materialIndex m: Int, location loc: (index: Int, fraction: Double)) -> Double {
        channel(m * 5 + 4, loc)
    }

    /// Total μ/ρ (cm²/g) at grid point i of material m (no interpolation).
    public func totalMuOverRho(materialIndex m: Int, gridPoint i: Int) -> Double { mu[(m * 5 + 4) * energyCount + i] }

    @inlinable
    func channel(_ c: Int, _ loc: (index: Int, fraction: Double)) -> Double {
        mu.withUnsafeBufferPointer { p in
            let k = c * energyCount + loc.index
            return p[k] + loc.fraction * (p[k + 1] - p[k])
        }
    }

    /// μ/ρ (cm²/g) of one process, with range checks.
    /// - Throws: `InputError` if the energy is outside 1 keV – 3 MeV or the material index is invalid.
    public func massAttenuation(_ process: PhotonProcess, materialIndex m: Int, energyMeV: Double) throws -> Double {
        try Self.checkEnergy(energyMeV); try checkMaterial(m)
        return muOverRho(process, materialIndex: m, energyMeV: energyMeV)
    }

    /// Total μ/ρ (cm²/g), with range checks.
    public func totalMassAttenuation(materialIndex m: Int, energyMeV: Double) throws -> Double {
        try Self.checkEnergy(energyMeV); try checkMaterial(m)
        return totalMuOverRho(materialIndex: m, energyMeV: energyMeV)
    }

    func checkMaterial(_ m: Int) throws {
        guard materials.indices.contains(m) else {
            throw InputError(source: "photon material table", field: "materialIndex", value: "\(m)",
                             reason: "valid indices are 0..<\(materials.count)")
        }
    }

    /// Chooses the atom that interacts, with probability equal to its share of the partial cross section
    /// (`kind` 0 = photoelectric, 1 = incoherent). Returns the slot index.
    @inlinable
    func sampleSlot(kind: Int, materialIndex m: Int, location loc: (index: Int, fraction: Double),
                    _ rng: inout RandomStream) -> Int {
        let first = slotStart[m], n = slotCount[m]
        let total = channel(m * 5 + kind, loc)
        let target = rng.uniform32() * total  // a few atoms per material: 32 bits are ample
        return slotPartialByPoint.withUnsafeBufferPointer { p in
            let lower = p.baseAddress! + (kind * energyCount + loc.index) * slotTotal  // row of grid point i
            let upper = lower + slotTotal                                            // row of grid point i + 1
            var acc = 0.0
            for s in first..<(first + n) {
                acc += lower[s] + loc.fraction * (upper[s] - lower[s])
                if target < acc { return s }
            }
            return first + n - 1
        }
    }

    /// Share of each element of material `m` in the partial cross section of `kind` at the grid location.
    func slotShare(kind: Int, slot s: Int, materialIndex m: Int, location loc: (index: Int, fraction: Double)) -> Double {
        let total = channel(m * 5 + kind, loc)
        guard total > 0 else { return 0 }
        let lower = slotPartialByPoint[(kind * energyCount + loc.index) * slotTotal + s]
        let upper = slotPartialByPoint[(kind * energyCount + loc.index + 1) * slotTotal + s]
        return (lower + loc.fraction * (upper - lower)) / total
    }

    func slots(of m: Int) -> Range<Int> { slotStart[m]..<(slotStart[m] + slotCount[m]) }
}
