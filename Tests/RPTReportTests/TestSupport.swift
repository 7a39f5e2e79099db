import Foundation
import XCTest

/// Helpers shared by the report tests: Python and Chromium probes, temporary folders.
enum TestSupport {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Skips (or fails when CI=true) with `message`.
    static func skipOrFail(_ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        if isCI { XCTFail(message, file: file, line: line) }
        throw XCTSkip(message)
    }

    /// Runs a program; returns status, stdout and stderr. Output is read concurrently so large
    /// outputs cannot block the child.
    static func run(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
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

    private final class DataBox: @unchecked Sendable { var data = Data() }

    /// Runs `python3 -c script args…` and returns its stdout; skips (fails on CI) without python3.
    static func python(_ script: String, _ args: [String] = [], stdin: Data? = nil) throws -> Data {
        let probe = try? run(["python3", "-c", "import zlib, struct, json, xml.etree.ElementTree, html.parser"])
        guard let probe, probe.status == 0 else {
            try skipOrFail("python3 (with zlib, struct, json, xml, html.parser) is not available")
            return Data()
        }
        let r = try run(["python3", "-c", script] + args, stdin: stdin)
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
    static let pngDecoderScript = #"""
    import sys, zlib, struct, json
    def decode(path):
        data = open(path, 'rb').read()
        assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG signature'
        pos, idat, ihdr = 8, b'', None
        while pos < len(data):
            n, = struct.unpack('>I', data[pos:pos+4]); kind = data[pos+4:pos+8]; body = data[pos+8:pos+8+n]
            crc, = struct.unpack('>I', data[pos+8+n:pos+12+n])
            assert zlib.crc32(kind + body) & 0xffffffff == crc, 'CRC mismatch in ' + kind.decode()
            if kind == b'IHDR': ihdr = struct.unpack('>IIBBBBB', body)
            elif kind == b'IDAT': idat += body
            elif kind == b'IEND': break
            pos += 12 + n
        w, h, depth, ctype, comp, filt, interlace = ihdr
        assert depth == 8 and interlace == 0 and ctype in (2, 6), 'unsupported PNG %r' % (ihdr,)
        bpp = 3 if ctype == 2 else 4
        raw = zlib.decompress(idat); stride = w * bpp
        out = bytearray(h * stride); prev = bytearray(stride); i = 0
        for y in range(h):
            f = raw[i]; i += 1
            line = bytearray(raw[i:i+stride]); i += stride
            if f == 1:
                for x in range(bpp, stride): line[x] = (line[x] + line[x-bpp]) & 255
            elif f == 2:
                for x in range(stride): line[x] = (line[x] + prev[x]) & 255
            elif f == 3:
                for x in range(stride):
                    a = line[x-bpp] if x >= bpp else 0
                    line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
            elif f == 4:
                for x in range(stride):
                    a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
                    p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
                    pr = a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
                    line[x] = (line[x] + pr) & 255
            elif f != 0:
                raise ValueError('bad filter type %d' % f)
            out[y*stride:(y+1)*stride] = line; prev = line
        return w, h, bpp, bytes(out)
    mode, path = sys.argv[1], sys.argv[2]
    w, h, bpp, px = decode(path)
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
