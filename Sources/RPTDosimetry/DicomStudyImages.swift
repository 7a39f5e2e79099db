import Foundation
import RPTCore
import RPTDicom
import RPTImageIO
import RPTVolume

/// What an image of a study manifest is used for; decides which DICOM series a folder stands for.
public enum StudyImageRole: String, Sendable {
    /// CT in Hounsfield units (DICOM modality CT).
    case ct
    /// Quantitative SPECT or PET (modality NM or PT).
    case spect
    /// Label map (RTSTRUCT or SEG).
    case labels
}

/// DICOM inputs of a study manifest (docs/formats/study-manifest.md, "DICOM inputs"):
///
/// - a **folder** is a DICOM series: the CT series for `ct`, the NM/PT series (slices or one multi-frame
///   file) for `spect`; the folder must hold one series of that kind;
/// - a **DICOM file** (Part 10 preamble, or the `.dcm` extension) is dispatched on its Modality (0008,0060):
///   CT or single-frame PT/NM → the series of that file (read from the file's folder, selected by its
///   Series Instance UID), multi-frame NM/PT → that file, RTSTRUCT / SEG → a label map whose names are the
///   ROI names / segment labels.
public enum DicomStudyImages {
    /// True when the label file names its own labels (DICOM RTSTRUCT/SEG, 3D Slicer `.seg.nrrd`), so that a study's
    /// `names:` CSV is optional.
    public static func carriesOwnLabelNames(_ path: String) -> Bool {
        SlicerSegmentation.isSegmentationPath(path) || isDicom(path)
    }

    /// Whether `path` is read as DICOM: a folder, a `.dcm` file, or a file with the Part 10 "DICM" marker.
    public static func isDicom(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { return true }
        if path.lowercased().hasSuffix(".dcm") { return true }
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = [UInt8](h.readData(ofLength: 132))
        return head.count == 132 && head[128...131].elementsEqual("DICM".utf8)
    }

    static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Header (up to Pixel Data) of a DICOM file.
    static func header(_ path: String) throws -> DicomDataSet {
        try DicomFile.read(path, options: .init(stopAtPixelData: true))
    }

    static func wrongModality(_ path: String, _ modality: String, _ role: StudyImageRole) -> InputError {
        let expected: String
        switch role {
        case .ct: expected = "CT"
        case .spect: expected = "NM or PT (quantitative SPECT/PET)"
        case .labels: expected = "RTSTRUCT or SEG"
        }
        return InputError(source: path, field: DicomTag.modality.label, value: modality,
                          reason: "this image is used as \(role.rawValue): expected modality \(expected)")
    }

    /// The role a DICOM path plays when the caller gives none: a file by its modality; a folder is CT when
    /// it holds a CT series, else SPECT.
    static func inferredRole(_ path: String) throws -> StudyImageRole {
        if isFolder(path) {
            return try DicomFolder.listSeries(path).contains { $0.modality == "CT" } ? .ct : .spect
        }
        switch try header(path).string(.modality) ?? "" {
        case "CT": return .ct
        case "RTSTRUCT", "SEG": return .labels
        default: return .spect
        }
    }

    /// Reads a CT (HU, `Int16`) or an NM/PT image (`Float`, Bq/mL or counts) from a DICOM folder or file.
    /// - Returns: the volume, the series identification and, for NM/PT, what the values mean.
    public static func readVolume(_ path: String, role: StudyImageRole) throws
        -> (volume: AnyVolume, metadata: DicomMetadata, quantity: EmissionQuantity?) {
        let r = try readVolumeAndAcquisition(path, role: role)
        return (r.volume, r.metadata, r.quantity)
    }

