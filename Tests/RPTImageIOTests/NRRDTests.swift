import Foundation
import RPTTestSupport
import XCTest
import RPTCore
import RPTVolume
@testable import RPTImageIO

/// NRRD and 3D Slicer segmentations: round trips, and cross-checks with independent implementations — pynrrd (pure
/// Python NRRD reader/writer) and SimpleITK (ITK's NrrdImageIO, the reader 3D Slicer itself uses). Skipped when
/// they cannot be imported, except under CI=true (pip install pynrrd SimpleITK).
final class NRRDTests: XCTestCase {
    var dir: String!
    override func setUpWithError() throws { dir = try makeTemporaryFolder("nrrd") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs `script` with the tests' Python; its standard output (fails the test when the script fails).
    func python(_ script: String, _ args: [String] = []) throws -> Data {
        let r = try ExternalProcess.python(["-c", script] + args)
        guard r.status == 0 else {
            XCTFail("python failed: " + r.stderr)
            throw InputError(source: "python", reason: "failed")
        }
        return r.stdout
    }

    func requirePython(_ modules: String) throws {
        try ExternalProcess.requirePython(modules: modules.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                                          purpose: "to cross-check NRRD with independent readers and writers")
    }

    /// Every voxel type, attached and detached, gzip and raw, reads back bit for bit, its geometry to double rounding.
    func testRoundTripAllTypesAndLayouts() throws {
        for type in VoxelType.allCases {
            for (name, gzip) in [("a.nrrd", true), ("b.nrrd", false), ("c.nhdr", true), ("d.nhdr", false)] {
                let v = sampleVolume(type, grid: rotatedGrid, unit: "Gy")
                let path = dir + "/\(type)-" + name
                try ImageIO.write(v, to: path, options: ImageWriteOptions(compressNRRD: gzip))
                let back = try ImageIO.read(path)
                XCTAssertEqual(back.voxelType, type, "\(type) \(name)")
                XCTAssertEqual(back.asDouble.voxels, v.asDouble.voxels, "\(type) \(name)")
                // NRRD stores spacing × direction per axis: spacing and direction come back to double rounding.
                assertSameGeometry(back.grid, rotatedGrid, tolerance: 1e-12, "\(type) \(name)")
                let h = try ImageIO.readHeader(path)
                XCTAssertEqual(h.format, .nrrd)
                XCTAssertEqual(h.unit, "Gy")
            }
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/float64-c.raw.gz"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/float64-d.raw"))
    }

    /// A dose written by RPTDose to NRRD reads back in SimpleITK (ITK's NRRD reader, as in 3D Slicer) with the same
    /// origin, spacing, direction (ITK works in LPS like RPTDose) and values, attached (gzip) and detached (raw).
    func testDoseReadsBackInSimpleITKWithItsGeometry() throws {
        try requirePython("SimpleITK, numpy")
        let dose = Volume<Double>(grid: reflectedGrid, voxels: (0..<reflectedGrid.voxelCount).map { 1e-3 * Double($0) + 0.25 }, unit: "Gy")
        let a = dir + "/dose.nrrd", b = dir + "/dose.nhdr"
        try ImageIO.write(dose, to: a)
        try ImageIO.write(dose, to: b, options: ImageWriteOptions(compressNRRD: false))
        let out = try python("""
            import sys, json, SimpleITK as sitk, numpy as np
            res = []
            for p in sys.argv[1:]:
                img = sitk.ReadImage(p)
                a = sitk.GetArrayFromImage(img)  # [z, y, x]
                res.append({"origin": list(img.GetOrigin()), "spacing": list(img.GetSpacing()),
                             "direction": list(img.GetDirection()), "size": list(img.GetSize()),
                             "values": [repr(float(x)) for x in a.flatten()]})
            print(json.dumps(res))
            """, [a, b])
        let results = try JSONSerialization.jsonObject(with: out) as! [[String: Any]]
        XCTAssertEqual(results.count, 2)
        for r in results {
            let origin = r["origin"] as! [Double], spacing = r["spacing"] as! [Double], direction = r["direction"] as! [Double]
            XCTAssertEqual(r["size"] as! [Int], [reflectedGrid.shape.x, reflectedGrid.shape.y, reflectedGrid.shape.z])
            for i in 0..<3 {
                XCTAssertEqual(origin[i], reflectedGrid.origin[i], accuracy: 1e-12)
                XCTAssertEqual(spacing[i], reflectedGrid.spacing[i], accuracy: 1e-12)
                // ITK's direction is row-major; its column c is the direction of index axis c.
                for c in 0..<3 { XCTAssertEqual(direction[3 * i + c], reflectedGrid.direction[column: c][i], accuracy: 1e-12) }
            }
            XCTAssertEqual((r["values"] as! [String]).map { Double($0)! }, dose.voxels)
        }
    }

