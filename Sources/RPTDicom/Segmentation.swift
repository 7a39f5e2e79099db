import RPTCore
import RPTVolume

/// Reads DICOM Segmentation objects (SEG, PS3.3 A.51) into a label map on the SEG's own grid.
///
/// Each frame belongs to one segment (Segment Identification Sequence → Referenced Segment
/// Number) and one plane (Plane Position Sequence); orientation and pixel spacing come from the
/// shared (or per-frame) functional groups. Frames are placed on a regular stack along the normal;
/// slices without frames stay 0. BINARY segmentations use 1-bit pixels; FRACTIONAL ones count a
/// pixel as inside above half of Maximum Fractional Value. The label of a voxel is the Segment
/// Number; where segments overlap the later frame wins. Resample with `Volume.resampled(onto:mode: .nearest)`.
public enum DicomSegmentationReader {
    public static func read(file: String) throws -> LabelMap {
        let ds = try DicomFile.read(file)
        let src = file
        let modality = ds.string(.modality) ?? ""
        guard modality == "SEG" else {
            throw InputError(source: src, field: DicomTag.modality.label, value: modality, reason: "expected SEG")
        }
        var names: [UInt16: String] = [:]
        for item in ds.sequence(.segmentSequence) {
            let n = try item.requiredInt(.segmentNumber)
            guard n > 0, n < Int(UInt16.max) else {
                throw InputError(source: src, field: DicomTag.segmentNumber.label, value: "\(n)", reason: "must be 1…65534")
            }
            names[UInt16(n)] = item.string(.segmentLabel) ?? "Segment \(n)"
        }
        guard !names.isEmpty else { throw ds.missing(.segmentSequence) }
        let type = ds.string(.segmentationType) ?? "BINARY"
        let pixels = try DicomPixelData(ds)
        var threshold = 0.5
        switch type {
        case "BINARY":
            guard pixels.bitsAllocated == 1 else {
                throw InputError(source: src, field: DicomTag.bitsAllocated.label, value: "\(pixels.bitsAllocated)",
                                 reason: "BINARY segmentations use 1-bit pixels")
            }
        case "FRACTIONAL":
            threshold = Double(try ds.int(.maximumFractionalValue) ?? 255) / 2
        default:
            throw InputError(source: src, field: DicomTag.segmentationType.label, value: type, reason: "expected BINARY or FRACTIONAL")
        }
        guard let orient = ds.functionalGroupItem(.planeOrientationSequence, frame: 0) else {
            throw ds.missing(.planeOrientationSequence, context: "shared or per-frame functional groups")
        }
        guard let measures = ds.functionalGroupItem(.pixelMeasuresSequence, frame: 0) else {
            throw ds.missing(.pixelMeasuresSequence, context: "shared or per-frame functional groups")
        }
        let (r, c) = try ImagePlane.orientation(try orient.requiredDoubles(.imageOrientationPatient), source: src,
                                                field: DicomTag.imageOrientationPatient.label)
        let spacing = try ImagePlane.inPlaneSpacing(try measures.requiredDoubles(.pixelSpacing), source: src,
                                                    field: DicomTag.pixelSpacing.label)
        var positions: [SIMD3<Double>] = []
        var segmentOfFrame: [UInt16] = []
        for f in 0..<pixels.frames {
            guard let pos = ds.functionalGroupItem(.planePositionSequence, frame: f) else {
                throw ds.missing(.planePositionSequence, context: "frame \(f + 1)")
            }
            positions.append(try ImagePlane.position(try pos.requiredDoubles(.imagePositionPatient), source: src,
                                                     field: DicomTag.imagePositionPatient.label))
            guard let ident = ds.functionalGroupItem(.segmentIdentificationSequence, frame: f) else {
                throw ds.missing(.segmentIdentificationSequence, context: "frame \(f + 1)")
            }
            let n = try ident.requiredInt(.referencedSegmentNumber)
            guard n > 0, n < Int(UInt16.max), names[UInt16(n)] != nil else {
                throw InputError(source: src, field: DicomTag.referencedSegmentNumber.label, value: "\(n)",
                                 reason: "frame \(f + 1) refers to a segment missing from the Segment Sequence")
            }
            segmentOfFrame.append(UInt16(n))
        }
        let placement = try FramePlacement(positions: positions, rowDirection: r, columnDirection: c, inPlaneSpacing: spacing,
                                           rows: pixels.rows, columns: pixels.columns,
                                           sliceSpacing: try measures.double(.spacingBetweenSlices), toleranceMM: 0.02,
                                           source: src, field: DicomTag.imagePositionPatient.label)
        let grid = placement.grid
        var labels = [UInt16](repeating: 0, count: grid.voxelCount)
        let n = pixels.pixelsPerFrame
        for f in 0..<pixels.frames {
            let values = pixels.frame(f)
            let base = placement.sliceOfFrame[f] * n
            for p in 0..<n where values[p] > threshold { labels[base + p] = segmentOfFrame[f] }
        }
        return LabelMap(volume: Volume(grid: grid, voxels: labels, unit: "label"), names: names)
    }
}
