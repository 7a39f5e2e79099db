import Foundation
import RPTCore
import XCTest
@testable import RPTValidation

/// The published Lu-177 VSV tables under `validation/` parse, cover the first octant and have the symmetry of a cube;
/// the energy-balance sum and the rounding bound give hand-computed numbers on small synthetic tables.
final class VSVReferenceTableTests: XCTestCase {
    static let validation = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/validation"

    func testPublishedTablesParseAndAreCubicSymmetric() throws {
        for file in ["lu177-vsv-lanconelli/reference_3p00mm.csv", "lu177-vsv-lanconelli/reference_4p80mm.csv",
                     "lu177-vsv-2p21/reference_s_values.csv"] {
            let t = try VSVReferenceTable(path: Self.validation + "/" + file)
            XCTAssertEqual(t.values.count, 216, file)
            for i in 0...5 { for j in 0...5 { for k in 0...5 {
                XCTAssertNotNil(t.values[SIMD3(i, j, k)], "\(file) (\(i),\(j),\(k))")
            }}}
            XCTAssertEqual(t.maxPermutationAsymmetry, 0, file)
            XCTAssertEqual(t.value(SIMD3(-1, 0, 0)), t.value(SIMD3(0, 0, 1)), file)
            // The source voxel receives the most, and S falls along an axis through the β range.
            XCTAssertGreaterThan(t.value(.zero)!, t.value(SIMD3(1, 0, 0))!, file)
            XCTAssertGreaterThan(t.value(SIMD3(1, 0, 0))!, t.value(SIMD3(2, 0, 0))!, file)
        }
    }

    func testCaseFindsItsReferenceFiles() {
        XCTAssertEqual(Lu177VSVLanconelliCase.referenceFile(mm: 3.0), "reference_3p00mm.csv")
        XCTAssertEqual(Lu177VSVLanconelliCase.referenceFile(mm: 4.8), "reference_4p80mm.csv")
    }

    func testBlockEnergyOnSyntheticTable() {
        var v: [SIMD3<Int>: Double] = [SIMD3(0, 0, 0): 1, SIMD3(1, 1, 1): 0.001]
        for p in [SIMD3(2, 0, 0), SIMD3(0, 2, 0), SIMD3(0, 0, 2)] { v[p] = 5 }  // outside the 27 voxels: not counted
        for p in [SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)] { v[p] = 0.1 }
        for p in [SIMD3(1, 1, 0), SIMD3(1, 0, 1), SIMD3(0, 1, 1)] { v[p] = 0.01 }
        let t = VSVReferenceTable(values: v)
        // 1 + 6·0.1 + 12·0.01 + 8·0.001 = 1.728 mGy/(MBq·s) = 1.728e-9 Gy per decay; a 10 mm voxel at 2 g/cm³ is
        // 2 g, so 3.456e-12 J per decay; 1 MeV = 1.602176634e-13 J (exact SI).
        XCTAssertEqual(t.blockEnergyMeV(voxelMM: 10, density: 2), 3.456e-12 / 1.602176634e-13, accuracy: 1e-12)
        XCTAssertEqual(t.maxPermutationAsymmetry, 0)
    }

    func testAsymmetryIsDetected() {
        let t = VSVReferenceTable(values: [SIMD3(1, 0, 0): 0.1, SIMD3(0, 1, 0): 0.2, SIMD3(0, 0, 1): 0.1])
        XCTAssertEqual(t.maxPermutationAsymmetry, 1, accuracy: 1e-12)
        XCTAssertEqual(VSVReferenceTable(values: [SIMD3(1, 0, 0): 0.1]).maxPermutationAsymmetry, .infinity)
    }

    func testRelativeRoundingError() {
        XCTAssertEqual(VSVReferenceTable.relativeRoundingError(0.178), 0.0005 / 0.178, accuracy: 1e-12)
        XCTAssertEqual(VSVReferenceTable.relativeRoundingError(1.51e-2), 0.00005 / 0.0151, accuracy: 1e-12)
        XCTAssertEqual(VSVReferenceTable.relativeRoundingError(1.00), 0.005, accuracy: 1e-12)
    }

    func testBadRowsAreRejectedNamingTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vsvtable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, body, field) in [("dup.csv", "i,j,k,s_mGy_per_MBq_s\n0,0,0,1\n0,0,0,2\n", "i,j,k"),
                                    ("neg.csv", "i,j,k,s_mGy_per_MBq_s\n-1,0,0,1\n", "i"),
                                    ("zero.csv", "i,j,k,s_mGy_per_MBq_s\n0,0,0,0\n", "s_mGy_per_MBq_s")] {
            let path = dir.appendingPathComponent(name).path
            try Data(body.utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try VSVReferenceTable(path: path), name) { error in
                guard let e = error as? InputError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.source, path)
                XCTAssertEqual(e.field, field)
            }
        }
    }
}