    /// pynrrd writes a right-anterior-superior NRRD (big-endian, gzip, detached too): RPTDose reads it in LPS (x and y
    /// negated) exactly as SimpleITK, another independent reader, does.
    func testRASFileWrittenByPynrrdReadsInLPSAsSimpleITKDoes() throws {
        try requirePython("nrrd, SimpleITK, numpy")
        let out = try python("""
            import sys, json, nrrd, numpy as np, SimpleITK as sitk
            d = sys.argv[1]
            data = np.arange(24, dtype=np.int16).reshape((2, 3, 4), order='F')  # data[i, j, k] = i + 2j + 6k
            c, s = np.cos(0.3), np.sin(0.3)
            dirs = np.array([[1.5 * c, 1.5 * s, 0], [-2.0 * s, 2.0 * c, 0], [0, 0, 2.5]])
            res = []
            for name, extra in [("ras.nrrd", {"encoding": "gzip", "endian": "big"}), ("ras.nhdr", {"encoding": "raw"})]:
                p = d + "/" + name
                hdr = {"space": "right-anterior-superior", "space directions": dirs, "space origin": np.array([10.0, -20.0, 30.0]),
                       "kinds": ["domain"] * 3}
                hdr.update(extra)
                nrrd.write(p, data, hdr, detached_header=name.endswith(".nhdr"))
                img = sitk.ReadImage(p)
                res.append({"path": p, "origin": list(img.GetOrigin()), "spacing": list(img.GetSpacing()),
                            "direction": list(img.GetDirection())})
            print(json.dumps(res))
            """, [dir])
        let results = try JSONSerialization.jsonObject(with: out) as! [[String: Any]]
        for r in results {
            let path = r["path"] as! String
            let v = try ImageIO.read(path)
            XCTAssertEqual(v.voxelType, .int16)
            XCTAssertEqual(v.asDouble.voxels, (0..<24).map(Double.init), path)
            let g = v.grid
            // By hand: LPS = RAS with x, y negated.
            XCTAssertEqual(g.origin.x, -10, accuracy: 1e-12); XCTAssertEqual(g.origin.y, 20, accuracy: 1e-12)
            XCTAssertEqual(g.spacing.x, 1.5, accuracy: 1e-12); XCTAssertEqual(g.spacing.z, 2.5, accuracy: 1e-12)
            XCTAssertEqual(g.direction[column: 0].x, -cos(0.3), accuracy: 1e-12)
            XCTAssertEqual(g.direction[column: 0].y, -sin(0.3), accuracy: 1e-12)
            // As SimpleITK reads it.
            let origin = r["origin"] as! [Double], spacing = r["spacing"] as! [Double], direction = r["direction"] as! [Double]
            for i in 0..<3 {
                XCTAssertEqual(g.origin[i], origin[i], accuracy: 1e-9, path)
                XCTAssertEqual(g.spacing[i], spacing[i], accuracy: 1e-9, path)
                for c in 0..<3 { XCTAssertEqual(g.direction[column: c][i], direction[3 * i + c], accuracy: 1e-9, path) }
            }
        }
    }

    /// SimpleITK (ITK's NRRD writer, the one 3D Slicer uses) writes an oblique float image as .nrrd (gzip) and .nhdr:
    /// RPTDose reads SimpleITK's origin, spacing, direction and values.
    func testImageWrittenBySimpleITKReads() throws {
        try requirePython("SimpleITK, numpy")
        let out = try python("""
            import sys, json, SimpleITK as sitk, numpy as np
            a = (np.arange(60, dtype=np.float32).reshape((3, 4, 5)) * 0.5 - 3.0)  # [z, y, x]
            img = sitk.GetImageFromArray(a)
            img.SetSpacing((0.8, 1.25, 2.5)); img.SetOrigin((-100.0, 50.5, -20.25))
            c, s = np.cos(0.4), np.sin(0.4)
            img.SetDirection((c, 0, s, 0, 1, 0, -s, 0, c))  # row-major; column i = axis i
            res = []
            for name, compress in [("itk.nrrd", True), ("itk.nhdr", False)]:
                p = sys.argv[1] + "/" + name
                sitk.WriteImage(img, p, compress)
                res.append(p)
            print(json.dumps({"paths": res, "values": [float(x) for x in a.flatten()], "direction": list(img.GetDirection())}))
            """, [dir])
        let r = try JSONSerialization.jsonObject(with: out) as! [String: Any]
        let values = r["values"] as! [Double], direction = r["direction"] as! [Double]
        for path in r["paths"] as! [String] {
            let v = try ImageIO.read(path)
            XCTAssertEqual(v.voxelType, .float32, path)
            XCTAssertEqual(v.asDouble.voxels, values, path)
            let g = v.grid
            XCTAssertEqual(g.shape, SIMD3(5, 4, 3))
            for (i, (o, sp)) in zip([-100.0, 50.5, -20.25], [0.8, 1.25, 2.5]).enumerated() {
                XCTAssertEqual(g.origin[i], o, accuracy: 1e-9, path)
                XCTAssertEqual(g.spacing[i], sp, accuracy: 1e-9, path)
                for c in 0..<3 { XCTAssertEqual(g.direction[column: c][i], direction[3 * i + c], accuracy: 1e-9, path) }
            }
        }
    }

