import Foundation
import RPTCore

/// Finds data folders shipped with RPTDose (CT calibrations) when the user gives none.
public enum DataPaths {
    /// The default CT calibration folder: `$RPTDOSE_DATA/scanners/default`, else `phantoms/scanners/default`
    /// searched from the current folder and from the executable's folder upwards.
    public static func defaultCalibration() throws -> String {
        let rel = "phantoms/scanners/default"
        var candidates: [String] = []
        if let d = ProcessInfo.processInfo.environment["RPTDOSE_DATA"] { candidates.append(d + "/scanners/default") }
        candidates.append(FileManager.default.currentDirectoryPath + "/" + rel)
        var dir = URL(fileURLWithPath: ExecutablePath.current).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.path + "/" + rel)
            dir = dir.deletingLastPathComponent()
        }
        #if DEBUG
        // Debug builds also look beside their own sources, unless RPTDOSE_NO_SOURCE_DATA is set (so that a test can
        // check the search from the executable's real path alone).
        if ProcessInfo.processInfo.environment["RPTDOSE_NO_SOURCE_DATA"] == nil {
            candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path + "/" + rel)
        }
        #endif
        for c in candidates where FileManager.default.fileExists(atPath: c + "/density.csv") { return c }
        throw InputError(source: "--calibration", reason: "no CT calibration given and none found at: "
                         + candidates.joined(separator: ", ") + " (set RPTDOSE_DATA or pass --calibration DIR)")
    }
}
