import RPTCore
import RPTVolume

/// How the labels of one label map form named scoring regions, read from a CSV file (docs/formats/csv.md) in one
/// of two forms:
///
/// - `label,name` (header optional): one label per row; labels sharing a name form one region;
/// - `name,labels`: one region per row, its labels separated by `;` (`kidney,1;2` and `kidney_cortex,2`); a
///   label may belong to several regions, which then overlap.
///
/// Labels are integers 1…65535.
public struct RegionDefinitions: Sendable, Equatable {
    public struct Region: Sendable, Equatable {
        public var name: String
        public var labels: [Int]
        public init(name: String, labels: [Int]) { self.name = name; self.labels = labels }
    }
    public var regions: [Region]
    public init(regions: [Region]) { self.regions = regions }

    /// Label value → name pairs (e.g. the segment names of a segmentation file); labels sharing a name form one region.
    public init(labelNames: [Int: String]) {
        var byName: [Region] = []
        for l in labelNames.keys.sorted() {
            if let i = byName.firstIndex(where: { $0.name == labelNames[l]! }) { byName[i].labels.append(l) } else {
                byName.append(Region(name: labelNames[l]!, labels: [l]))
            }
        }
        regions = byName
    }

    /// Reads either form (see the type's documentation).
    /// - Throws: `InputError` naming file, line and column: malformed or repeated label, empty or repeated name.
    public static func load(_ path: String) throws -> RegionDefinitions {
        let csv = try CSVTable(path: path)
        let header = csv.header.map { $0.lowercased() }
        if header.count == 2 && header[0] == "name" && header[1] == "labels" {
            try csv.requireRows()
            var out: [Region] = []
            for row in csv.rows {
                guard !row.fields[0].isEmpty else { throw csv.error(row, 0, reason: "region name is empty") }
                guard !out.contains(where: { $0.name == row.fields[0] }) else {
                    throw csv.error(row, 0, reason: "region listed twice; list all its labels in one row (1;2)")
                }
                var labels: [Int] = []
                for part in row.fields[1].split(separator: ";", omittingEmptySubsequences: false) {
                    let text = part.trimmingCharacters(in: .whitespaces)
                    guard let l = Int(text), (1...65535).contains(l) else {
                        throw csv.error(row, 1, reason: "expected labels from 1 to 65535 separated by ';' (e.g. 1;2), found '\(text)'")
                    }
                    guard !labels.contains(l) else { throw csv.error(row, 1, reason: "label \(l) listed twice") }
                    labels.append(l)
                }
                out.append(Region(name: row.fields[0], labels: labels))
            }
            return RegionDefinitions(regions: out)
        }
        // label,name: the header line is optional (a first field that is a number is data).
        let hasHeader = Int(csv.header[0]) == nil
        var byName: [(name: String, labels: [Int])] = [], seen = Set<Int>()
        for row in (hasHeader ? [] : [csv.headerAsRow]) + csv.rows {
            guard row.fields.count == 2 else {
                throw InputError(source: csv.location(row), field: "record", value: row.fields.joined(separator: ","),
                                 reason: "expected 'label,name' or the header 'name,labels' (put a name holding a comma in quotes)")
            }
            guard let l = Int(row.fields[0]), (1...65535).contains(l) else {
                throw csv.error(row, 0, reason: "expected a label from 1 to 65535 (or the header 'name,labels' for groups)")
            }
            guard seen.insert(l).inserted else { throw csv.error(row, 0, reason: "label \(l) is listed twice") }
            guard !row.fields[1].isEmpty else { throw csv.error(row, 1, reason: "region name is empty") }
            if let i = byName.firstIndex(where: { $0.name == row.fields[1] }) { byName[i].labels.append(l) } else {
                byName.append((row.fields[1], [l]))
            }
        }
        guard !byName.isEmpty else { throw InputError(source: path, reason: "no 'label,name' line") }
        return RegionDefinitions(regions: byName.map { Region(name: $0.name, labels: $0.labels) })
    }
}

/// The scored regions of a simulation, from one or more label maps: regions defined by `RegionDefinitions` (groups of
/// labels, possibly overlapping), plus one region `label_<value>` (`map<k>_label_<value>` for the k-th map, k ≥ 2)
/// for every label present in a map that no definition of that map mentions. Regions of different maps may overlap
/// too (an organ map and a sub-organ map). Regions are listed map by map, in order of their smallest label; regions
/// without voxels on the grid are left out; names must be unique over all maps.
public struct ScoringRegionSet: Sendable {
    public let regions: [ScoredRegion]

