import Foundation
import RPTCore
import RPTVolume

/// Options for `RTDoseWriter.write`.
public struct RTDoseOptions: Sendable {
    /// Series Description (0008,103E).
    public var seriesDescription = "RPTDose absorbed dose"
    /// Series Number (0020,0011); empty when nil.
    public var seriesNumber: Int?
    /// SOP Instance UID put in the Referenced RT Plan Sequence; a new 2.25 UID when nil (see docs/formats/dicom.md).
    public var referencedPlanUID: String?
    /// Instance creation and content date/time (written in UTC).
    public var creationDate = Date()

    public init(seriesDescription: String = "RPTDose absorbed dose", seriesNumber: Int? = nil,
                referencedPlanUID: String? = nil, creationDate: Date = Date()) {
        self.seriesDescription = seriesDescription; self.seriesNumber = seriesNumber
        self.referencedPlanUID = referencedPlanUID; self.creationDate = creationDate
    }
}

/// Identifiers and scaling of a written RT Dose object.
public struct RTDoseWriteResult: Sendable {
    public var sopInstanceUID: String
    public var seriesInstanceUID: String
    public var referencedPlanUID: String
    /// Dose Grid Scaling (Gy per stored unit); stored values are round(dose / scaling).
    public var doseGridScaling: Double
}

/// Writes absorbed-dose volumes as DICOM RT Dose (PS3.3 A.18, SOP Class 1.2.840.10008.5.1.4.1.1.481.2).
///
/// The object is a multi-frame grid: 32-bit unsigned stored values × Dose Grid Scaling = dose in Gy;
/// Dose Type PHYSICAL; Dose Summation Type PLAN (the whole administration course, the radiopharmaceutical
/// analogue of "all fractions of a plan"); Grid Frame Offset Vector relative to the first frame
/// (first value 0). Patient, study and frame of reference are copied from the reference CT so that
/// viewers overlay the dose on it. Written in Explicit VR Little Endian, through `AtomicFile`.
public enum RTDoseWriter {
    public static let sopClassUID = "1.2.840.10008.5.1.4.1.1.481.2"
    static let rtPlanStorageUID = "1.2.840.10008.5.1.4.1.1.481.5"
    /// Stored values use at most this many units, leaving ~7 % headroom below 2³²−1 so that the
    /// 16-character rounding of Dose Grid Scaling can never overflow a pixel.
    static let maxStoredValue = 4.0e9

