import XCTest
import Foundation
@testable import RPTCommandLine
import RPTWorkflow
import RPTStore
import RPTCore

/// Runs subcommands in-process, as `rptdose ARGS` would.
func runCommand(_ args: [String]) throws {
    var command = try RPTDoseCommand.parseAsRoot(args)
    try command.run()
}

final class CommandLineTests: XCTestCase {
    var dir: String!

    override func setUp() {
        dir = NSTemporaryDirectory() + "rpt-cli-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testInfoOnMissingFileNamesTheFile() {
        XCTAssertThrowsError(try runCommand(["info", dir + "/nope.nii"])) { e in
            XCTAssertTrue("\(e)".contains("nope.nii"), "\(e)")
        }
    }

    func testConvertRejectsUnknownExtensionAndType() throws {
        try runCommand(["phantom", "--out", dir, "--size", "48x36x36", "--voxel-mm", "8", "--format", ".mhd"])
        XCTAssertThrowsError(try runCommand(["convert", dir + "/ct.mhd", dir + "/ct.xyz"])) { e in
            XCTAssertTrue("\(e)".contains("ct.xyz"), "\(e)")
        }
        XCTAssertThrowsError(try runCommand(["convert", dir + "/ct.mhd", dir + "/ct.nii", "--type", "complex"])) { e in
            XCTAssertTrue("\(e)".contains("complex") && "\(e)".contains("float32"), "\(e)")
        }
    }

    /// phantom → convert to HDF5 → convert back to NIfTI gives the same voxels (through the CLI paths).
    func testPhantomConvertRoundTripThroughHDF5() throws {
        try runCommand(["phantom", "--out", dir, "--size", "48x36x36", "--voxel-mm", "8", "--format", ".nii.gz"])
        try runCommand(["convert", dir + "/ct.nii.gz", dir + "/ct.h5", "--volume", "ct"])
        try runCommand(["convert", dir + "/ct.h5", dir + "/back.nii", "--volume", "ct"])
        let a = try VolumeFiles.read(dir + "/ct.nii.gz"), b = try VolumeFiles.read(dir + "/back.nii")
        XCTAssertEqual(a.converted(to: Double.self).voxels, b.converted(to: Double.self).voxels)
        XCTAssertTrue(a.grid.isSameGrid(as: b.grid, toleranceMM: 1e-3))
        for f in ["labels.csv", "blood.csv", "truth.json", "spect_c1_024h.nii.gz", "spect_c4_096h.nii.gz"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + f), f)
        }
    }

    func testPhantomSizeErrorNamesOption() {
        XCTAssertThrowsError(try runCommand(["phantom", "--out", dir, "--size", "12x0"])) { e in
            XCTAssertTrue("\(e)".contains("--size") && "\(e)".contains("12x0"), "\(e)")
        }
    }
}

final class SimulateCommandTests: XCTestCase {
    /// One small synthetic patient shared by the tests of this class (generated once).
    nonisolated(unsafe) static var shared: String?
    var dir: String { Self.shared! }

    override func setUpWithError() throws {
        if Self.shared == nil {
            let d = NSTemporaryDirectory() + "rpt-sim-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            try runCommand(["phantom", "--out", d, "--size", "48x36x36", "--voxel-mm", "8", "--format", ".nii"])
            Self.shared = d
        }
    }
    override class func tearDown() { if let d = shared { try? FileManager.default.removeItem(atPath: d) } }

    func simulateArgs(decays: Int, out: String, extra: [String] = []) -> [String] {
        let d: String = dir
        var a: [String] = ["simulate", "--ct", d + "/ct.nii", "--activity", d + "/tia_true.nii"]
        a += ["--regions", d + "/labels.nii", "--region-names", d + "/labels.csv"]
        a += ["--decays", String(decays), "--seed", "5", "--quiet", "--out", out]
        return a + extra
    }

    /// A run of 2500 decays resumed to 6000 equals a run of 6000 decays, bitwise; the output holds
    /// dose, uncertainty, region table and the run record.
    func testSimulateResumeExtendsToTheSameResult() throws {
        let whole = dir + "/whole.h5", part = dir + "/part.h5"
        try runCommand(simulateArgs(decays: 6_000, out: whole))
        try runCommand(simulateArgs(decays: 2_500, out: part))
        try runCommand(simulateArgs(decays: 6_000, out: part, extra: ["--resume"]))
        let a = try SimulationFile.read(whole), b = try SimulationFile.read(part)
        XCTAssertEqual(a.state.sums, b.state.sums)
        XCTAssertEqual(a.state.decaysDone, 6_000)
        XCTAssertFalse(b.record.partial)
        let doseA = try VolumeFiles.read(whole, volume: "dose").asDouble
        let doseB = try VolumeFiles.read(part, volume: "dose").asDouble
        XCTAssertEqual(doseA.voxels, doseB.voxels)
        XCTAssertGreaterThan(doseA.voxels.max()!, 0)
        let regions = try H5File.read(whole) { try $0.readTable(at: "mc_regions") }
        XCTAssertTrue(regions.columnNames.contains("mean_dose_gy"))
    }

