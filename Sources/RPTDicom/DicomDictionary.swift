/// The small data dictionary this module needs: VRs for implicit-VR files and keywords for messages.
///
/// Only attributes that RPTDicom reads or writes are listed (keywords and VRs from DICOM PS3.6,
/// "Registry of DICOM Data Elements"). In implicit-VR files an attribute not listed here is kept as
/// `UN` (raw bytes), which is all this module needs for attributes it does not interpret.
public enum DicomDictionary {
    public struct Entry: Sendable {
        public var vr: DicomVR
        public var keyword: String
    }

    /// VR and keyword of `tag`, or nil if the tag is not in the module's dictionary.
    /// Group lengths (gggg,0000) are UL and private creators (odd group, 0010–00FF) are LO.
    public static func entry(for tag: DicomTag) -> Entry? {
        if let e = table[tag] { return e }
        if tag.element == 0 { return Entry(vr: .UL, keyword: "GroupLength") }
        if tag.group % 2 == 1, (0x0010...0x00FF).contains(tag.element) { return Entry(vr: .LO, keyword: "PrivateCreator") }
        return nil
    }

    private static let table: [DicomTag: Entry] = {
        var t: [DicomTag: Entry] = [:]
        for (g, e, vr, name) in rows { t[DicomTag(g, e)] = Entry(vr: vr, keyword: name) }
        return t
    }()

