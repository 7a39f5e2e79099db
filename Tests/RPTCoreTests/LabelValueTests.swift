import XCTest
@testable import RPTCore

final class LabelValueTests: XCTestCase {
    /// Integer labels pass; NaN, fractions (an interpolated label map), negatives and huge values are refused
    /// with the file and value named (they used to crash in `Int(v)` or be truncated, 2.7 → 2).
    func testOnlyIntegerLabelsPass() throws {
        XCTAssertEqual(try LabelValue.integer(0, source: "labels.nii"), 0)
        XCTAssertEqual(try LabelValue.integer(12, source: "labels.nii"), 12)
        XCTAssertEqual(try LabelValue.integer(65535, source: "labels.nii"), 65535)
        for bad in [Double.nan, 2.7, -1, 1e20, .infinity, 65536] {
            XCTAssertThrowsError(try LabelValue.integer(bad, source: "labels.nii")) { e in
                XCTAssertTrue("\(e)".contains("labels.nii") && "\(e)".contains("integers"), "\(e)")
            }
        }
    }
}
