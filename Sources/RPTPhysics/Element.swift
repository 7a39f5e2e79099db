/// A chemical element as needed for interaction data: atomic number and standard atomic weight.
public struct Element: Sendable, Hashable {
    public let z: Int
    public let symbol: String
    /// Standard atomic weight (g/mol). Source: IUPAC Commission on Isotopic Abundances and Atomic
    /// Weights, "Standard atomic weights of the elements 2013", Pure Appl. Chem. 88, 265 (2016),
    /// conventional values where an interval is given.
    public let atomicWeight: Double

    /// Elements that occur in the tissues, contrast agents and phantom materials RPTDose supports.
    public static let table: [Element] = [
        Element(z: 1, symbol: "H", atomicWeight: 1.008),
        Element(z: 6, symbol: "C", atomicWeight: 12.011),
        Element(z: 7, symbol: "N", atomicWeight: 14.007),
        Element(z: 8, symbol: "O", atomicWeight: 15.999),
        Element(z: 9, symbol: "F", atomicWeight: 18.998),
        Element(z: 11, symbol: "Na", atomicWeight: 22.990),
        Element(z: 12, symbol: "Mg", atomicWeight: 24.305),
        Element(z: 13, symbol: "Al", atomicWeight: 26.982),
        Element(z: 14, symbol: "Si", atomicWeight: 28.085),
        Element(z: 15, symbol: "P", atomicWeight: 30.974),
        Element(z: 16, symbol: "S", atomicWeight: 32.06),
        Element(z: 17, symbol: "Cl", atomicWeight: 35.45),
        Element(z: 18, symbol: "Ar", atomicWeight: 39.948),
        Element(z: 19, symbol: "K", atomicWeight: 39.098),
        Element(z: 20, symbol: "Ca", atomicWeight: 40.078),
        Element(z: 26, symbol: "Fe", atomicWeight: 55.845),
        Element(z: 29, symbol: "Cu", atomicWeight: 63.546),
        Element(z: 30, symbol: "Zn", atomicWeight: 65.38),
        Element(z: 53, symbol: "I", atomicWeight: 126.904),
        Element(z: 56, symbol: "Ba", atomicWeight: 137.327),
        Element(z: 64, symbol: "Gd", atomicWeight: 157.25),
        Element(z: 74, symbol: "W", atomicWeight: 183.84),
        Element(z: 82, symbol: "Pb", atomicWeight: 207.2),
    ]

    /// The element with atomic number `z`, if in the table.
    public static func byZ(_ z: Int) -> Element? { table.first { $0.z == z } }
}

/// A homogeneous material: elemental composition by mass, mass density and mean excitation energy.
public struct Material: Sendable, Hashable {
    /// Identifier used on the command line and in files (`water`, `soft_tissue`, `cortical_bone`, …).
    public let name: String
    /// Nominal mass density (g/cm³). Voxel densities from CT may differ; interaction data are per
    /// unit mass and scale with the voxel's own density.
    public let density: Double
    /// (Z, mass fraction) pairs; fractions sum to 1.
    public let composition: [(z: Int, massFraction: Double)]
    /// Mean excitation energy I (eV) for the stopping power.
    public let meanExcitationEnergyEV: Double
    /// Where the composition, density and I-value come from.
    public let source: String

    public init(name: String, density: Double, composition: [(z: Int, massFraction: Double)],
                meanExcitationEnergyEV: Double, source: String) {
        self.name = name; self.density = density; self.composition = composition
        self.meanExcitationEnergyEV = meanExcitationEnergyEV; self.source = source
    }

    /// Electrons per gram: N_A · Σ wᵢ Zᵢ / Aᵢ (1/g).
    public var electronsPerGram: Double {
        composition.reduce(0.0) { acc, c in
            acc + c.massFraction * Double(c.z) / (Element.byZ(c.z)?.atomicWeight ?? Double(2 * c.z))
        } * 6.022_140_76e23
    }

    public static func == (a: Material, b: Material) -> Bool {
        a.name == b.name && a.density == b.density && a.meanExcitationEnergyEV == b.meanExcitationEnergyEV
            && a.composition.map(\.z) == b.composition.map(\.z)
            && a.composition.map(\.massFraction) == b.composition.map(\.massFraction)
    }
    public func hash(into h: inout Hasher) { h.combine(name); h.combine(density) }
}