    /// As `readVolume`, with the NM/PT acquisition start (DICOM local time read as UTC; nil for CT or when absent).
    public static func readVolumeAndAcquisition(_ path: String, role: StudyImageRole) throws
        -> (volume: AnyVolume, metadata: DicomMetadata, quantity: EmissionQuantity?, acquisition: Date?) {
        switch role {
        case .ct:
            let ct: DicomSeriesVolume<Int16>
            if isFolder(path) {
                ct = try DicomCTReader.read(folder: path, as: Int16.self)
            } else {
                let h = try header(path)
                let modality = h.string(.modality) ?? ""
                guard modality == "CT" else { throw wrongModality(path, modality, role) }
                ct = try DicomCTReader.read(folder: (path as NSString).deletingLastPathComponent,
                                            seriesInstanceUID: try h.requiredString(.seriesInstanceUID), as: Int16.self,
                                            subSeriesFile: path)
            }
            for note in ct.notes { Console.error("note: " + note) }
            for warning in ct.warnings { Console.error("warning: " + warning) }
            return (AnyVolume(ct.volume), ct.metadata, nil, nil)
        case .spect:
            let image: DicomEmissionImage
            if isFolder(path) {
                image = try DicomEmissionReader.readSeries(folder: path)
            } else {
                let h = try header(path)
                let modality = h.string(.modality) ?? ""
                guard modality == "NM" || modality == "PT" else { throw wrongModality(path, modality, role) }
                if (try h.int(.numberOfFrames) ?? 1) > 1 {
                    image = try DicomEmissionReader.readMultiFrame(file: path)
                } else {
                    image = try DicomEmissionReader.readSeries(folder: (path as NSString).deletingLastPathComponent,
                                                               seriesInstanceUID: try h.requiredString(.seriesInstanceUID),
                                                               subSeriesFile: path)
                }
            }
            // RPTDose's SPECT convention: the activity at the scan time (docs/formats/study-manifest.md). An image
            // decay-corrected to the administration would make the clearance look slower than it is.
            if let correction = image.decayCorrection, correction != "NONE" && correction != "START" {
                throw InputError(source: image.files.first ?? path, field: "DecayCorrection (0054,1102)", value: correction,
                                 reason: "the values are decay-corrected to \(correction == "ADMIN" ? "the administration time" : "'\(correction)'"); "
                                    + "RPTDose needs the activity at the scan time (NONE or START): export the image without that correction")
            }
            for note in image.notes { Console.error("note: " + note) }
            for warning in image.warnings { Console.error("warning: " + warning) }
            return (AnyVolume(image.volume), image.metadata, image.quantity, image.acquisitionDate)
        case .labels:
            throw InputError(source: path, reason: "a label map in DICOM is an RTSTRUCT or SEG file; read it with readLabels")
        }
    }

    /// The loud warnings reading a DICOM CT or SPECT path gives (uneven slice spacing resampled; see
    /// `DicomCTReader.assemblyWarnings`), for the result's notes; [] for other formats and multi-frame files.
    public static func assemblyWarnings(_ path: String, role: StudyImageRole) throws -> [String] {
        guard role != .labels, isDicom(path), FileManager.default.fileExists(atPath: path) else { return [] }
        let modalities: Set<String> = role == .ct ? ["CT"] : ["PT", "NM"]
        if isFolder(path) { return try DicomCTReader.assemblyWarnings(folder: path, modalities: modalities) }
        let h = try header(path)
        guard modalities.contains(h.string(.modality) ?? ""), (try h.int(.numberOfFrames) ?? 1) <= 1 else { return [] }
        return try DicomCTReader.assemblyWarnings(folder: (path as NSString).deletingLastPathComponent, modalities: modalities,
                                                  seriesInstanceUID: try h.requiredString(.seriesInstanceUID), subSeriesFile: path)
    }

    /// Hours beyond which a DICOM acquisition time and the manifest's scan time cannot differ by a time zone
    /// alone (DICOM times are local and usually carry no offset; zones span UTC−12…+14).
    public static let acquisitionMismatchHours = 15.0

    /// Checks that the manifest's SPECT `unit` agrees with what the DICOM values are: `bq_per_ml` needs an
    /// image in Bq/mL (Real World Value Mapping in Bq/ml, or Units BQML); `counts` needs a counts image
    /// (then the manifest calibration converts it).
    public static func checkUnit(_ unit: SpectUnit, quantity: EmissionQuantity?, source: String) throws {
        switch (quantity, unit) {
        case (.becquerelPerML?, .becquerelPerML), (.counts?, .counts), (nil, _): return
        case (.becquerelPerML?, .counts):
            throw InputError(source: source, field: "unit", value: unit.name,
                             reason: "the DICOM image is already in Bq/mL (Real World Value Mapping or Units BQML): use unit: bq_per_ml")
        case (.counts?, .becquerelPerML):
            throw InputError(source: source, field: "unit", value: unit.name,
                             reason: "the DICOM image holds counts (no Bq/mL Real World Value Mapping, Units not BQML): "
                                 + "use unit: counts with calibration_cps_per_mbq and acquisition_s")
        case let (.other(code)?, _):
            throw InputError(source: source, field: "unit", value: unit.name,
                             reason: "the DICOM image's real-world unit is '\(code)', not an activity concentration or counts")
        }
    }

    /// Label names of an RTSTRUCT (ROI names, labels 1… in file order) or SEG (segment labels by Segment Number).
    public static func labelTable(_ path: String) throws -> LabelTable {
        if SlicerSegmentation.isSegmentationPath(path) {
            return LabelTable(names: try SlicerSegmentation.read(path).mergedLabelMap().names)
        }
        let modality = try header(path).string(.modality) ?? ""
        switch modality {
        case "RTSTRUCT":
            let rs = try RTStructureSet.read(path)
            guard !rs.rois.isEmpty else { throw InputError(source: path, field: "(3006,0020) StructureSetROISequence", reason: "no ROI") }
            return LabelTable(names: Dictionary(uniqueKeysWithValues: rs.rois.enumerated().map { ($0.offset + 1, $0.element.name) }))
        case "SEG":
            return try labelTable(DicomSegmentationReader.read(file: path), source: path)
        default:
            throw wrongModality(path, modality, .labels)
        }
    }

