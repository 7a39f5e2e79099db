/// Exit codes of `rptdose` (docs/reliability.md, "Exit codes"), the same for every command.
public enum ExitStatus {
    /// Finished; every output is complete.
    public static let success: Int32 = 0
    /// Refused or failed (bad input, I/O error, disk full …): the message names the file, field and value;
    /// no output was changed (outputs are written whole or not at all).
    public static let failure: Int32 = 1
    /// A valid but partial result was written: interrupted (Ctrl-C, SIGTERM) or stopped by `--max-time` before
    /// the requested decays or uncertainty; `--resume` continues it. Never 0, so scripts do not mistake it for a
    /// finished run.
    public static let partialResult: Int32 = 3
    /// The command line itself is wrong (unknown option, missing or malformed value): Argument Parser's EX_USAGE.
    public static let usage: Int32 = 64
}