    /// Resuming with other inputs (another seed) is refused, naming the fingerprint.
    func testResumeRefusesADifferentSimulation() throws {
        let out = dir + "/d.h5"
        try runCommand(simulateArgs(decays: 1_000, out: out))
        var args = simulateArgs(decays: 2_000, out: out, extra: ["--resume"])
        args[args.firstIndex(of: "--seed")! + 1] = "6"
        XCTAssertThrowsError(try runCommand(args)) { e in
            XCTAssertTrue("\(e)".contains("fingerprint"), "\(e)")
        }
    }

    /// `--photon-estimator`: recorded in the output's settings; a track-length checkpoint is not resumed as an
    /// analogue run (different fingerprint); an unknown value or one combined with `--no-accelerations` is refused.
    func testPhotonEstimatorIsRecordedAndNotMixed() throws {
        let out = dir + "/tle.h5"
        try runCommand(simulateArgs(decays: 1_000, out: out, extra: ["--photon-estimator", "track-length"]))
        let (_, record, _) = try SimulationFile.read(out)
        XCTAssertEqual(record.settings["photon_estimator"], "track-length")
        XCTAssertTrue(record.settings["accelerations"]?.contains("photon-track-length") == true)
        XCTAssertThrowsError(try runCommand(simulateArgs(decays: 2_000, out: out, extra: ["--resume"]))) { e in
            XCTAssertTrue("\(e)".contains("fingerprint"), "\(e)")
        }
        for extra in [["--photon-estimator", "collision"], ["--photon-estimator", "track-length", "--no-accelerations"]] {
            XCTAssertThrowsError(try runCommand(simulateArgs(decays: 100, out: dir + "/y.h5", extra: extra))) {
                XCTAssertTrue("\($0)".contains("--photon-estimator"), "\($0)")
            }
        }
    }

    /// `--source-sampling`: an unknown value is refused naming the option; systematic sampling rounds the decays up to
    /// whole batches of 16 384 and refuses fewer than 30 batches (σ from batch statistics), naming the least count.
    func testSourceSamplingIsParsedAndChecked() throws {
        XCTAssertThrowsError(try runCommand(simulateArgs(decays: 100, out: dir + "/s.h5", extra: ["--source-sampling", "sobol"]))) {
            XCTAssertTrue("\($0)".contains("--source-sampling") && "\($0)".contains("systematic"), "\($0)")
        }
        XCTAssertThrowsError(try runCommand(simulateArgs(decays: 100_000, out: dir + "/s.h5", extra: ["--source-sampling", "systematic"]))) {
            XCTAssertTrue("\($0)".contains("491520"), "\($0)")
        }
    }

    /// `--dose-grid ct` puts the dose on the CT grid and conserves the map's Bq·s inside the CT: the phantom's
    /// SPECT grid overhangs the CT by a fraction of a voxel, and its blurred activity there (< 1 %) is dropped
    /// with a warning, never added.
    func testDoseGridCT() throws {
        let out = dir + "/ctgrid.h5"
        try runCommand(simulateArgs(decays: 1_000, out: out, extra: ["--dose-grid", "ct"]))
        let dose = try VolumeFiles.read(out, volume: "dose")
        let ct = try VolumeFiles.read(dir + "/ct.nii")
        XCTAssertTrue(dose.grid.isSameGrid(as: ct.grid))
        let tia = try VolumeFiles.readDouble(dir + "/tia_true.nii")
        let total = tia.voxels.reduce(0, +)
        let (_, record, _) = try SimulationFile.read(out)
        XCTAssertLessThanOrEqual(record.decaysRepresented, total * (1 + 1e-12))
        XCTAssertGreaterThan(record.decaysRepresented, 0.99 * total)
        XCTAssertThrowsError(try runCommand(simulateArgs(decays: 100, out: out, extra: ["--dose-grid", "spect"]))) {
            XCTAssertTrue("\($0)".contains("--dose-grid"), "\($0)")
        }
    }

