import Foundation
import RPTStore
import RPTVolume
import XCTest
import RPTTestSupport
import RPTCommandLine
import RPTWorkflow

/// The pydicom-written study of Resources/make_study.py, generated once per test process, plus helpers to
/// run `rptdose` subcommands in-process and capture what they print. Tests skip when python3 with pydicom
/// and numpy is missing, unless CI=true (then they fail).
enum StudyFixture {
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let resources = testsDir.appendingPathComponent("Resources").path
    /// RT Dose reader shared with RPTDicomTests.
    static let readRTDoseScript = testsDir.deletingLastPathComponent().appendingPathComponent("RPTDicomTests/Resources/read_rtdose.py").path

    struct Study {
        let dir: String
        let expected: [String: Any]
        func path(_ rel: String) -> String { dir + "/" + rel }
        func section(_ key: String) -> [String: Any] { expected[key] as! [String: Any] }
        func string(_ key: String) -> String { expected[key] as! String }
    }

    static func study() throws -> Study {
        let (dir, expected) = try PythonFixture.generate(script: resources + "/make_study.py")
        return Study(dir: dir, expected: expected)
    }

    /// pydicom's view of an RT Dose file (RPTDicomTests/Resources/read_rtdose.py).
    static func readRTDose(_ path: String) throws -> [String: Any] {
        try PythonFixture.json(script: readRTDoseScript, [path])
    }

    /// A fresh temporary folder, removed after the test.
    static func tempDir(_ test: XCTestCase) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rptdicom-int-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// A dose volume written like `rptdose simulate` writes it (volume "dose", Gy) on a grid that differs from
    /// the CT's (coarser, shifted) but lies inside it, in the CT's LPS frame.
    static func writeDose(to path: String) throws -> Volume<Double> {
        let g = Grid3D(shape: SIMD3(5, 4, 3), spacing: SIMD3(5, 4, 6), origin: SIMD3(-10, -8, 43), direction: .identity)
        var dose = Volume<Double>(grid: g, repeating: 0, unit: "Gy")
        for k in 0..<3 { for j in 0..<4 { for i in 0..<5 { dose[i, j, k] = 1.7 * Double(i + 1) * Double(j * j + 1) / Double(k + 2) } } }
        try HDF5Store.writeVolume(AnyVolume(dose), toFile: path, at: "dose")
        return dose
    }

    /// Runs `rptdose ARGS` in-process and returns everything written to stdout and stderr.
    static func run(_ args: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rptdicom-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        fflush(stdout); fflush(stderr)
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let savedOut = dup(1), savedErr = dup(2)
        dup2(fd, 1); dup2(fd, 2); close(fd)
        do {
            defer {
                fflush(stdout); fflush(stderr)
                dup2(savedOut, 1); dup2(savedErr, 2); close(savedOut); close(savedErr)
            }
            var command = try RPTDoseCommand.parseAsRoot(args)
            try command.run()
        }
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }
}

func doubles(_ any: Any?) -> [Double] { (any as! [Any]).map { ($0 as! NSNumber).doubleValue } }
