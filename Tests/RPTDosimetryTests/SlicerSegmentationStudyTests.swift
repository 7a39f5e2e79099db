import Foundation
import RPTCommandLine
import RPTWorkflow
import RPTCore
import RPTDosimetry
import RPTImageIO
import RPTPhantom
import RPTVolume
import RPTTestSupport
import XCTest

/// A study segmented in 3D Slicer comes in without conversion: the synthetic patient's label map, turned into a
/// `.seg.nrrd` by independent tools (nibabel reads the NIfTI, pynrrd writes the segmentation in RAS with one
/// `Segment<i>_…` entry per label of labels.csv), is accepted by the study manifest with no `names:` file and gives
/// the same label map and region names as the original NIfTI + CSV. Skipped without pynrrd/nibabel (failed on CI).
final class SlicerSegmentationStudyTests: XCTestCase {
    func testSegNrrdWrittenByPynrrdIsTheStudyLabelMap() throws {
        let dir = NSTemporaryDirectory() + "rpt-segstudy-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = SyntheticPatientConfig.smallTestPatient(seed: 5, schedule: [SpectCycleSchedule(cycle: 1, timesHours: [4, 24, 96])])
        try SyntheticPatientWriter.write(try SyntheticPatient.generate(config: c), to: dir, ext: ".nii")

        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [ExternalProcess.pythonInterpreter, "-c", "import nrrd, nibabel, numpy"]
        check.standardError = Pipe()
        try check.run(); check.waitUntilExit()
        if check.terminationStatus != 0 {
            let msg = "python3 with pynrrd and nibabel is needed (pip install pynrrd nibabel)"
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(msg) }
            throw XCTSkip(msg)
        }
        let script = """
            import sys, csv, nrrd, nibabel as nib, numpy as np
            d = sys.argv[1]
            img = nib.load(d + "/labels.nii")
            a = img.affine
            data = np.asarray(img.dataobj).astype(np.uint16)
            h = {"space": "right-anterior-superior", "space directions": a[:3, :3].T, "space origin": a[:3, 3],
                 "kinds": ["domain"] * 3, "encoding": "gzip", "Segmentation_MasterRepresentation": "Binary labelmap"}
            rows = [r for r in csv.reader(open(d + "/labels.csv")) if r and r[0].isdigit()]
            for i, (label, name) in enumerate(rows):
                h["Segment%d_ID" % i] = "Segment_" + label
                h["Segment%d_Name" % i] = name
                h["Segment%d_LabelValue" % i] = label
                h["Segment%d_Layer" % i] = "0"
            nrrd.write(d + "/labels.seg.nrrd", data, h)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [ExternalProcess.pythonInterpreter, "-c", script, dir]
        let err = Pipe()
        p.standardError = err
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))

        let original = try StudyManifest.load(path: dir + "/manifest.yaml")
        var yaml = try String(contentsOfFile: dir + "/manifest.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "labels:\n  image: labels.nii\n  names: labels.csv\n", with: "labels:\n  image: labels.seg.nrrd\n")
        XCTAssertTrue(yaml.contains("labels.seg.nrrd"))
        try yaml.write(toFile: dir + "/slicer.yaml", atomically: true, encoding: .utf8)
        let slicer = try StudyManifest.load(path: dir + "/slicer.yaml")
        XCTAssertEqual(slicer.sharedLabels?.names, "", "no names file: the segment names are used")

        let (a, tableA) = try StudyImages.readLabelMap(original.sharedLabels!, ctPath: nil)
        let (b, tableB) = try StudyImages.readLabelMap(slicer.sharedLabels!, ctPath: nil)
        XCTAssertEqual(tableB.names, tableA.names)
        XCTAssertEqual(b.voxels, a.voxels)
        XCTAssertEqual(b.grid.shape, a.grid.shape)
        for i in 0..<3 {
            XCTAssertEqual(b.grid.origin[i], a.grid.origin[i], accuracy: 1e-9)
            XCTAssertEqual(b.grid.spacing[i], a.grid.spacing[i], accuracy: 1e-9)
            for r in 0..<3 { XCTAssertEqual(b.grid.direction[column: i][r], a.grid.direction[column: i][r], accuracy: 1e-9) }
        }
        XCTAssertTrue(tableB.names.values.contains("kidney_left_cortex"))
    }
}