    static func labelTable(_ map: LabelMap, source: String) throws -> LabelTable {
        guard !map.names.isEmpty else { throw InputError(source: source, field: "(0062,0002) SegmentSequence", reason: "no segment") }
        return LabelTable(names: Dictionary(uniqueKeysWithValues: map.names.map { (Int($0.key), $0.value) }))
    }

    /// Grid of a DICOM label source: a SEG's own grid; nil for an RTSTRUCT (it is rasterised on its CT's grid).
    public static func labelGrid(_ path: String) throws -> Grid3D? {
        let modality = try header(path).string(.modality) ?? ""
        switch modality {
        case "RTSTRUCT": return nil
        case "SEG": return try DicomSegmentationReader.read(file: path).volume.grid
        default: throw wrongModality(path, modality, .labels)
        }
    }

    /// Reads a label map from an RTSTRUCT or SEG file.
    ///
    /// An RTSTRUCT is rasterised onto `ctGrid` (labels 1… = ROIs in file order, names = ROI names); when
    /// `ctFrameOfReferenceUID` is given (DICOM CT) it must equal the structure set's. A SEG gives its own
    /// grid with label = Segment Number, names = Segment Labels.
    public static func readLabels(_ path: String, ctGrid: Grid3D?, ctFrameOfReferenceUID: String?) throws
        -> (labels: Volume<Double>, table: LabelTable) {
        let modality = try header(path).string(.modality) ?? ""
        let map: LabelMap
        switch modality {
        case "RTSTRUCT":
            guard let ctGrid else {
                throw InputError(source: path, reason: "an RTSTRUCT is rasterised on its CT's grid, but no CT is given")
            }
            let rs = try RTStructureSet.read(path)
            map = try rs.rasterize(onto: ctGrid, frameOfReferenceUID: ctFrameOfReferenceUID.flatMap { $0.isEmpty ? nil : $0 })
        case "SEG":
            map = try DicomSegmentationReader.read(file: path)
        default:
            throw wrongModality(path, modality, .labels)
        }
        return (AnyVolume(map.volume).asDouble, try labelTable(map, source: path))
    }
}

extension StudyImages {
    /// Reads an image for `role`: DICOM (see `DicomStudyImages`) or any format of `read(_:)`.
    public static func read(_ path: String, role: StudyImageRole?) throws -> AnyVolume {
        guard DicomStudyImages.isDicom(path) else { return try read(path) }
        guard FileManager.default.fileExists(atPath: path) else { throw InputError(source: path, reason: "file not found") }
        return try DicomStudyImages.readVolume(path, role: role ?? DicomStudyImages.inferredRole(path)).volume
    }

    /// The grid of an image for `role` (DICOM series are read whole).
    public static func grid(_ path: String, role: StudyImageRole?) throws -> Grid3D {
        guard DicomStudyImages.isDicom(path) else { return try grid(path) }
        return try read(path, role: role).grid
    }

    /// Reads a SPECT image; for DICOM, checks that `ref.unit` agrees with the image's values.
    public static func readSpect(_ ref: SpectReference) throws -> AnyVolume {
        guard DicomStudyImages.isDicom(ref.image) else { return try read(ref.image) }
        guard FileManager.default.fileExists(atPath: ref.image) else { throw InputError(source: ref.image, reason: "file not found") }
        let r = try DicomStudyImages.readVolume(ref.image, role: .spect)
        try DicomStudyImages.checkUnit(ref.unit, quantity: r.quantity, source: ref.image)
        return r.volume
    }

    /// Reads a label map and its table: an image with a `label,name` CSV, or an RTSTRUCT (rasterised on the
    /// CT at `ctPath`) / SEG file whose ROI names / segment labels are the names.
    public static func readLabelMap(_ ref: LabelMapReference, ctPath: String?) throws -> (labels: Volume<Double>, table: LabelTable) {
        if ref.names.isEmpty, SlicerSegmentation.isSegmentationPath(ref.image) {
            // Segment names from the file; layers merged (overlapping segments are refused with their names).
            let merged = try SlicerSegmentation.read(ref.image).mergedLabelMap()
            return (merged.labels.converted(to: Double.self), LabelTable(names: merged.names))
        }
        guard ref.names.isEmpty, DicomStudyImages.isDicom(ref.image) else {
            let labels = try read(ref.image).asDouble
            try labels.requireLabels(source: ref.image)
            return (labels, try LabelTable.load(ref.names))
        }
        guard FileManager.default.fileExists(atPath: ref.image) else { throw InputError(source: ref.image, reason: "file not found") }
        var grid: Grid3D?, frame: String?
        if let ctPath, try DicomStudyImages.header(ref.image).string(.modality) == "RTSTRUCT" {
            if DicomStudyImages.isDicom(ctPath) {
                let ct = try DicomStudyImages.readVolume(ctPath, role: .ct)
                grid = ct.volume.grid; frame = ct.metadata.frameOfReferenceUID
            } else {
                grid = try self.grid(ctPath)
            }
        }
        return try DicomStudyImages.readLabels(ref.image, ctGrid: grid, ctFrameOfReferenceUID: frame)
    }
}
