import Foundation

/// The running executable's real path, independent of how it was started.
///
/// `argv[0]` is only the name typed (`rptdose` found through `PATH`, or a path relative to another folder), so
/// resolving it against the working folder finds the wrong place. On Linux the kernel's `/proc/self/exe` link
/// names the executable file itself; elsewhere `Bundle.main.executablePath` is used, and `argv[0]` is the last resort.
public enum ExecutablePath {
    public static var current: String {
        #if os(Linux)
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), p.hasPrefix("/") { return p }
        #endif
        if let p = Bundle.main.executablePath { return p }
        return CommandLine.arguments.first ?? ""
    }
}
