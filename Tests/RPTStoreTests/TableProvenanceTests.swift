import Foundation
import XCTest
import RPTCore
@testable import RPTStore

final class TableProvenanceTests: XCTestCase {
    func testTablesWithEveryColumnKindRoundTrip() throws {
        let dir = try makeTemporaryFolder("tables")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/t.h5"
        var regions = Table()
        regions.append("name", .string(["liver", "kidney L", "tumour ü"]))
        regions.append("label", .int([1, 2, -3]))
        regions.append("mean_dose", .double([1.25, 3.5e-3, .greatestFiniteMagnitude]), unit: "Gy")
        regions.append("volume", .double([1500, 150, 12]), unit: "mL")
        let empty = Table(columns: [Table.Column("x", .double([])), Table.Column("s", .string([]))])
        try H5File.write(to: file) { f in
            try f.writeTable(regions, at: "regions")
            try f.writeTable(empty, at: "/results/empty")
            try f.writeTable(Table(), at: "nothing")
            XCTAssertThrowsError(try f.writeTable(Table(columns: [Table.Column("a", .int([1])), Table.Column("b", .int([]))]), at: "ragged"))
            XCTAssertThrowsError(try f.writeTable(Table(columns: [Table.Column("a/b", .int([1]))]), at: "slash"))
            XCTAssertThrowsError(try f.writeTable(Table(columns: [Table.Column("a", .int([1])), Table.Column("a", .int([2]))]), at: "dup"))
        }
        try H5File.read(file) { f in
            XCTAssertEqual(try f.listTables(), ["/results/empty", "/tables/nothing", "/tables/regions"])
            XCTAssertEqual(try f.readTable(at: "regions"), regions)
            XCTAssertEqual(try f.readTable(at: "/results/empty"), empty)
            XCTAssertEqual(try f.readTable(at: "nothing"), Table())
            XCTAssertEqual(try f.stringsAttribute("columns", at: "/tables/regions"), ["name", "label", "mean_dose", "volume"])
            XCTAssertEqual(try f.stringAttribute("unit", at: "/tables/regions/mean_dose"), "Gy")
            XCTAssertThrowsError(try f.readTable(at: "ragged")) { error in
                XCTAssertEqual((error as? InputError)?.field, "/tables/ragged")
            }
        }
    }

    func testProvenanceRoundTrips() throws {
        let dir = try makeTemporaryFolder("prov")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/p.h5"
        let p = Provenance(commandLine: "rptdose simulate --histories 1e6 'a b'", seed: 0xDEAD_BEEF_0123_4567,
                           settings: ["histories": 1_000_000, "nuclide": "Lu-177", "cutoff_keV": 10.0,
                                      "energies_keV": .doubles([113, 208.4])])
        try H5File.write(to: file) { f in
            try f.writeProvenance(p)
            XCTAssertThrowsError(try f.writeProvenance(Provenance(settings: ["seed": 1])))
        }
        try H5File.read(file) { f in
            XCTAssertEqual(try f.readProvenance(), p)
            XCTAssertEqual(try f.attribute("seed", at: "/provenance"), .uint(0xDEAD_BEEF_0123_4567))
        }
        XCTAssertEqual(HDF5Store.shellQuoted("a b"), "'a b'")
        XCTAssertEqual(HDF5Store.shellQuoted("it's"), "'it'\\''s'")
        XCTAssertEqual(HDF5Store.shellQuoted("--out=x.h5"), "--out=x.h5")
    }
}
