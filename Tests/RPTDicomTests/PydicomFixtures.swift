import Foundation
import XCTest

/// Runs the pydicom scripts in Resources/: generates the test inputs once per test process and reads
/// RT Dose files back. Tests skip when pydicom cannot be imported, unless CI=true (then they fail).
enum Pydicom {
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources").path

    struct Fixtures {
        let dir: String
        let expected: [String: Any]
        func path(_ rel: String) -> String { dir + "/" + rel }
        func section(_ key: String) -> [String: Any] { expected[key] as! [String: Any] }
    }

    /// Runs `python3 args…`; returns (exit status, stdout, stderr).
    static func python(_ args: [String]) throws -> (Int32, Data, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, o, String(decoding: e, as: UTF8.self))
    }

    /// Throws XCTSkip (or fails under CI=true) when python3 with pydicom and numpy is unavailable.
    static func requirePydicom() throws {
        let status = (try? python(["-c", "import pydicom, numpy"]))?.0 ?? 127
        if status != 0 {
            let message = "python3 with pydicom and numpy is needed to generate DICOM test inputs (pip install pydicom numpy)"
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message); throw XCTSkip(message) }
            throw XCTSkip(message)
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: Fixtures?

    static func fixtures() throws -> Fixtures {
        try requirePydicom()
        lock.lock(); defer { lock.unlock() }
        if let cached { return cached }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rptdicom-fixtures-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        let (status, _, err) = try python([resources + "/make_fixtures.py", dir])
        guard status == 0 else { throw NSError(domain: "make_fixtures.py", code: Int(status), userInfo: [NSLocalizedDescriptionKey: err]) }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/expected.json")))
        let f = Fixtures(dir: dir, expected: json as! [String: Any])
        cached = f
        return f
    }

    /// pydicom's view of an RT Dose file (see Resources/read_rtdose.py).
    static func readRTDose(_ path: String) throws -> [String: Any] {
        let (status, out, err) = try python([resources + "/read_rtdose.py", path])
        guard status == 0 else { throw NSError(domain: "read_rtdose.py", code: Int(status), userInfo: [NSLocalizedDescriptionKey: err]) }
        return try JSONSerialization.jsonObject(with: out) as! [String: Any]
    }
}

func doubles(_ any: Any?) -> [Double] { (any as! [Any]).map { ($0 as! NSNumber).doubleValue } }
