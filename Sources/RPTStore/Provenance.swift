import RPTCore

/// How a result was produced: the command line, the random seed and free settings.
///
/// Stored as attributes of the `/provenance` group: `command_line` (string), `seed` (uint64, when
/// known) and one attribute per setting (strings, numbers or lists of them).
public struct Provenance: Equatable, Sendable {
    /// The command that produced the file (shell-quoted).
    public var commandLine: String
    /// The master random seed, when the result is stochastic.
    public var seed: UInt64?
    /// Any other settings (number of histories, nuclide, cut-offs…); keys become attribute names.
    public var settings: [String: H5AttributeValue]

    /// Attribute names with fixed meaning that settings may not use.
    public static let reservedKeys: Set<String> = ["command_line", "seed"]

    public init(commandLine: String = HDF5Store.currentCommandLine(), seed: UInt64? = nil,
                settings: [String: H5AttributeValue] = [:]) {
        self.commandLine = commandLine; self.seed = seed; self.settings = settings
    }
}

extension H5File {
    /// Writes `provenance` into `/provenance` (created if needed; existing keys are replaced).
    public func writeProvenance(_ provenance: Provenance) throws {
        let g = HDF5Store.provenanceGroup
        for key in provenance.settings.keys where Provenance.reservedKeys.contains(key) || key.isEmpty {
            throw InputError(source: path, field: "\(g) setting", value: key,
                             reason: "setting names must be non-empty and not one of \(Provenance.reservedKeys.sorted())")
        }
        try createGroup(g)
        try setAttribute("command_line", .string(provenance.commandLine), at: g)
        if let seed = provenance.seed { try setAttribute("seed", .uint(seed), at: g) }
        for key in provenance.settings.keys.sorted() {
            try setAttribute(key, provenance.settings[key]!, at: g)
        }
    }

    /// Reads `/provenance`; every attribute other than `command_line` and `seed` is a setting.
    public func readProvenance() throws -> Provenance {
        let g = HDF5Store.provenanceGroup
        try requireCompatibleFormat()
        guard kind(of: g) == .group else {
            throw InputError(source: path, field: g, reason: "the file has no provenance group")
        }
        var p = Provenance(commandLine: "", seed: nil, settings: [:])
        for name in try attributeNames(at: g) {
            let value = try attribute(name, at: g)
            switch name {
            case "command_line": p.commandLine = value.asString ?? value.description
            case "seed":
                guard let seed = value.asUInt else {
                    throw InputError(source: path, field: "\(g)@seed", value: value.description, reason: "expected an unsigned integer")
                }
                p.seed = seed
            default: p.settings[name] = value
            }
        }
        return p
    }
}
