import Foundation
import RPTDicom
import RPTDosimetry

/// The patient's name, ID and date of birth for the report: the manifest's `patient.name`, `id` and
/// `birth_date`, each filled from the DICOM header of the first cycle's reference CT when the manifest
/// leaves it empty and the CT is DICOM. When both give a value and they differ, `conflicts` says so
/// (without the values unless `reveal`): the images may not be this patient's.
public struct PatientIdentification: Equatable, Sendable {
    public var name: String
    public var id: String
    /// ISO 8601 `YYYY-MM-DD`.
    public var birthDate: String
    /// Warnings for fields on which the manifest and the DICOM header disagree.
    public var conflicts: [String]

    public static func from(manifest m: StudyManifest, reveal: Bool) -> PatientIdentification {
        var out = PatientIdentification(name: m.patient.name, id: m.patient.id, birthDate: m.patient.birthDate, conflicts: [])
        guard let ct = m.cycles.first?.timePoints.first?.ct, let dicom = header(of: ct) else { return out }
        let fields: [(String, WritableKeyPath<PatientIdentification, String>, String)] = [
            ("name", \.name, dicom.patientName), ("ID", \.id, dicom.patientID), ("date of birth", \.birthDate, isoDate(dicom.patientBirthDate)),
        ]
        for (label, key, fromDicom) in fields where !fromDicom.isEmpty {
            let fromManifest = out[keyPath: key]
            if fromManifest.isEmpty {
                out[keyPath: key] = fromDicom
            } else if normalised(fromManifest) != normalised(fromDicom) {
                out.conflicts.append("The patient \(label) of the manifest" + (reveal ? " ('\(fromManifest)')" : "")
                                     + " differs from the DICOM header of the reference CT \(ct)" + (reveal ? " ('\(fromDicom)')" : "")
                                     + ": check that the images are this patient's.")
            }
        }
        return out
    }

    /// The DICOM header of a CT input (a series folder or a file), nil when it is not DICOM or unreadable.
    static func header(of path: String) -> DicomMetadata? {
        guard DicomStudyImages.isDicom(path) else { return nil }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            return (try? DicomFolder.scanHeaders(path))?.first.map { DicomMetadata($0.header) }
        }
        return (try? DicomFile.read(path, options: .init(stopAtPixelData: true))).map { DicomMetadata($0) }
    }

    /// DICOM DA `YYYYMMDD` as `YYYY-MM-DD` (other forms unchanged).
    static func isoDate(_ da: String) -> String {
        let d = da.trimmingCharacters(in: .whitespaces)
        guard d.count == 8, d.allSatisfy(\.isNumber) else { return d }
        let c = Array(d)
        return String(c[0..<4]) + "-" + String(c[4..<6]) + "-" + String(c[6..<8])
    }

    /// Case, spaces and the DICOM name separator `^` ignored.
    static func normalised(_ s: String) -> String {
        s.lowercased().replacingOccurrences(of: "^", with: " ").split(separator: " ").joined(separator: " ")
    }
}
