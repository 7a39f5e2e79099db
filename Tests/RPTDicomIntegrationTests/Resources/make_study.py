"""Writes a tiny DICOM study with pydicom (an independent DICOM writer) for RPTDicomIntegrationTests.

Usage: python3 make_study.py OUT_DIR
  OUT_DIR/ct/          CT series, 8 slices of 10 rows x 12 columns, files in shuffled order
  OUT_DIR/spect.dcm    multi-frame NM in Bq/mL (Real World Value Mapping), same study and frame of reference
  OUT_DIR/spect_counts.dcm  the same NM without a mapping (counts)
  OUT_DIR/spect_admin.dcm   the Bq/mL NM with Decay Correction (0054,1102) = ADMIN
  OUT_DIR/spect_start.dcm   the Bq/mL NM with Decay Correction (0054,1102) = START
  OUT_DIR/rtstruct.dcm RTSTRUCT on the CT: "Ring" (a square with a square hole) and "Box"
  OUT_DIR/expected.json values computed here with numpy from the arrays written (not by the Swift code)
"""
import json
import os
import random
import sys

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

OUT = sys.argv[1]
os.makedirs(os.path.join(OUT, "ct"), exist_ok=True)
random.seed(11)
STUDY, FOR = generate_uid(), generate_uid()
NAME, PID = "Doe^Jane", "PID-12345"


def base(modality, sop_class, series_uid, description):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = generate_uid()
    ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = NAME, PID, "19600101", "F"
    ds.StudyInstanceUID, ds.StudyDate, ds.StudyTime, ds.StudyID, ds.AccessionNumber = STUDY, "20240103", "100000", "S1", "A1"
    ds.ReferringPhysicianName = ""
    ds.SeriesInstanceUID, ds.SeriesDescription, ds.Modality = series_uid, description, modality
    ds.FrameOfReferenceUID, ds.PositionReferenceIndicator = FOR, ""
    return ds


def save(ds, rel):
    ds.save_as(os.path.join(OUT, rel), enforce_file_format=True)


# --- CT ---------------------------------------------------------------------------------------------
nz, rows, cols = 8, 10, 12
origin = [-15.0, -12.0, 40.0]
ps = [2.0, 2.5]  # row spacing \ column spacing
dz = 3.0
CT_UID = generate_uid()
k_, j_, i_ = np.meshgrid(np.arange(nz), np.arange(rows), np.arange(cols), indexing="ij")
stored = ((i_ * 5 + j_ * 11 + k_ * 17) % 300) * 7 - 900
order = list(range(nz))
random.shuffle(order)
for n, k in enumerate(order):
    ds = base("CT", "1.2.840.10008.5.1.4.1.1.2", CT_UID, "CT abdomen")
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.ImagePositionPatient = [origin[0], origin[1], origin[2] + k * dz]
    ds.PixelSpacing, ds.SliceThickness = ps, dz
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.RescaleSlope, ds.RescaleIntercept = 1, -24
    ds.InstanceNumber = k + 1
    ds.PixelData = stored[k].astype("<i2").tobytes()
    save(ds, f"ct/{n:03d}.dcm")

# --- NM: 6 x 5 columns/rows, 4 slices of 6 mm, inside the CT's extent ---------------------------------
nm_frames, nm_rows, nm_cols = 4, 5, 6
nm_origin = [-12.0, -10.0, 43.0]
nm_ps = [4.0, 5.0]  # row spacing \ column spacing
nm_dz = 6.0
nm_stored = (np.arange(nm_frames * nm_rows * nm_cols).reshape(nm_frames, nm_rows, nm_cols) * 29) % 500


