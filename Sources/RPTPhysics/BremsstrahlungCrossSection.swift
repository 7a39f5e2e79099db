import RPTCore

/// Electron bremsstrahlung from the Seltzer–Berger scaled cross sections.
///
/// S. M. Seltzer & M. J. Berger, At. Data Nucl. Data Tables 35, 345 (1986) tabulate
/// χ(Z, T, κ) = (β²/Z²) k dσ/dk (millibarn) for the atom (nucleus + atomic electrons), κ = k/T;
/// these are the cross sections behind NIST ESTAR and ICRU Report 37 radiative stopping powers.
/// Per gram of a material with nⱼ atoms of element j per gram, define
///     X(T, κ) = Σⱼ nⱼ Zⱼ² χ(Zⱼ, T, κ) × 10⁻²⁷ cm²/mb   (cm²/g);
/// then  k dσ/dk = X/β²,
///     S_rad/ρ = (T/β²) ∫₀¹ X dκ,   restricted below k_c:  (T/β²) ∫₀^{k_c/T} X dκ,
///     σ(k > k_c) = (1/β²) ∫_{k_c/T}¹ X/κ dκ   (cm²/g).
/// χ is interpolated linearly in ln T between tabulated energies and linearly in κ between the 30
/// tabulated κ (integrals over κ are exact for the piecewise-linear χ). Elements without a table
/// (F, Al, Si, Ar, Cu, Zn, Ba, Gd) use χ interpolated linearly in Z between the nearest tabulated
/// elements (χ varies slowly with Z: ≲ 2 % error for F, Al, Si, Ar; several per cent at the lowest
/// energies for Cu, Zn, Ba, Gd, whose neighbours are far apart).
public enum BremsstrahlungCrossSection {
    /// Tabulated κ = k/T (30 values from 0 to 1).
    public static var kappaGrid: [Double] { SeltzerBergerTable.kappa }

    /// χ rows of a tabulated element: [energy index][κ index], millibarn.
    static let parsedTables: [Int: [[Double]]] = {
        var out: [Int: [[Double]]] = [:]
        for z in SeltzerBergerTable.tabulatedZ {
            guard let text = SeltzerBergerTable.text(z: z) else { continue }
            let values = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { Double(String($0))! }
            let n = SeltzerBergerTable.kappa.count
            out[z] = stride(from: 0, to: values.count, by: n).map { Array(values[$0..<($0 + n)]) }
        }
        return out
    }()

    /// χ(Z, T, κ-grid) in millibarn for one element at kinetic energy T (MeV), 1 keV ≤ T ≤ 4 MeV.
    /// - Throws: `InputError` if Z lies outside the tabulated range (1–82).
    public static func scaledCrossSection(z: Int, kineticEnergyMeV t: Double) throws -> [Double] {
        if let rows = parsedTables[z] { return interpolateInEnergy(rows, t) }
        let tabulated = SeltzerBergerTable.tabulatedZ
        guard let upper = tabulated.first(where: { $0 > z }), let lower = tabulated.last(where: { $0 < z }) else {
            throw InputError(source: "bremsstrahlung", field: "Z", value: "\(z)",
                             reason: "outside the Seltzer-Berger elements bundled (Z = 1...82)")
        }
        let a = interpolateInEnergy(parsedTables[lower]!, t)
        let b = interpolateInEnergy(parsedTables[upper]!, t)
        let w = Double(z - lower) / Double(upper - lower)
        return zip(a, b).map { (1 - w) * $0 + w * $1 }
    }

    static func interpolateInEnergy(_ rows: [[Double]], _ t: Double) -> [Double] {
        let e = SeltzerBergerTable.energiesMeV
        let tt = min(max(t, e[0]), e[e.count - 1])
        var i = 0
        while i < e.count - 2 && e[i + 1] < tt { i += 1 }
        let f = _log(tt / e[i]) / _log(e[i + 1] / e[i])
        return zip(rows[i], rows[i + 1]).map { (1 - f) * $0 + f * $1 }
    }

    /// X(T, κ-grid) = Σ nⱼ Zⱼ² χⱼ × 10⁻²⁷ (cm²/g) for `material` at kinetic energy T (MeV).
    public static func materialScaledCrossSection(_ material: Material, kineticEnergyMeV t: Double) throws -> [Double] {
        var x = [Double](repeating: 0, count: SeltzerBergerTable.kappa.count)
        for c in material.composition {
            guard let element = Element.byZ(c.z) else {
                throw InputError(source: material.name, field: "composition", value: "Z=\(c.z)",
                                 reason: "element not in Element.table")
            }
            let atomsPerGram = c.massFraction / element.atomicWeight * PhysicalConstants.avogadro
            let chi = try scaledCrossSection(z: c.z, kineticEnergyMeV: t)
            let w = atomsPerGram * Double(c.z * c.z) * 1e-27
            for j in x.indices { x[j] += w * chi[j] }
        }
        return x
    }

    /// ∫_{a}^{b} X dκ for piecewise-linear X on the κ grid (0 ≤ a ≤ b ≤ 1).
    public static func integral(_ x: [Double], from a: Double, to b: Double) -> Double {
        piecewiseIntegral(x, a, b) { x0, x1, k0, k1 in 0.5 * (x0 + x1) * (k1 - k0) }
    }

    /// ∫_{a}^{b} X/κ dκ for piecewise-linear X on the κ grid (0 < a ≤ b ≤ 1).
    public static func integralOverKappa(_ x: [Double], from a: Double, to b: Double) -> Double {
        piecewiseIntegral(x, a, b) { x0, x1, k0, k1 in
            // X = x0 + s (κ − k0): ∫ X/κ = (x0 − s k0) ln(k1/k0) + s (k1 − k0)
            let s = (x1 - x0) / (k1 - k0)
            return (x0 - s * k0) * _log(k1 / k0) + s * (k1 - k0)
        }
    }

    private static func piecewiseIntegral(_ x: [Double], _ a: Double, _ b: Double,
                                          _ piece: (Double, Double, Double, Double) -> Double) -> Double {
        let k = SeltzerBergerTable.kappa
        guard b > a else { return 0 }
        var sum = 0.0
        for j in 0..<(k.count - 1) {
            let lo = max(a, k[j]), hi = min(b, k[j + 1])
            guard hi > lo else { continue }
            let s = (x[j + 1] - x[j]) / (k[j + 1] - k[j])
            sum += piece(x[j] + s * (lo - k[j]), x[j] + s * (hi - k[j]), lo, hi)
        }
        return sum
    }
}
