import RPTCore

/// The regions results are reported for: every label name of the label table, except that the members
/// of a `region_groups` entry are reported together under the group's name. Labels of one name, and
/// the labels of one group, form one region. Voxels with label 0 or a label missing from the table are
/// "unlabelled" (index `unlabelled`): their activity is measured and transported, but not reported.
public struct ReportingRegions: Sendable, Equatable {
    /// Region names in report order (groups take the place of their first member).
    public var names: [String]
    /// Label value → region index.
    public var regionOfLabel: [Int: Int]
    /// Index used for unlabelled voxels.
    public static let unlabelled = -1

    /// - Throws: `InputError` when a group member is not a label name or belongs to two groups.
    public init(table: LabelTable, groups: [(name: String, members: [String])], source: String) throws {
        var groupOf: [String: String] = [:]
        for g in groups {
            for m in g.members {
                guard table.names.values.contains(m) else {
                    throw InputError(source: source, field: "region_groups." + g.name, value: m,
                                     reason: "no label of that name in the label table")
                }
                if let other = groupOf[m] {
                    throw InputError(source: source, field: "region_groups." + g.name, value: m,
                                     reason: "already a member of group '\(other)'")
                }
                groupOf[m] = g.name
            }
        }
        var names: [String] = [], index: [String: Int] = [:], byLabel: [Int: Int] = [:]
        for l in table.names.keys.sorted() {
            let reported = groupOf[table.names[l]!] ?? table.names[l]!
            if index[reported] == nil { index[reported] = names.count; names.append(reported) }
            byLabel[l] = index[reported]!
        }
        self.names = names
        regionOfLabel = byLabel
    }

    /// Region index of a label value (`unlabelled` for 0 and unknown labels).
    public func region(ofLabel label: Int) -> Int { regionOfLabel[label] ?? Self.unlabelled }

    /// Index of a region name.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }
}
