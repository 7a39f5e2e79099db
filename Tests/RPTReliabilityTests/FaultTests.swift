import Foundation
import RPTCore
import XCTest

/// Faults on the real executable: interruption (SIGTERM, SIGINT), a second run into the same output, a
/// resumable checkpoint that a fresh run would discard, and a full disk (a 1 MiB tmpfs, when mounting is
/// permitted). Each asserts the exit status, the message, that no signal ended the process, and that the
/// previous result is intact and nothing half-written remains.
final class FaultTests: XCTestCase {
    nonisolated(unsafe) static var scratch: String?
    var scratch: String { Self.scratch! }
    var fx: CorpusFixtures { CorpusFixtures(dir: scratch + "/fx") }

    override class func tearDown() {
        if let d = scratch, d != BadInputCorpusTests.scratch { try? FileManager.default.removeItem(atPath: d) }
    }

    func prepare() throws -> String {
        guard let exe = CorpusRunner.executable() else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {  // in CI the fault tests must run
                throw NSError(domain: "FaultTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "the rptdose executable was not built"])
            }
            throw XCTSkip("the rptdose executable was not built (swift build)")
        }
        if Self.scratch == nil {
            // The corpus's fixtures when it ran first in this process (the study takes a while to make).
            if let shared = BadInputCorpusTests.scratch {
                Self.scratch = shared
            } else {
                let d = NSTemporaryDirectory() + "rpt-faults-\(UUID().uuidString)"
                try BadInputCorpusTests.makeStudy(in: d, exe: exe)
                Self.scratch = d
            }
        }
        return exe
    }

