import Foundation
import XCTest
import RPTCore
@testable import RPTStore

final class H5FileTests: XCTestCase {
    func testAttributesOfEveryKindRoundTripOnRootGroupAndDataset() throws {
        let dir = try makeTemporaryFolder("attrs")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/a.h5"
        let values: [String: H5AttributeValue] = [
            "s": .string("Grüße, 177Lu"), "ss": .strings(["a", "", "βγ"]),
            "d": .double(-2.5e-7), "ds": .doubles([1, 2.5, -3]), "d1": .doubles([4]),
            "i": .int(-9_000_000_000), "is": .ints([1, -2, 3]), "u": .uint(UInt64.max),
            "empty": .doubles([]),
        ]
        try H5File.write(to: file, commandLine: "test") { f in
            try f.createGroup("/g/h/i")
            try f.writeDataset([1.0, 2, 3, 4, 5, 6], shape: [2, 3], at: "/g/data")
            for target in ["/", "/g/h/i", "/g/data"] {
                for (name, value) in values { try f.setAttribute(name, value, at: target) }
            }
            try f.setAttribute("s", "replaced", at: "/g/data")
        }
        try H5File.read(file) { f in
            for target in ["/", "/g/h/i", "/g/data"] {
                for (name, value) in values where !(target == "/g/data" && name == "s") {
                    XCTAssertEqual(try f.attribute(name, at: target), value, "\(target)@\(name)")
                }
                XCTAssertTrue(Set(try f.attributeNames(at: target)).isSuperset(of: values.keys))
            }
            XCTAssertEqual(try f.stringAttribute("s", at: "/g/data"), "replaced")
            XCTAssertEqual(try f.doublesAttribute("d1", at: "/g/h/i"), [4])
            XCTAssertEqual(try f.doubleAttribute("i"), -9e9)
            XCTAssertNil(try f.attributeIfPresent("nope", at: "/g"))
            XCTAssertThrowsError(try f.intAttribute("s")) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(file) && text.contains("/@s") && text.contains("expected an integer"), text)
            }
            // Root attributes of every RPTDose file.
            XCTAssertEqual(try f.stringAttribute("rptdose_format_version"), HDF5Store.formatVersion)
            XCTAssertEqual(try f.stringAttribute("software_version"), RPTDoseVersion.string)
            XCTAssertEqual(try f.stringAttribute("command_line"), "test")
            XCTAssertFalse(try f.stringAttribute("git_commit").isEmpty)
            let created = try f.stringAttribute("created_utc")
            XCTAssertNotNil(ISO8601DateFormatter().date(from: created), created)
        }
    }

    func testGroupsNestAndListMembers() throws {
        let dir = try makeTemporaryFolder("groups")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/g.h5"
        try H5File.write(to: file) { f in
            try f.createGroup("a/b/c")
            try f.createGroup("/a/b/c")   // already there: no error
            try f.createGroup("/a/z")
            try f.writeDataset([Int32(1)], shape: [1], at: "/a/b/x")
            XCTAssertThrowsError(try f.createGroup("/a/b/x"))  // a dataset is in the way
        }
        try H5File.read(file) { f in
            XCTAssertEqual(try f.members(of: "/"), ["a"])
            XCTAssertEqual(try f.members(of: "/a"), ["b", "z"])
            XCTAssertEqual(try f.members(of: "/a/b/"), ["c", "x"])
            XCTAssertEqual(f.kind(of: "/a/b/c"), .group)
            XCTAssertEqual(f.kind(of: "/a/b/x"), .dataset)
            XCTAssertNil(f.kind(of: "/a/q/r"))
            XCTAssertFalse(f.exists("/nope/deeper"))
        }
    }

    func testDatasetsOfEveryTypeWithNDShapesAndCompression() throws {
        let dir = try makeTemporaryFolder("datasets")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/d.h5"
        let shape = [3, 4, 5, 2]
        let n = shape.reduce(1, *)
        let compressed = H5DatasetOptions.compressed(chunkShape: [1, 4, 5, 2], level: 4)
        try H5File.write(to: file) { f in
            try f.writeDataset((0..<n).map { Double($0) * 0.5 - 7 }, shape: shape, at: "/f64", options: compressed)
            try f.writeDataset((0..<n).map { Float($0) * 0.25 }, shape: shape, at: "/f32", options: compressed)
            try f.writeDataset((0..<n).map { Int32($0) - 60 }, shape: shape, at: "/i32")
            try f.writeDataset((0..<n).map { Int64($0) << 33 }, shape: shape, at: "/i64", options: compressed)
            try f.writeDataset((0..<n).map { UInt8($0 % 256) }, shape: shape, at: "/u8", options: compressed)
            try f.writeDataset((0..<n).map { Int16($0) - 32000 }, shape: shape, at: "/i16")
            try f.writeDataset((0..<n).map { UInt16($0) + 65000 }, shape: shape, at: "/u16", options: compressed)
            try f.writeDataset([Double](), shape: [0], at: "/empty")
            try f.writeStrings(["x", "", "ü"], at: "/strings")
            XCTAssertThrowsError(try f.writeDataset([1.0, 2], shape: [3], at: "/bad"))
            XCTAssertThrowsError(try f.writeDataset([1.0], shape: [1], at: "/f64"))  // exists
        }
        try H5File.read(file) { f in
            XCTAssertEqual(try f.readDataset(at: "/f64", as: Double.self).values, (0..<n).map { Double($0) * 0.5 - 7 })
            XCTAssertEqual(try f.readDataset(at: "/f32", as: Float.self).values, (0..<n).map { Float($0) * 0.25 })
            XCTAssertEqual(try f.readDataset(at: "/i32", as: Int32.self).values, (0..<n).map { Int32($0) - 60 })
            XCTAssertEqual(try f.readDataset(at: "/i64", as: Int64.self).values, (0..<n).map { Int64($0) << 33 })
            XCTAssertEqual(try f.readDataset(at: "/u8", as: UInt8.self).values, (0..<n).map { UInt8($0 % 256) })
            XCTAssertEqual(try f.readDataset(at: "/i16", as: Int16.self).values, (0..<n).map { Int16($0) - 32000 })
            XCTAssertEqual(try f.readDataset(at: "/u16", as: UInt16.self).values, (0..<n).map { UInt16($0) + 65000 })
            XCTAssertEqual(try f.readDataset(at: "/u16", as: UInt16.self).shape, shape)
            XCTAssertEqual(try f.datasetInfo(at: "/i16"), H5DatasetInfo(shape: shape, elementType: .int16, isString: false))
            // HDF5 converts on read: int16 on disk, doubles in memory.
            XCTAssertEqual(try f.readDataset(at: "/i16", as: Double.self).values[5], 5 - 32000)
            XCTAssertEqual(try f.readDataset(at: "/empty", as: Double.self).values, [])
            XCTAssertEqual(try f.readStrings(at: "/strings"), ["x", "", "ü"])
            XCTAssertThrowsError(try f.readDataset(at: "/strings", as: Double.self))
            XCTAssertThrowsError(try f.readStrings(at: "/f64"))
        }
        // Compression really happened: a highly compressible 1 MiB dataset stays far below 1 MiB.
        let big = dir + "/big.h5"
        try H5File.write(to: big) { f in
            try f.writeDataset([Float](repeating: 3, count: 1 << 18), shape: [64, 64, 64], at: "/v",
                               options: .compressed(chunkShape: [16, 64, 64]))
        }
        let size = try FileManager.default.attributesOfItem(atPath: big)[.size] as! Int
        XCTAssertLessThan(size, 100_000)
    }

    func testOpeningNonHDF5OrMissingFileNamesTheFile() throws {
        let dir = try makeTemporaryFolder("nonh5")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = dir + "/notes.h5"
        try Data("this is not HDF5\n".utf8).write(to: URL(fileURLWithPath: text))
        let printed = try capturingStandardError {
            XCTAssertThrowsError(try H5File.open(text)) { error in
                guard let e = error as? InputError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.source, text)
                XCTAssertTrue(e.reason.contains("not an HDF5 file"), e.reason)
            }
            XCTAssertThrowsError(try H5File.open(dir + "/missing.h5")) { error in
                XCTAssertEqual((error as? InputError)?.source, dir + "/missing.h5")
                XCTAssertTrue("\(error)".contains("does not exist"))
            }
            XCTAssertFalse(HDF5Store.isHDF5(path: text))
            XCTAssertFalse(HDF5Store.isHDF5(path: dir + "/missing.h5"))
            XCTAssertFalse(HDF5Store.isHDF5(path: dir))
        }
        XCTAssertEqual(printed, "", "HDF5 must not print its error stack")
    }

    func testLibraryErrorsBecomeSwiftErrorsWithoutPrinting() throws {
        let dir = try makeTemporaryFolder("errors")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/e.h5"
        try H5File.write(to: file) { f in try f.writeDataset([1.0], shape: [1], at: "/x") }
        XCTAssertTrue(HDF5Store.isHDF5(path: file))
        let printed = try capturingStandardError {
            try H5File.read(file) { f in
                XCTAssertThrowsError(try f.readDataset(at: "/y/z", as: Double.self)) { error in
                    guard let e = error as? InputError else { return XCTFail("\(error)") }
                    XCTAssertEqual(e.source, file)
                    XCTAssertEqual(e.field, "/y/z")
                }
                // A read-only file refuses writes with an error naming file and object.
                XCTAssertThrowsError(try f.setAttribute("a", 1.0, at: "/x")) { error in
                    XCTAssertTrue("\(error)".contains(file) && "\(error)".contains("/x"), "\(error)")
                }
                // An HDF5 call that fails inside the library (attribute name with a NUL-free but
                // invalid empty name) surfaces as HDF5Error, not as printed text.
                XCTAssertThrowsError(try f.attribute("", at: "/x"))
            }
        }
        XCTAssertEqual(printed, "", "HDF5 must not print its error stack")
    }
}