    private static let rows: [(UInt16, UInt16, DicomVR, String)] = [
        (0x0002, 0x0000, .UL, "FileMetaInformationGroupLength"),
        (0x0002, 0x0001, .OB, "FileMetaInformationVersion"),
        (0x0002, 0x0002, .UI, "MediaStorageSOPClassUID"),
        (0x0002, 0x0003, .UI, "MediaStorageSOPInstanceUID"),
        (0x0002, 0x0010, .UI, "TransferSyntaxUID"),
        (0x0002, 0x0012, .UI, "ImplementationClassUID"),
        (0x0002, 0x0013, .SH, "ImplementationVersionName"),
        (0x0008, 0x0005, .CS, "SpecificCharacterSet"),
        (0x0008, 0x0008, .CS, "ImageType"),
        (0x0008, 0x0012, .DA, "InstanceCreationDate"),
        (0x0008, 0x0013, .TM, "InstanceCreationTime"),
        (0x0008, 0x0016, .UI, "SOPClassUID"),
        (0x0008, 0x0018, .UI, "SOPInstanceUID"),
        (0x0008, 0x0020, .DA, "StudyDate"),
        (0x0008, 0x0021, .DA, "SeriesDate"),
        (0x0008, 0x0022, .DA, "AcquisitionDate"),
        (0x0008, 0x0023, .DA, "ContentDate"),
        (0x0008, 0x002A, .DT, "AcquisitionDateTime"),
        (0x0008, 0x0030, .TM, "StudyTime"),
        (0x0008, 0x0031, .TM, "SeriesTime"),
        (0x0008, 0x0032, .TM, "AcquisitionTime"),
        (0x0008, 0x0033, .TM, "ContentTime"),
        (0x0008, 0x0050, .SH, "AccessionNumber"),
        (0x0008, 0x0060, .CS, "Modality"),
        (0x0008, 0x0070, .LO, "Manufacturer"),
        (0x0008, 0x0090, .PN, "ReferringPhysicianName"),
        (0x0008, 0x0100, .SH, "CodeValue"),
        (0x0008, 0x0102, .SH, "CodingSchemeDesignator"),
        (0x0008, 0x0104, .LO, "CodeMeaning"),
        (0x0008, 0x1030, .LO, "StudyDescription"),
        (0x0008, 0x103E, .LO, "SeriesDescription"),
        (0x0008, 0x1070, .PN, "OperatorsName"),
        (0x0008, 0x1090, .LO, "ManufacturerModelName"),
        (0x0008, 0x1150, .UI, "ReferencedSOPClassUID"),
        (0x0008, 0x1155, .UI, "ReferencedSOPInstanceUID"),
        (0x0010, 0x0010, .PN, "PatientName"),
        (0x0010, 0x0020, .LO, "PatientID"),
        (0x0010, 0x0030, .DA, "PatientBirthDate"),
        (0x0010, 0x0040, .CS, "PatientSex"),
        (0x0018, 0x0031, .LO, "Radiopharmaceutical"),
        (0x0018, 0x0050, .DS, "SliceThickness"),
        (0x0018, 0x0088, .DS, "SpacingBetweenSlices"),
        (0x0018, 0x1020, .LO, "SoftwareVersions"),
        (0x0018, 0x1071, .DS, "RadiopharmaceuticalVolume"),
        (0x0018, 0x1072, .TM, "RadiopharmaceuticalStartTime"),
        (0x0018, 0x1074, .DS, "RadionuclideTotalDose"),
        (0x0018, 0x1075, .DS, "RadionuclideHalfLife"),
        (0x0018, 0x1078, .DT, "RadiopharmaceuticalStartDateTime"),
        (0x0018, 0x1210, .SH, "ConvolutionKernel"),
        (0x0020, 0x000D, .UI, "StudyInstanceUID"),
        (0x0020, 0x000E, .UI, "SeriesInstanceUID"),
        (0x0020, 0x0010, .SH, "StudyID"),
        (0x0020, 0x0011, .IS, "SeriesNumber"),
        (0x0020, 0x0013, .IS, "InstanceNumber"),
        (0x0020, 0x0032, .DS, "ImagePositionPatient"),
        (0x0020, 0x0037, .DS, "ImageOrientationPatient"),
        (0x0020, 0x0052, .UI, "FrameOfReferenceUID"),
        (0x0020, 0x1040, .LO, "PositionReferenceIndicator"),
        (0x0020, 0x1041, .DS, "SliceLocation"),
        (0x0020, 0x9113, .SQ, "PlanePositionSequence"),
        (0x0020, 0x9116, .SQ, "PlaneOrientationSequence"),
        (0x0028, 0x0002, .US, "SamplesPerPixel"),
        (0x0028, 0x0004, .CS, "PhotometricInterpretation"),
        (0x0028, 0x0008, .IS, "NumberOfFrames"),
        (0x0028, 0x0009, .AT, "FrameIncrementPointer"),
        (0x0028, 0x0010, .US, "Rows"),
        (0x0028, 0x0011, .US, "Columns"),
        (0x0028, 0x0030, .DS, "PixelSpacing"),
        (0x0028, 0x0100, .US, "BitsAllocated"),
        (0x0028, 0x0101, .US, "BitsStored"),
        (0x0028, 0x0102, .US, "HighBit"),
        (0x0028, 0x0103, .US, "PixelRepresentation"),
        (0x0028, 0x1052, .DS, "RescaleIntercept"),
        (0x0028, 0x1053, .DS, "RescaleSlope"),
        (0x0028, 0x1054, .LO, "RescaleType"),
        (0x0028, 0x9110, .SQ, "PixelMeasuresSequence"),
        (0x0028, 0x9145, .SQ, "PixelValueTransformationSequence"),
        (0x0040, 0x08EA, .SQ, "MeasurementUnitsCodeSequence"),
        (0x0040, 0x9096, .SQ, "RealWorldValueMappingSequence"),
        (0x0040, 0x9210, .SH, "LUTLabel"),
        (0x0040, 0x9211, .US, "RealWorldValueLastValueMapped"),
        (0x0040, 0x9216, .US, "RealWorldValueFirstValueMapped"),
        (0x0040, 0x9224, .FD, "RealWorldValueIntercept"),
        (0x0040, 0x9225, .FD, "RealWorldValueSlope"),
        (0x0054, 0x0010, .US, "EnergyWindowVector"),
        (0x0054, 0x0011, .US, "NumberOfEnergyWindows"),
        (0x0054, 0x0016, .SQ, "RadiopharmaceuticalInformationSequence"),
        (0x0054, 0x0020, .US, "DetectorVector"),
        (0x0054, 0x0021, .US, "NumberOfDetectors"),
        (0x0054, 0x0022, .SQ, "DetectorInformationSequence"),
        (0x0054, 0x0080, .US, "SliceVector"),
        (0x0054, 0x0081, .US, "NumberOfSlices"),
        (0x0054, 0x0300, .SQ, "RadionuclideCodeSequence"),
        (0x0054, 0x1001, .CS, "Units"),
        (0x0054, 0x1102, .CS, "DecayCorrection"),
        (0x0062, 0x0001, .CS, "SegmentationType"),
        (0x0062, 0x0002, .SQ, "SegmentSequence"),
        (0x0062, 0x0004, .US, "SegmentNumber"),
        (0x0062, 0x0005, .LO, "SegmentLabel"),
        (0x0062, 0x000A, .SQ, "SegmentIdentificationSequence"),
        (0x0062, 0x000B, .US, "ReferencedSegmentNumber"),
        (0x0062, 0x000E, .US, "MaximumFractionalValue"),
        (0x3004, 0x0002, .CS, "DoseUnits"),
        (0x3004, 0x0004, .CS, "DoseType"),
        (0x3004, 0x000A, .CS, "DoseSummationType"),
        (0x3004, 0x000C, .DS, "GridFrameOffsetVector"),
        (0x3004, 0x000E, .DS, "DoseGridScaling"),
        (0x3004, 0x0014, .CS, "TissueHeterogeneityCorrection"),
        (0x3006, 0x0002, .SH, "StructureSetLabel"),
        (0x3006, 0x0020, .SQ, "StructureSetROISequence"),
        (0x3006, 0x0022, .IS, "ROINumber"),
        (0x3006, 0x0024, .UI, "ReferencedFrameOfReferenceUID"),
        (0x3006, 0x0026, .LO, "ROIName"),
        (0x3006, 0x0039, .SQ, "ROIContourSequence"),
        (0x3006, 0x0040, .SQ, "ContourSequence"),
        (0x3006, 0x0042, .CS, "ContourGeometricType"),
        (0x3006, 0x0046, .IS, "NumberOfContourPoints"),
        (0x3006, 0x0050, .DS, "ContourData"),
        (0x3006, 0x0084, .IS, "ReferencedROINumber"),
        (0x300C, 0x0002, .SQ, "ReferencedRTPlanSequence"),
        (0x5200, 0x9229, .SQ, "SharedFunctionalGroupsSequence"),
        (0x5200, 0x9230, .SQ, "PerFrameFunctionalGroupsSequence"),
        (0x7FE0, 0x0010, .OW, "PixelData"),
        (0xFFFE, 0xE000, .UN, "Item"),
        (0xFFFE, 0xE00D, .UN, "ItemDelimitationItem"),
        (0xFFFE, 0xE0DD, .UN, "SequenceDelimitationItem"),
    ]
}

