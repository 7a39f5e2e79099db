import RPTCore

/// Label → material and density for computational (label-map) phantoms, read from a CSV file with header
/// `label,material,density_g_cm3`: integer labels ≥ 0, each once; material names from `MaterialLibrary`;
/// density in g/cm³ > 0, or empty for the material's nominal density.
public struct LabelMaterialTable: Sendable {
    public struct Entry: Sendable, Equatable {
        public let label: Int
        /// Index into `materials`.
        public let materialIndex: Int
        public let density: Double
    }
    public let entries: [Entry]
    /// The distinct materials used, in order of first appearance.
    public let materials: [Material]

    /// - Throws: `InputError` naming the file and line (malformed label or density, duplicate label,
    ///   unknown material).
    public static func load(path: String) throws -> LabelMaterialTable {
        let csv = try CalibrationCSV(path: path, expectedHeader: ["label", "material", "density_g_cm3"])
        var entries: [Entry] = [], materials: [Material] = []
        for row in csv.rows {
            let here = "\(path):\(row.line)"
            guard let label = Int(row.fields[0]), label >= 0 else {
                throw InputError(source: here, field: "label", value: row.fields[0], reason: "must be an integer ≥ 0")
            }
            if entries.contains(where: { $0.label == label }) {
                throw InputError(source: here, field: "label", value: row.fields[0], reason: "label listed twice")
            }
            let material = try MaterialLibrary.material(named: row.fields[1], source: here, field: "material")
            var density = material.density
            if !row.fields[2].isEmpty {
                density = try csv.number(row, 2)
                guard density > 0 else {
                    throw InputError(source: here, field: "density_g_cm3", value: row.fields[2], reason: "must be > 0 g/cm³")
                }
            }
            var index = materials.firstIndex(where: { $0.name == material.name }) ?? -1
            if index < 0 { materials.append(material); index = materials.count - 1 }
            entries.append(Entry(label: label, materialIndex: index, density: density))
        }
        return LabelMaterialTable(entries: entries, materials: materials)
    }

    /// The entry for `label`, if listed.
    public func entry(label: Int) -> Entry? { entries.first { $0.label == label } }
}
