import RPTCore

/// Label → medium and density for computational (label-map) phantoms, read from a CSV material table
/// (docs/formats/material-table.md). A medium is either a built-in material (`MaterialLibrary`) by name or a
/// custom one given by elemental mass fractions (`CustomMaterial`):
///
/// - wide form, one row per label: columns `label` and `material` and/or `composition`, optional `name` and
///   `density_g_cm3`; `composition` reads `H:0.105;C:0.256;…`; the original `label,material,density_g_cm3`
///   tables are this form;
/// - long form, one row per (label, element): columns `label,element,mass_fraction`, optional `name`,
///   `density_g_cm3` (given on at least one row of the label, equal on all that give it).
///
/// Labels are integers ≥ 0, each listed once (wide) or in one group of rows (long). Density in g/cm³, plausible
/// (`CustomMaterial.densityRange`); empty for a built-in material means its nominal density, and is required
/// for a composition.
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

    /// Column names a material table may have.
    public static let knownColumns = ["label", "material", "name", "density_g_cm3", "composition", "element", "mass_fraction"]

    /// - Throws: `InputError` naming the file, line and column (malformed label or density, duplicate label,
    ///   unknown material or element, fractions that do not sum to 1, implausible density, unknown column).
    public static func load(path: String) throws -> LabelMaterialTable {
        let csv = try CSVTable(path: path)
        try csv.requireRows()
        let lower = csv.header.map { $0.lowercased() }
        for (c, name) in lower.enumerated() where !knownColumns.contains(name) {
            throw InputError(source: "\(path):\(csv.headerLine):\(csv.headerColumns[c])", field: "header", value: csv.header[c],
                             reason: "unknown column; a material table has columns " + knownColumns.joined(separator: ", ")
                                + " (docs/formats/material-table.md)")
        }
        guard lower.contains("label") else {
            throw InputError(source: "\(path):\(csv.headerLine)", field: "header", value: csv.header.joined(separator: ","),
                             reason: "needs a 'label' column")
        }
        var builder = Builder(csv: csv)
        if lower.contains("element") || lower.contains("mass_fraction") {
            try builder.readLongForm()
        } else {
            guard lower.contains("material") || lower.contains("composition") else {
                throw InputError(source: "\(path):\(csv.headerLine)", field: "header", value: csv.header.joined(separator: ","),
                                 reason: "needs a 'material' (built-in name) or 'composition' (H:0.105;C:0.256;…) column")
            }
            try builder.readWideForm()
        }
        return LabelMaterialTable(entries: builder.entries, materials: builder.materials)
    }

    /// The entry for `label`, if listed.
    public func entry(label: Int) -> Entry? { entries.first { $0.label == label } }

    /// Collects entries and distinct materials while reading a table.
    struct Builder {
        let csv: CSVTable
        var entries: [Entry] = []
        var materials: [Material] = []

        func column(_ name: String) -> Int? { csv.columnIndex(name) }
        func text(_ row: CSVTable.Row, _ name: String) -> String { column(name).map { row.fields[$0] } ?? "" }

        func label(_ row: CSVTable.Row) throws -> Int {
            let c = column("label")!
            guard let label = Int(row.fields[c]), label >= 0 else { throw csv.error(row, c, reason: "must be an integer ≥ 0") }
            return label
        }

        /// The density of `row`, nil when its cell is empty or absent.
        func density(_ row: CSVTable.Row) throws -> Double? {
            guard let c = column("density_g_cm3"), !row.fields[c].isEmpty else { return nil }
            let d = try csv.number(row, c)
            guard CustomMaterial.densityRange.contains(d) else {
                throw csv.error(row, c, reason: "implausible mass density; expected \(CustomMaterial.densityRange.lowerBound) "
                                    + "to \(CustomMaterial.densityRange.upperBound) g/cm³")
            }
            return d
        }

        /// Name of a custom medium: the `name` cell, else `label_<label>`; built-in names are reserved.
        func customName(_ row: CSVTable.Row, label: Int) throws -> String {
            let name = text(row, "name")
            if MaterialLibrary.names.contains(name) {
                throw csv.error(row, column("name")!, reason: "is the name of a built-in material; give the composition a "
                                    + "name of its own, or use the built-in through the 'material' column")
            }
            return name.isEmpty ? "label_\(label)" : name
        }

        mutating func add(label: Int, material: Material, density: Double, row: CSVTable.Row) throws {
            if entries.contains(where: { $0.label == label }) {
                throw csv.error(row, column("label")!, reason: "label listed twice")
            }
            var index = materials.firstIndex { $0.name == material.name } ?? -1
            if index >= 0 {
                let old = materials[index]
                guard old.composition.map(\.z) == material.composition.map(\.z),
                      zip(old.composition, material.composition).allSatisfy({ abs($0.massFraction - $1.massFraction) < 1e-12 }) else {
                    throw InputError(source: csv.location(row), field: "name", value: material.name,
                                     reason: "the same name is given to two different compositions")
                }
            } else {
                materials.append(material); index = materials.count - 1
            }
            entries.append(Entry(label: label, materialIndex: index, density: density))
        }

        mutating func readWideForm() throws {
            for row in csv.rows {
                let label = try label(row)
                let builtIn = text(row, "material"), composition = text(row, "composition")
                let here = csv.location(row)
                switch (builtIn.isEmpty, composition.isEmpty) {
                case (false, true):
                    let material = try MaterialLibrary.material(named: builtIn, source: here, field: "material")
                    let name = text(row, "name")
                    if !name.isEmpty && name != material.name {
                        throw csv.error(row, column("name")!, reason: "a built-in material keeps its name ('\(material.name)'); "
                                            + "'name' is for compositions")
                    }
                    try add(label: label, material: material, density: try density(row) ?? material.density, row: row)
                case (true, false):
                    let c = column("composition")!
                    let source = "\(csv.source):\(row.line):\(row.columns[c])"
                    let parsed = try CustomMaterial.parseComposition(composition, source: source, field: "composition")
                    guard let d = try density(row) else {
                        throw InputError(source: here, field: "density_g_cm3", reason: "a composition needs its density (g/cm³)")
                    }
                    let material = try CustomMaterial.material(name: try customName(row, label: label), composition: parsed,
                                                               density: d, source: here)
                    try add(label: label, material: material, density: d, row: row)
                case (false, false):
                    throw InputError(source: here, field: "material / composition", value: "\(builtIn) / \(composition)",
                                     reason: "give either a built-in material or a composition, not both")
                case (true, true):
                    throw InputError(source: here, field: "material / composition",
                                     reason: "empty: give a built-in material name or a composition")
                }
            }
        }

        mutating func readLongForm() throws {
            for required in ["element", "mass_fraction"] where column(required) == nil {
                throw InputError(source: "\(csv.source):\(csv.headerLine)", field: "header", value: csv.header.joined(separator: ","),
                                 reason: "the long form (one row per element) needs columns label, element, mass_fraction")
            }
            for other in ["material", "composition"] where column(other) != nil {
                throw InputError(source: "\(csv.source):\(csv.headerLine)", field: "header", value: other,
                                 reason: "the long form (label, element, mass_fraction) takes no '\(other)' column")
            }
            // Group rows by label, in order of first appearance.
            var order: [Int] = [], groups: [Int: [CSVTable.Row]] = [:]
            for row in csv.rows {
                let l = try label(row)
                if groups[l] == nil {
                    order.append(l)
                } else if order.last != l {
                    throw csv.error(row, column("label")!, reason: "the rows of one label must follow each other")
                }
                groups[l, default: []].append(row)
            }
            for l in order {
                let rows = groups[l]!
                var composition: [(element: Element, massFraction: Double)] = []
                var density: Double? = nil, name = ""
                for row in rows {
                    let ec = column("element")!, fc = column("mass_fraction")!
                    let source = "\(csv.source):\(row.line)"
                    let element = try CustomMaterial.element(symbol: row.fields[ec], source: "\(source):\(row.columns[ec])", field: "element")
                    composition.append((element, try CustomMaterial.fraction(row.fields[fc], element: element,
                                                                             source: "\(source):\(row.columns[fc])", field: "mass_fraction")))
                    if let d = try self.density(row) {
                        if let previous = density, previous != d {
                            throw csv.error(row, column("density_g_cm3")!, reason: "differs from the density \(previous) given above for label \(l)")
                        }
                        density = d
                    }
                    let n = try customName(row, label: l)
                    if !text(row, "name").isEmpty {
                        if !name.isEmpty && name != n {
                            throw csv.error(row, column("name")!, reason: "differs from the name '\(name)' given above for label \(l)")
                        }
                        name = n
                    }
                }
                guard let d = density else {
                    throw InputError(source: "\(csv.source):\(rows[0].line)", field: "density_g_cm3", value: "",
                                     reason: "no row of label \(l) gives its density (g/cm³)")
                }
                let material = try CustomMaterial.material(name: name.isEmpty ? "label_\(l)" : name, composition: composition,
                                                           density: d, source: "\(csv.source):\(rows[0].line)–\(rows.last!.line)")
                try add(label: l, material: material, density: d, row: rows[0])
            }
        }
    }
}