extension DicomTag {
    static let transferSyntaxUID = DicomTag(0x0002, 0x0010)
    static let mediaStorageSOPClassUID = DicomTag(0x0002, 0x0002)
    static let specificCharacterSet = DicomTag(0x0008, 0x0005)
    static let imageType = DicomTag(0x0008, 0x0008)
    static let sopClassUID = DicomTag(0x0008, 0x0016)
    static let frameType = DicomTag(0x0008, 0x9007)
    static let sopInstanceUID = DicomTag(0x0008, 0x0018)
    static let studyDate = DicomTag(0x0008, 0x0020)
    static let seriesDate = DicomTag(0x0008, 0x0021)
    static let acquisitionDate = DicomTag(0x0008, 0x0022)
    static let acquisitionDateTime = DicomTag(0x0008, 0x002A)
    static let studyTime = DicomTag(0x0008, 0x0030)
    static let seriesTime = DicomTag(0x0008, 0x0031)
    static let acquisitionTime = DicomTag(0x0008, 0x0032)
    static let accessionNumber = DicomTag(0x0008, 0x0050)
    public static let modality = DicomTag(0x0008, 0x0060)
    static let manufacturer = DicomTag(0x0008, 0x0070)
    static let referringPhysicianName = DicomTag(0x0008, 0x0090)
    static let codeValue = DicomTag(0x0008, 0x0100)
    static let codingSchemeDesignator = DicomTag(0x0008, 0x0102)
    static let codeMeaning = DicomTag(0x0008, 0x0104)
    static let studyDescription = DicomTag(0x0008, 0x1030)
    static let seriesDescription = DicomTag(0x0008, 0x103E)
    static let referencedSOPClassUID = DicomTag(0x0008, 0x1150)
    static let referencedSOPInstanceUID = DicomTag(0x0008, 0x1155)
    static let patientName = DicomTag(0x0010, 0x0010)
    static let patientID = DicomTag(0x0010, 0x0020)
    static let patientBirthDate = DicomTag(0x0010, 0x0030)
    static let patientSex = DicomTag(0x0010, 0x0040)
    static let radiopharmaceutical = DicomTag(0x0018, 0x0031)
    static let sliceThickness = DicomTag(0x0018, 0x0050)
    static let spacingBetweenSlices = DicomTag(0x0018, 0x0088)
    static let gantryDetectorTilt = DicomTag(0x0018, 0x1120)
    static let convolutionKernel = DicomTag(0x0018, 0x1210)
    static let ctImageFrameTypeSequence = DicomTag(0x0018, 0x9329)
    static let radiopharmaceuticalStartTime = DicomTag(0x0018, 0x1072)
    static let radionuclideTotalDose = DicomTag(0x0018, 0x1074)
    static let radionuclideHalfLife = DicomTag(0x0018, 0x1075)
    static let radiopharmaceuticalStartDateTime = DicomTag(0x0018, 0x1078)
    static let studyInstanceUID = DicomTag(0x0020, 0x000D)
    public static let seriesInstanceUID = DicomTag(0x0020, 0x000E)
    static let studyID = DicomTag(0x0020, 0x0010)
    static let seriesNumber = DicomTag(0x0020, 0x0011)
    static let instanceNumber = DicomTag(0x0020, 0x0013)
    static let imagePositionPatient = DicomTag(0x0020, 0x0032)
    static let imageOrientationPatient = DicomTag(0x0020, 0x0037)
    static let frameOfReferenceUID = DicomTag(0x0020, 0x0052)
    static let positionReferenceIndicator = DicomTag(0x0020, 0x1040)
    static let planePositionSequence = DicomTag(0x0020, 0x9113)
    static let planeOrientationSequence = DicomTag(0x0020, 0x9116)
    static let samplesPerPixel = DicomTag(0x0028, 0x0002)
    static let photometricInterpretation = DicomTag(0x0028, 0x0004)
    public static let numberOfFrames = DicomTag(0x0028, 0x0008)
    static let frameIncrementPointer = DicomTag(0x0028, 0x0009)
    static let rows = DicomTag(0x0028, 0x0010)
    static let columns = DicomTag(0x0028, 0x0011)
    static let pixelSpacing = DicomTag(0x0028, 0x0030)
    static let bitsAllocated = DicomTag(0x0028, 0x0100)
    static let bitsStored = DicomTag(0x0028, 0x0101)
    static let highBit = DicomTag(0x0028, 0x0102)
    static let pixelRepresentation = DicomTag(0x0028, 0x0103)
    static let rescaleIntercept = DicomTag(0x0028, 0x1052)
    static let rescaleSlope = DicomTag(0x0028, 0x1053)
    static let pixelMeasuresSequence = DicomTag(0x0028, 0x9110)
    static let pixelValueTransformationSequence = DicomTag(0x0028, 0x9145)
    static let measurementUnitsCodeSequence = DicomTag(0x0040, 0x08EA)
    static let realWorldValueMappingSequence = DicomTag(0x0040, 0x9096)
    static let realWorldValueIntercept = DicomTag(0x0040, 0x9224)
    static let realWorldValueSlope = DicomTag(0x0040, 0x9225)
    static let energyWindowVector = DicomTag(0x0054, 0x0010)
    static let radiopharmaceuticalInformationSequence = DicomTag(0x0054, 0x0016)
    static let detectorInformationSequence = DicomTag(0x0054, 0x0022)
    static let sliceVector = DicomTag(0x0054, 0x0080)
    static let radionuclideCodeSequence = DicomTag(0x0054, 0x0300)
    static let units = DicomTag(0x0054, 0x1001)
    static let decayCorrection = DicomTag(0x0054, 0x1102)
    static let segmentationType = DicomTag(0x0062, 0x0001)
    static let segmentSequence = DicomTag(0x0062, 0x0002)
    static let segmentNumber = DicomTag(0x0062, 0x0004)
    static let segmentLabel = DicomTag(0x0062, 0x0005)
    static let segmentIdentificationSequence = DicomTag(0x0062, 0x000A)
    static let referencedSegmentNumber = DicomTag(0x0062, 0x000B)
    static let maximumFractionalValue = DicomTag(0x0062, 0x000E)
    static let doseUnits = DicomTag(0x3004, 0x0002)
    static let doseType = DicomTag(0x3004, 0x0004)
    static let doseSummationType = DicomTag(0x3004, 0x000A)
    static let gridFrameOffsetVector = DicomTag(0x3004, 0x000C)
    static let doseGridScaling = DicomTag(0x3004, 0x000E)
    static let structureSetROISequence = DicomTag(0x3006, 0x0020)
    static let roiNumber = DicomTag(0x3006, 0x0022)
    static let roiName = DicomTag(0x3006, 0x0026)
    static let roiContourSequence = DicomTag(0x3006, 0x0039)
    static let contourSequence = DicomTag(0x3006, 0x0040)
    static let contourGeometricType = DicomTag(0x3006, 0x0042)
    static let contourData = DicomTag(0x3006, 0x0050)
    static let referencedROINumber = DicomTag(0x3006, 0x0084)
    static let referencedRTPlanSequence = DicomTag(0x300C, 0x0002)
    static let sharedFunctionalGroupsSequence = DicomTag(0x5200, 0x9229)
    static let perFrameFunctionalGroupsSequence = DicomTag(0x5200, 0x9230)
    static let pixelData = DicomTag(0x7FE0, 0x0010)
    static let item = DicomTag(0xFFFE, 0xE000)
    static let itemDelimitation = DicomTag(0xFFFE, 0xE00D)
    static let sequenceDelimitation = DicomTag(0xFFFE, 0xE0DD)
}
