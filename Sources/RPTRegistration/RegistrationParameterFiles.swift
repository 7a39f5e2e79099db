import Foundation
import RPTCore

/// Finds the elastix parameter files shipped with RPTDose (`phantoms/registration/`).
public enum RegistrationParameterFiles {
    /// `$RPTDOSE_DATA/registration`, else `phantoms/registration` searched from the current folder and from
    /// the executable's folder upwards (and, in debug builds, from the source tree).
    public static func defaultDirectory() throws -> String {
        let rel = "phantoms/registration"
        var candidates: [String] = []
        if let d = ProcessInfo.processInfo.environment["RPTDOSE_DATA"] { candidates.append(d + "/registration") }
        candidates.append(FileManager.default.currentDirectoryPath + "/" + rel)
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.path + "/" + rel)
            dir = dir.deletingLastPathComponent()
        }
        #if DEBUG
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path + "/" + rel)
        #endif
        for c in candidates where FileManager.default.fileExists(atPath: c + "/rigid.txt") { return c }
        throw InputError(source: "registration", reason: "no elastix parameter files found at: "
                         + candidates.joined(separator: ", ") + " (set RPTDOSE_DATA)")
    }

    /// Paths of the parameter files of `mode` in `directory`.
    public static func paths(for mode: RegistrationMode, directory: String) throws -> [String] {
        try mode.parameterFileNames.map { name in
            let p = directory + "/" + name
            guard FileManager.default.fileExists(atPath: p) else {
                throw InputError(source: p, reason: "elastix parameter file not found (needed for registration: \(mode.rawValue))")
            }
            return p
        }
    }
}
