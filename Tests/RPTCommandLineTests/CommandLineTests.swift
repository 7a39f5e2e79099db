import XCTest
import Foundation
@testable import RPTCommandLine
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
