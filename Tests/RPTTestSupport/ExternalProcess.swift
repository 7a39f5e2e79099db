import Foundation
import XCTest

/// Running independent reference tools (Python with h5py, pydicom, nibabel; Chromium) from tests.
public enum ExternalProcess {
    /// True on CI (`CI=true`), where a missing reference tool is a failure, not a skip.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Skips the test with `message`, or fails it first when running on CI.
    public static func skipOrFail(_ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        if isCI { XCTFail(message, file: file, line: line) }
        throw XCTSkip(message)
    }

    /// Runs a program found on PATH; returns exit status, stdout and stderr. Both pipes are drained
    /// concurrently so that large outputs cannot block the child.
    public static func run(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out; p.standardError = err; p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, outData, String(decoding: errBox.data, as: UTF8.self))
    }

    /// The Python interpreter of the tests: env `RPTDOSE_PYTHON` (the Makefile sets it to the project's
    /// virtual environment), else `<package root>/.venv/bin/python` when it exists, else `python3` on PATH.
    public static var pythonInterpreter: String {
        if let p = ProcessInfo.processInfo.environment["RPTDOSE_PYTHON"], !p.isEmpty { return p }
        let venv = packageRoot + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// The package root, from this file's path (Tests/RPTTestSupport/ExternalProcess.swift).
    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// Runs the tests' Python (`pythonInterpreter`) with `args…`.
    public static func python(_ args: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        try run([pythonInterpreter] + args, stdin: stdin)
    }

    /// Skips (fails on CI) unless the tests' Python can import every module in `modules`.
    public static func requirePython(modules: [String], purpose: String) throws {
        let status = (try? python(["-c", "import " + modules.joined(separator: ", ")]))?.status ?? 127
        if status != 0 {
            try skipOrFail("\(pythonInterpreter) with \(modules.joined(separator: ", ")) is needed \(purpose) "
                           + "(`make test-deps` creates .venv from requirements-test.txt)")
        }
    }

    private final class DataBox: @unchecked Sendable { var data = Data() }
}
