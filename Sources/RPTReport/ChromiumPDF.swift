import Foundation
import RPTCore

/// A helper program the report needs is missing or failed.
public struct ReportToolError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Prints an HTML file to PDF with headless Chromium
/// (`chromium --headless --no-sandbox --print-to-pdf=OUT file://IN`).
public enum ChromiumPDF {
    /// Program names looked up on PATH, in order.
    public static let programNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// Full path of the first Chromium found on PATH, or nil.
    public static func findChromium(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let dirs = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in programNames {
            for dir in dirs where !dir.isEmpty {
                let path = dir + "/" + name
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Prints `htmlPath` to `pdfPath` (written atomically).
    /// - Throws: `ReportToolError` if Chromium is missing, fails or exceeds `timeoutSeconds`;
    ///   `InputError` if the HTML file does not exist.
    public static func printToPDF(htmlPath: String, pdfPath: String, chromium: String? = nil,
                                  timeoutSeconds: Double = 120,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let program = chromium ?? findChromium(environment: environment) else {
            throw ReportToolError("cannot make a PDF: no Chromium on PATH (looked for \(programNames.joined(separator: ", "))). "
                + "Install it, e.g. `apt-get install chromium` on Debian/Ubuntu, or open the HTML report in a browser "
                + "and print it to PDF.")
        }
        guard FileManager.default.fileExists(atPath: htmlPath) else {
            throw InputError(source: htmlPath, reason: "HTML report to print does not exist")
        }
        let input = URL(fileURLWithPath: htmlPath).standardizedFileURL.absoluteString
        try AtomicFile.write(to: pdfPath) { tmp in
            let tmpPDF = tmp + ".pdf"  // Chromium decides nothing from the name, but keep a clear suffix.
            defer { unlink(tmpPDF) }
            try run(program, ["--print-to-pdf=" + tmpPDF, "--no-pdf-header-footer", input], timeoutSeconds: timeoutSeconds)
            guard FileManager.default.fileExists(atPath: tmpPDF), rename(tmpPDF, tmp) == 0 else {
                throw ReportToolError("Chromium (\(program)) finished but wrote no PDF for \(htmlPath)")
            }
        }
    }

    /// Takes a PNG screenshot of an HTML file (for tests and previews), window `width`×`height` px.
    public static func screenshot(htmlPath: String, pngPath: String, width: Int = 1000, height: Int = 1400,
                                  chromium: String? = nil, timeoutSeconds: Double = 120) throws {
        guard let program = chromium ?? findChromium() else {
            throw ReportToolError("cannot take a screenshot: no Chromium on PATH; install it, e.g. `apt-get install chromium`")
        }
        let input = URL(fileURLWithPath: htmlPath).standardizedFileURL.absoluteString
        // Let the page settle (images decoded and painted) before the capture: on a loaded machine a capture at
        // "load" can show image elements not yet painted.
        try run(program, ["--screenshot=" + pngPath, "--window-size=\(width),\(height)", "--hide-scrollbars",
                          "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000", input],
                timeoutSeconds: timeoutSeconds)
        guard FileManager.default.fileExists(atPath: pngPath) else {
            throw ReportToolError("Chromium (\(program)) finished but wrote no screenshot for \(htmlPath)")
        }
    }

    /// Runs headless Chromium with a private, temporary profile; throws on failure or timeout.
    static func run(_ program: String, _ arguments: [String], timeoutSeconds: Double) throws {
        let profile = FileManager.default.temporaryDirectory
            .appendingPathComponent("rptreport-chromium-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--user-data-dir=" + profile.path] + arguments
        let errPipe = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errPipe
        let collected = OutputCollector()
        errPipe.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            errPipe.fileHandleForReading.readabilityHandler = nil
            throw ReportToolError("Chromium (\(program)) did not finish within \(Int(timeoutSeconds)) s")
        }
        process.waitUntilExit()
        errPipe.fileHandleForReading.readabilityHandler = nil
        guard process.terminationStatus == 0 else {
            throw ReportToolError("Chromium (\(program)) failed with status \(process.terminationStatus): "
                + String(collected.text.suffix(600)))
        }
    }

    private final class OutputCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ d: Data) { lock.lock(); data.append(d); lock.unlock() }
        var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
    }
}
