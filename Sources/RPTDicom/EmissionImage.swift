import Foundation
import RPTCore
import RPTVolume

/// What the voxel values of an NM/PT image mean.
public enum EmissionQuantity: Sendable, Equatable {
    /// Activity concentration, converted to Bq/mL.
    case becquerelPerML
    /// Detector counts (or unknown units): a calibration factor (e.g. the manifest's, in Bq/count)
    /// must be applied before dosimetry.
    case counts
    /// Another real-world unit (code value as found), e.g. "g/ml" for SUV; not usable as activity.
    case other(String)

    /// Whether the manifest's calibration factor must be applied to obtain activity.
    public var needsCalibration: Bool { self == .counts }
}

/// A quantitative SPECT or PET image with its radiopharmaceutical information.
public struct DicomEmissionImage: Sendable {
    /// Voxel values: Bq/mL (unit "Bq/mL"), counts (unit "counts") or another unit.
    public var volume: Volume<Float>
    public var quantity: EmissionQuantity
    public var metadata: DicomMetadata
    public var radiopharmaceuticals: [RadiopharmaceuticalInfo]
    /// Acquisition start (Acquisition DateTime, or Acquisition/Series Date + Time), UTC reading.
    public var acquisitionDate: Date?
    /// Decay Correction (0054,1102): NONE, START (to the acquisition start) or ADMIN (to the administration
    /// time); nil when absent (usual for NM).
    public var decayCorrection: String?
    public var files: [String]
    /// What series assembly skipped (localizers, stray derived images), one line each.
    public var notes: [String] = []
    /// What changed the values and must be shown loudly (uneven slice spacing resampled), one line each.
    public var warnings: [String] = []
}

/// Reads NM (SPECT) and PT images: NM multi-frame reconstructed volumes and single-frame slice series.
///
/// Values, in order of preference:
/// 1. Real World Value Mapping Sequence (0040,9096) with an activity-concentration unit code
///    (Bq/ml, kBq/ml, MBq/ml): value = stored × RWV Slope + RWV Intercept, converted to Bq/mL;
/// 2. Units (0054,1001) = BQML: value = stored × Rescale Slope + Rescale Intercept (Bq/mL);
/// 3. otherwise counts (rescale applied if present), flagged `.counts` so the calibration factor applies.
public enum DicomEmissionReader {
    /// Reads a multi-frame NM (or enhanced PT) file holding a whole reconstructed volume.
    public static func readMultiFrame(file: String) throws -> DicomEmissionImage {
        let ds = try DicomFile.read(file)
        let pixels = try DicomPixelData(ds)
        let (grid, sliceOfFrame) = try multiFrameGeometry(ds, pixels: pixels)
        let mapping = try ValueMapping(ds)
        var voxels = [Float](repeating: 0, count: grid.voxelCount)
        let n = pixels.pixelsPerFrame
        for f in 0..<pixels.frames {
            let values = try mapping.apply(pixels.frame(f), frameItem: ds.functionalGroupItem(.pixelValueTransformationSequence, frame: f))
            let base = sliceOfFrame[f] * n
            for p in 0..<n { voxels[base + p] = Float(values[p]) }
        }
        return DicomEmissionImage(volume: Volume(grid: grid, voxels: voxels, unit: mapping.unit), quantity: mapping.quantity,
                                  metadata: DicomMetadata(ds), radiopharmaceuticals: try RadiopharmaceuticalInfo.read(ds),
                                  acquisitionDate: try acquisitionDate(ds), decayCorrection: decayCorrection(ds), files: [file])
    }

    /// Reads a series of single-frame PT or NM slices from `folder` (see `DicomCTReader.read` for the options).
    public static func readSeries(folder: String, seriesInstanceUID: String? = nil,
                                  spacingToleranceMM: Double = DicomCTReader.defaultSpacingToleranceMM,
                                  subSeriesFile: String? = nil) throws -> DicomEmissionImage {
        let headers = try DicomFolder.scanHeaders(folder)
        let series = try DicomFolder.selectSeries(headers, folder: folder, modalities: ["PT", "NM"],
                                                  seriesInstanceUID: seriesInstanceUID)
        let chosen = headers.filter { series.files.contains($0.path) }
        if chosen.count == 1, (try chosen[0].header.int(.numberOfFrames) ?? 1) > 1 {
            return try readMultiFrame(file: chosen[0].path)
        }
        var quantity = EmissionQuantity.counts
        var unit = "counts"
        let volume: DicomSeriesVolume<Float> = try DicomCTReader.readSlices(chosen, unit: "", series: "\(series.modality) series \(series.seriesInstanceUID) in \(folder)",
                                                                                   spacingToleranceMM: spacingToleranceMM,
                                                                                   subSeriesFile: subSeriesFile) { ds, stored in
            let m = try ValueMapping(ds)
            quantity = m.quantity; unit = m.unit
            return try m.apply(stored, frameItem: nil)
        }
        let first = try DicomFile.read(volume.files[0], options: .init(stopAtPixelData: true))
        var v = volume.volume
        v.unit = unit
        return DicomEmissionImage(volume: v, quantity: quantity, metadata: volume.metadata,
                                  radiopharmaceuticals: try RadiopharmaceuticalInfo.read(first),
                                  acquisitionDate: try acquisitionDate(first), decayCorrection: decayCorrection(first),
                                  files: volume.files, notes: volume.notes, warnings: volume.warnings)
    }

