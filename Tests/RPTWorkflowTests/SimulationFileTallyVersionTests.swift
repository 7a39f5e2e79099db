import Foundation
import XCTest
import RPTCore
import RPTStore
import RPTWorkflow

/// Raw tallies of format ≤ 1.2 (128-bit sums, squares in quanta²) cannot be resumed or merged by the 64-bit tally
/// version: they are refused with a message naming the file and the field, never misread.
final class SimulationFileTallyVersionTests: XCTestCase {
    func testOldTalliesAreRefused() throws {
        let path = NSTemporaryDirectory() + "rpt-old-tallies-\(UUID().uuidString).h5"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try H5File.write(to: path) { f in
            try f.createGroup("/simulation")
            try f.createGroup(SimulationFile.talliesGroup)
            let t = SimulationFile.talliesGroup
            for name in ["sum_lo", "sum_hi", "sum_squares_lo", "sum_squares_hi"] {
                try f.writeDataset([UInt64](repeating: 1, count: 4), shape: [4], at: t + "/" + name)
            }
            try f.setAttribute("histories", .uint(10), at: t)
        }
        XCTAssertThrowsError(try SimulationFile.readPart(path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(path), text)
            XCTAssertTrue(text.contains("tally_version"), text)
            XCTAssertTrue(text.contains("older RPTDose"), text)
        }
    }
}
