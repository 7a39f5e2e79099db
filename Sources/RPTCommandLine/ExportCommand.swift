import ArgumentParser
import Foundation
import RPTCore
import RPTWorkflow
import RPTDicom
import RPTDosimetry
import RPTImageIO
import RPTStore
import RPTVolume

/// `rptdose export DOSE.h5`: a dose volume as DICOM RT Dose over its CT, as NIfTI or as MetaImage.
///
/// Assumption (docs/formats/dicom.md, "Export"): RPTDose grids are in the same LPS patient frame as the
/// input CT they were computed from (origin, spacing and direction in mm, DICOM LPS). The RT Dose keeps
/// the dose grid (it may differ from the CT grid) and takes the CT's Frame of Reference and Study UIDs,
/// so the dose must have been computed on that CT; the command refuses a dose grid that does not overlap
/// the CT and warns when less than half of it lies inside the CT.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a dose volume as DICOM RT Dose (over a reference CT), NIfTI, MetaImage or NRRD (3D Slicer).",
        discussion: """
            The dose grid must be in the LPS patient frame of the reference CT (true for doses computed by \
            rptdose from that CT, NIfTI/MHD conversions of it included). Several outputs may be given at once.
            """)

    @Argument(help: "Dose file: HDF5 from simulate/dosimetry (or any image rptdose reads).", completion: .file()) var input: String
    @Option(help: "HDF5 input: the volume to export.") var volume = "dose"
    @Option(name: .customLong("dicom-rtdose"), help: "Write a DICOM RT Dose file (needs --reference-ct).", completion: .file())
    var dicomRTDose: String?
    @Option(name: .customLong("reference-ct"), help: "Folder of the DICOM CT series the dose was computed on (or one file of it).", completion: .file())
    var referenceCT: String?
    @Option(help: "Series Instance UID of the CT when the folder holds several CT series.") var series: String?
    @Option(name: .customLong("series-description"), help: "Series Description of the RT Dose.")
    var seriesDescription = ExportCommand.defaultSeriesDescription

    static let defaultSeriesDescription = "RPTDose absorbed dose"
    @Option(help: "Write a NIfTI-1 file (.nii or .nii.gz).", completion: .file()) var nifti: String?
    @Option(help: "Write a MetaImage file (.mhd or .mha).", completion: .file()) var mhd: String?
    @Option(help: "Write a NRRD file for 3D Slicer (.nrrd, or .nhdr with a separate data file; gzip).", completion: .file()) var nrrd: String?
    @OptionGroup var identifiers: IdentifierOptions

    func validate() throws {
        if dicomRTDose == nil && nifti == nil && mhd == nil && nrrd == nil {
            throw ValidationError("give at least one output: --dicom-rtdose OUT.dcm, --nifti OUT.nii.gz, --mhd OUT.mhd or --nrrd OUT.nrrd")
        }
        if dicomRTDose != nil && referenceCT == nil {
            throw ValidationError("--dicom-rtdose needs --reference-ct DIR: the RT Dose takes the CT's patient, study and frame of reference")
        }
        if dicomRTDose == nil && (referenceCT != nil || series != nil) {
            throw ValidationError("--reference-ct and --series are only used with --dicom-rtdose")
        }
        if let nifti, ![.nifti, .niftiGz].contains(try? ImageFormat.forPath(nifti)) {
            throw ValidationError("--nifti '\(nifti)': the file name must end in .nii or .nii.gz")
        }
        if let mhd, (try? ImageFormat.forPath(mhd)) != .metaImage {
            throw ValidationError("--mhd '\(mhd)': the file name must end in .mhd or .mha")
        }
        if let nrrd, (try? ImageFormat.forPath(nrrd)) != .nrrd || SlicerSegmentation.isSegmentationPath(nrrd) {
            throw ValidationError("--nrrd '\(nrrd)': the file name must end in .nrrd or .nhdr (not .seg.nrrd)")
        }
    }

    func run() throws {
        let dose = try VolumeFiles.read(input, volume: volume)  // `volume` only applies to HDF5 (by signature)
        try dose.grid.validate(source: input)
        if let nifti {
            try ImageIO.write(dose, to: nifti)
            print("wrote \(nifti) (NIfTI-1, \(dose.voxelType.rawValue)\(dose.unit.isEmpty ? "" : ", \(dose.unit)"))")
        }
        if let mhd {
            try ImageIO.write(dose, to: mhd)
            print("wrote \(mhd) (MetaImage, \(dose.voxelType.rawValue)\(dose.unit.isEmpty ? "" : ", \(dose.unit)"))")
        }
        if let nrrd {
            try ImageIO.write(dose, to: nrrd)
            print("wrote \(nrrd) (NRRD, \(dose.voxelType.rawValue)\(dose.unit.isEmpty ? "" : ", \(dose.unit)"))")
        }
        if let out = dicomRTDose, let referenceCT {
            let ct = try Self.readReferenceCT(referenceCT, series: series)
            for w in ct.notes.map({ "note: " + $0 }) + ct.warnings.map({ "warning: " + $0 }) { FileHandle.standardError.write(Data((w + "\n").utf8)) }
            if let warning = try Self.checkDoseInCT(dose: dose.grid, ct: ct.volume.grid, source: input) {
                FileHandle.standardError.write(Data(("warning: " + warning + "\n").utf8))
            }
            // A dosimetry.h5 holds one cycle's dose: say so in the default description (the Dose Summation Type is
            // PLAN for any export, see docs/formats/dicom.md).
            var description = seriesDescription
            if description == Self.defaultSeriesDescription, HDF5Store.isHDF5(path: input),
               let cycle = try? H5File.read(input, { try $0.attribute("cycle", at: "/dosimetry").asDouble }) {
                description += ", cycle \(Int(cycle))"
            }
            let result = try RTDoseWriter.write(dose: dose.asDouble, reference: ct.metadata, to: out,
                                                options: RTDoseOptions(seriesDescription: description))
            print("wrote \(out) (DICOM RT Dose, \(dose.grid.description), Dose Grid Scaling \(result.doseGridScaling) Gy)")
            print("  over " + identifiers.describe(ct.metadata))
        }
    }

    /// The CT series in `path` (a folder, or one file of the series); `series` picks one of several.
    static func readReferenceCT(_ path: String, series: String?) throws -> DicomSeriesVolume<Int16> {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(source: path, field: "--reference-ct", reason: "no such folder or file")
        }
        if isDir.boolValue { return try DicomCTReader.read(folder: path, seriesInstanceUID: series, as: Int16.self) }
        let header = try DicomFile.read(path, options: .init(stopAtPixelData: true))
        return try DicomCTReader.read(folder: (path as NSString).deletingLastPathComponent,
                                      seriesInstanceUID: series ?? header.requiredString(.seriesInstanceUID), as: Int16.self,
                                      subSeriesFile: series == nil ? path : nil)
    }

    /// Checks that the dose grid lies in the CT's patient coordinates: throws when the two grids' boxes do
    /// not overlap; returns a warning when less than half of the dose grid's box is inside the CT's.
    static func checkDoseInCT(dose: Grid3D, ct: Grid3D, source: String) throws -> String? {
        let b = StudyImages.bounds(dose)
        let doseVolume = (b.upper.x - b.lower.x) * (b.upper.y - b.lower.y) * (b.upper.z - b.lower.z)
        let inside = StudyImages.overlapMM3(dose, ct) / doseVolume
        if inside == 0 {
            throw InputError(source: source, field: "dose grid", value: dose.description,
                             reason: "does not overlap the reference CT (\(ct.description)); RPTDose grids are in the LPS "
                                + "patient frame of the CT they were computed from: was this dose computed on this CT?")
        }
        if inside < 0.5 {
            return "only \(Int((inside * 100).rounded())) % of the dose grid (\(dose.description)) lies inside the reference CT "
                + "(\(ct.description)); check that the dose was computed on this CT"
        }
        return nil
    }
}
