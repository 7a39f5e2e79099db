import Foundation
import XCTest
import RPTTestSupport

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

    static func python(_ args: [String]) throws -> (Int32, Data, String) {
        let r = try ExternalProcess.python(args)
        return (r.status, r.stdout, r.stderr)
    }

    /// Skips (fails on CI) when python3 with pydicom and numpy is unavailable.
    static func requirePydicom() throws {
        try ExternalProcess.requirePython(modules: ["pydicom", "numpy"], purpose: "to generate DICOM test inputs")
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
