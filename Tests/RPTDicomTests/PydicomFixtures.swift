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

    /// Skips (fails on CI) when python3 with pydicom and numpy is unavailable.
    static func requirePydicom() throws {
        try ExternalProcess.requirePython(modules: ["pydicom", "numpy"], purpose: "to generate DICOM test inputs")
    }

    static func fixtures() throws -> Fixtures {
        let (dir, expected) = try PythonFixture.generate(script: resources + "/make_fixtures.py")
        return Fixtures(dir: dir, expected: expected)
    }

    /// pydicom's view of an RT Dose file (see Resources/read_rtdose.py).
    static func readRTDose(_ path: String) throws -> [String: Any] {
        try PythonFixture.json(script: resources + "/read_rtdose.py", [path])
    }
}

func doubles(_ any: Any?) -> [Double] { (any as! [Any]).map { ($0 as! NSNumber).doubleValue } }
