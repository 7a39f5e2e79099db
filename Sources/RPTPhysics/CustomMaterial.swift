import RPTCore

/// Media given by their elemental composition in an input file (a material table), checked and turned into a
/// `Material` the way the built-in ones are made (`MaterialLibrary`): mass fractions, density, and the mean
/// excitation energy by Bragg additivity with the ICRU-37 condensed-phase element values
/// (`MeanExcitationEnergy.braggAdditivity`; ICRU Report 37 (1984), Eq. 4.3).
public enum CustomMaterial {
    /// Largest |Σ wᵢ − 1| accepted; the fractions are then divided by their sum. Published tables round each
    /// fraction (ICRP Publication 110 lists per cent to one decimal for up to 13 elements), so their sums can be
    /// off by a few tenths of a per cent; a larger gap means a missing or mistyped element.
    public static let fractionSumTolerance = 0.01

    /// Plausible mass densities (g/cm³): from 1e-4 (below dry air's 1.2e-3: gas-filled cavities) to 22.6 (osmium,
    /// the densest element; CRC Handbook of Chemistry and Physics).
    public static let densityRange = 1e-4...22.6

    /// Elements for which every table is available (photon cross sections, atomic subshells for the density
    /// effect, and an ICRU-37 I-value), in order of Z.
    public static let supportedElements: [Element] = Element.table.filter { e in
        PhotonElementLibrary.byZ[e.z] != nil && MeanExcitationEnergy.condensedPhaseValue(z: e.z) != nil
            && AtomicSubshellTable.all.contains { $0.z == e.z }
    }

    static var supportedSymbols: String { supportedElements.map(\.symbol).joined(separator: ", ") }

    /// The supported element with symbol `symbol` (letter case ignored, "ca" = "Ca").
    /// - Throws: `InputError` naming `source`/`field` and listing the supported symbols.
    public static func element(symbol: String, source: String, field: String) throws -> Element {
        if let e = supportedElements.first(where: { $0.symbol.lowercased() == symbol.lowercased() }) { return e }
        let known = Element.table.first { $0.symbol.lowercased() == symbol.lowercased() }
        throw InputError(source: source, field: field, value: symbol,
                         reason: (known == nil ? "unknown element symbol" : "no complete interaction data for this element")
                            + "; supported: " + supportedSymbols)
    }

    /// Parses `H:0.105;C:0.256;…` (symbol `:` mass fraction, entries separated by `;`, spaces allowed).
    /// - Throws: `InputError` for a malformed entry, an unknown element, an element listed twice or a fraction
    ///   outside (0, 1].
    public static func parseComposition(_ text: String, source: String, field: String) throws -> [(element: Element, massFraction: Double)] {
        var out: [(element: Element, massFraction: Double)] = []
        let entries = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !entries.isEmpty else {
            throw InputError(source: source, field: field, value: text, reason: "empty composition; expected e.g. H:0.105;C:0.256;…")
        }
        for entry in entries {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw InputError(source: source, field: field, value: entry,
                                 reason: "expected 'symbol:mass fraction' entries separated by ';', e.g. H:0.105;C:0.256")
            }
            let element = try Self.element(symbol: parts[0], source: source, field: field)
            out.append((element, try fraction(parts[1], element: element, source: source, field: field)))
        }
        return out
    }

    /// A mass fraction in (0, 1].
    public static func fraction(_ text: String, element: Element, source: String, field: String) throws -> Double {
        guard let w = Double(text), w.isFinite, w > 0, w <= 1 else {
            throw InputError(source: source, field: field, value: "\(element.symbol):\(text)",
                             reason: "a mass fraction must be a number in (0, 1]")
        }
        return w
    }

    /// The material `name` with these mass fractions and nominal `density` (g/cm³).
    /// - Throws: `InputError` for an element listed twice, fractions whose sum is not 1 ± `fractionSumTolerance`,
    ///   or an implausible density.
    public static func material(name: String, composition: [(element: Element, massFraction: Double)], density: Double,
                                source: String) throws -> Material {
        var seen = Set<Int>()
        for c in composition where !seen.insert(c.element.z).inserted {
            throw InputError(source: source, field: "composition", value: c.element.symbol, reason: "element listed twice")
        }
        let sum = composition.reduce(0) { $0 + $1.massFraction }
        guard abs(sum - 1) <= fractionSumTolerance else {
            let hint = (99...101).contains(sum) ? " (these look like per cent: divide by 100)" : ""
            throw InputError(source: source, field: "composition", value: "sum = \(sum)",
                             reason: "mass fractions must sum to 1 within ±\(fractionSumTolerance)\(hint)")
        }
        try checkDensity(density, source: source, field: "density_g_cm3")
        let fractions = composition.sorted { $0.element.z < $1.element.z }.map { (z: $0.element.z, massFraction: $0.massFraction / sum) }
        guard let i = MeanExcitationEnergy.braggAdditivity(fractions) else {
            throw InputError(source: source, field: "composition", reason: "no I-value for an element")  // excluded above
        }
        return Material(name: name, density: density, composition: fractions, meanExcitationEnergyEV: i,
                        source: "\(source): elemental mass fractions (normalised from sum \(sum)); "
                            + "I by Bragg additivity with ICRU-37 condensed-phase values")
    }

    /// Refuses a density outside `densityRange`.
    public static func checkDensity(_ density: Double, source: String, field: String) throws {
        guard density.isFinite, densityRange.contains(density) else {
            throw InputError(source: source, field: field, value: "\(density)",
                             reason: "implausible mass density; expected \(densityRange.lowerBound) to \(densityRange.upperBound) g/cm³")
        }
    }
}
