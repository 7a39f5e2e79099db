import Foundation
import XCTest
import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTStore
import RPTVolume

/// Runs subcommands in-process, as `rptdose ARGS` would.
func rptdose(_ args: [String]) throws {
    var command = try RPTDoseCommand.parseAsRoot(args)
    try command.run()
}

/// A temporary folder per test case.
class DoseMethodTestCase: XCTestCase {
    var dir: String!

    override func setUp() {
        dir = NSTemporaryDirectory() + "rpt-methods-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes a volume as a one-volume HDF5 file and returns its path.
    @discardableResult
    func write<T: VoxelScalar>(_ v: Volume<T>, _ name: String) throws -> String {
        let path = dir + "/" + name
        try VolumeFiles.write(AnyVolume(v), to: path)
        return path
    }

    /// Writes a text file and returns its path.
    @discardableResult
    func writeText(_ text: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Region mean doses and relative uncertainties from the `mc_regions` table of a simulate output.
    func regionTable(_ path: String) throws -> [String: (dose: Double, rel: Double)] {
        try H5File.read(path) { f in
            let t = try f.readTable(at: "mc_regions")
            guard case .string(let names)? = t["region"]?.data, case .double(let d)? = t["mean_dose_gy"]?.data,
                  case .double(let u)? = t["mc_rel_uncertainty"]?.data else { throw InputError(source: path, reason: "bad table") }
            var out: [String: (Double, Double)] = [:]
            for i in names.indices { out[names[i]] = (d[i], u[i]) }
            return out
        }
    }

    func provenance(_ path: String) throws -> [String: String] {
        try H5File.read(path) { f in
            var out: [String: String] = [:]
            for (k, v) in try f.readProvenance().settings { if case .string(let s) = v { out[k] = s } }
            return out
        }
    }

    /// Names of the volumes of an HDF5 file (last path component: "dose", "dose_rel_uncertainty", …).
    func volumes(_ path: String) throws -> [String] {
        try H5File.read(path) { try $0.listVolumes() }.map { String($0.split(separator: "/").last ?? "") }
    }
}
