import Foundation
import RPTCore

/// The elastix and transformix executables (elastix 5, Debian package `elastix`), found on `$PATH`,
/// and a runner that calls them as subprocesses. Registration is elastix's; RPTDose only writes its inputs,
/// reads its outputs and checks them (docs/methods/registration.md).
public struct ElastixTools: Sendable {
    public let elastix: String
    public let transformix: String
    /// `elastix --version` output, e.g. "elastix version: 5.0.1".
    public let version: String

    /// Finds both executables in the colon-separated `searchPath` (default `$PATH`).
    /// - Throws: `InputError` naming the apt package when either is missing.
    public static func locate(searchPath: String? = nil) throws -> ElastixTools {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? ""
        func find(_ name: String) -> String? {
            for dir in path.split(separator: ":") where !dir.isEmpty {
                let candidate = String(dir) + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
            return nil
        }
        guard let e = find("elastix"), let t = find("transformix") else {
            throw InputError(source: "registration", field: "elastix/transformix", value: path,
                             reason: "the elastix and transformix executables were not found on PATH; install the "
                                + "Debian package 'elastix' (apt-get install elastix) or set registration: none")
        }
        let out = try run(e, ["--version"], what: "elastix --version")
        return ElastixTools(elastix: e, transformix: t,
                            version: out.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs `executable` with `arguments`; returns its standard output.
    /// - Throws: `InputError` with the tail of the output when the exit status is not 0.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], what: String, logFile: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            var detail = text
            if let log = logFile, let l = try? String(contentsOfFile: log, encoding: .utf8) { detail = l }
            let tail = detail.split(separator: "\n").suffix(12).joined(separator: "\n")
            throw InputError(source: what, field: "exit status", value: "\(process.terminationStatus)",
                             reason: "\(URL(fileURLWithPath: executable).lastPathComponent) failed:\n" + tail)
        }
        return text
    }
}
