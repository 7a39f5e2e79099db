import Foundation
import RPTCore
import RPTDicom
import RPTDosimetry
import RPTVolume

/// `rptdose info` on a DICOM file or folder: one entry per series with its redacted identification
/// (modality, description, shortened UIDs), its geometry and values (CT, NM, PT), ROI names (RTSTRUCT) or
/// segment labels (SEG). Patient name, ID and birth date only with `--show-identifiers`.
struct DicomInfo {
    var path: String
    var identifiers: IdentifierOptions

    /// One series (folder) or the object in one file: metadata and what can be said about its content.
    struct Entry {
        var metadata: DicomMetadata
        var files: Int
        var volume: AnyVolume?
        var quantity: EmissionQuantity?
        var names: [Int: String]?
        var problem: String?
    }

    func entries() throws -> [Entry] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(source: path, reason: "file not found")
        }
        if !isDir.boolValue {
            let header = try DicomFile.read(path, options: .init(stopAtPixelData: true))
            return [entry(metadata: DicomMetadata(header), files: 1, header: header, file: path, folder: nil)]
        }
        let series = try DicomFolder.listSeries(path)
        return try series.map { s in
            let header = try DicomFile.read(s.files[0], options: .init(stopAtPixelData: true))
            return entry(metadata: DicomMetadata(header), files: s.files.count, header: header, file: s.files[0], folder: path)
        }
    }

    /// Reads the content of one series; a series that cannot be read is reported, not fatal.
    func entry(metadata: DicomMetadata, files: Int, header: DicomDataSet, file: String, folder: String?) -> Entry {
        var e = Entry(metadata: metadata, files: files)
        let uid = metadata.seriesInstanceUID
        do {
            switch metadata.modality {
            case "CT":
                let dir = folder ?? (file as NSString).deletingLastPathComponent
                e.volume = AnyVolume(try DicomCTReader.read(folder: dir, seriesInstanceUID: uid, as: Float.self).volume)
            case "NM", "PT":
                let image = (try header.int(.numberOfFrames) ?? 1) > 1
                    ? try DicomEmissionReader.readMultiFrame(file: file)
                    : try DicomEmissionReader.readSeries(folder: folder ?? (file as NSString).deletingLastPathComponent,
                                                         seriesInstanceUID: uid)
                e.volume = AnyVolume(image.volume)
                e.quantity = image.quantity
            case "RTSTRUCT", "SEG":
                e.names = try DicomStudyImages.labelTable(file).names
            default:
                break
            }
        } catch {
            e.problem = "\(error)"
        }
        return e
    }

    func print(json: Bool, describe: (String, AnyVolume) -> [String: Any]) throws {
        let list = try entries()
        if json {
            let series: [[String: Any]] = list.map { e in
                let m = e.metadata
                var d: [String: Any] = ["modality": m.modality, "series_description": m.seriesDescription,
                                        "series_instance_uid": m.seriesInstanceUID, "study_instance_uid": m.studyInstanceUID,
                                        "frame_of_reference_uid": m.frameOfReferenceUID, "files": e.files,
                                        "summary": m.redactedDescription]
                if identifiers.showIdentifiers {
                    d["patient_name"] = m.patientName; d["patient_id"] = m.patientID; d["patient_birth_date"] = m.patientBirthDate
                }
                if let v = e.volume { d.merge(describe("", v)) { a, _ in a }; d["name"] = nil }
                if let q = e.quantity { d["quantity"] = Self.name(q) }
                if let n = e.names { d["labels"] = Dictionary(uniqueKeysWithValues: n.map { (String($0.key), $0.value) }) }
                if let p = e.problem { d["problem"] = p }
                return d
            }
            try JSONOutput.print(["file": path, "format": "DICOM", "series": series])
            try Self.refuseUnreadable(list, path: path)
            return
        }
        Swift.print("\(path): DICOM, \(list.count) series")
        for e in list {
            Swift.print(identifiers.describe(e.metadata))
            Swift.print("  files      \(e.files)")
            if let v = e.volume { InfoCommand.printGeometry(describe("", v)) }
            if let q = e.quantity { Swift.print("  quantity   \(Self.name(q))") }
            if let n = e.names {
                Swift.print("  labels     " + n.keys.sorted().map { "\($0) \(n[$0]!)" }.joined(separator: ", "))
            }
            if let p = e.problem { Swift.print("  cannot read: \(p)") }
        }
        try Self.refuseUnreadable(list, path: path)
    }

    /// A folder with a series that cannot be read is not a success (exit 1), although every series is listed.
    static func refuseUnreadable(_ list: [Entry], path: String) throws {
        let unreadable = list.compactMap(\.problem)
        guard let first = unreadable.first else { return }
        throw InputError(source: path, reason: "\(unreadable.count) of \(list.count) series could not be read; the first: \(first)")
    }

    static func name(_ q: EmissionQuantity) -> String {
        switch q {
        case .becquerelPerML: return "Bq/mL"
        case .counts: return "counts (needs a calibration)"
        case let .other(code): return code
        }
    }
}
