import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTStore
import RPTTestSupport

/// Files written by RPTStore open in plain h5py (no custom code), and files written by h5py
/// following docs/formats/hdf5.md are read by RPTStore.
final class H5pyInteropTests: XCTestCase {
    /// Runs `<tests' python> -c script args…`; returns stdout. Skips (or fails when CI=true) without h5py.
    private func runPython(_ script: String, _ arguments: [String]) throws -> String {
        let probe = try python(["-c", "import h5py, numpy"])
        if probe.status != 0 {
            let message = "\(ExternalProcess.pythonInterpreter) with h5py and numpy is not available (\(probe.stderr.prefix(200))); "
                + "`make test-deps` creates .venv from requirements-test.txt"
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message) }
            throw XCTSkip(message)
        }
        let run = try python(["-c", script] + arguments)
        XCTAssertEqual(run.status, 0, "python failed: \(run.stderr)")
        return run.stdout
    }

    private func python(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [ExternalProcess.pythonInterpreter] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return (127, "", "\(error)") }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func testH5pyReadsVolumeTableAndAttributes() throws {
        let dir = try makeTemporaryFolder("h5py-read")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/result.h5"
        let dose = indexCodedVolume(Float.self, unit: "Gy")
        var table = Table()
        table.append("region", .string(["liver", "tumour ü"]))
        table.append("label", .int([3, -7]))
        table.append("mean_Gy", .double([1.5, 42.25]), unit: "Gy")
        try H5File.write(to: file, commandLine: "rptdose test") { f in
            try f.writeVolume(AnyVolume(dose), at: "dose")
            try f.writeTable(table, at: "regions")
            try f.writeProvenance(Provenance(commandLine: "rptdose test", seed: 42, settings: ["nuclide": "Lu-177"]))
        }
        let script = """
        import sys, json, h5py
        with h5py.File(sys.argv[1], "r") as f:
            d = f["volumes/dose/data"]
            g = f["volumes/dose"]
            t = f["tables/regions"]
            out = {
                "shape": list(d.shape), "dtype": str(d.dtype), "compression": d.compression,
                "v_i1_j2_k0": float(d[0, 2, 1]), "v_i4_j3_k2": float(d[2, 3, 4]),
                "spacing": [float(x) for x in g.attrs["spacing_mm"]],
                "shape_xyz": [int(x) for x in g.attrs["shape_xyz"]],
                "unit": g.attrs["unit"], "voxel_type": g.attrs["voxel_type"],
                "columns": [str(c) for c in t.attrs["columns"]],
                "region": list(t["region"].asstr()[:]),
                "label": [int(x) for x in t["label"][:]],
                "mean": [float(x) for x in t["mean_Gy"][:]],
                "mean_unit": t["mean_Gy"].attrs["unit"],
                "version": f.attrs["rptdose_format_version"],
                "seed": int(f["provenance"].attrs["seed"]),
                "nuclide": f["provenance"].attrs["nuclide"],
            }
        print(json.dumps(out))
        """
        let output = try runPython(script, [file])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], output)
        XCTAssertEqual(json["shape"] as? [Int], [3, 4, 5])          // [nz, ny, nx]
        XCTAssertEqual(json["dtype"] as? String, "float32")
        XCTAssertEqual(json["compression"] as? String, "gzip")
        XCTAssertEqual(json["v_i1_j2_k0"] as? Double, Double(dose[1, 2, 0]))
        XCTAssertEqual(json["v_i4_j3_k2"] as? Double, Double(dose[4, 3, 2]))
        XCTAssertEqual(json["spacing"] as? [Double], [0.75, 1.5, 2.25])
        XCTAssertEqual(json["shape_xyz"] as? [Int], [5, 4, 3])
        XCTAssertEqual(json["unit"] as? String, "Gy")
        XCTAssertEqual(json["voxel_type"] as? String, "float32")
        XCTAssertEqual(json["columns"] as? [String], ["region", "label", "mean_Gy"])
        XCTAssertEqual(json["region"] as? [String], ["liver", "tumour ü"])
        XCTAssertEqual(json["label"] as? [Int], [3, -7])
        XCTAssertEqual(json["mean"] as? [Double], [1.5, 42.25])
        XCTAssertEqual(json["mean_unit"] as? String, "Gy")
        XCTAssertEqual(json["version"] as? String, HDF5Store.formatVersion)
        XCTAssertEqual(json["seed"] as? Int, 42)
        XCTAssertEqual(json["nuclide"] as? String, "Lu-177")
    }

    func testRPTStoreReadsFileWrittenByH5pyFromTheSpecification() throws {
        let dir = try makeTemporaryFolder("h5py-write")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/external.h5"
        // Written only from docs/formats/hdf5.md: int16 volume, fixed-length (bytes) strings for the
        // unit attribute and one table column, attributes given as Python lists.
        let script = """
        import sys, numpy as np, h5py
        with h5py.File(sys.argv[1], "w") as f:
            f.attrs["rptdose_format_version"] = "1.0"
            nx, ny, nz = 4, 3, 2
            k, j, i = np.meshgrid(np.arange(nz), np.arange(ny), np.arange(nx), indexing="ij")
            g = f.create_group("volumes/ct")
            g.create_dataset("data", data=(i + 10 * j + 100 * k - 50).astype(np.int16))
            g.attrs["spacing_mm"] = [0.5, 0.75, 3.0]
            g.attrs["origin_mm"] = [1.0, -2.0, 30.0]
            g.attrs["direction"] = [1.0, 0, 0, 0, 0, 1.0, 0, -1.0, 0]
            g.attrs["unit"] = np.bytes_("HU")
            t = f.create_group("tables/organs")
            t.attrs["columns"] = ["organ", "mass_g"]
            t.create_dataset("organ", data=np.array([b"liver", b"spleen"], dtype="S8"))
            t.create_dataset("mass_g", data=np.array([1800.0, 150.5], dtype=np.float32))
            t["mass_g"].attrs["unit"] = "g"
        """
        _ = try runPython(script, [file])
        try H5File.read(file) { f in
            XCTAssertEqual(try f.listVolumes(), ["/volumes/ct"])
            guard case .int16(let ct) = try f.readVolume(at: "ct") else { return XCTFail("expected int16") }
            XCTAssertEqual(ct.grid.shape, SIMD3(4, 3, 2))
            XCTAssertEqual(ct.grid.spacing, SIMD3(0.5, 0.75, 3.0))
            XCTAssertEqual(ct.grid.origin, SIMD3(1, -2, 30))
            // Row-major [1 0 0; 0 0 1; 0 -1 0]: the j axis points to −z (superior→inferior), k to +y.
            XCTAssertEqual(ct.grid.direction[column: 1], SIMD3(0, 0, -1))
            XCTAssertEqual(ct.grid.direction[column: 2], SIMD3(0, 1, 0))
            XCTAssertEqual(ct.unit, "HU")
            XCTAssertEqual(ct[3, 2, 1], 3 + 20 + 100 - 50)
            XCTAssertEqual(ct[0, 1, 0], 10 - 50)
            let organs = try f.readTable(at: "organs")
            XCTAssertEqual(organs["organ"]?.data, .string(["liver", "spleen"]))
            XCTAssertEqual(organs["mass_g"]?.data, .double([1800, 150.5]))
            XCTAssertEqual(organs["mass_g"]?.unit, "g")
        }
    }
}
