import Foundation
import RPTTestSupport
import RPTCore
import RPTImageIO
import RPTStore
import RPTVolume

/// The files the bad-input corpus starts from: a tiny CT / TIA map / region map (8 × 8 × 8 voxels of 10 mm),
/// their broken variants, and header-only image files whose headers lie (written by hand).
struct CorpusFixtures {
    let dir: String

    /// The tiny grid: 8 × 8 × 8 voxels of 10 mm centred on the origin.
    static let grid = Grid3D(shape: SIMD3(8, 8, 8), spacing: SIMD3(repeating: 10), origin: SIMD3(repeating: -35))

    func path(_ name: String) -> String { dir + "/" + name }

    /// Writes every fixture.
    static func make(in dir: String) throws -> CorpusFixtures {
        let f = CorpusFixtures(dir: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let g = grid
        func inside(_ n: Int) -> Bool {
            let v = g.voxelIndex(n)
            return (2...5).contains(v.x) && (2...5).contains(v.y) && (2...5).contains(v.z)
        }
        let hu: [Int16] = (0..<g.voxelCount).map { inside($0) ? 40 : -1000 }
        try f.write(Volume(grid: g, voxels: hu, unit: "HU"), "ct.nii")
        let tia: [Float] = (0..<g.voxelCount).map { inside($0) ? 1e12 : 0 }
        try f.write(Volume(grid: g, voxels: tia, unit: "Bq s"), "tia.nii")
        try f.write(Volume(grid: g, voxels: tia, unit: ""), "tia_nounit.nii")
        try f.write(Volume(grid: g, voxels: tia.map { $0 / 1e5 }, unit: "Bq/mL"), "spect_bqml.nii")
        try f.write(Volume(grid: g, voxels: tia, unit: "Gy"), "tia_gy.nii")
        try f.write(Volume(grid: g, voxels: tia.map { $0 * 1e-9 }, unit: "Bq s"), "tia_tiny.nii")
        var negative = tia; negative[100] = -5
        try f.write(Volume(grid: g, voxels: negative, unit: "Bq s"), "tia_negative.nii")
        var nan = tia; nan[200] = .nan
        try f.write(Volume(grid: g, voxels: nan, unit: "Bq s"), "tia_nan.nii")
        try f.write(Volume(grid: Grid3D(shape: g.shape, spacing: g.spacing, origin: g.origin + SIMD3(5000, 0, 0)),
                           voxels: tia, unit: "Bq s"), "tia_far.nii")
        try f.write(Volume(grid: Grid3D(shape: g.shape, spacing: g.spacing, origin: g.origin + SIMD3(40, 0, 0)),
                           voxels: tia, unit: "Bq s"), "tia_edge.nii")
        // CT variants.
        var ctNaN = hu.map(Float.init); ctNaN[300] = .nan
        try f.write(Volume(grid: g, voxels: ctNaN, unit: "HU"), "ct_nan.nii")
        try f.write(Volume(grid: g, voxels: hu.map { Float($0) * 1000 }, unit: "HU"), "ct_scaled.nii")
        try f.write(Volume(grid: g, voxels: tia.map { $0 / 1e9 + 0.25 }, unit: ""), "ct_is_spect.nii")
        try f.write(Volume(grid: g, voxels: hu, unit: "Bq/mL"), "ct_unit_bqml.nii")
        try f.write(Volume(grid: g, voxels: [Int16](repeating: 0, count: g.voxelCount), unit: "HU"), "ct_water.nii")
        // Region (label) maps.
        let regions: [UInt16] = (0..<g.voxelCount).map { inside($0) ? 1 : 0 }
        try f.write(Volume(grid: g, voxels: regions, unit: "label"), "regions.nii")
        try f.write(Volume(grid: g, voxels: regions.map { Float($0) * 1.5 }, unit: "label"), "regions_fraction.nii")
        try f.write(Volume(grid: g, voxels: regions.map { -Float($0) }, unit: "label"), "regions_negative.nii")
        var rnan = regions.map(Float.init); rnan[5] = .nan
        try f.write(Volume(grid: g, voxels: rnan, unit: "label"), "regions_nan.nii")
        try f.write(Volume(grid: g, voxels: regions.map { Float($0) * 1e6 }, unit: "label"), "regions_huge.nii")
        try "label,name\n1,box\n".write(toFile: f.path("regions.csv"), atomically: true, encoding: .utf8)
        try "label,name\n1\n".write(toFile: f.path("regions_bad.csv"), atomically: true, encoding: .utf8)
        try "label,name\n0,nothing\n".write(toFile: f.path("regions_zero.csv"), atomically: true, encoding: .utf8)
        // Label geometry (--labels with a material table).
        try "label,material,density_g_cm3\n0,air,0.0012\n1,soft_tissue,1.03\n".write(toFile: f.path("materials.csv"),
                                                                                      atomically: true, encoding: .utf8)
        try "label,material,density_g_cm3\n0,air,0.0012\n".write(toFile: f.path("materials_missing.csv"),
                                                                 atomically: true, encoding: .utf8)
        try "label,material,density_g_cm3\n0,air,0.0012\n1,unobtainium,1.0\n".write(toFile: f.path("materials_unknown.csv"),
                                                                                    atomically: true, encoding: .utf8)
        // Other formats of the good map.
        try f.write(Volume(grid: g, voxels: tia, unit: "Bq s"), "tia.mhd")
        try HDF5Store.writeVolume(AnyVolume(Volume(grid: g, voxels: tia, unit: "Bq s")), toFile: f.path("tia.h5"), at: "image")
        try HDF5Store.writeVolume(AnyVolume(Volume(grid: g, voxels: tia.map { Double($0) * 1e-12 }, unit: "Gy")),
                                  toFile: f.path("dose.h5"), at: "dose")
        // Broken and lying files.
        try Data().write(to: URL(fileURLWithPath: f.path("empty.nii")))
        try Data("not an image at all, just text\n".utf8).write(to: URL(fileURLWithPath: f.path("text.nii")))
        try Data("\u{89}HDF\r\n\u{1A}\n garbage after the signature".utf8).write(to: URL(fileURLWithPath: f.path("fake.h5")))
        try Data("plain text".utf8).write(to: URL(fileURLWithPath: f.path("text.h5")))
        let good = try Data(contentsOf: URL(fileURLWithPath: f.path("tia.nii")))
        try good.prefix(200).write(to: URL(fileURLWithPath: f.path("truncated_header.nii")))
        try good.prefix(600).write(to: URL(fileURLWithPath: f.path("truncated_data.nii")))
        try f.patchNIfTI(good, "nifti_huge_dims.nii") { d in
            for a in 1...3 { d.int16(40 + 2 * a, 32767) }
        }
        try f.patchNIfTI(good, "nifti_zero_dim.nii") { d in d.int16(42, 0) }
        try f.patchNIfTI(good, "nifti_tiny_spacing.nii") { d in
            d.int16(252, 0); d.int16(254, 0)  // no qform/sform: spacing from pixdim
            d.float32(80, 1e-30)
        }
        try f.patchNIfTI(good, "nifti_nan_spacing.nii") { d in d.int16(252, 0); d.int16(254, 0); d.float32(84, .nan) }
        try f.patchNIfTI(good, "nifti_negative_ndim.nii") { d in d.int16(40, -3) }
        try f.patchNIfTI(good, "nifti_bad_datatype.nii") { d in d.int16(70, 1234) }
        try f.patchNIfTI(good, "nifti_bad_magic.nii") { d in d.bytes[344] = 0x78 }
        // MetaImage headers that lie.
        try f.writeRaw("data.raw", count: 64)
        func mhd(_ name: String, dims: String, spacing: String = "10 10 10", offset: String = "0 0 0", type: String = "MET_FLOAT",
                 data: String = "data.raw", compressed: Bool = false, extra: String = "") throws {
            let text = """
            ObjectType = Image
            NDims = 3
            DimSize = \(dims)
            ElementSpacing = \(spacing)
            Offset = \(offset)
            ElementType = \(type)
            CompressedData = \(compressed ? "True" : "False")
            \(extra)ElementDataFile = \(data)

            """
            try text.write(toFile: f.path(name), atomically: true, encoding: .utf8)
        }
        try mhd("mhd_overflow.mhd", dims: "4000000000 4000000000 4000000000")
        try mhd("mhd_huge.mhd", dims: "100000 100000 100000")
        try mhd("mhd_big_uncompressed.mhd", dims: "800 800 800")
        try mhd("mhd_negative_dim.mhd", dims: "-4 4 4")
        try mhd("mhd_tiny_spacing.mhd", dims: "4 4 4", spacing: "1e-30 10 10")
        try mhd("mhd_zero_spacing.mhd", dims: "4 4 4", spacing: "0 10 10")
        try mhd("mhd_huge_spacing.mhd", dims: "4 4 4", spacing: "1e9 10 10")
        try mhd("mhd_huge_extent.mhd", dims: "500 4 4", spacing: "50 10 10")
        try mhd("mhd_nan_offset.mhd", dims: "4 4 4", offset: "nan 0 0")
        try mhd("mhd_far_offset.mhd", dims: "4 4 4", offset: "1e12 0 0")
        try mhd("mhd_missing_data.mhd", dims: "4 4 4", data: "nowhere.raw")
        try mhd("mhd_short_data.mhd", dims: "8 8 8")
        try mhd("mhd_bad_type.mhd", dims: "4 4 4", type: "MET_COMPLEX")
        try mhd("mhd_missing_dims.mhd", dims: "")
        try mhd("mhd_two_dims.mhd", dims: "4 4")
        try mhd("mhd_text_dims.mhd", dims: "four 4 4")
        try mhd("mhd_channels.mhd", dims: "4 4 4", extra: "ElementNumberOfChannels = 3\n")
        // A tiny zlib stream that claims to inflate to gigabytes.
        try f.writeZlib("small.zraw", bytes: 64)
        try mhd("mhd_zbomb.mhd", dims: "300 300 300", spacing: "1 1 1", data: "small.zraw", compressed: true)
        try mhd("mhd_zshort.mhd", dims: "8 8 8", data: "small.zraw", compressed: true)
        try mhd("mhd_zcorrupt.mhd", dims: "4 4 4", data: "data.raw", compressed: true)
        // Interfile headers that lie.
        func h33(_ name: String, sizes: (String, String, String), data: String = "data.raw", scale: String = "10") throws {
            let text = """
            !INTERFILE :=
            !imaging modality := nucmed
            !name of data file := \(data)
            !number format := float
            !number of bytes per pixel := 4
            imagedata byte order := LITTLEENDIAN
            !number of dimensions := 3
            !matrix size [1] := \(sizes.0)
            !matrix size [2] := \(sizes.1)
            !matrix size [3] := \(sizes.2)
            scaling factor (mm/pixel) [1] := \(scale)
            scaling factor (mm/pixel) [2] := 10
            scaling factor (mm/pixel) [3] := 10
            !END OF INTERFILE :=

            """
            try text.write(toFile: f.path(name), atomically: true, encoding: .utf8)
        }
        try h33("h33_overflow.h33", sizes: ("4000000000", "4000000000", "4000000000"))
        try h33("h33_huge.h33", sizes: ("20000", "20000", "20000"))
        try h33("h33_short.h33", sizes: ("8", "8", "8"))
        try h33("h33_missing.h33", sizes: ("4", "4", "4"), data: "nowhere.raw")
        try h33("h33_tiny_spacing.h33", sizes: ("4", "4", "4"), scale: "1e-30")
        try h33("h33_zero_size.h33", sizes: ("0", "4", "4"))
        try f.writeDicomCT()
        return f
    }

    /// `dicom_ct_slope0/` and `dicom_ct_ok/`: CT series of 4 slices of 8 × 8 voxels (10 mm) written by pydicom (an
    /// independent writer), with Rescale Slope 0 and 1; `dicom_ct_tilt/`: the good series acquired with a 15° gantry
    /// tilt (image plane tilted about x, table moving along z). Skipped (no folder) when Python with pydicom is missing.
    func writeDicomCT() throws {
        let script = """
        import math, os, sys
        import numpy as np
        from pydicom.dataset import Dataset, FileMetaDataset
        from pydicom.uid import ExplicitVRLittleEndian, generate_uid
        for name, slope, tilt in (("dicom_ct_slope0", 0, 0.0), ("dicom_ct_ok", 1, 0.0), ("dicom_ct_tilt", 1, 15.0)):
            out = os.path.join(sys.argv[1], name); os.makedirs(out, exist_ok=True)
            series, study, frame = generate_uid(), generate_uid(), generate_uid()
            for k in range(4):
                ds = Dataset(); ds.file_meta = FileMetaDataset(); ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
                ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"; ds.SOPInstanceUID = generate_uid()
                ds.PatientName, ds.PatientID = "Test^Corpus", "C1"
                ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
                ds.Modality, ds.StudyDate, ds.StudyTime = "CT", "20250106", "090000"
                t = math.radians(tilt)
                ds.ImageOrientationPatient = [1, 0, 0, 0, round(math.cos(t), 8), round(-math.sin(t), 8)]
                if tilt: ds.GantryDetectorTilt = tilt
                ds.ImagePositionPatient = [-35.0, -35.0, -15.0 + 10 * k]
                ds.PixelSpacing, ds.SliceThickness = [10.0, 10.0], 10.0
                ds.Rows, ds.Columns = 8, 8
                ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
                ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
                ds.RescaleSlope, ds.RescaleIntercept = slope, 0
                ds.InstanceNumber = k + 1
                ds.PixelData = (np.arange(64, dtype="<i2") * 10 - 300).tobytes()
                ds.save_as(os.path.join(out, "%03d.dcm" % k), enforce_file_format=True)
        """
        let py = path("make_ct.py")
        try script.write(toFile: py, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [ExternalProcess.pythonInterpreter, py, dir]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
    }

    /// Whether the pydicom CT series were written.
    var hasDicom: Bool { FileManager.default.fileExists(atPath: path("dicom_ct_slope0/000.dcm")) }

    func write<T: VoxelScalar>(_ v: Volume<T>, _ name: String) throws {
        try ImageIO.write(AnyVolume(v), to: path(name))
    }

    func writeRaw(_ name: String, count: Int) throws {
        try Data(count: count * 4).write(to: URL(fileURLWithPath: path(name)))
    }

    func writeZlib(_ name: String, bytes: Int) throws {
        // zlib stream of `bytes` zero bytes, stored uncompressed (header 78 01, one final stored block, Adler-32).
        var d = Data([0x78, 0x01, 0x01, UInt8(bytes & 0xff), UInt8(bytes >> 8), UInt8(~bytes & 0xff), UInt8((~bytes >> 8) & 0xff)])
        d.append(Data(count: bytes))
        let adler: UInt32 = (UInt32(bytes % 65521) << 16) | 1
        d.append(contentsOf: [UInt8(adler >> 24), UInt8((adler >> 16) & 0xff), UInt8((adler >> 8) & 0xff), UInt8(adler & 0xff)])
        try d.write(to: URL(fileURLWithPath: path(name)))
    }

    /// A copy of the NIfTI bytes `good` with header fields changed.
    func patchNIfTI(_ good: Data, _ name: String, _ change: (inout HeaderBytes) -> Void) throws {
        var h = HeaderBytes(bytes: [UInt8](good))
        change(&h)
        try Data(h.bytes).write(to: URL(fileURLWithPath: path(name)))
    }

    /// Little-endian field writer for hand-made headers.
    struct HeaderBytes {
        var bytes: [UInt8]
        mutating func int16(_ offset: Int, _ v: Int16) {
            let u = UInt16(bitPattern: v)
            bytes[offset] = UInt8(u & 0xff); bytes[offset + 1] = UInt8(u >> 8)
        }
        mutating func float32(_ offset: Int, _ v: Float) {
            let u = v.bitPattern
            for b in 0..<4 { bytes[offset + b] = UInt8((u >> (8 * UInt32(b))) & 0xff) }
        }
    }
}