    /// Bad inputs name the option or file: unknown ROI, target without ROI, negative activity.
    func testSimulateBadInput() throws {
        XCTAssertThrowsError(try runCommand(simulateArgs(decays: 100, out: dir + "/x.h5", extra: ["--roi", "heart"]))) {
            XCTAssertTrue("\($0)".contains("heart") && "\($0)".contains("kidney"), "\($0)")
        }
        XCTAssertThrowsError(try runCommand(simulateArgs(decays: 100, out: dir + "/x.h5", extra: ["--target-uncertainty", "0.05"]))) {
            XCTAssertTrue("\($0)".contains("--roi"), "\($0)")
        }
        // Run-time limits that would lose work or write an empty result.
        for (option, value) in [("--max-time", "-5"), ("--max-time", "nan"), ("--checkpoint-interval", "0"),
                                ("--checkpoint-interval", "nan")] {
            XCTAssertThrowsError(try runCommand(simulateArgs(decays: 100, out: dir + "/x.h5", extra: [option + "=" + value]))) {
                XCTAssertTrue("\($0)".contains(option) && "\($0)".contains("> 0"), "\($0)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.h5"))
    }
}

final class PhysicsCommandTests: XCTestCase {
    func testUnknownMaterialListsValidNames() {
        XCTAssertThrowsError(try runCommand(["physics", "photon", "--material", "wood", "--energy-kev", "100"])) { e in
            XCTAssertTrue("\(e)".contains("wood") && "\(e)".contains("soft_tissue"), "\(e)")
        }
    }

    func testEnergyOutOfRangeIsAClearError() {
        XCTAssertThrowsError(try runCommand(["physics", "photon", "--material", "water", "--energy-kev", "5000"])) { e in
            XCTAssertTrue("\(e)".contains("5") && "\(e)".contains("3 MeV"), "\(e)")
        }
        XCTAssertThrowsError(try runCommand(["physics", "electron", "--material", "water", "--energy-kev", "0.1"])) { e in
            XCTAssertTrue("\(e)".lowercased().contains("energy"), "\(e)")
        }
    }

    func testUnknownNuclideListsValidNames() {
        XCTAssertThrowsError(try runCommand(["physics", "nuclide", "Xx-999"])) { e in
            XCTAssertTrue("\(e)".contains("Lu-177"), "\(e)")
        }
    }

    /// The commands run and accept their documented options (values are tested in RPTPhysicsTests).
    func testCommandsRun() throws {
        try runCommand(["physics", "photon", "--material", "cortical_bone", "--energy-kev", "208", "--json"])
        try runCommand(["physics", "electron", "--material", "water", "--energy-kev", "133", "--json"])
        try runCommand(["physics", "nuclide", "lu177", "--json"])
        try runCommand(["physics", "materials"])
    }
}

/// Ctrl-C on a real `rptdose simulate` process: it finishes the batches in flight, writes a valid result
/// marked partial, exits with the partial-result status 3 (never 0), and `--resume` continues it.
final class InterruptCommandTests: XCTestCase {
    func testSigintWritesPartialResult() throws {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("rptdose").path
        let alt = URL(fileURLWithPath: Bundle.main.bundlePath).deletingLastPathComponent().appendingPathComponent("rptdose").path
        guard let binary = [exe, alt].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            XCTFail("the rptdose executable was not built next to the tests (looked at \(exe) and \(alt))")
            return
        }
        let dir = NSTemporaryDirectory() + "rpt-sigint-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try runCommand(["phantom", "--out", dir, "--size", "48x36x36", "--voxel-mm", "8", "--format", ".nii"])
        let out = dir + "/dose.h5"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.currentDirectoryURL = URL(fileURLWithPath: SharedRoot.packageRoot)
        p.arguments = ["simulate", "--ct", dir + "/ct.nii", "--activity", dir + "/tia_true.nii", "--decays", "2000000000", "--threads", "2", "--out", out]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        // Wait for the first progress line (the run is under way and the handler installed), then Ctrl-C.
        var seen = Data()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
            if String(decoding: seen, as: UTF8.self).contains("decays/s") { break }
        }
        XCTAssertTrue(String(decoding: seen, as: UTF8.self).contains("decays/s"), String(decoding: seen, as: UTF8.self))
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, ExitStatus.partialResult)
        let (state, record, _) = try SimulationFile.read(out)
        XCTAssertTrue(record.partial)
        XCTAssertGreaterThan(state.decaysDone, 0)
        XCTAssertLessThan(state.decaysDone, 2_000_000_000)
    }
}

/// The package root, for running the executable where it finds phantoms/scanners/default.
enum SharedRoot {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}

/// Shell completion (`rptdose --generate-completion-script bash|zsh|fish`) completes file paths for file options
/// and folders for folder options.
final class CompletionScriptTests: XCTestCase {
    func testBashCompletesFilesAndFolders() {
        let bash = RPTDoseCommand.completionScript(for: .bash)
        func completion(after option: String) -> String? {
            guard let r = bash.range(of: "'\(option)')") else { return nil }
            return bash[r.upperBound...].split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        XCTAssertEqual(completion(after: "--ct"), "__rptdose_add_completions -f", "simulate --ct completes file paths")
        XCTAssertEqual(completion(after: "--activity"), "__rptdose_add_completions -f")
        XCTAssertEqual(completion(after: "--calibration"), "__rptdose_add_completions -d", "--calibration completes folders")
        let zsh = RPTDoseCommand.completionScript(for: .zsh)
        XCTAssertTrue(zsh.contains("--material-table") && zsh.contains("_files"), "zsh completes files too")
    }
}