    /// Decay Correction (0054,1102), upper-cased and trimmed; nil when absent or empty.
    static func decayCorrection(_ ds: DicomDataSet) -> String? {
        guard let s = ds.string(.decayCorrection)?.trimmingCharacters(in: .whitespaces).uppercased(), !s.isEmpty else { return nil }
        return s
    }

    static func acquisitionDate(_ ds: DicomDataSet) throws -> Date? {
        if let dt = ds.string(.acquisitionDateTime) {
            return try DicomDateTime.parse(dateTime: dt, source: ds.source, field: DicomTag.acquisitionDateTime.label)
        }
        if let d = ds.string(.acquisitionDate) ?? ds.string(.seriesDate), let t = ds.string(.acquisitionTime) ?? ds.string(.seriesTime) {
            return try DicomDateTime.parse(date: d, time: t, source: ds.source, field: DicomTag.acquisitionTime.label)
        }
        return nil
    }

    /// Grid and frame → slice mapping of a multi-frame NM/PT object.
    static func multiFrameGeometry(_ ds: DicomDataSet, pixels: DicomPixelData) throws -> (Grid3D, [Int]) {
        let src = ds.source
        // Enhanced objects: per-frame Plane Position (Patient).
        let perFrame = ds.sequence(.perFrameFunctionalGroupsSequence)
        if perFrame.count == pixels.frames, ds.functionalGroupItem(.planePositionSequence, frame: 0) != nil {
            guard let orient = ds.functionalGroupItem(.planeOrientationSequence, frame: 0),
                  let measures = ds.functionalGroupItem(.pixelMeasuresSequence, frame: 0) else {
                throw InputError(source: src, field: DicomTag.sharedFunctionalGroupsSequence.label,
                                 reason: "Plane Orientation and Pixel Measures functional groups are required")
            }
            let (r, c) = try ImagePlane.orientation(try orient.requiredDoubles(.imageOrientationPatient), source: src,
                                                    field: DicomTag.imageOrientationPatient.label)
            let spacing = try ImagePlane.inPlaneSpacing(try measures.requiredDoubles(.pixelSpacing), source: src,
                                                        field: DicomTag.pixelSpacing.label)
            var positions: [SIMD3<Double>] = []
            for f in 0..<pixels.frames {
                guard let item = ds.functionalGroupItem(.planePositionSequence, frame: f) else {
                    throw InputError(source: src, field: DicomTag.planePositionSequence.label, reason: "missing for frame \(f + 1)")
                }
                positions.append(try ImagePlane.position(try item.requiredDoubles(.imagePositionPatient), source: src,
                                                         field: DicomTag.imagePositionPatient.label))
            }
            let placement = try FramePlacement(positions: positions, rowDirection: r, columnDirection: c, inPlaneSpacing: spacing,
                                               rows: pixels.rows, columns: pixels.columns,
                                               sliceSpacing: try measures.double(.spacingBetweenSlices), toleranceMM: 0.02,
                                               source: src, field: DicomTag.imagePositionPatient.label)
            guard Set(placement.sliceOfFrame).count == pixels.frames, placement.grid.shape.z == pixels.frames else {
                throw InputError(source: src, field: DicomTag.planePositionSequence.label,
                                 reason: "frames must fill a gap-free stack with one frame per slice")
            }
            return (placement.grid, placement.sliceOfFrame)
        }
        // NM Image IOD: orientation/position in the Detector Information Sequence (or at top level),
        // frames along the normal at Spacing Between Slices, ordered by the Slice Vector.
        let detector = ds.sequence(.detectorInformationSequence).first
        let geometrySource = detector?.contains(.imageOrientationPatient) == true ? detector! : ds
        let (r, c) = try ImagePlane.orientation(try geometrySource.requiredDoubles(.imageOrientationPatient), source: src,
                                                field: DicomTag.imageOrientationPatient.label)
        let origin = try ImagePlane.position(try geometrySource.requiredDoubles(.imagePositionPatient), source: src,
                                             field: DicomTag.imagePositionPatient.label)
        let spacing = try ImagePlane.inPlaneSpacing(try ds.requiredDoubles(.pixelSpacing), source: src, field: DicomTag.pixelSpacing.label)
        guard let dz = try ds.double(.spacingBetweenSlices) ?? ds.double(.sliceThickness), dz > 0 else {
            throw InputError(source: src, field: DicomTag.spacingBetweenSlices.label,
                             reason: "a multi-frame NM volume needs a positive Spacing Between Slices (or Slice Thickness)")
        }
        if let windows = try ds.doubles(.energyWindowVector), Set(windows).count > 1 {
            throw InputError(source: src, field: DicomTag.energyWindowVector.label, value: "\(Set(windows).count) windows",
                             reason: "the file holds several energy windows; only one reconstructed volume per file is supported")
        }
        var sliceOfFrame = Array(0..<pixels.frames)
        if let vector = try ds.doubles(.sliceVector) {
            let k = vector.map { Int($0) - 1 }
            guard k.count == pixels.frames, Set(k) == Set(0..<pixels.frames) else {
                throw InputError(source: src, field: DicomTag.sliceVector.label, value: "\(vector.count) values",
                                 reason: "must number the \(pixels.frames) frames' slices 1…\(pixels.frames), each once")
            }
            sliceOfFrame = k
        }
        let grid = Grid3D(shape: SIMD3(pixels.columns, pixels.rows, pixels.frames), spacing: SIMD3(spacing.x, spacing.y, dz),
                          origin: origin, direction: Matrix3(columns: r, c, cross(r, c)))
        try grid.validate(source: src)
        return (grid, sliceOfFrame)
    }
}

