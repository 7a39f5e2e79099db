import Foundation
import XCTest
import RPTTestSupport

/// Helpers shared by the report tests: Python and Chromium probes, temporary folders.
enum TestSupport {
    static var isCI: Bool { ExternalProcess.isCI }

    /// Skips (or fails when CI=true) with `message`.
    static func skipOrFail(_ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try ExternalProcess.skipOrFail(message, file: file, line: line)
    }

    static func run(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        try ExternalProcess.run(arguments, stdin: stdin)
    }

    /// Runs `<tests' python> -c script args…` and returns its stdout; skips (fails on CI) without Python.
    static func python(_ script: String, _ args: [String] = [], stdin: Data? = nil) throws -> Data {
        let probe = try? ExternalProcess.python(["-c", "import zlib, struct, json, xml.etree.ElementTree, html.parser"])
        guard let probe, probe.status == 0 else {
            try skipOrFail("python3 (with zlib, struct, json, xml, html.parser) is not available")
            return Data()
        }
        let r = try ExternalProcess.python(["-c", script] + args, stdin: stdin)
        guard r.status == 0 else {
            XCTFail("python3 failed (\(r.status)): \(r.stderr.suffix(2000))")
            return Data()
        }
        return r.stdout
    }

    /// Runs a Python script whose stdout is one JSON document.
    static func pythonJSON(_ script: String, _ args: [String] = [], stdin: Data? = nil) throws -> Any {
        let data = try python(script, args, stdin: stdin)
        return try JSONSerialization.jsonObject(with: data)
    }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rptreport-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Independent PNG decoder (zlib + struct only): checks signature and CRCs, supports 8-bit RGB/RGBA,
    /// non-interlaced, all five filter types. `decode PATH` prints JSON {width, height, channels, hex};
    /// `count PATH R G B TOL` prints JSON {total, matching, nonWhite}.
    static let pngDecoderScript = PNGProbe.prelude + #"""
    import sys, json
    mode, path = sys.argv[1], sys.argv[2]
    w, h, bpp, px = decode(open(path, 'rb').read())
    if mode == 'decode':
        print(json.dumps({'width': w, 'height': h, 'channels': bpp, 'hex': px.hex()}))
    else:
        r, g, b, tol = (int(v) for v in sys.argv[3:7])
        matching = nonwhite = 0
        for n in range(0, len(px), bpp):
            pr, pg, pb = px[n], px[n+1], px[n+2]
            if abs(pr-r) <= tol and abs(pg-g) <= tol and abs(pb-b) <= tol: matching += 1
            if pr < 250 or pg < 250 or pb < 250: nonwhite += 1
        print(json.dumps({'total': w*h, 'matching': matching, 'nonWhite': nonwhite}))
    """#
}
