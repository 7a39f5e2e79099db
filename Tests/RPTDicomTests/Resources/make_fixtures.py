"""Writes the DICOM test inputs for RPTDicomTests with pydicom (an independent DICOM writer).

Usage: python3 make_fixtures.py OUT_DIR
Creates the files below OUT_DIR and OUT_DIR/expected.json with the values the Swift reader must
find (computed here with numpy from the arrays that were written, not by the Swift code).
"""
import json
import os
import random
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import (ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian,
                         DeflatedExplicitVRLittleEndian, RLELossless, generate_uid)
from pydicom.pixels import pack_bits

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
random.seed(7)
expected = {}

CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
NM_STORAGE = "1.2.840.10008.5.1.4.1.1.20"
RTSTRUCT_STORAGE = "1.2.840.10008.5.1.4.1.1.481.3"
SEG_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4"

STUDY = generate_uid()
FOR = generate_uid()


def base(modality, sop_class, series_uid, description):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = generate_uid()
    ds.PatientName = "Doe^Jane"
    ds.PatientID = "PID-12345"
    ds.PatientBirthDate = "19600101"
    ds.PatientSex = "F"
    ds.StudyInstanceUID = STUDY
    ds.StudyDate = "20240102"
    ds.StudyTime = "093000"
    ds.StudyID = "S1"
    ds.AccessionNumber = "ACC1"
    ds.ReferringPhysicianName = ""
    ds.SeriesInstanceUID = series_uid
    ds.SeriesDescription = description
    ds.Modality = modality
    ds.FrameOfReferenceUID = FOR
    ds.PositionReferenceIndicator = ""
    return ds


def ct_slice(series_uid, k, origin, spacing, ps, stored, slope, intercept, signed=True, bits_stored=16,
             description="CT"):
    ds = base("CT", CT_STORAGE, series_uid, description)
    rows, cols = stored.shape
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.ImagePositionPatient = [origin[0], origin[1], origin[2] + k * spacing]
    ds.PixelSpacing = ps  # row spacing \ column spacing
    ds.SliceThickness = spacing
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.RescaleSlope = slope
    ds.RescaleIntercept = intercept
    ds.InstanceNumber = k + 1
    ds.PixelData = stored.astype("<i2" if signed else "<u2").tobytes()
    return ds


def save(ds, path, **kw):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    ds.save_as(full, enforce_file_format=kw.pop("enforce", True), **kw)
    return full


# --- CT series: 6 slices 8 rows x 10 columns, files written in shuffled order -----------------------
CT_UID = generate_uid()
nz, rows, cols = 6, 8, 10
origin = [-30.0, -20.0, 100.0]
ps = [0.8, 0.6]
dz = 2.5
slope, intercept = 0.5, -1000.0
k_, j_, i_ = np.meshgrid(np.arange(nz), np.arange(rows), np.arange(cols), indexing="ij")
stored = ((i_ * 7 + j_ * 13 + k_ * 31) % 400) * 9 - 1500
order = list(range(nz))
random.shuffle(order)
for n, k in enumerate(order):
    save(ct_slice(CT_UID, k, origin, dz, ps, stored[k], slope, intercept), f"ct/img{n:03d}.dcm")
    save(ct_slice(CT_UID, k, origin, dz, ps, stored[k], slope, intercept), f"two/a{n:03d}.dcm")
hu = stored * slope + intercept
expected["ct"] = {"seriesUID": CT_UID, "shape": [cols, rows, nz], "spacing": [ps[1], ps[0], dz], "origin": origin,
                  "hu": hu.ravel().tolist(), "forUID": FOR, "studyUID": STUDY}

# Second series in 'two': 3 slices, 12 bits stored with garbage in the unused high bits.
B_UID = generate_uid()
stored_b = (np.arange(3 * rows * cols).reshape(3, rows, cols) * 11) % 4096
for k in range(3):
    raw = stored_b[k] | 0xA000
    save(ct_slice(B_UID, k, [0.0, 0.0, 0.0], 3.0, [1.0, 1.0], raw.astype(np.uint16), 1.0, -1024.0, signed=False,
                  bits_stored=12, description="CT B"), f"two/b{k:03d}.dcm")
