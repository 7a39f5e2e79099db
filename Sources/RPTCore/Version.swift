/// The software version written into every output's provenance.
public enum RPTDoseVersion {
    public static let string = "0.1.0"

    /// The git commit this binary was built from (`git rev-parse HEAD` at build time, "-dirty" when the
    /// checkout had uncommitted changes), or "unknown" when built outside a git checkout. Embedded by the
    /// build-tool plugin `Plugins/BuildInfoPlugin` for every `swift build`.
    public static var embeddedGitCommit: String { GeneratedBuildInfo.gitCommit }

    /// UTC date of the build (YYYY-MM-DD), embedded with the commit.
    public static var buildDate: String { GeneratedBuildInfo.buildDate }
}
