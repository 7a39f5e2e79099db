import Foundation
import RPTCore

/// Decompresses JPEG, JPEG-LS, JPEG 2000 and RLE encoded files with DCMTK (`dcmdjpeg`, `dcmdjpls`,
/// `dcmdrle`) or GDCM (`gdcmconv --raw`) when one is on the search path. RPTDicom has no codecs of its own.
enum ExternalDecompressor {
    /// Finds an executable named `name` in the colon-separated `searchPath` (default: `$PATH`).
    static func find(_ name: String, searchPath: String?) -> String? {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Writes an uncompressed copy of `path` to a temporary file and returns its bytes.
    static func decompress(path: String, syntax: TransferSyntax, searchPath: String?) throws -> [UInt8] {
        let tools = syntax.decompressors
        guard let (name, exe) = tools.lazy.compactMap({ n in find(n, searchPath: searchPath).map { (n, $0) } }).first else {
            let hint = tools.isEmpty ? "no supported decoder exists for it"
                : "install \(tools.joined(separator: " or ")) (Debian packages dcmtk / libgdcm-tools) to read it"
            throw InputError(source: path, field: DicomTag.transferSyntaxUID.label, value: syntax.uid,
                             reason: "pixel data are compressed with \(syntax.name); RPTDicom does not decode it itself and \(hint)")
        }
        let out = FileManager.default.temporaryDirectory
            .appendingPathComponent("rptdicom-\(getpid())-\(UUID().uuidString).dcm").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = name == "gdcmconv" ? ["--raw", path, out] : [path, out]
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: out) else {
            let msg = String(decoding: errData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw InputError(source: path, field: DicomTag.transferSyntaxUID.label, value: syntax.uid,
                             reason: "\(name) could not decompress \(syntax.name) (exit \(process.terminationStatus)): \(msg)")
        }
        return [UInt8](data)
    }
}
