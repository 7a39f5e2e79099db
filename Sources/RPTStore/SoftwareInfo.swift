import CHDF5
import RPTCore

/// What produced an output: the RPTDose version, the git commit and date of the build, and the HDF5 library
/// the process runs with. Printed by `rptdose --version` and recorded in every HDF5 file (root attributes) and
/// in the provenance settings of simulation, dose-method and comparison results.
public enum SoftwareInfo {
    /// The RPTDose release version ("MAJOR.MINOR.PATCH").
    public static var version: String { RPTDoseVersion.string }

    /// The git commit of the build: env `RPTDOSE_GIT_COMMIT` when set (an override for packagers), else the
    /// commit embedded at build time (`RPTDoseVersion.embeddedGitCommit`; "unknown" outside a git checkout).
    public static var gitCommit: String { HDF5Store.gitCommit() }

    /// UTC date of the build, YYYY-MM-DD.
    public static var buildDate: String { RPTDoseVersion.buildDate }

    /// Version of the HDF5 library loaded at run time (`H5get_libversion`), e.g. "1.10.8".
    public static let hdf5Version: String = {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        guard H5get_libversion(&major, &minor, &release) >= 0 else { return "unknown" }
        return "\(major).\(minor).\(release)"
    }()

    /// The text of `rptdose --version`: the version on the first line, then commit, build date and HDF5.
    public static var versionText: String {
        "\(version)\ngit commit: \(gitCommit)\nbuild date: \(buildDate)\nHDF5: \(hdf5Version)"
    }

    /// The provenance record of the software, under the attribute names used in the files:
    /// `software_version`, `git_commit`, `build_date`, `hdf5_version`.
    public static var provenanceStrings: [String: String] {
        ["software_version": version, "git_commit": gitCommit, "build_date": buildDate, "hdf5_version": hdf5Version]
    }

    /// `provenanceStrings` as HDF5 attribute values.
    public static var provenanceAttributes: [String: H5AttributeValue] { provenanceStrings.mapValues { .string($0) } }
}