def nm(rwv, decay_correction=None):
    ds = base("NM", "1.2.840.10008.5.1.4.1.1.20", generate_uid(), "SPECT Lu-177 24h")
    ds.AcquisitionDateTime = "20240103100000"  # 24.5 h after the 2024-01-02 09:30 administration
    if decay_correction:
        ds.DecayCorrection = decay_correction
    ds.NumberOfFrames, ds.FrameIncrementPointer = nm_frames, [0x00540080]
    ds.SliceVector, ds.NumberOfSlices = list(range(1, nm_frames + 1)), nm_frames
    ds.EnergyWindowVector = [1] * nm_frames
    ds.Rows, ds.Columns = nm_rows, nm_cols
    ds.PixelSpacing, ds.SpacingBetweenSlices, ds.SliceThickness = nm_ps, nm_dz, nm_dz
    det = Dataset()
    det.ImagePositionPatient, det.ImageOrientationPatient = nm_origin, [1, 0, 0, 0, 1, 0]
    ds.DetectorInformationSequence = Sequence([det])
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    if rwv:
        item = Dataset()
        item.RealWorldValueFirstValueMapped, item.RealWorldValueLastValueMapped = 0, 65535
        item.RealWorldValueSlope, item.RealWorldValueIntercept = 250.0, 0.0
        unit = Dataset()
        unit.CodeValue, unit.CodingSchemeDesignator, unit.CodeMeaning = "Bq/ml", "UCUM", "Becquerels/milliliter"
        item.MeasurementUnitsCodeSequence = Sequence([unit])
        ds.RealWorldValueMappingSequence = Sequence([item])
    ds.PixelData = nm_stored.astype("<u2").tobytes()
    return ds


save(nm(True), "spect.dcm")
save(nm(False), "spect_counts.dcm")
save(nm(True, "ADMIN"), "spect_admin.dcm")
save(nm(True, "START"), "spect_start.dcm")
voxel_ml = nm_ps[0] * nm_ps[1] * nm_dz / 1000.0

# --- RTSTRUCT on the CT grid ----------------------------------------------------------------------------
def corner(i, j, k):
    return [origin[0] + (i - 0.5) * ps[1], origin[1] + (j - 0.5) * ps[0], origin[2] + k * dz]


def square(i0, i1, j0, j1, k):
    return [c for p in (corner(i0, j0, k), corner(i1, j0, k), corner(i1, j1, k), corner(i0, j1, k)) for c in p]


rs = base("RTSTRUCT", "1.2.840.10008.5.1.4.1.1.481.3", generate_uid(), "Structures")
rs.StructureSetLabel = "RPT"
rs.StructureSetROISequence = Sequence()
for n, name in [(1, "Ring"), (2, "Box")]:
    it = Dataset()
    it.ROINumber, it.ReferencedFrameOfReferenceUID, it.ROIName, it.ROIGenerationAlgorithm = n, FOR, name, "MANUAL"
    rs.StructureSetROISequence.append(it)
mask = np.zeros((nz, rows, cols), dtype=np.uint16)
contours = {1: [], 2: []}
for k in (2, 3, 4, 5):
    contours[1] += [square(1, 11, 1, 9, k), square(4, 8, 3, 6, k)]  # outer square and its hole
    mask[k, 1:9, 1:11] = 1
    mask[k, 3:6, 4:8] = 0
for k in (6, 7):
    contours[2].append(square(0, 3, 0, 2, k))
    mask[k, 0:2, 0:3] = 2
rs.ROIContourSequence = Sequence()
for n in (1, 2):
    it = Dataset()
    it.ReferencedROINumber = n
    it.ContourSequence = Sequence()
    for c in contours[n]:
        cs = Dataset()
        cs.ContourGeometricType, cs.NumberOfContourPoints, cs.ContourData = "CLOSED_PLANAR", len(c) // 3, [round(v, 6) for v in c]
        it.ContourSequence.append(cs)
    rs.ROIContourSequence.append(it)
save(rs, "rtstruct.dcm")

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({
        "patientName": NAME, "patientID": PID, "studyUID": STUDY, "forUID": FOR, "ctSeriesUID": CT_UID,
        "ct": {"shape": [cols, rows, nz], "spacing": [ps[1], ps[0], dz], "origin": origin,
               "hu": (stored - 24).ravel().tolist()},
        "nm": {"shape": [nm_cols, nm_rows, nm_frames], "spacing": [nm_ps[1], nm_ps[0], nm_dz], "origin": nm_origin,
               "bqml": (nm_stored * 250.0).ravel().tolist(), "totalBq": float((nm_stored * 250.0).sum() * voxel_ml)},
        "rtstruct": {"Ring": int((mask == 1).sum()), "Box": int((mask == 2).sum()), "labels": mask.ravel().tolist()},
    }, f)