expected["two"] = {"uids": sorted([CT_UID, B_UID]), "b_uid": B_UID, "b_hu": (stored_b - 1024.0).ravel().tolist()}

# --- inconsistent spacing: z = 0, 2.5, 5, 10, 12.5 --------------------------------------------------
BAD_UID = generate_uid()
for n, z in enumerate([0.0, 2.5, 5.0, 10.0, 12.5]):
    ds = ct_slice(BAD_UID, 0, [0.0, 0.0, z], 2.5, [1.0, 1.0], stored[0], 1.0, 0.0)
    path = save(ds, f"badspacing/s{(n * 3) % 5}.dcm")
    if z == 10.0:
        expected["badspacing"] = {"file": os.path.basename(path)}

# --- truncated pixel data and missing pixel data --------------------------------------------------
TR_UID = generate_uid()
for k in range(3):
    p = save(ct_slice(TR_UID, k, origin, dz, ps, stored[k], slope, intercept), f"truncated/t{k}.dcm")
data = open(p, "rb").read()
open(p, "wb").write(data[:-37])
expected["truncated"] = {"file": os.path.basename(p)}
header_cut = os.path.join(OUT, "header_cut.dcm")
open(header_cut, "wb").write(data[:300])
NP_UID = generate_uid()
for k in range(2):
    ds = ct_slice(NP_UID, k, origin, dz, ps, stored[k], slope, intercept)
    if k == 1:
        del ds.PixelData
    p = save(ds, f"nopixel/n{k}.dcm")
expected["nopixel"] = {"file": os.path.basename(p)}

# --- deflated, raw implicit (no preamble) and big-endian single slices ----------------------------
ds = ct_slice(CT_UID, 0, origin, dz, ps, stored[0], slope, intercept)
ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
save(ds, "deflated.dcm")
ds = ct_slice(CT_UID, 0, origin, dz, ps, stored[0], slope, intercept)
del ds.file_meta
ds.save_as(os.path.join(OUT, "raw_implicit.dcm"), implicit_vr=True, little_endian=True, enforce_file_format=False)
ds = ct_slice(CT_UID, 0, origin, dz, ps, stored[0], slope, intercept)
ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian
ds.PixelData = stored[0].astype(">i2").tobytes()
save(ds, "bigendian.dcm")
ds = ct_slice(CT_UID, 0, origin, dz, ps, stored[0], slope, intercept)
ds.compress(RLELossless, stored[0].astype(np.int16))
save(ds, "rle.dcm")
expected["slice0_stored"] = stored[0].ravel().tolist()

# --- multi-frame NM with Real World Value Mapping --------------------------------------------------
nm_frames, nm_rows, nm_cols = 4, 5, 6
nm_stored = (np.arange(nm_frames * nm_rows * nm_cols).reshape(nm_frames, nm_rows, nm_cols) * 37) % 1000
slice_vector = [3, 1, 4, 2]  # frame f holds slice slice_vector[f]


def nm_dataset(rwv):
    ds = base("NM", NM_STORAGE, generate_uid(), "SPECT Lu-177")
    ds.NumberOfFrames = nm_frames
    ds.FrameIncrementPointer = [0x00540080]
    ds.SliceVector = slice_vector
    ds.NumberOfSlices = nm_frames
    ds.EnergyWindowVector = [1] * nm_frames
    ds.Rows, ds.Columns = nm_rows, nm_cols
    ds.PixelSpacing = [4.8, 4.42]
    ds.SpacingBetweenSlices = 4.42
    ds.SliceThickness = 4.42
    det = Dataset()
    det.ImagePositionPatient = [-100.0, -80.5, -50.0]
    det.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.DetectorInformationSequence = Sequence([det])
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.AcquisitionDate = "20240103"
    ds.AcquisitionTime = "100000"
    rp = Dataset()
    rp.Radiopharmaceutical = "Lu-177 DOTATATE"
    rp.RadionuclideTotalDose = "7400"  # MBq in the NM Isotope module
    rp.RadiopharmaceuticalStartDateTime = "20240102093000"
    rp.RadionuclideHalfLife = "574300"
    code = Dataset()
    code.CodeValue = "C-145A4"
    code.CodingSchemeDesignator = "SRT"
    code.CodeMeaning = "^177^Lutetium"
    rp.RadionuclideCodeSequence = Sequence([code])
    ds.RadiopharmaceuticalInformationSequence = Sequence([rp])
    if rwv:
        item = Dataset()
        item.RealWorldValueFirstValueMapped = 0
        item.RealWorldValueLastValueMapped = 65535
        item.RealWorldValueSlope = 12.5
        item.RealWorldValueIntercept = 3.0
        item.LUTLabel = "BQML"
        unit = Dataset()
        unit.CodeValue = "Bq/ml"
        unit.CodingSchemeDesignator = "UCUM"
        unit.CodeMeaning = "Becquerels/milliliter"
        item.MeasurementUnitsCodeSequence = Sequence([unit])
        ds.RealWorldValueMappingSequence = Sequence([item])
        # Write this sequence and its item with undefined lengths (delimiters).
        ds["RealWorldValueMappingSequence"].is_undefined_length = True
        item.is_undefined_length_sequence_item = True
    ds.PixelData = nm_stored.astype("<u2").tobytes()
    return ds


