import Foundation
import XCTest
import RPTCore
@testable import RPTDosimetry

/// `label,name` files are real CSV: a name holding a comma is quoted (it used to be cut at the first comma and keep
/// its quotes).
final class LabelTableCSVTests: XCTestCase {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "rpt-labels-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testQuotedNamesWithCommasAndQuotes() throws {
        let t = try LabelTable.load(try write("label,name\r\n1,\"kidney, left\"\r\n2,\"lesion \"\"A\"\"\"\r\n3,liver\r\n"))
        XCTAssertEqual(t.names, [1: "kidney, left", 2: "lesion \"A\"", 3: "liver"])
        // Without a header line too.
        XCTAssertEqual(try LabelTable.load(try write("# names\n5,spleen\n")).names, [5: "spleen"])
    }

    func testErrorsNameFileLineAndColumn() throws {
        let unquoted = try write("label,name\n1,kidney, left\n")
        XCTAssertThrowsError(try LabelTable.load(unquoted)) { e in
            XCTAssertTrue("\(e)".contains(unquoted + ":2") && "\(e)".contains("double quotes"), "\(e)")
        }
        let badLabel = try write("label,name\n1,liver\n0,body\n")
        XCTAssertThrowsError(try LabelTable.load(badLabel)) { e in
            XCTAssertEqual((e as? InputError)?.source, badLabel + ":3:1", "\(e)")
        }
        let twice = try write("label,name\n1,liver\n1,\"liver, again\"\n")
        XCTAssertThrowsError(try LabelTable.load(twice)) { XCTAssertTrue("\($0)".contains("listed twice"), "\($0)") }
    }
}