/// Stored value → real-world value for one NM/PT object.
struct ValueMapping {
    var quantity: EmissionQuantity
    var unit: String
    /// Real World Value Mapping (slope, intercept, factor to Bq/mL); nil: use Rescale Slope/Intercept.
    var rwv: (slope: Double, intercept: Double, factor: Double)?
    var rescale: (slope: Double, intercept: Double)

    init(_ ds: DicomDataSet) throws {
        rescale = (try ds.double(.rescaleSlope) ?? 1, try ds.double(.rescaleIntercept) ?? 0)
        let items = ds.sequence(.realWorldValueMappingSequence)
            + (ds.sequence(.sharedFunctionalGroupsSequence).first?.sequence(.realWorldValueMappingSequence) ?? [])
        var chosen: (DicomDataSet, EmissionQuantity, Double)?
        for item in items {
            let code = item.sequence(.measurementUnitsCodeSequence).first?.string(.codeValue) ?? ""
            let (q, f) = Self.classify(code)
            if chosen == nil || (q == .becquerelPerML && chosen!.1 != .becquerelPerML) { chosen = (item, q, f) }
        }
        if let (item, q, f) = chosen {
            guard let slope = try item.double(.realWorldValueSlope) else {
                throw InputError(source: ds.source, field: DicomTag.realWorldValueSlope.label,
                                 reason: "Real World Value Mapping without a slope (LUT data) is not supported")
            }
            rwv = (slope, try item.double(.realWorldValueIntercept) ?? 0, f)
            quantity = q
        } else if ds.string(.units)?.uppercased() == "BQML" {
            quantity = .becquerelPerML
        } else {
            quantity = .counts
        }
        switch quantity {
        case .becquerelPerML: unit = "Bq/mL"
        case .counts: unit = "counts"
        case .other(let u): unit = u
        }
    }

    /// Unit code (UCUM code value) → quantity and factor to Bq/mL.
    static func classify(_ code: String) -> (EmissionQuantity, Double) {
        switch code.lowercased() {
        case "bq/ml", "bq/cm3": (.becquerelPerML, 1)
        case "kbq/ml": (.becquerelPerML, 1e3)
        case "mbq/ml": (.becquerelPerML, 1e6)
        case "{counts}", "counts", "{cnts}", "cnts", "1", "": (.counts, 1)
        default: (.other(code), 1)
        }
    }

    /// Maps one frame's stored values; `frameItem` is a per-frame Pixel Value Transformation item, if any.
    func apply(_ stored: [Double], frameItem: DicomDataSet?) throws -> [Double] {
        if let rwv {
            let a = rwv.slope * rwv.factor, b = rwv.intercept * rwv.factor
            return stored.map { $0 * a + b }
        }
        var (slope, intercept) = rescale
        if let frameItem {
            slope = try frameItem.double(.rescaleSlope) ?? slope
            intercept = try frameItem.double(.rescaleIntercept) ?? intercept
        }
        (slope, intercept) = try RescaleValues.checked(slope: slope, intercept: intercept, source: "NM/PT image")
        return stored.map { $0 * slope + intercept }
    }
}
