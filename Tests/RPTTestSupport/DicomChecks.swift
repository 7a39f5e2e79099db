import Foundation
import XCTest
@testable import RPTDicom

/// DICOM test helpers shared by RPTDicomTests and RPTDicomIntegrationTests.
public enum DicomChecks {
    /// Runs dciodvfy (dicom3tools) on an RT Dose file when it is installed (optional, as issue 10 allows).
    /// dicom3tools 1.00~20220618 aborts on 32-bit Pixel Data (an assertion in Proposal14EncodingRules), so the
    /// check runs on a copy re-encoded by our writer with 16-bit zero pixels; every other attribute is as
    /// written. Fails if dciodvfy crashes, does not recognise the RT Dose IOD, or reports an error.
    public static func verifyRTDoseWithDciodvfy(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let dciodvfy = ExecutableSearch.find("dciodvfy", searchPath: nil) else { return }
        var ds = try DicomFile.read(path)
        let voxels = try ds.requiredInt(.numberOfFrames) * ds.requiredInt(DicomTag(0x0028, 0x0010))
            * ds.requiredInt(DicomTag(0x0028, 0x0011))
        for tag in ds.elements.keys where tag.group == 0x0002 { ds.elements[tag] = nil }
        ds.set(.us(DicomTag(0x0028, 0x0100), 16))
        ds.set(.us(DicomTag(0x0028, 0x0101), 16))
        ds.set(.us(DicomTag(0x0028, 0x0102), 15))
        ds.set(DicomElement(tag: DicomTag(0x7FE0, 0x0010), vr: .OW, bytes: [UInt8](repeating: 0, count: voxels * 2)))
        let copy = path + ".16bit.dcm"
        try Data(DicomWriter.part10(sopClassUID: RTDoseWriter.sopClassUID, sopInstanceUID: ds.requiredString(.sopInstanceUID),
                                    body: ds)).write(to: URL(fileURLWithPath: copy))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: dciodvfy)
        p.arguments = [copy]
        let pipe = Pipe()
        p.standardError = pipe
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit, "dciodvfy crashed:\n" + text, file: file, line: line)
        XCTAssertTrue(text.contains("RTDose"), "dciodvfy did not recognise the IOD:\n" + text, file: file, line: line)
        XCTAssertTrue(text.split(separator: "\n").filter { $0.hasPrefix("Error") }.isEmpty, "dciodvfy reports:\n" + text,
                      file: file, line: line)
    }
}

/// Test inputs written once per test process by a Python generator script (pydicom), with the values the
/// tests expect in `expected.json`.
public enum PythonFixture {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: (dir: String, expected: [String: Any])] = [:]

    /// Runs `python3 script DIR` once (per script) and returns DIR and its parsed `expected.json`.
    public static func generate(script: String, modules: [String] = ["pydicom", "numpy"]) throws
        -> (dir: String, expected: [String: Any]) {
        try ExternalProcess.requirePython(modules: modules, purpose: "to generate DICOM test inputs")
        lock.lock(); defer { lock.unlock() }
        if let hit = cache[script] { return hit }
        let name = URL(fileURLWithPath: script).deletingPathExtension().lastPathComponent
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rpt-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        let r = try ExternalProcess.python([script, dir])
        guard r.status == 0 else {
            throw NSError(domain: script, code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.stderr])
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/expected.json")))
        let result = (dir, json as! [String: Any])
        cache[script] = result
        return result
    }

    /// Runs `python3 script args…` and parses its stdout as a JSON object.
    public static func json(script: String, _ args: [String]) throws -> [String: Any] {
        let r = try ExternalProcess.python([script] + args)
        guard r.status == 0 else {
            throw NSError(domain: script, code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.stderr])
        }
        return try JSONSerialization.jsonObject(with: r.stdout) as! [String: Any]
    }
}
