import XCTest
import Foundation
@testable import RPTCore

final class AtomicFileTests: XCTestCase {
    func testFailedWriteLeavesNothingUnderFinalName() throws {
        let dir = NSTemporaryDirectory() + "rpt-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dest = dir + "/out.bin"
        struct Boom: Error {}
        XCTAssertThrowsError(try AtomicFile.write(to: dest) { tmp in
            FileManager.default.createFile(atPath: tmp, contents: Data([1, 2, 3]))
            throw Boom()
        })
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "temporary file removed")
        try AtomicFile.write(Data([4, 5]), to: dest)
        XCTAssertEqual(FileManager.default.contents(atPath: dest), Data([4, 5]))
    }

    /// A process killed while writing (SIGKILL, no clean-up possible) leaves no file under the final name.
    func testKilledWriterLeavesNoFinalFile() throws {
        let dir = NSTemporaryDirectory() + "rpt-atomic-kill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dest = dir + "/big.bin"
        let pid = fork()
        if pid == 0 {
            _ = try? AtomicFile.write(to: dest) { tmp in
                let fd = open(tmp, O_WRONLY | O_CREAT, 0o644)
                var chunk = [UInt8](repeating: 7, count: 1 << 16)
                while true { _ = write(fd, &chunk, chunk.count); usleep(1000) }
            }
            _exit(0)
        }
        usleep(200_000)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dest), "killed write must not leave the final file")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir)
        XCTAssertTrue(left.allSatisfy { $0.hasPrefix(".big.bin.tmp-") }, "only a hidden temporary may remain: \(left)")
    }
}
