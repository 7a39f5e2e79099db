/// Patient, study and series identification of a DICOM object.
///
/// Privacy: patient name, ID, birth date and the referring physician are kept only so that output
/// objects (e.g. RT Dose) can be linked to the patient. Nothing in RPTDicom prints them; `description`,
/// `debugDescription` and the reflection mirror (`dump`) all use `redactedDescription`.
public struct DicomMetadata: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var patientName: String
    public var patientID: String
    public var patientBirthDate: String
    public var patientSex: String
    public var referringPhysicianName: String
    public var studyInstanceUID: String
    public var studyID: String
    public var studyDate: String
    public var studyTime: String
    public var accessionNumber: String
    public var seriesInstanceUID: String
    public var seriesDescription: String
    public var modality: String
    public var frameOfReferenceUID: String
    public var positionReferenceIndicator: String
    public var manufacturer: String

    public init(_ ds: DicomDataSet) {
        func s(_ tag: DicomTag) -> String { ds.string(tag) ?? "" }
        patientName = s(.patientName)
        patientID = s(.patientID)
        patientBirthDate = s(.patientBirthDate)
        patientSex = s(.patientSex)
        referringPhysicianName = s(.referringPhysicianName)
        studyInstanceUID = s(.studyInstanceUID)
        studyID = s(.studyID)
        studyDate = s(.studyDate)
        studyTime = s(.studyTime)
        accessionNumber = s(.accessionNumber)
        seriesInstanceUID = s(.seriesInstanceUID)
        seriesDescription = s(.seriesDescription)
        modality = s(.modality)
        frameOfReferenceUID = s(.frameOfReferenceUID)
        positionReferenceIndicator = s(.positionReferenceIndicator)
        manufacturer = s(.manufacturer)
    }

    /// A one-line summary for logs without patient-identifying values: modality, series description
    /// and the last 12 characters of the study, series and frame-of-reference UIDs.
    public var redactedDescription: String {
        func tail(_ uid: String) -> String { uid.isEmpty ? "(none)" : (uid.count > 12 ? "…" + uid.suffix(12) : uid) }
        var s = "\(modality.isEmpty ? "DICOM" : modality) series \(tail(seriesInstanceUID))"
        if !seriesDescription.isEmpty { s += " '\(seriesDescription)'" }
        s += ", study \(tail(studyInstanceUID)), frame of reference \(tail(frameOfReferenceUID)); patient identity redacted"
        return s
    }

    public var description: String { redactedDescription }
    public var debugDescription: String { redactedDescription }
    public var customMirror: Mirror { Mirror(self, children: ["summary": redactedDescription]) }
}
