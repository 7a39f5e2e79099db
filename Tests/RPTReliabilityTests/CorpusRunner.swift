import Foundation
import XCTest

/// One bad (or, as a control, good) input run through the real `rptdose` executable.
struct CorpusCase: Sendable {
    /// Short unique name (also the name of the case's scratch folder).
    var name: String
    var args: [String]
    /// Expected exit status (docs/reliability.md "Exit codes").
    var exit: Int32
    /// Text the first line of the message must contain: the first stderr line starting with "Error:" for a
    /// refusal, else the first stderr line (for a warning, any stderr line: see `warning`).
    var message: String
    /// For a run that succeeds with a loud warning: text some stderr or stdout line must contain.
    var warning: String? = nil
    /// Files or folders the run must not create (a refused run writes nothing).
    var mustNotExist: [String] = []
    /// Files whose content must be unchanged by the run (a previous result).
    var unchanged: [String] = []
    /// Working folder (default: the package root).
    var cwd: String? = nil
    /// Extra environment.
    var environment: [String: String] = [:]
    /// Start the program by its name through `/usr/bin/env` and the environment's PATH (argv[0] = "rptdose"), as a
    /// user whose PATH holds the build folder would.
    var byName = false
}

/// The outcome of one run.
struct CorpusOutcome: Sendable {
    var status: Int32
    var signalled: Bool
    var stdout: String
    var stderr: String

    /// The first line of the error message (or of stderr when there is no "Error:" line).
    var firstMessageLine: String {
        let lines = stderr.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard let i = lines.firstIndex(where: { $0.hasPrefix("Error:") }) else { return lines.first ?? "" }
        // Several problems: "Error: N problems:" then one line each; the first problem is the message.
        if lines[i].hasSuffix("problems:"), i + 1 < lines.count { return lines[i] + " " + lines[i + 1] }
        return lines[i]
    }
}

enum CorpusRunner {
    /// Package root (for the default CT calibration and the build folder).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The built `rptdose`: next to the test bundle, else `.build/debug/rptdose`.
    static func executable() -> String? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rptdose").path,
            URL(fileURLWithPath: Bundle.main.bundlePath).deletingLastPathComponent().appendingPathComponent("rptdose").path,
            packageRoot + "/.build/debug/rptdose",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `rptdose args` and waits (at most `timeout` s, then SIGKILL, which counts as a crash).
    static func run(_ exe: String, _ args: [String], cwd: String? = nil, environment: [String: String] = [:],
                    timeout: TimeInterval = 120) throws -> CorpusOutcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd ?? packageRoot)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Drain both pipes while the process runs (a full pipe would block it).
        let group = DispatchGroup()
        let collected = ResultSlots(count: 0)
        group.enter()
        DispatchQueue.global().async { collected.setData(0, out.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        group.enter()
        DispatchQueue.global().async { collected.setData(1, err.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        group.wait()
        return CorpusOutcome(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
                             stdout: String(decoding: collected.data(0), as: UTF8.self),
                             stderr: String(decoding: collected.data(1), as: UTF8.self))
    }

    /// Leftovers of an interrupted or failed write in `folder` (recursively): temporary files of `AtomicFile`
    /// and HDF5 writers, staging folders of `StagedFolder`, folders set aside during a swap. Lock files are
    /// not results and are allowed.
    static func leftovers(in folder: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let f = e.nextObject() as? String {
            let name = (f as NSString).lastPathComponent
            if name.contains(".tmp-") || name.hasSuffix(".incomplete") || name.contains(".replaced-") { out.append(f) }
        }
        return out
    }

    /// Runs every case (a few at a time) and reports each failure with the case's name.
    static func check(_ cases: [CorpusCase], exe: String, scratch: String, concurrency: Int = 3,
                      file: StaticString = #filePath, line: UInt = #line) {
        let names = cases.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "duplicate case names", file: file, line: line)
        let results = ResultSlots(count: cases.count), times = ResultSlots(count: 0)
        let gate = DispatchSemaphore(value: concurrency)
        DispatchQueue.concurrentPerform(iterations: cases.count) { i in
            gate.wait()
            defer { gate.signal() }
            let c = cases[i]
            var before: [String: Data] = [:]
            for u in c.unchanged { before[u] = FileManager.default.contents(atPath: u) }
            let t0 = Date()
            let outcome = Result {
                c.byName ? try run("/usr/bin/env", ["rptdose"] + c.args, cwd: c.cwd, environment: c.environment)
                    : try run(exe, c.args, cwd: c.cwd, environment: c.environment)
            }
            times.setData(i, Data(String(Date().timeIntervalSince(t0)).utf8))
            var problems: [String] = []
            switch outcome {
            case .failure(let e): problems.append("could not run: \(e)")
            case .success(let o):
                if o.signalled { problems.append("CRASHED with signal \(o.status)") }
                if o.status != c.exit { problems.append("exit \(o.status), expected \(c.exit)") }
                if !c.message.isEmpty && !o.firstMessageLine.contains(c.message) {
                    problems.append("first message line '\(o.firstMessageLine)' does not contain '\(c.message)'")
                }
                if let w = c.warning, !(o.stderr + o.stdout).contains(w) { problems.append("no warning containing '\(w)'") }
                for raw in ["NSCocoaErrorDomain", "Fatal error", "Segmentation fault"] where o.stderr.contains(raw) {
                    problems.append("raw '\(raw)' in the message")
                }
                if problems.isEmpty == false { problems.append("stderr: \(o.stderr.prefix(600))") }
            }
            for p in c.mustNotExist where FileManager.default.fileExists(atPath: p) { problems.append("left \(p) behind") }
            for u in c.unchanged where FileManager.default.contents(atPath: u) != before[u] { problems.append("changed \(u)") }
            let left = leftovers(in: scratch + "/" + c.name)
            if !left.isEmpty { problems.append("half-written files: \(left)") }
            results.set(i, problems)
        }
        var failed = 0
        for (i, c) in cases.enumerated() where !results.get(i).isEmpty {
            failed += 1
            XCTFail("case \(c.name) [rptdose \(c.args.joined(separator: " "))]: " + results.get(i).joined(separator: "; "),
                    file: file, line: line)
        }
        print("bad-input corpus: \(cases.count) cases, \(failed) failed")
        let slowest = cases.indices.map { (cases[$0].name, Double(String(decoding: times.data($0), as: UTF8.self)) ?? 0) }
            .sorted { $0.1 > $1.1 }.prefix(8)
        print("slowest: " + slowest.map { String(format: "%@ %.1f s", $0.0, $0.1) }.joined(separator: ", "))
    }
}

/// Thread-safe result slots for `concurrentPerform`.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[String]]
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ i: Int, _ v: [String]) { lock.lock(); slots[i] = v; lock.unlock() }
    func get(_ i: Int) -> [String] { lock.lock(); defer { lock.unlock() }; return slots[i] }
    private var datas: [Int: Data] = [:]
    func setData(_ i: Int, _ d: Data) { lock.lock(); datas[i] = d; lock.unlock() }
    func data(_ i: Int) -> Data { lock.lock(); defer { lock.unlock() }; return datas[i] ?? Data() }
}
