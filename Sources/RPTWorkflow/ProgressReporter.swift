import Foundation
import RPTTransport

/// Prints run progress on standard error: a redrawn bar on a terminal, plain lines (at most every
/// 10 s) otherwise, nothing when quiet.
public final class ProgressReporter {
    let quiet: Bool
    let isTerminal = isatty(2) == 1
    var lastLine = Date.distantPast

    public init(quiet: Bool) { self.quiet = quiet }

    public func report(_ p: RunProgress) {
        guard !quiet else { return }
        let frac = p.decaysGoal > 0 ? min(1, Double(p.decaysDone) / Double(p.decaysGoal)) : 0
        let eta = p.decaysPerSecond > 0 ? Double(p.decaysGoal - min(p.decaysGoal, p.decaysDone)) / p.decaysPerSecond : 0
        var text = String(format: "%5.1f%%  %.3g decays  %.3g decays/s  elapsed %@  ETA %@", frac * 100,
                          Double(p.decaysDone), p.decaysPerSecond, Self.clock(p.elapsedSeconds), Self.clock(eta))
        if let u = p.uncertainty { text += String(format: "  uncertainty %.2f%%", u * 100) }
        if isTerminal {
            let width = 24, filled = Int(frac * Double(width))
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(text)\u{1B}[K".utf8))
        } else if Date().timeIntervalSince(lastLine) >= 10 || frac >= 1 {
            FileHandle.standardError.write(Data((text + "\n").utf8))
            lastLine = Date()
        }
    }

    public func finish() {
        if !quiet && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func clock(_ s: Double) -> String {
        let t = Int(max(0, s.isFinite ? s : 0))
        return String(format: "%02d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60)
    }
}
