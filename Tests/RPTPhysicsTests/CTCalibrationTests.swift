import Foundation
import RPTCore
import XCTest
@testable import RPTPhysics

final class CTCalibrationTests: XCTestCase {
    var root: URL { SharedReference.packageRoot }

    func testDefaultCalibrationRampAndIntervals() throws {
        let c = try CTCalibration.load(directory: root.appendingPathComponent("phantoms/scanners/default").path)
        XCTAssertEqual(c.density(hu: -1000), 0.00121, accuracy: 1e-12)
        XCTAssertEqual(c.density(hu: -2000), 0.00121, accuracy: 1e-12)  // clamped
        XCTAssertEqual(c.density(hu: 14), 1.03, accuracy: 1e-12)
        XCTAssertEqual(c.density(hu: (-98 + -1000) / 2.0), (0.93 + 0.00121) / 2, accuracy: 1e-12)  // linear
        XCTAssertEqual(c.density(hu: 5000), 2.8, accuracy: 1e-12)
        func name(_ hu: Double) -> String { c.materials[c.materialIndex(hu: hu)].name }
        XCTAssertEqual(name(-1024), "air")
        XCTAssertEqual(name(-950), "lung")  // intervals are [min, max)
        XCTAssertEqual(name(-951), "air")
        XCTAssertEqual(name(-60), "adipose")
        XCTAssertEqual(name(40), "soft_tissue")
        XCTAssertEqual(name(300), "trabecular_bone")
        XCTAssertEqual(name(1500), "cortical_bone")
        XCTAssertEqual(name(9999), "cortical_bone")
    }

    private func writeCalibration(density: String, materials: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctcal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try density.write(to: dir.appendingPathComponent("density.csv"), atomically: true, encoding: .utf8)
        try materials.write(to: dir.appendingPathComponent("materials.csv"), atomically: true, encoding: .utf8)
        return dir.path
    }

    private let goodDensity = "hu,density_g_cm3\n-1000,0.0012\n0,1.0\n2000,2.0\n"
    private let goodMaterials = "hu_min,hu_max,material\n-1000,-200,lung\n-200,200,water\n200,3000,cortical_bone\n"

    /// `column`: the 1-based character column the source must also name (field errors from `CSVTable`).
    private func assertError(density: String? = nil, materials: String? = nil, file: String, line: Int,
                             column: Int? = nil, field: String, _ contains: String = "") throws {
        let dir = try writeCalibration(density: density ?? goodDensity, materials: materials ?? goodMaterials)
        XCTAssertThrowsError(try CTCalibration.load(directory: dir)) { e in
            guard let err = e as? InputError else { return XCTFail("not an InputError: \(e)") }
            let location = "\(file):\(line)" + (column.map { ":\($0)" } ?? "")
            XCTAssertTrue(err.source.hasSuffix(location), "source \(err.source), expected …\(location)")
            XCTAssertEqual(err.field, field)
            XCTAssertTrue(err.reason.contains(contains), err.reason)
        }
    }

    func testValidFilesLoad() throws {
        let c = try CTCalibration.load(directory: try writeCalibration(density: goodDensity, materials: goodMaterials))
        XCTAssertEqual(c.materials.map(\.name), ["lung", "water", "cortical_bone"])
        XCTAssertEqual(c.density(hu: 1000), 1.5, accuracy: 1e-12)
    }

    func testNonMonotonicHUNamesLine() throws {
        try assertError(density: "hu,density_g_cm3\n-1000,0.0012\n# comment\n0,1.0\n0,1.1\n", file: "density.csv",
                        line: 5, field: "hu", "increase")
    }

    func testMalformedNumberNamesLine() throws {
        try assertError(density: "hu,density_g_cm3\n-1000,0.0012\n0,1.o\n", file: "density.csv", line: 3,
                        column: 3, field: "density_g_cm3", "number")
    }

    func testUnknownMaterialNamesLine() throws {
        try assertError(materials: "hu_min,hu_max,material\n-1000,0,lung\n0,3000,bone\n", file: "materials.csv",
                        line: 3, field: "material", "cortical_bone")
    }

    func testGapAndOverlapNameLine() throws {
        try assertError(materials: "hu_min,hu_max,material\n-1000,0,lung\n10,3000,water\n", file: "materials.csv",
                        line: 3, field: "hu_min", "gap")
        try assertError(materials: "hu_min,hu_max,material\n-1000,0,lung\n-5,3000,water\n", file: "materials.csv",
                        line: 3, field: "hu_min", "overlap")
    }

    func testLabelTable() throws {
        let dir = FileManager.default.temporaryDirectory
        let good = dir.appendingPathComponent("labels-\(UUID().uuidString).csv")
        try "label,material,density_g_cm3\n0,air,\n1,liver,1.07\n2,water,\n".write(to: good, atomically: true, encoding: .utf8)
        let t = try LabelMaterialTable.load(path: good.path)
        XCTAssertEqual(t.entry(label: 1)?.density, 1.07)
        XCTAssertEqual(t.entry(label: 2)?.density, 1.0)
        XCTAssertEqual(t.materials[t.entry(label: 1)!.materialIndex].name, "liver")
        let bad = dir.appendingPathComponent("labels-\(UUID().uuidString).csv")
        try "label,material,density_g_cm3\n0,air,\n0,water,\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LabelMaterialTable.load(path: bad.path)) { e in
            XCTAssertTrue((e as! InputError).source.hasSuffix(":3:1"), "\(e)")  // line 3, column 1
        }
    }
}
