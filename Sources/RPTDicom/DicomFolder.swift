import Foundation
import RPTCore

/// One series found in a folder.
public struct DicomSeriesSummary: Sendable, CustomStringConvertible {
    public var seriesInstanceUID: String
    public var modality: String
    public var seriesDescription: String
    /// Files of the series, in path order.
    public var files: [String]
    /// Series Number (0020,0011), and Image Type (0008,0008) and Image Orientation (Patient) (0020,0037) of the
    /// series' first file ("" when absent), for listings.
    public var seriesNumber = ""
    public var imageType = ""
    public var orientation = ""

    public var description: String {
        "\(seriesInstanceUID) (\(modality.isEmpty ? "?" : modality), Series Number \(seriesNumber.isEmpty ? "–" : seriesNumber), "
            + "'\(seriesDescription)', \(files.count) file(s)"
            + (imageType.isEmpty ? "" : ", Image Type \(imageType)") + (orientation.isEmpty ? "" : ", Image Orientation (Patient) \(orientation)")
            + ")"
    }
}

/// Scans folders of DICOM files.
public enum DicomFolder {
    /// Headers (everything before Pixel Data) of every DICOM file under `folder`, recursively, in path
    /// order. Hidden files and files that do not look like DICOM are skipped; DICOM files that cannot
    /// be parsed are errors.
    public static func scanHeaders(_ folder: String) throws -> [(path: String, header: DicomDataSet)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(source: folder, reason: "folder does not exist")
        }
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            throw InputError(source: folder, reason: "cannot list folder")
        }
        var paths: [String] = []
        while let rel = walker.nextObject() as? String {
            if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            let path = (folder as NSString).appendingPathComponent(rel)
            var d: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &d), !d.boolValue { paths.append(path) }
        }
        var out: [(String, DicomDataSet)] = []
        for path in paths.sorted() {
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            let head = [UInt8](handle.readData(ofLength: 132))
            try? handle.close()
            guard DicomFile.looksLikeDicom(head) else { continue }
            let header = try DicomFile.read(path, options: .init(stopAtPixelData: true))
            // Skip DICOMDIR (Media Storage Directory Storage).
            if header.string(.mediaStorageSOPClassUID) == "1.2.840.10008.1.3.10" { continue }
            out.append((path, header))
        }
        return out
    }

    /// The series under `folder`, in order of first file path.
    public static func listSeries(_ folder: String) throws -> [DicomSeriesSummary] {
        summarize(try scanHeaders(folder))
    }

    static func summarize(_ headers: [(path: String, header: DicomDataSet)]) -> [DicomSeriesSummary] {
        var order: [String] = []
        var byUID: [String: DicomSeriesSummary] = [:]
        for (path, h) in headers {
            let uid = h.string(.seriesInstanceUID) ?? ""
            if byUID[uid] == nil {
                order.append(uid)
                byUID[uid] = DicomSeriesSummary(seriesInstanceUID: uid, modality: h.string(.modality) ?? "",
                                                seriesDescription: h.string(.seriesDescription) ?? "", files: [],
                                                seriesNumber: h.string(.seriesNumber) ?? "",
                                                imageType: h.strings(.imageType).joined(separator: "\\"),
                                                orientation: h.strings(.imageOrientationPatient).joined(separator: "\\"))
            }
            byUID[uid]!.files.append(path)
        }
        return order.map { byUID[$0]! }
    }

    /// Picks one series of the given modalities: the one named by `seriesInstanceUID`, or the only
    /// one. Throws listing the series found when the choice is ambiguous or impossible.
    static func selectSeries(_ headers: [(path: String, header: DicomDataSet)], folder: String,
                             modalities: Set<String>, seriesInstanceUID: String?) throws -> DicomSeriesSummary {
        let all = summarize(headers)
        let field = DicomTag.seriesInstanceUID.label
        func listing(_ s: [DicomSeriesSummary]) -> String { s.map { "\n  - \($0)" }.joined() }
        if let uid = seriesInstanceUID {
            guard let s = all.first(where: { $0.seriesInstanceUID == uid }) else {
                throw InputError(source: folder, field: field, value: uid,
                                 reason: "no such series in the folder; series found:" + listing(all))
            }
            guard modalities.contains(s.modality) else {
                throw InputError(source: folder, field: DicomTag.modality.label, value: s.modality,
                                 reason: "series \(uid) is not of modality \(modalities.sorted().joined(separator: "/"))")
            }
            return s
        }
        let candidates = all.filter { modalities.contains($0.modality) }
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty {
            throw InputError(source: folder, field: DicomTag.modality.label, value: modalities.sorted().joined(separator: "/"),
                             reason: "no series of this modality in the folder; series found:" + (all.isEmpty ? " none" : listing(all)))
        }
        throw InputError(source: folder, field: field,
                         reason: "the folder holds \(candidates.count) \(modalities.sorted().joined(separator: "/")) series; "
                             + "choose one by SeriesInstanceUID:" + listing(candidates))
    }
}