    /// Slicer segmentations written by pynrrd: a one-layer `.seg.nrrd` is accepted as a label map with its segment names
    /// (names with commas included); a two-layer one with overlapping segments gives its layers separately and refuses
    /// to merge; a two-layer one whose segments do not overlap merges, relabelling colliding label values.
    func testSlicerSegmentationsWrittenByPynrrd() throws {
        try requirePython("nrrd, numpy")
        _ = try python("""
            import sys, nrrd, numpy as np
            d = sys.argv[1]
            common = {"space": "left-posterior-superior", "space origin": np.array([-5.0, 3.0, 7.5]), "encoding": "gzip"}
            spatial = [[2.0, 0, 0], [0, 2.0, 0], [0, 0, 3.0]]
            one = np.zeros((4, 3, 2), dtype=np.uint8); one[0, :, :] = 1; one[2:, 1, 1] = 5
            h = dict(common, **{"space directions": np.array(spatial), "kinds": ["domain"] * 3,
                 "Segment0_ID": "Segment_1", "Segment0_Name": "liver", "Segment0_LabelValue": "1", "Segment0_Layer": "0",
                 "Segment1_ID": "Segment_2", "Segment1_Name": "kidney, left", "Segment1_LabelValue": "5", "Segment1_Layer": "0",
                 "Segmentation_MasterRepresentation": "Binary labelmap"})
            nrrd.write(d + "/one.seg.nrrd", one, h)
            def layered(name, overlap):
                two = np.zeros((2, 4, 3, 2), dtype=np.uint8)
                two[0, 0:2, :, :] = 1                      # layer 0: kidney (value 1)
                two[1, 1 if overlap else 2, :, :] = 1      # layer 1: cortex (value 1 too)
                h = dict(common, **{"space directions": np.array([[np.nan] * 3] + spatial),
                     "kinds": ["list", "domain", "domain", "domain"],
                     "Segment0_ID": "kidney", "Segment0_Name": "kidney", "Segment0_LabelValue": "1", "Segment0_Layer": "0",
                     "Segment1_ID": "cortex", "Segment1_Name": "kidney_cortex", "Segment1_LabelValue": "1", "Segment1_Layer": "1"})
                nrrd.write(d + "/" + name, two, h)
            layered("overlap.seg.nrrd", True)
            layered("disjoint.seg.nrrd", False)
            """, [dir])
        // One layer: the label map as a study or simulate reads it.
        let one = try ImageIO.read(dir + "/one.seg.nrrd")
        XCTAssertEqual(one.grid.origin, SIMD3(-5, 3, 7.5))
        XCTAssertEqual(one.grid.spacing, SIMD3(2, 2, 3))
        let labels = one.asDouble
        XCTAssertEqual(labels.voxels[labels.grid.linearIndex(0, 2, 1)], 1)
        XCTAssertEqual(labels.voxels[labels.grid.linearIndex(3, 1, 1)], 5)
        XCTAssertEqual(labels.voxels[labels.grid.linearIndex(1, 0, 0)], 0)
        let seg = try SlicerSegmentation.read(dir + "/one.seg.nrrd")
        XCTAssertEqual(try seg.mergedLabelMap().names, [1: "liver", 5: "kidney, left"])
        // Two overlapping layers: separate maps, no merge.
        let overlap = try SlicerSegmentation.read(dir + "/overlap.seg.nrrd")
        XCTAssertEqual(overlap.layers.count, 2)
        let maps = overlap.layerLabelMaps()
        XCTAssertEqual(maps.map(\.names), [[1: "kidney"], [1: "kidney_cortex"]])
        XCTAssertEqual(maps[0].labels.voxels.filter { $0 == 1 }.count, 12)
        XCTAssertEqual(maps[1].labels.voxels.filter { $0 == 1 }.count, 6)
        XCTAssertEqual(maps[1].labels.voxels[maps[1].labels.grid.linearIndex(1, 2, 1)], 1)
        XCTAssertThrowsError(try ImageIO.read(dir + "/overlap.seg.nrrd")) { e in
            XCTAssertTrue("\(e)".contains("overlap") && "\(e)".contains("kidney_cortex"), "\(e)")
        }
        // Two disjoint layers with the same label value: merged as segment index + 1.
        let merged = try SlicerSegmentation.read(dir + "/disjoint.seg.nrrd").mergedLabelMap()
        XCTAssertEqual(merged.names, [1: "kidney", 2: "kidney_cortex"])
        XCTAssertEqual(merged.labels.voxels.filter { $0 == 2 }.count, 6)
        XCTAssertEqual(try ImageIO.readHeader(dir + "/disjoint.seg.nrrd").voxelType, .uint16)
    }