nm = nm_dataset(True)
nm.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian  # VRs come from the reader's dictionary
save(nm, "nm_rwv.dcm")
save(nm_dataset(False), "nm_counts.dcm")
vol = np.zeros((nm_frames, nm_rows, nm_cols))
for f, s in enumerate(slice_vector):
    vol[s - 1] = nm_stored[f]
expected["nm"] = {"bqml": (vol * 12.5 + 3.0).ravel().tolist(), "counts": vol.ravel().tolist(),
                  "shape": [nm_cols, nm_rows, nm_frames], "spacing": [4.42, 4.8, 4.42], "origin": [-100.0, -80.5, -50.0],
                  "totalBq": 7.4e9, "injection": "2024-01-02T09:30:00Z"}

# --- PT slice series in Bq/mL (Units BQML, rescale) -------------------------------------------------
PT_UID = generate_uid()
pt_stored = (np.arange(3 * rows * cols).reshape(3, rows, cols) * 5) % 3000
for k in range(3):
    ds = ct_slice(PT_UID, k, [5.0, 6.0, 7.0], 3.27, [4.0, 4.0], pt_stored[k], 0.25 * (k + 1), 0.0, signed=False,
                  description="PET")
    ds.Modality = "PT"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.128"
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.Units = "BQML"
    ds.SeriesDate = "20240105"
    rp = Dataset()
    rp.RadionuclideTotalDose = "7400000000"  # Bq in the PET Isotope module
    rp.RadiopharmaceuticalStartTime = "083000"
    ds.RadiopharmaceuticalInformationSequence = Sequence([rp])
    save(ds, f"pt/p{2 - k}.dcm")
pt = np.stack([pt_stored[k] * 0.25 * (k + 1) for k in range(3)])
expected["pt"] = {"bqml": pt.ravel().tolist(), "totalBq": 7.4e9, "injection": "2024-01-05T08:30:00Z"}

# --- RTSTRUCT on the CT grid: a square ring (square with a square hole) and a small box --------------
def boundary(i, j, k):
    """World position of the voxel corner at continuous index (i - 0.5, j - 0.5) on slice k."""
    return [origin[0] + (i - 0.5) * ps[1], origin[1] + (j - 0.5) * ps[0], origin[2] + k * dz]


def square(i0, i1, j0, j1, k, clockwise=False):
    pts = [boundary(i0, j0, k), boundary(i1, j0, k), boundary(i1, j1, k), boundary(i0, j1, k)]
    if clockwise:
        pts.reverse()
    return [c for p in pts for c in p]


rs = base("RTSTRUCT", RTSTRUCT_STORAGE, generate_uid(), "Structures")
rs.StructureSetLabel = "RPT"
roi_defs = [(1, "Ring"), (2, "Box")]
rs.StructureSetROISequence = Sequence()
for n, name in roi_defs:
    it = Dataset()
    it.ROINumber = n
    it.ReferencedFrameOfReferenceUID = FOR
    it.ROIName = name
    it.ROIGenerationAlgorithm = "MANUAL"
    rs.StructureSetROISequence.append(it)
