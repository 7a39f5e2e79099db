import XCTest
import Foundation
import RPTStore
import RPTCore

/// `rptdose --version` shows the commit the binary was built from (embedded by Plugins/BuildInfoPlugin for a
/// plain `swift build`), the build date and the HDF5 library; every file records the same values.
final class VersionTests: XCTestCase {
    /// Runs `executable args…` with `environment` changes; returns (status, stdout).
    private func run(_ executable: String, _ args: [String], environment: [String: String?] = [:]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private var rptdose: String {
        get throws {
            let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                              URL(fileURLWithPath: Bundle.main.bundlePath).deletingLastPathComponent()]
                .map { $0.appendingPathComponent("rptdose").path }
            return try XCTUnwrap(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                                 "the rptdose executable was not built next to the tests: \(candidates)")
        }
    }

    /// `git rev-parse HEAD` of the package, or nil outside a git checkout (or without git).
    private func checkoutHead() -> String? {
        guard let (status, out) = try? run("/usr/bin/env", ["git", "-C", SharedRoot.packageRoot, "rev-parse", "HEAD"]),
              status == 0 else { return nil }
        let head = out.trimmingCharacters(in: .whitespacesAndNewlines)
        return head.count == 40 ? head : nil
    }

    func testVersionShowsCommitOfTheCheckoutBuildDateAndHDF5() throws {
        let (status, text) = try run(try rptdose, ["--version"], environment: ["RPTDOSE_GIT_COMMIT": nil])
        XCTAssertEqual(status, 0)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, RPTDoseVersion.string)
        let commit = try XCTUnwrap(lines.first { $0.hasPrefix("git commit: ") }, text).dropFirst("git commit: ".count)
        if let head = checkoutHead() {
            // The binary is built from this checkout (swift test builds first); "-dirty" marks local changes.
            XCTAssertTrue(commit == head || commit == head + "-dirty", "--version says \(commit), HEAD is \(head)")
        } else {
            XCTAssertEqual(commit, "unknown", "not a git checkout")
        }
        let date = try XCTUnwrap(lines.first { $0.hasPrefix("build date: ") }, text).dropFirst("build date: ".count)
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"; f.timeZone = TimeZone(identifier: "UTC"); f.locale = Locale(identifier: "en_US_POSIX")
        let built = try XCTUnwrap(f.date(from: String(date)), "build date \(date) is not YYYY-MM-DD")
        XCTAssertLessThanOrEqual(built, Date())
        let hdf5 = try XCTUnwrap(lines.first { $0.hasPrefix("HDF5: ") }, text).dropFirst("HDF5: ".count)
        XCTAssertEqual(String(hdf5), SoftwareInfo.hdf5Version)
        // Independent: the HDF5 the package links (pkg-config of Debian's libhdf5-dev, the module's provider).
        if let (s, v) = try? run("/usr/bin/env", ["pkg-config", "--modversion", "hdf5-serial"]), s == 0 {
            XCTAssertEqual(String(hdf5), v.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    func testEnvironmentOverridesTheEmbeddedCommit() throws {
        let (status, text) = try run(try rptdose, ["--version"], environment: ["RPTDOSE_GIT_COMMIT": "0123abcd"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(text.contains("git commit: 0123abcd\n"), text)
    }

    func testFilesRecordTheSoftware() throws {
        let dir = NSTemporaryDirectory() + "rpt-version-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/x.h5"
        try H5File.write(to: path, commandLine: "test") { _ in }
        let root = try H5File.read(path) { f in
            try ["software_version", "git_commit", "build_date", "hdf5_version"].map { try f.attribute($0).asString ?? "" }
        }
        XCTAssertEqual(root, [SoftwareInfo.version, SoftwareInfo.gitCommit, SoftwareInfo.buildDate, SoftwareInfo.hdf5Version])
        if ProcessInfo.processInfo.environment["RPTDOSE_GIT_COMMIT"] == nil, let head = checkoutHead() {
            XCTAssertTrue(root[1].hasPrefix(head), "file records \(root[1]), HEAD is \(head)")
        }
    }
}