    /// What RPTDose writes as a segmentation, pynrrd reads with Slicer's keys.
    func testSegmentationWrittenForSlicer() throws {
        try requirePython("nrrd, numpy")
        let grid = Grid3D(shape: SIMD3(3, 2, 2), spacing: SIMD3(1, 1, 2), origin: SIMD3(1, 2, 3))
        let labels = Volume<UInt16>(grid: grid, voxels: [0, 1, 1, 2, 2, 0, 0, 0, 1, 1, 2, 2])
        try SlicerSegmentation.write(labels: labels, names: [1: "liver", 2: "tumour \"A\", left"], to: dir + "/out.seg.nrrd")
        let out = try python("""
            import sys, json, nrrd
            data, h = nrrd.read(sys.argv[1])
            print(json.dumps({"names": [h["Segment0_Name"], h["Segment1_Name"]], "values": [h["Segment0_LabelValue"], h["Segment1_LabelValue"]],
                              "space": h["space"], "data": [int(x) for x in data.flatten(order="F")]}))
            """, [dir + "/out.seg.nrrd"])
        let r = try JSONSerialization.jsonObject(with: out) as! [String: Any]
        XCTAssertEqual(r["names"] as! [String], ["liver", "tumour \"A\", left"])
        XCTAssertEqual(r["values"] as! [String], ["1", "2"])
        XCTAssertEqual(r["space"] as! String, "left-posterior-superior")
        XCTAssertEqual(r["data"] as! [Int], labels.voxels.map(Int.init))
        XCTAssertEqual(try SlicerSegmentation.read(dir + "/out.seg.nrrd").mergedLabelMap().labels, labels)
    }

    func testMalformedHeadersAreRefused() throws {
        func header(_ lines: [String]) throws -> String {
            let path = dir + "/bad-\(UUID().uuidString).nrrd"
            try Data(Array((lines.joined(separator: "\n") + "\n\n").utf8) + [UInt8](repeating: 0, count: 16)).write(to: URL(fileURLWithPath: path))
            return path
        }
        let good = ["NRRD0004", "type: short", "dimension: 3", "sizes: 2 2 2", "space: left-posterior-superior",
                    "space directions: (1,0,0) (0,1,0) (0,0,1)", "endian: little", "encoding: raw", "space origin: (0,0,0)"]
        XCTAssertEqual(try ImageIO.read(try header(good)).grid.shape, SIMD3(2, 2, 2))
        func refuse(_ replace: String, with line: String?, field: String, file: StaticString = #filePath, l: UInt = #line) throws {
            var lines = good.filter { !$0.hasPrefix(replace) }
            if let line { lines.append(line) }
            assertInputError(try ImageIO.read(try header(lines)), field: field, file: file, line: l)
        }
        try refuse("encoding", with: "encoding: bzip2", field: "encoding")
        try refuse("endian", with: nil, field: "endian")
        try refuse("space:", with: "space: scanner-xyz", field: "space")
        try refuse("type", with: "type: int64", field: "type")
        try refuse("space directions", with: "space directions: (1,0,0) (1,0,0) (0,0,1)", field: "direction")
        try refuse("space directions", with: "space directions: (1,0,0) (0,1,0)", field: "space directions")
        try refuse("sizes", with: "sizes: 2 2 3", field: "voxel data")
        assertInputError(try ImageIO.read(try header(["NRRD0009"] + good.dropFirst())), field: "magic")
    }
}
