import Foundation
import XCTest
@testable import RPTCore

/// The RFC 4180 reader: quoting rules, line endings, BOM, comments, and errors that name file, line and column.
final class CSVTableTests: XCTestCase {
    func parse(_ text: String) throws -> CSVTable { try CSVTable(text: text, source: "t.csv") }

    func assertError(_ text: String, source: String, mentions: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text), file: file, line: line) { e in
            guard let e = e as? InputError else { return XCTFail("\(e)", file: file, line: line) }
            XCTAssertEqual(e.source, source, "\(e)", file: file, line: line)
            XCTAssertTrue(e.description.contains(mentions), "\(e)", file: file, line: line)
        }
    }

    /// The examples of RFC 4180 §2: quoted fields with commas, doubled quotes and a line break.
    func testQuotedFieldsEscapedQuotesCommasAndNewlines() throws {
        let t = try parse("label,name\n1,\"kidney, left\"\n2,\"the \"\"hot\"\" lesion\"\n3,\"two\nlines\"\n4,plain\n")
        XCTAssertEqual(t.header, ["label", "name"])
        XCTAssertEqual(t.rows.map(\.fields), [["1", "kidney, left"], ["2", "the \"hot\" lesion"], ["3", "two\nlines"],
                                              ["4", "plain"]])
        XCTAssertEqual(t.rows.map(\.line), [2, 3, 4, 6], "a record spanning two lines advances the line count")
        XCTAssertEqual(t.rows[0].columns, [1, 3])
    }

    func testCRLFByteOrderMarkBlankLinesCommentsAndEmptyFields() throws {
        let t = try parse("\u{FEFF}# exported from a spreadsheet\r\nlabel,material,density_g_cm3\r\n\r\n0,air,\r\n"
                          + "  1 , liver , 1.07 \r\n# comment\r\n2,\"water\" ,\r\n\r\n")
        XCTAssertEqual(t.header, ["label", "material", "density_g_cm3"])
        XCTAssertEqual(t.headerLine, 2)
        XCTAssertEqual(t.rows.map(\.fields), [["0", "air", ""], ["1", "liver", "1.07"], ["2", "water", ""]])
        XCTAssertEqual(t.rows.map(\.line), [4, 5, 7])
        // A lone CR ends a record too (old Mac files), and the last record needs no line break.
        XCTAssertEqual(try parse("a,b\r1,2\r3,4").rows.map(\.fields), [["1", "2"], ["3", "4"]])
        // A quoted field keeps its inner spaces; '#' inside a record is text, not a comment.
        XCTAssertEqual(try parse("a,b\n\" x \",lesion #2\n").rows[0].fields, [" x ", "lesion #2"])
    }

    func testMalformedInputNamesFileLineAndColumn() {
        assertError("a,b\n1,\"open\n2,3\n", source: "t.csv:2:3", mentions: "never closed")
        assertError("a,b\n1,\"x\"y\n", source: "t.csv:2:6", mentions: "after the closing quote")
        assertError("a,b\n1,ab\"c\n", source: "t.csv:2:5", mentions: "inside a field")
        assertError("a,b\n1,2,3\n", source: "t.csv:2", mentions: "double quotes")
        assertError("a,b\n1;2\n", source: "t.csv:2", mentions: "';' as separator")
        assertError("# only a comment\n\n", source: "t.csv", mentions: "no header")
    }

    func testFieldErrorsAndNumbers() throws {
        let t = try parse("hu,density_g_cm3\n-1000, 0.0012\n0,abc\n")
        XCTAssertEqual(try t.number(t.rows[0], 1), 0.0012)
        XCTAssertThrowsError(try t.number(t.rows[1], 1)) { e in
            let e = e as! InputError
            XCTAssertEqual(e.source, "t.csv:3:3")
            XCTAssertEqual(e.field, "density_g_cm3")
            XCTAssertEqual(e.value, "abc")
        }
        XCTAssertThrowsError(try t.requireHeader(["hu", "density"])) { e in
            XCTAssertEqual((e as! InputError).source, "t.csv:1")
        }
        XCTAssertNoThrow(try t.requireHeader(["HU", "Density_g_cm3"]))
        XCTAssertEqual(t.columnIndex("DENSITY_G_CM3"), 1)
    }

    func testFilesNotUTF8AreRefused() throws {
        let dir = NSTemporaryDirectory() + "rpt-csv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data([0xFF, 0xFE, 0x61, 0x00]).write(to: URL(fileURLWithPath: dir + "/u16.csv"))
        try Data([0x61, 0x2C, 0x62, 0x0A, 0xE9, 0x2C, 0x31, 0x0A]).write(to: URL(fileURLWithPath: dir + "/latin1.csv"))
        XCTAssertThrowsError(try CSVTable(path: dir + "/u16.csv")) { XCTAssertTrue("\($0)".contains("UTF-16")) }
        XCTAssertThrowsError(try CSVTable(path: dir + "/latin1.csv")) { XCTAssertTrue("\($0)".contains("not UTF-8")) }
        XCTAssertThrowsError(try CSVTable(path: dir + "/missing.csv")) { XCTAssertTrue("\($0)".contains("does not exist")) }
    }

    /// What `field` writes reads back unchanged.
    func testFieldQuotingRoundTrips() throws {
        let values = ["plain", "kidney, left", "the \"hot\" one", "two\nlines", " padded ", "#hash", ""]
        let text = "v,w\n" + values.map { CSVTable.field($0) + ",x" }.joined(separator: "\n") + "\n"
        // An empty unquoted field in a record of its own would be a blank line; here each record has two fields.
        XCTAssertEqual(try parse(text).rows.map { $0.fields[0] }, values)
        XCTAssertEqual(CSVTable.field("plain"), "plain")
        XCTAssertEqual(CSVTable.field("a,b"), "\"a,b\"")
    }
}
