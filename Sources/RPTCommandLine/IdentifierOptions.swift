import ArgumentParser
import RPTDicom

/// `--show-identifiers`, shared by every command that reads DICOM headers (`info`, `export`).
///
/// Patient name, ID and birth date are never printed unless this flag is given; UIDs are shortened to
/// their last 12 characters (`DicomMetadata.redactedDescription`).
struct IdentifierOptions: ParsableArguments {
    @Flag(help: "Print patient name, ID and birth date found in DICOM headers (hidden by default).")
    var showIdentifiers = false

    /// Redacted summary of `m`, followed by the identifiers when asked for.
    func describe(_ m: DicomMetadata) -> String {
        showIdentifiers ? m.redactedDescription + "\n  " + Self.identifiers(m) : m.redactedDescription
    }

    /// The identifying values, for `--show-identifiers` output only.
    static func identifiers(_ m: DicomMetadata) -> String {
        "patient name '\(m.patientName)', patient ID '\(m.patientID)', birth date '\(m.patientBirthDate)'"
    }
}
