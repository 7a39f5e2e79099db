import RPTCore

/// Tables: a group per table with one 1-D dataset per column, attribute `columns` (ordered names),
/// `row_count`, and an optional `unit` attribute on each column dataset.
extension H5File {
    /// Writes `table` as a group at `tablePath` ("/tables/regions", or a bare name under `/tables`).
    public func writeTable(_ table: Table, at tablePath: String) throws {
        let g = HDF5Store.resolve(tablePath, under: HDF5Store.tablesGroup)
        _ = try requireWritable(g)
        try table.validate(source: path, table: g)
        guard !exists(g) else { throw InputError(source: path, field: g, reason: "an object already exists at this path") }
        try createGroup(g)
        try setAttribute("columns", .strings(table.columnNames), at: g)
        try setAttribute("row_count", .int(Int64(table.rowCount)), at: g)
        for c in table.columns {
            let p = g + "/" + c.name
            switch c.data {
            case .double(let v): try writeDataset(v, shape: [v.count], at: p)
            case .int(let v): try writeDataset(v, shape: [v.count], at: p)
            case .string(let v): try writeStrings(v, at: p)
            }
            if !c.unit.isEmpty { try setAttribute("unit", .string(c.unit), at: p) }
        }
    }

    /// Reads the table at `tablePath`. Columns come back in the order of the `columns` attribute;
    /// float columns as `.double`, integer columns as `.int`, string columns as `.string`.
    public func readTable(at tablePath: String) throws -> Table {
        let g = HDF5Store.resolve(tablePath, under: HDF5Store.tablesGroup)
        try requireCompatibleFormat()
        guard kind(of: g) == .group, try hasAttribute("columns", at: g) else {
            let present = (try? listTables()) ?? []
            throw InputError(source: path, field: g, reason: "no table at this path (tables in the file: "
                             + (present.isEmpty ? "none" : present.joined(separator: ", ")) + ")")
        }
        var table = Table()
        for name in try stringsAttribute("columns", at: g) {
            let p = g + "/" + name
            let info = try datasetInfo(at: p)
            guard info.shape.count == 1 else {
                throw InputError(source: path, field: p, value: "\(info.shape)", reason: "table columns must be 1-D")
            }
            let data: Table.ColumnData
            if info.isString {
                data = .string(try readStrings(at: p))
            } else if let e = info.elementType, e == .float32 || e == .float64 {
                data = .double(try readDataset(at: p, as: Double.self).values)
            } else if info.elementType != nil {
                data = .int(try readDataset(at: p, as: Int64.self).values)
            } else {
                throw InputError(source: path, field: p, reason: "unsupported column type (expected float, integer or string)")
            }
            let unit = try attributeIfPresent("unit", at: p)?.asString ?? ""
            table.append(name, data, unit: unit)
        }
        try table.validate(source: path, table: g)
        return table
    }

    /// Paths of every table in the file (groups with a `columns` attribute), sorted.
    public func listTables() throws -> [String] {
        try allGroups().filter { (try? hasAttribute("columns", at: $0)) == true }
    }
}
