"""Writes RTSTRUCT and SEG test inputs with independent writers (issue 16): a CT series (pydicom), an RTSTRUCT
made by rt-utils from masks, and a DICOM SEG made by highdicom from the same masks.

Usage: python make_label_fixtures.py OUT_DIR
  ct/            8 axial slices, 24 rows × 20 columns, 0.7 mm pixels (isotropic: rt-utils 1.2.7 scales the row
                 direction by PixelSpacing[0], the row spacing, which is only right when both are equal), 2 mm apart
  rtstruct.dcm   rt-utils 1.2.7 (contours traced by OpenCV through the centres of the mask's boundary pixels)
  seg.dcm        highdicom BINARY SEG, empty frames omitted
  expected.json  {"labels": label per CT voxel (i fastest, then j, then k), "names": {...}, "counts": {...}}
The masks: "Kidney" (label 1) an ellipsoid in the left half, two islands on slice 5; "Lesion" (label 2) a ring with
a hole in the right half (slices 2–4). They do not overlap.
"""
import json
import os
import sys

import numpy as np
import highdicom as hd
from pydicom.sr.codedict import codes
from pydicom.uid import generate_uid
from rt_utils import RTStructBuilder

from pydicom_ct import ct_slice, save

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
rows, cols, nz, ps, dz = 24, 20, 8, 0.7, 2.0
origin = np.array([-10.0, -5.0, 30.0])
STUDY, SERIES, FOR = generate_uid(), generate_uid(), generate_uid()

k_, j_, i_ = np.meshgrid(np.arange(nz), np.arange(rows), np.arange(cols), indexing="ij")
kidney = ((i_ - 5.0) / 3.6) ** 2 + ((j_ - 11.0) / 7.3) ** 2 + ((k_ - 3.5) / 2.6) ** 2 <= 1.0
kidney[5] |= ((i_[5] - 5) ** 2 + (j_[5] - 21) ** 2) <= 2  # a second island on slice 5
r2 = (i_ - 14.0) ** 2 + (j_ - 12.0) ** 2
lesion = (r2 <= 16.5) & (r2 >= 3.5) & (k_ >= 2) & (k_ <= 4)
assert not (kidney & lesion).any()
labels = kidney * 1 + lesion * 2

stored = ((i_ * 7 + j_ * 13 + k_ * 31) % 300).astype(np.int16)
slices = []
for k in range(nz):
    ds = ct_slice(STUDY, SERIES, FOR, origin + [0, 0, k * dz], (1, 0, 0, 0, 1, 0), stored[k], (ps, ps), dz, number=k + 1)
    save(ds, OUT, f"ct/slice{(k * 3) % nz}.dcm")
    slices.append(ds)

# rt-utils: mask (rows, columns, slices) in the order of the series sorted by position along the normal.
rtstruct = RTStructBuilder.create_new(dicom_series_path=os.path.join(OUT, "ct"))
rtstruct.add_roi(mask=np.transpose(kidney, (1, 2, 0)), name="Kidney", color=[255, 0, 0])
rtstruct.add_roi(mask=np.transpose(lesion, (1, 2, 0)), name="Lesion", color=[0, 255, 0])
rtstruct.save(os.path.join(OUT, "rtstruct.dcm"))

# highdicom: BINARY SEG with one segment per label, frames (slices, rows, columns) on the source images.
description = [
    hd.seg.SegmentDescription(segment_number=n, segment_label=name, segmented_property_category=codes.SCT.Organ,
                              segmented_property_type=code, algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL)
    for n, name, code in [(1, "Kidney", codes.SCT.Kidney), (2, "Lesion", codes.SCT.Neoplasm)]
]
seg = hd.seg.Segmentation(source_images=slices, pixel_array=labels.astype(np.uint8),
                          segmentation_type=hd.seg.SegmentationTypeValues.BINARY, segment_descriptions=description,
                          series_instance_uid=generate_uid(), series_number=20, sop_instance_uid=generate_uid(),
                          instance_number=1, manufacturer="Independent", manufacturer_model_name="highdicom",
                          software_versions=hd.__version__, device_serial_number="1")
seg.save_as(os.path.join(OUT, "seg.dcm"))

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"labels": labels.ravel().tolist(), "names": {"1": "Kidney", "2": "Lesion"},
               "counts": {"1": int(kidney.sum()), "2": int(lesion.sum())}, "shape": [cols, rows, nz]}, f)
