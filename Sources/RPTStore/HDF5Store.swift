import CHDF5
import Foundation
import RPTCore
import RPTVolume

/// The RPTDose HDF5 layout (see `docs/formats/hdf5.md`): version, detection and one-call helpers
/// so that the command line can treat `.h5` files like any other image format.
public enum HDF5Store {
    /// Version of the layout written into the root attribute `rptdose_format_version`, "MAJOR.MINOR".
    /// Readers accept any file with the same MAJOR (MINOR bumps only add optional content) and
    /// refuse other majors.
    public static let formatVersion = "1.3"

    /// Group under which `writeVolume(_:at:)` places volumes given by bare name ("ct" → "/volumes/ct").
    public static let volumesGroup = "/volumes"
    /// Group under which `writeTable(_:at:)` places tables given by bare name.
    public static let tablesGroup = "/tables"
    /// Group holding free key/value provenance.
    public static let provenanceGroup = "/provenance"

    /// Whether `path` is an existing HDF5 file (HDF5 signature found; a user block is allowed).
    public static func isHDF5(path: String) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { return false }
        HDF5Library.silenceErrorPrinting()
        let answer = H5Fis_hdf5(path)
        if answer < 0 { _ = HDF5Library.takeErrorMessages() }
        return answer > 0
    }

    /// Reads one volume from an HDF5 file. With `volume` nil the file must hold exactly one volume.
    /// - Parameter volume: a group path ("/volumes/dose") or a bare name under `/volumes` ("dose").
    public static func readVolume(fromFile path: String, volume: String? = nil) throws -> AnyVolume {
        try H5File.read(path) { file in
            if let volume { return try file.readVolume(at: volume) }
            let all = try file.listVolumes()
            guard all.count == 1 else {
                throw InputError(source: path, field: "volume", reason: all.isEmpty
                    ? "the file holds no volume"
                    : "the file holds \(all.count) volumes (\(all.joined(separator: ", "))); name the one to read")
            }
            return try file.readVolume(at: all[0])
        }
    }

    /// Writes a file holding a single volume (plus the standard root attributes), atomically.
    public static func writeVolume(_ volume: AnyVolume, toFile path: String, at name: String = "image",
                                   commandLine: String? = nil) throws {
        try H5File.write(to: path, commandLine: commandLine) { file in try file.writeVolume(volume, at: name) }
    }

    /// This process's command line, arguments shell-quoted where needed.
    public static func currentCommandLine() -> String {
        CommandLine.arguments.map(shellQuoted).joined(separator: " ")
    }

    /// The git commit recorded in files: env `RPTDOSE_GIT_COMMIT` when set, else the commit embedded at build
    /// time (`RPTDoseVersion.embeddedGitCommit`, "unknown" outside a git checkout).
    public static func gitCommit() -> String {
        let value = ProcessInfo.processInfo.environment["RPTDOSE_GIT_COMMIT"]?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return value.isEmpty ? RPTDoseVersion.embeddedGitCommit : value
    }

    /// Absolute path of a volume or table group: absolute paths are kept, bare names go under `parent`.
    static func resolve(_ name: String, under parent: String) -> String {
        name.hasPrefix("/") ? H5File.normalize(name) : H5File.normalize(parent + "/" + name)
    }

    static func shellQuoted(_ argument: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !argument.isEmpty && argument.allSatisfy({ safe.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Root attributes and the format-version check.
extension H5File {
    /// Writes the root attributes every RPTDose file carries.
    func writeRootAttributes(commandLine: String) throws {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        iso.timeZone = TimeZone(identifier: "UTC")
        try setAttribute("rptdose_format_version", .string(HDF5Store.formatVersion))
        try setAttribute("created_utc", .string(iso.string(from: Date())))
        try setAttribute("command_line", .string(commandLine))
        for (key, value) in SoftwareInfo.provenanceAttributes.sorted(by: { $0.key < $1.key }) {
            try setAttribute(key, value)   // software_version, git_commit, build_date, hdf5_version
        }
    }

    /// Throws if the root says the file uses a different major version of the layout. Files without
    /// `rptdose_format_version` (written by other tools following the layout) are accepted.
    func requireCompatibleFormat() throws {
        guard let value = try attributeIfPresent("rptdose_format_version"), let version = value.asString else { return }
        let major = version.split(separator: ".").first.map(String.init) ?? version
        let ours = HDF5Store.formatVersion.split(separator: ".").first.map(String.init) ?? ""
        guard major == ours else {
            throw InputError(source: path, field: "rptdose_format_version", value: version,
                             reason: "this RPTDose \(RPTDoseVersion.string) reads layout version \(ours).x only")
        }
    }

    /// Every group in the file (depth-first, name order), excluding the root.
    func allGroups(under start: String = "/", depth: Int = 0) throws -> [String] {
        guard depth < 32 else { return [] }
        var found: [String] = []
        for name in try members(of: start) {
            let child = H5File.normalize(start + "/" + name)
            if kind(of: child) == .group {
                found.append(child)
                found += try allGroups(under: child, depth: depth + 1)
            }
        }
        return found
    }
}