mask = np.zeros((nz, rows, cols), dtype=np.uint16)
contours = {1: [], 2: []}
for k in (1, 2, 3):
    contours[1].append(square(2, 9, 1, 7, k))
    contours[1].append(square(4, 6, 3, 5, k, clockwise=True))
    mask[k, 1:7, 2:9] = 1
    mask[k, 3:5, 4:6] = 0
contours[2].append(square(0, 2, 0, 2, 0))
mask[0, 0:2, 0:2] = 2
rs.ROIContourSequence = Sequence()
for n, _ in roi_defs:
    it = Dataset()
    it.ReferencedROINumber = n
    it.ContourSequence = Sequence()
    for c in contours[n]:
        cs = Dataset()
        cs.ContourGeometricType = "CLOSED_PLANAR"
        cs.NumberOfContourPoints = len(c) // 3
        cs.ContourData = [round(v, 6) for v in c]
        it.ContourSequence.append(cs)
    rs.ROIContourSequence.append(it)
save(rs, "rtstruct.dcm")
expected["rtstruct"] = {"Ring": int((mask == 1).sum()), "Box": int((mask == 2).sum()), "labels": mask.ravel().tolist()}

# --- SEG: two segments on its own grid, frames only where segments are present ---------------------
seg_rows, seg_cols = 7, 9
seg = base("SEG", SEG_STORAGE, generate_uid(), "Segmentation")
seg.SegmentationType = "BINARY"
seg.Rows, seg.Columns = seg_rows, seg_cols
seg.SamplesPerPixel = 1
seg.PhotometricInterpretation = "MONOCHROME2"
seg.BitsAllocated = 1
seg.BitsStored = 1
seg.HighBit = 0
seg.PixelRepresentation = 0
seg.SegmentSequence = Sequence()
for n, name in [(1, "Liver"), (2, "Tumour")]:
    it = Dataset()
    it.SegmentNumber = n
    it.SegmentLabel = name
    it.SegmentAlgorithmType = "MANUAL"
    seg.SegmentSequence.append(it)
shared = Dataset()
pm = Dataset()
pm.PixelSpacing = [2.0, 1.5]
pm.SliceThickness = 3.0
pm.SpacingBetweenSlices = 3.0
shared.PixelMeasuresSequence = Sequence([pm])
po = Dataset()
po.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
shared.PlaneOrientationSequence = Sequence([po])
seg.SharedFunctionalGroupsSequence = Sequence([shared])
seg_origin = [10.0, 20.0, -15.0]
frames = []  # (segment, slice, mask)
rng = np.random.default_rng(3)
seg_vol = np.zeros((4, seg_rows, seg_cols), dtype=np.uint16)
for segment, k in [(1, 0), (1, 1), (2, 3), (2, 1)]:
    m = (rng.random((seg_rows, seg_cols)) < 0.4).astype(np.uint8)
    if segment == 2 and k == 1:
        m[seg_vol[1] == 1] = 0  # keep segments disjoint so the label counts are order independent
    frames.append((segment, k, m))
    seg_vol[k][m == 1] = segment
seg.PerFrameFunctionalGroupsSequence = Sequence()
for segment, k, m in frames:
    fg = Dataset()
    pp = Dataset()
    pp.ImagePositionPatient = [seg_origin[0], seg_origin[1], seg_origin[2] + 3.0 * k]
    fg.PlanePositionSequence = Sequence([pp])
    si = Dataset()
    si.ReferencedSegmentNumber = segment
    fg.SegmentIdentificationSequence = Sequence([si])
    seg.PerFrameFunctionalGroupsSequence.append(fg)
seg.NumberOfFrames = len(frames)
seg.PixelData = pack_bits(np.stack([m for _, _, m in frames]))
save(seg, "seg.dcm")
expected["seg"] = {"Liver": int((seg_vol == 1).sum()), "Tumour": int((seg_vol == 2).sum()),
                   "shape": [seg_cols, seg_rows, 4], "spacing": [1.5, 2.0, 3.0], "origin": seg_origin,
                   "labels": seg_vol.ravel().tolist()}

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f)