    /// One label map and how its labels form regions.
    public struct LabelMap: Sendable {
        /// File (and layer) the map comes from, for messages.
        public var source: String
        public var volume: Volume<Double>
        /// nil: one region per label (`label_<value>`).
        public var definitions: RegionDefinitions?
        /// File the definitions come from, for messages.
        public var definitionsSource: String
        public init(source: String, volume: Volume<Double>, definitions: RegionDefinitions?, definitionsSource: String) {
            self.source = source; self.volume = volume; self.definitions = definitions; self.definitionsSource = definitionsSource
        }
    }

    /// - Parameter labelMaps: the maps, each resampled onto `grid` by nearest neighbour.
    /// - Throws: `InputError` for non-integer labels or a region name used twice.
    public init(labelMaps: [LabelMap], grid: Grid3D) throws {
        var out: [ScoredRegion] = [], origin: [String: String] = [:]
        for (m, map) in labelMaps.enumerated() {
            var volume = map.volume
            if !volume.grid.isSameGrid(as: grid) { volume = volume.resampled(onto: grid, mode: .nearest) }
            var voxelsOfLabel: [Int: [Int]] = [:]
            for (n, v) in volume.voxels.enumerated() where v != 0 {
                voxelsOfLabel[try LabelValue.integer(v, source: map.source), default: []].append(n)
            }
            let defined = map.definitions?.regions ?? []
            let mentioned = Set(defined.flatMap(\.labels))
            let prefix = m == 0 ? "" : "map\(m + 1)_"
            var regions = defined.map { (name: $0.name, labels: $0.labels.sorted()) }
            regions += voxelsOfLabel.keys.filter { !mentioned.contains($0) }.map { (name: "\(prefix)label_\($0)", labels: [$0]) }
            regions.sort { $0.labels[0] < $1.labels[0] }
            for r in regions {
                let voxels = r.labels.flatMap { voxelsOfLabel[$0] ?? [] }.sorted()
                guard !voxels.isEmpty else { continue }
                let from = map.definitions == nil ? map.source : map.definitionsSource
                if let other = origin[r.name] {
                    throw InputError(source: from, field: "region name", value: r.name,
                                     reason: "also names a region of \(other); region names must be unique over all label maps")
                }
                origin[r.name] = from
                out.append(ScoredRegion(name: r.name, voxels: voxels))
            }
        }
        regions = out
    }

    /// Maps with definition files: the i-th definition file belongs to the i-th map.
    /// - Throws: `InputError` as `init(labelMaps:grid:)`, or for more definition files than maps.
    public init(labelMaps: [(source: String, volume: Volume<Double>)], definitions: [(source: String, regions: RegionDefinitions)],
                grid: Grid3D) throws {
        guard definitions.count <= labelMaps.count else {
            throw InputError(source: definitions[labelMaps.count].source, field: "--region-names",
                             reason: "\(definitions.count) region-name files for \(labelMaps.count) label map(s): give at most one per map, in the same order")
        }
        try self.init(labelMaps: labelMaps.enumerated().map { m, map in
            LabelMap(source: map.source, volume: map.volume, definitions: m < definitions.count ? definitions[m].regions : nil,
                     definitionsSource: m < definitions.count ? definitions[m].source : map.source)
        }, grid: grid)
    }

    /// Reads the label-map files and their definition files (the i-th names file for the i-th map file) and builds
    /// the regions. `readMap` returns the label maps of a file with the label names it carries itself: one map with no
    /// names for a plain image, one per layer with segment names for a segmentation; a names file, when given, takes
    /// precedence over the file's own names.
    public static func load(labelMaps paths: [String], names: [String], grid: Grid3D,
                            readMap: (String) throws -> [(labels: Volume<Double>, names: [Int: String])]) throws -> [ScoredRegion] {
        guard names.count <= paths.count else {
            throw InputError(source: names[paths.count], field: "--region-names",
                             reason: "\(names.count) region-name files for \(paths.count) label map(s): give at most one per map, in the same order")
        }
        var maps: [LabelMap] = []
        for (i, path) in paths.enumerated() {
            let file = i < names.count ? (names[i], try RegionDefinitions.load(names[i])) : nil
            let layers = try readMap(path)
            for (k, layer) in layers.enumerated() {
                let source = layers.count > 1 ? "\(path) (layer \(k))" : path
                let own = layer.names.isEmpty ? nil : RegionDefinitions(labelNames: layer.names)
                maps.append(LabelMap(source: source, volume: layer.labels, definitions: file?.1 ?? own,
                                     definitionsSource: file?.0 ?? source))
            }
        }
        return try ScoringRegionSet(labelMaps: maps, grid: grid).regions
    }

    /// The first pair of regions that share a voxel, if any (organ-S matrices need disjoint source regions).
    public static func firstOverlap(_ regions: [ScoredRegion]) -> (String, String)? {
        var owner: [Int: Int] = [:]
        for (r, region) in regions.enumerated() {
            for v in region.voxels {
                if let o = owner[v], o != r { return (regions[o].name, region.name) }
                owner[v] = r
            }
        }
        return nil
    }
}