    /// Writes `dose` (Gy, non-negative, finite) to `path`.
    /// - Parameter reference: metadata of the CT the dose was computed on (frame of reference required).
    @discardableResult
    public static func write(dose: Volume<Double>, reference: DicomMetadata, to path: String,
                             options: RTDoseOptions = RTDoseOptions()) throws -> RTDoseWriteResult {
        let g = dose.grid
        try g.validate(source: path)
        guard dose.unit.isEmpty || dose.unit == "Gy" else {
            throw InputError(source: path, field: "dose unit", value: dose.unit, reason: "RT Dose is written in Gy; convert first")
        }
        guard !reference.frameOfReferenceUID.isEmpty, !reference.studyInstanceUID.isEmpty else {
            throw InputError(source: path, field: "reference CT", value: reference.redactedDescription,
                             reason: "the reference CT must have a Frame of Reference UID and a Study Instance UID")
        }
        guard g.shape.x <= 65535, g.shape.y <= 65535 else {
            throw InputError(source: path, field: "grid", value: g.description, reason: "rows and columns must be ≤ 65535")
        }
        var maxDose = 0.0
        for (n, v) in dose.voxels.enumerated() {
            guard v.isFinite, v >= 0 else {
                let ijk = g.voxelIndex(n)
                throw InputError(source: path, field: "dose voxel (\(ijk.x), \(ijk.y), \(ijk.z))", value: "\(v)",
                                 reason: "RT Dose stores finite, non-negative doses")
            }
            maxDose = max(maxDose, v)
        }
        let scalingText = maxDose > 0 ? DecimalString.format(maxDose / maxStoredValue) : "1"
        let scaling = Double(scalingText)!

        // Frames advance along rowDir × colDir; reverse k when the grid's third axis points the other way.
        let row = g.direction.c0, col = g.direction.c1
        let normal = cross(row, col)
        let reversed = dot(normal, g.direction.c2) < 0
        let nz = g.shape.z
        let firstK = reversed ? nz - 1 : 0
        let position = g.world(continuousIndex: SIMD3(0, 0, Double(firstK)))
        let offsets = (0..<nz).map { Double($0) * g.spacing.z }

        let perFrame = g.shape.x * g.shape.y
        var pixels = [UInt8](repeating: 0, count: g.voxelCount * 4)
        pixels.withUnsafeMutableBytes { out in
            for f in 0..<nz {
                let k = reversed ? nz - 1 - f : f
                for p in 0..<perFrame {
                    let stored = UInt32((dose.voxels[k * perFrame + p] / scaling).rounded())
                    out.storeBytes(of: stored.littleEndian, toByteOffset: (f * perFrame + p) * 4, as: UInt32.self)
                }
            }
        }

        let sopInstanceUID = DicomUID.generate(), seriesUID = DicomUID.generate()
        let planUID = options.referencedPlanUID ?? DicomUID.generate()
        let (date, time) = dicomDateTime(options.creationDate)
        var ds = DicomDataSet(source: path)
        func text(_ tag: DicomTag, _ vr: DicomVR, _ v: String) { ds.set(.text(tag, vr, v)) }
        let texts = [reference.patientName, reference.patientID, reference.referringPhysicianName, reference.studyID,
                     reference.accessionNumber, options.seriesDescription, reference.positionReferenceIndicator]
        if texts.contains(where: { $0.utf8.contains { $0 >= 0x80 } }) { text(.specificCharacterSet, .CS, "ISO_IR 192") }
        text(DicomTag(0x0008, 0x0012), .DA, date)
        text(DicomTag(0x0008, 0x0013), .TM, time)
        text(.sopClassUID, .UI, sopClassUID)
        text(.sopInstanceUID, .UI, sopInstanceUID)
        text(.studyDate, .DA, reference.studyDate)
        text(DicomTag(0x0008, 0x0023), .DA, date)
        text(.studyTime, .TM, reference.studyTime)
        text(DicomTag(0x0008, 0x0033), .TM, time)
        text(.accessionNumber, .SH, reference.accessionNumber)
        text(.modality, .CS, "RTDOSE")
        text(.manufacturer, .LO, "RPTDose")
        text(.referringPhysicianName, .PN, reference.referringPhysicianName)
        text(.seriesDescription, .LO, options.seriesDescription)
        text(DicomTag(0x0008, 0x1070), .PN, "")
        text(DicomTag(0x0008, 0x1090), .LO, "rptdose")
        text(.patientName, .PN, reference.patientName)
        text(.patientID, .LO, reference.patientID)
        text(.patientBirthDate, .DA, reference.patientBirthDate)
        text(.patientSex, .CS, reference.patientSex)
        ds.set(.decimals(.sliceThickness, [g.spacing.z]))
        text(DicomTag(0x0018, 0x1020), .LO, "RPTDose " + RPTDoseVersion.string)
        text(.studyInstanceUID, .UI, reference.studyInstanceUID)
        text(.seriesInstanceUID, .UI, seriesUID)
        text(.studyID, .SH, reference.studyID)
        text(.seriesNumber, .IS, options.seriesNumber.map(String.init) ?? "")
        text(.instanceNumber, .IS, "1")
        ds.set(.decimals(.imagePositionPatient, [position.x, position.y, position.z]))
        ds.set(.decimals(.imageOrientationPatient, [row.x, row.y, row.z, col.x, col.y, col.z]))
        text(.frameOfReferenceUID, .UI, reference.frameOfReferenceUID)
        text(.positionReferenceIndicator, .LO, reference.positionReferenceIndicator)
        ds.set(.us(.samplesPerPixel, 1))
        text(.photometricInterpretation, .CS, "MONOCHROME2")
        text(.numberOfFrames, .IS, String(nz))
        ds.set(.at(.frameIncrementPointer, .gridFrameOffsetVector))
        ds.set(.us(.rows, UInt16(g.shape.y)))
        ds.set(.us(.columns, UInt16(g.shape.x)))
        ds.set(.decimals(.pixelSpacing, [g.spacing.y, g.spacing.x]))  // row spacing \ column spacing
        ds.set(.us(.bitsAllocated, 32))
        ds.set(.us(.bitsStored, 32))
        ds.set(.us(.highBit, 31))
        ds.set(.us(.pixelRepresentation, 0))
        text(.doseUnits, .CS, "GY")
        text(.doseType, .CS, "PHYSICAL")
        text(.doseSummationType, .CS, "PLAN")
        ds.set(.decimals(.gridFrameOffsetVector, offsets))
        ds.set(DicomElement(tag: .doseGridScaling, vr: .DS, bytes: Array(scalingText.utf8)))
        text(DicomTag(0x3004, 0x0014), .CS, "IMAGE")
        var planRef = DicomDataSet(source: path)
        planRef.set(.text(.referencedSOPClassUID, .UI, rtPlanStorageUID))
        planRef.set(.text(.referencedSOPInstanceUID, .UI, planUID))
        ds.set(.sequence(.referencedRTPlanSequence, [planRef]))
        ds.set(DicomElement(tag: .pixelData, vr: .OW, bytes: pixels))

        let bytes = try DicomWriter.part10(sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, body: ds)
        try AtomicFile.write(Data(bytes), to: path)
        return RTDoseWriteResult(sopInstanceUID: sopInstanceUID, seriesInstanceUID: seriesUID,
                                 referencedPlanUID: planUID, doseGridScaling: scaling)
    }

    /// DA and TM strings of `date` in UTC.
    static func dicomDateTime(_ date: Date) -> (String, String) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (String(format: "%04d%02d%02d", c.year!, c.month!, c.day!), String(format: "%02d%02d%02d", c.hour!, c.minute!, c.second!))
    }
}