    /// Starts `rptdose args`, waits until stderr shows `marker` (the run is under way), sends `signal` and waits.
    func interrupt(_ exe: String, _ args: [String], signal: Int32, marker: String = "decays/s") throws -> CorpusOutcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: CorpusRunner.packageRoot)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var seen = Data()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
            if String(decoding: seen, as: UTF8.self).contains(marker) { break }
        }
        XCTAssertTrue(String(decoding: seen, as: UTF8.self).contains(marker), String(decoding: seen, as: UTF8.self))
        kill(p.processIdentifier, signal)
        seen.append(err.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        return CorpusOutcome(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal, stdout: "",
                             stderr: String(decoding: seen, as: UTF8.self))
    }

    /// SIGTERM → a valid partial result and exit 3; a fresh run does not discard its checkpoint unless told
    /// (`--overwrite`); `--resume` continues it.
    func testInterruptedSimulateExitsPartialAndKeepsItsCheckpoint() throws {
        let exe = try prepare()
        let dir = scratch + "/interrupt"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out = dir + "/dose.h5", checkpoint = out + ".checkpoint.h5"
        let args = ["simulate", "--ct", fx.path("ct.nii"), "--activity", fx.path("tia.nii"), "--threads", "1", "--out", out]
        let o = try interrupt(exe, args + ["--decays", "2000000000"], signal: SIGTERM)
        XCTAssertFalse(o.signalled, o.stderr)
        XCTAssertEqual(o.status, ExitStatus.partialResult, o.stderr)
        XCTAssertTrue(o.stderr.contains("partial result"), o.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint))
        let partial = FileManager.default.contents(atPath: out)

        let fresh = try CorpusRunner.run(exe, args + ["--decays", "1000", "--quiet"])
        XCTAssertEqual(fresh.status, ExitStatus.failure, fresh.stderr)
        XCTAssertTrue(fresh.firstMessageLine.contains("resumable checkpoint"), fresh.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: out), partial, "a refused run changed the partial result")
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint))

        let resumed = try CorpusRunner.run(exe, args + ["--decays", "2000000000", "--max-time", "1", "--resume"])
        XCTAssertEqual(resumed.status, ExitStatus.partialResult, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming from"), resumed.stderr)

        let overwritten = try CorpusRunner.run(exe, args + ["--decays", "1000", "--quiet", "--overwrite"])
        XCTAssertEqual(overwritten.status, 0, overwritten.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: checkpoint))
        XCTAssertEqual(CorpusRunner.leftovers(in: dir), [])
    }

    /// A dosimetry interrupted (SIGINT) or refused leaves the previous result in its folder as it was; a second
    /// run into the folder while one is running is refused; the interrupted run's work waits for --resume.
    func testDosimetryFolderIsReplacedWholeAndLocked() throws {
        let exe = try prepare()
        let study = scratch + "/study"
        let out = scratch + "/faults-dosimetry-c1"
        try FileManager.default.copyItem(atPath: study + "/good-c1", toPath: out)
        let files = ["summary.json", "regions.csv", "regions.json", "dosimetry.h5", "simulation.h5"]
        let before = files.map { FileManager.default.contents(atPath: out + "/" + $0) }
        let args = ["dosimetry", study + "/manifest.yaml", "--cycle", "1", "--out", out, "--threads", "1"]

        // Under way: a second run into the same folder is refused, and the first is interrupted.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args + ["--decays", "2000000000"]
        p.currentDirectoryURL = URL(fileURLWithPath: CorpusRunner.packageRoot)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var seen = Data()
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline, !String(decoding: seen, as: UTF8.self).contains("decays/s") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        let second = try CorpusRunner.run(exe, args + ["--decays", "1000", "--quiet"])
        XCTAssertEqual(second.status, ExitStatus.failure, second.stderr)
        XCTAssertTrue(second.firstMessageLine.contains("another rptdose run"), second.stderr)
        kill(p.processIdentifier, SIGINT)
        seen.append(err.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        let log = String(decoding: seen, as: UTF8.self)
        XCTAssertEqual(p.terminationReason, .exit, log)
        XCTAssertEqual(p.terminationStatus, ExitStatus.partialResult, log)
        XCTAssertEqual(files.map { FileManager.default.contents(atPath: out + "/" + $0) }, before,
                       "the interrupted run changed the previous result")
        let staging = StagedFolder.stagingPath(for: out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: staging + "/simulation.h5.checkpoint.h5"), log)

        // A fresh run would discard the interrupted work: refused unless --overwrite.
        let fresh = try CorpusRunner.run(exe, args + ["--decays", "1000", "--quiet"])
        XCTAssertEqual(fresh.status, ExitStatus.failure, fresh.stderr)
        XCTAssertTrue(fresh.firstMessageLine.contains("resumable checkpoint"), fresh.stderr)

        // A refused run (bad cycle) changes nothing either.
        let bad = try CorpusRunner.run(exe, ["dosimetry", study + "/manifest.yaml", "--cycle", "7", "--out", out, "--quiet", "--overwrite"])
        XCTAssertEqual(bad.status, ExitStatus.failure, bad.stderr)
        XCTAssertEqual(files.map { FileManager.default.contents(atPath: out + "/" + $0) }, before)

        // --overwrite: a new complete result replaces the old one as a whole.
        let done = try CorpusRunner.run(exe, args + ["--decays", "2000", "--seed", "9", "--quiet", "--overwrite"])
        XCTAssertEqual(done.status, 0, done.stderr)
        XCTAssertNotEqual(FileManager.default.contents(atPath: out + "/summary.json"), before[0])
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging))
        XCTAssertEqual(CorpusRunner.leftovers(in: scratch), [])
    }

    /// A full disk while writing the result or a checkpoint: a clear message, exit 1 (never a signal), the
    /// previous file intact, no temporary file left. Needs root to mount a 1 MiB tmpfs; skipped otherwise.
    func testDiskFullEndsWithAClearMessage() throws {
        let exe = try prepare()
        let mount = scratch + "/full"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let m = try CorpusRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount])
        guard m.status == 0 else { throw XCTSkip("cannot mount a tmpfs here (\(m.stderr.trimmingCharacters(in: .whitespacesAndNewlines))): ENOSPC test skipped") }
        defer { _ = try? CorpusRunner.run("/bin/umount", [mount]) }
        // A previous result, then fill the disk to a few kB.
        let out = mount + "/dose.h5"
        let args = ["simulate", "--ct", fx.path("ct.nii"), "--activity", fx.path("tia.nii"), "--threads", "1", "--quiet", "--out", out]
        let first = try CorpusRunner.run(exe, args + ["--decays", "500"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let previous = FileManager.default.contents(atPath: out)
        let filler = mount + "/filler"
        FileManager.default.createFile(atPath: filler, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        let block = Data(count: 4096)
        while (try? h.write(contentsOf: block)) != nil {}
        try? h.close()
        for (name, extra) in [("result", ["--decays", "500"]), ("checkpoint", ["--decays", "3000000", "--checkpoint-interval", "0.2"])] {
            let o = try CorpusRunner.run(exe, args + extra)
            XCTAssertFalse(o.signalled, "\(name): killed by signal \(o.status): \(o.stderr)")
            XCTAssertEqual(o.status, ExitStatus.failure, "\(name): \(o.stderr)")
            XCTAssertTrue(o.firstMessageLine.lowercased().contains("space") || o.firstMessageLine.contains("disk full"),
                          "\(name): \(o.stderr)")
            XCTAssertEqual(FileManager.default.contents(atPath: out), previous, "\(name): the previous result changed")
            XCTAssertEqual(CorpusRunner.leftovers(in: mount), [], name)
        }
    }
}
