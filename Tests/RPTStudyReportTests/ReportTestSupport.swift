import Foundation
import RPTCommandLine
import RPTWorkflow
import XCTest
import RPTTestSupport

/// Helpers of the study-report tests: a tiny synthetic study run through dosimetry, plan and report,
/// and Python probes (standard library only) that parse the HTML and decode PNGs independently.
enum ReportTestSupport {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func skipOrFail(_ message: String) throws {
        if isCI { XCTFail(message) }
        throw XCTSkip(message)
    }

    static func runCommand(_ args: [String]) throws {
        var command = try RPTDoseCommand.parseAsRoot(args)
        try command.run()
    }

    /// The study output folder (the layout of `rptdose demo --out DIR`): the 48 × 36 × 36 phantom with
    /// 8 mm voxels (seed 11), cycle-1 dosimetry with 6000 decays, the plan and `report.html`.
    /// Built once per test process.
    static let study: Result<String, Error> = Result(catching: {
        let dir = NSTemporaryDirectory() + "rpt-study-report-\(UUID().uuidString)"
        try runCommand(["phantom", "--out", dir + "/study", "--size", "48x36x36", "--voxel-mm", "8", "--format", ".nii",
                        "--seed", "11"])
        try runCommand(["dosimetry", dir + "/study/manifest.yaml", "--cycle", "1", "--out", dir + "/cycle-1",
                        "--decays", "6000", "--threads", "2", "--seed", "5", "--quiet"])
        try runCommand(["plan", dir + "/study/manifest.yaml", "--dosimetry", dir + "/cycle-1", "--out", dir + "/plan.json"])
        try runCommand(["report", dir, "--out", dir + "/report.html"])
        return dir
    })

    /// Runs `<tests' python> -c script args…`; returns stdout parsed as JSON. Skips (fails on CI) without Python.
    static func pythonJSON(_ script: String, _ args: [String]) throws -> Any {
        let probe = try? run([ExternalProcess.pythonInterpreter, "-c", "import zlib, struct, json, base64, html.parser"])
        guard let probe, probe.status == 0 else {
            try skipOrFail("python3 (standard library) is not available")
            return [:]
        }
        let r = try run([ExternalProcess.pythonInterpreter, "-c", script] + args)
        guard r.status == 0 else { throw NSError(domain: "python3", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return try JSONSerialization.jsonObject(with: r.stdout)
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let box = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { box.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, o, String(decoding: box.data, as: UTF8.self))
    }

    private final class Box: @unchecked Sendable { var data = Data() }

    /// Independent PNG decoding (zlib + struct; CRCs checked; 8-bit RGB/RGBA, all filter types) and HTML
    /// parsing (html.parser). Modes:
    /// - `html PATH`: {"images": [{"width","height","colors"}], "tables": {caption: {"header": [...], "rows": [[...]]}},
    ///   "text": all text}; "colors" = the distinct non-grey pixel colours of the image as "r,g,b";
    /// - `count PNG COLORS_JSON`: {"total", "matching", "nonWhite"}: pixels whose colour is in the list.
    static let script = PNGProbe.prelude + #"""
    import sys, zlib, struct, json, base64, html.parser
    class Parser(html.parser.HTMLParser):
        def __init__(self):
            super().__init__(); self.images = []; self.tables = {}; self.text = []
            self.table = None; self.row = None; self.cell = None; self.caption = None; self.depth = 0
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == 'img':
                src = a.get('src', '')
                assert src.startswith('data:image/png;base64,'), 'image is not a PNG data URI: ' + src[:60]
                w, h, bpp, px = decode(base64.b64decode(src.split(',', 1)[1], validate=True))
                colors = set()
                for n in range(0, len(px), bpp):
                    r, g, b = px[n], px[n+1], px[n+2]
                    if not (r == g == b): colors.add('%d,%d,%d' % (r, g, b))
                self.images.append({'width': w, 'height': h, 'colors': sorted(colors)})
            elif tag == 'table': self.table = {'header': [], 'rows': []}; self.caption = ''
            elif tag == 'caption': self.cell = []
            elif tag == 'tr' and self.table is not None: self.row = []
            elif tag in ('td', 'th') and self.row is not None: self.cell = []
        def handle_endtag(self, tag):
            if tag == 'caption' and self.cell is not None: self.caption = ''.join(self.cell).strip(); self.cell = None
            elif tag in ('td', 'th') and self.cell is not None and self.row is not None:
                self.row.append(''.join(self.cell).strip()); self.cell = None
            elif tag == 'tr' and self.row is not None:
                if not self.table['header'] and not self.table['rows'] and self.in_head: self.table['header'] = self.row
                else: self.table['rows'].append(self.row)
                self.row = None
            elif tag == 'table' and self.table is not None:
                if self.caption: self.tables[self.caption] = self.table
                self.table = None
        in_head = False
        def handle_data(self, data):
            self.text.append(data)
            if self.cell is not None: self.cell.append(data)
    class HeadAware(Parser):
        def handle_starttag(self, tag, attrs):
            if tag == 'thead': self.in_head = True
            if tag == 'tbody': self.in_head = False
            super().handle_starttag(tag, attrs)
    mode = sys.argv[1]
    if mode == 'html':
        p = HeadAware(); p.feed(open(sys.argv[2], encoding='utf-8').read()); p.close()
        print(json.dumps({'images': p.images, 'tables': p.tables, 'text': ''.join(p.text)}))
    else:
        w, h, bpp, px = decode(open(sys.argv[2], 'rb').read())
        wanted = set(tuple(int(v) for v in c.split(',')) for c in json.loads(sys.argv[3]))
        matching = nonwhite = 0
        for n in range(0, len(px), bpp):
            c = (px[n], px[n+1], px[n+2])
            if c in wanted: matching += 1
            if c[0] < 250 or c[1] < 250 or c[2] < 250: nonwhite += 1
        print(json.dumps({'total': w*h, 'matching': matching, 'nonWhite': nonwhite}))
    """#
}
