import Foundation
import XCTest
import RPTCore
import RPTVolume
@testable import RPTImageIO
import RPTTestSupport

/// Independent cross-check against nibabel (Python), the reference NIfTI implementation of the
/// neuroimaging community: nibabel reads what RPTDose writes, and RPTDose reads what nibabel writes.
/// Skipped when nibabel cannot be imported, except under CI=true, where that is a failure.
final class NibabelCrossCheckTests: XCTestCase {
    struct PythonResult { var status: Int32; var stdout: Data; var stderr: String }

    func python(_ script: String, _ args: [String]) throws -> PythonResult {
        let r = try ExternalProcess.python(["-c", script] + args)
        return PythonResult(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func requireNibabel() throws {
        try ExternalProcess.requirePython(modules: ["nibabel", "numpy"], purpose: "to cross-check NIfTI with nibabel")
    }

    /// The RAS affine of a grid, written out from the definition: A = diag(−1, −1, 1)·[D·diag(s) | o].
    func rasAffine(_ g: Grid3D) -> [[Double]] {
        let flip: [Double] = [-1, -1, 1]
        var a: [[Double]] = []
        for r in 0..<3 {
            var row: [Double] = []
            for c in 0..<3 { row.append(flip[r] * g.direction[column: c][r] * g.spacing[c]) }
            row.append(flip[r] * g.origin[r])
            a.append(row)
        }
        a.append([0, 0, 0, 1])
        return a
    }

    /// Prints, for every path given, the affine, qform, codes, shape, dtype and the raw (unscaled)
    /// values in index order i fastest; values as repr() strings so that they parse back exactly.
    static let readScript = """
        import sys, json, numpy as np, nibabel as nib
        out = []
        for path in sys.argv[1:]:
            img = nib.load(path)
            raw = np.asanyarray(img.dataobj)
            h = img.header
            out.append({"affine": img.affine.tolist(), "qform": img.get_qform().tolist(),
                "qcode": int(h["qform_code"]), "scode": int(h["sform_code"]), "shape": list(raw.shape),
                "dtype": str(raw.dtype), "data": [repr(float(x)) for x in raw.flatten(order="F")]})
        print(json.dumps(out))
        """

    func testNibabelReadsRPTDoseNifti() throws {
        try requireNibabel()
        let dir = try makeTemporaryFolder("nib-read")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dtypes: [VoxelType: String] = [.uint8: "uint8", .int16: "int16", .uint16: "uint16", .int32: "int32",
                                           .float32: "float32", .float64: "float64"]
        var cases: [(name: String, grid: Grid3D, volume: AnyVolume, path: String)] = []
        for (grid, name) in [(rotatedGrid, "rot"), (reflectedGrid, "refl")] {
            for type in VoxelType.allCases {
                let v = sampleVolume(type, grid: grid)
                let path = dir + "/\(name)-\(type.rawValue)" + (type.isInteger ? ".nii" : ".nii.gz")
                try ImageIO.write(v, to: path)
                cases.append(("\(name) \(type)", grid, v, path))
            }
        }
        let r = try python(Self.readScript, cases.map(\.path))
        XCTAssertEqual(r.status, 0, r.stderr)
        let results = try JSONSerialization.jsonObject(with: r.stdout) as! [[String: Any]]
        XCTAssertEqual(results.count, cases.count)
        for (c, json) in zip(cases, results) {
            XCTAssertEqual(json["dtype"] as? String, dtypes[c.volume.voxelType], c.name)
            XCTAssertEqual(json["shape"] as? [Int], [c.grid.shape.x, c.grid.shape.y, c.grid.shape.z], c.name)
            XCTAssertEqual(json["qcode"] as? Int, 1, c.name); XCTAssertEqual(json["scode"] as? Int, 1, c.name)
            let expected = rasAffine(c.grid)
            for key in ["affine", "qform"] {
                let a = json[key] as! [[Double]]
                for r in 0..<4 { for k in 0..<4 {
                    XCTAssertEqual(a[r][k], expected[r][k], accuracy: 1e-5, "\(c.name) \(key)[\(r)][\(k)]")
                }}
            }
            let values = (json["data"] as! [String]).map { Double($0)! }
            XCTAssertEqual(values, c.volume.asDouble.voxels, "\(c.name) values")
        }
    }

    static let writeScript = """
        import sys, json, numpy as np, nibabel as nib
        affine = np.array(json.loads(sys.argv[2]))
        data = (np.arange(60, dtype=np.float64).reshape((5, 4, 3), order="F") * 13.7 - 300.0)
        img = nib.Nifti1Image(data, affine)
        img.set_data_dtype(np.int16)
        img.header.set_xyzt_units("mm", "sec")
        nib.save(img, sys.argv[1])
        back = nib.load(sys.argv[1])
        print(json.dumps({"slope": repr(float(back.dataobj.slope)), "inter": repr(float(back.dataobj.inter)),
            "data": [repr(float(x)) for x in back.get_fdata().flatten(order="F")]}))
        """

    /// nibabel writes int16 with its own scl_slope/scl_inter and the affine of `rotatedGrid`.
    func testRPTDoseReadsNibabelNifti() throws {
        try requireNibabel()
        let dir = try makeTemporaryFolder("nib-write")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/nib.nii"
        let affine = String(decoding: try JSONSerialization.data(withJSONObject: rasAffine(rotatedGrid)), as: UTF8.self)
        let r = try python(Self.writeScript, [path, affine])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: r.stdout) as! [String: Any]
        let header = try ImageIO.readHeader(path)
        XCTAssertEqual(header.storedVoxelType, .int16)
        let slope = Double(json["slope"] as! String)!, inter = Double(json["inter"] as! String)!
        XCTAssertNotEqual(slope, 1, "nibabel was expected to scale float data into int16")
        XCTAssertEqual(header.scaling?.slope ?? 1, slope, accuracy: abs(slope) * 1e-7)
        XCTAssertEqual(header.scaling?.intercept ?? 0, inter, accuracy: max(1e-9, abs(inter) * 1e-7))
        let v = try ImageIO.read(path)
        XCTAssertEqual(v.voxelType, .float64)
        assertSameGeometry(v.grid, rotatedGrid, tolerance: 1e-5)
        let theirs = (json["data"] as! [String]).map { Double($0)! }
        let ours = v.asDouble.voxels
        XCTAssertEqual(ours.count, theirs.count)
        for (a, b) in zip(ours, theirs) { XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b))) }
    }
}
