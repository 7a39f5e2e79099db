import Foundation
import XCTest
import RPTValidation

/// Runs the quick validation suite (`rptdose validate --quick`) and requires every row to pass.
final class QuickSuiteTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func testQuickSuitePasses() throws {
        let context = ValidationContext(mode: .quick, seed: 20_240_607, threads: 2,
                                        validationDirectory: Self.packageRoot + "/validation")
        let results = ValidationSuite.run(try ValidationSuite.cases(named: nil, mode: .quick), context: context) { print($0) }
        XCTAssertEqual(results.count, ValidationSuite.allCases.filter(\.inQuickSuite).count)
        for r in results {
            for row in r.rows where row.status == .fail {
                XCTFail("\(r.name): \(row.quantity) = \(row.value) vs \(row.reference) (tolerance \(row.tolerance)) \(row.note)")
            }
            XCTAssertTrue(r.rows.contains { $0.status == .pass }, "\(r.name) has no checked row")
        }
        let md = ValidationReport.markdown(results, context: context, command: "test")
        XCTAssertTrue(md.contains("| [photon-attenuation-nist](#photon-attenuation-nist) | pass |"), md)
    }

    func testUnknownCaseNameIsRejected() {
        XCTAssertThrowsError(try ValidationSuite.cases(named: "no-such-case", mode: .full)) { error in
            XCTAssertTrue("\(error)".contains("lu177-vsv"), "\(error)")
        }
    }

    func testToleranceRule() {
        let pass = ValidationRow.compare("x", value: 1.04, reference: 1, sigma: 0.01, k: 3, systematic: 0.02, unit: "")
        XCTAssertEqual(pass.status, .pass)
        let fail = ValidationRow.compare("x", value: 1.06, reference: 1, sigma: 0.01, k: 3, systematic: 0.02, unit: "")
        XCTAssertEqual(fail.status, .fail)
        XCTAssertEqual(ValidationRow.bound("b", value: 0.9, bound: 1, isLower: true, sigma: 0.01, k: 3, systematic: 0, unit: "").status, .fail)
        XCTAssertEqual(ValidationRow.bound("b", value: 0.98, bound: 1, isLower: true, sigma: 0.01, k: 3, systematic: 0, unit: "").status, .pass)
    }
}
