"""Exports a NIfTI CT (the synthetic patient's) as DICOM the way real scanners deliver it, for the end-to-end
test of issue 16, with independent writers: pydicom (slices), gdcmconv (compression), highdicom (Enhanced CT).

Usage: python ct_nifti_to_dicom.py CT.nii OUT_DIR
  OUT_DIR/ct_scanner/   CT Image Storage slices with slice positions jittered by up to 0.05 mm, a coronal
                        LOCALIZER in the same series, and the slices compressed in turn with lossless JPEG,
                        JPEG-LS, JPEG 2000, RLE and deflate (two slices each; the others uncompressed)
  OUT_DIR/ct_enhanced/  the unjittered slices as one Legacy Converted Enhanced CT (highdicom)
  OUT_DIR/ct_tilted/    the slices as a 12 degree gantry-tilted acquisition (must be refused)
  OUT_DIR/ct_uneven/    the slices with every 3rd one (k = 1, 4, 7, …) reconstructed a quarter slice further along
                        (HU interpolated linearly between slices k and k+1): gaps of 1.25 and 0.75 × the spacing
  OUT_DIR/expected.json {"compressed": {transfer syntax UID: slice count}, "slices": n}
"""
import json
import math
import os
import shutil
import subprocess
import sys

import highdicom as hd
import nibabel as nib
import numpy as np
from pydicom.uid import generate_uid

# The CT slice writer shared with RPTDicomTests' fixture scripts.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "RPTDicomTests", "Resources"))
from pydicom_ct import ct_slice as pydicom_ct_slice, save as save_in  # noqa: E402

SRC, OUT = sys.argv[1], sys.argv[2]
os.makedirs(OUT, exist_ok=True)
image = nib.load(SRC)
hu = np.rint(image.get_fdata()).astype(np.int32)  # (i, j, k)
lps = np.diag([-1.0, -1.0, 1.0, 1.0]) @ image.affine  # NIfTI is RAS; DICOM is LPS
spacing = np.linalg.norm(lps[:3, :3], axis=0)
row_dir, col_dir = lps[:3, 0] / spacing[0], lps[:3, 1] / spacing[1]
nx, ny, nz = hu.shape
STUDY, FOR = generate_uid(), generate_uid()
JITTER = [0.05, -0.05, 0.03, -0.04, 0.0, 0.05, -0.02]


def ct_slice(series, k, position, orientation, image_type=("ORIGINAL", "PRIMARY", "AXIAL"), pixels=None):
    plane = (hu[:, :, k].T if pixels is None else pixels) + 1024  # rows = j, columns = i
    return pydicom_ct_slice(STUDY, series, FOR, position, orientation, plane, (spacing[1], spacing[0]), spacing[2],
                            image_type=image_type, number=k + 1, patient=("Synthetic^Patient", "SYN-1", "O"), date="20250101")


def save(ds, rel):
    return save_in(ds, OUT, rel)


def position(k, jitter=0.0):
    return lps[:3, :3] @ np.array([0.0, 0.0, k]) + lps[:3, 3] + np.cross(row_dir, col_dir) * jitter


orientation = list(row_dir) + list(col_dir)
gdcmconv = shutil.which("gdcmconv")
if gdcmconv is None:
    sys.exit("gdcmconv (Debian libgdcm-tools) is needed to write the compressed slices")
codecs = [("--jpeg", "1.2.840.10008.1.2.4.70"), ("--jpegls", "1.2.840.10008.1.2.4.80"), ("--j2k", "1.2.840.10008.1.2.4.90"),
          ("--rle", "1.2.840.10008.1.2.5"), ("--deflated", "1.2.840.10008.1.2.1.99"), (None, "1.2.840.10008.1.2.1")]
compressed = {}
series = generate_uid()
plain = []
for k in range(nz):
    ds = ct_slice(series, k, position(k, JITTER[k % len(JITTER)]), orientation)
    flag, uid = codecs[k % len(codecs)] if k < 2 * len(codecs) else codecs[-1]  # two slices per codec, then plain
    path = save(ds, f"ct_scanner/slice{k:03d}.dcm")
    if flag:
        tmp = path + ".tmp"
        subprocess.run([gdcmconv, flag, path, tmp], check=True)
        os.replace(tmp, path)
    compressed[uid] = compressed.get(uid, 0) + 1
    plain.append(ct_slice(series, k, position(k), orientation))
localizer = ct_slice(series, 0, position(0) + np.array([0.0, 0.0, 40.0]), [1, 0, 0, 0, 0, -1],
                     image_type=("ORIGINAL", "PRIMARY", "LOCALIZER"), pixels=hu[:, ny // 2, :].T[::-1].copy())
save(localizer, "ct_scanner/localizer.dcm")

enhanced = hd.legacy.LegacyConvertedEnhancedCTImage(plain, series_instance_uid=generate_uid(), series_number=2,
                                                    sop_instance_uid=generate_uid(), instance_number=1)
save(enhanced, "ct_enhanced/enhanced.dcm")

tilt = math.radians(12.0)
tilted_col = np.array(col_dir) * math.cos(tilt) - np.cross(row_dir, col_dir) * math.sin(tilt)
tilted_series = generate_uid()
for k in range(nz):
    ds = ct_slice(tilted_series, k, position(k), list(row_dir) + list(tilted_col))
    ds.GantryDetectorTilt = 12.0
    save(ds, f"ct_tilted/slice{k:03d}.dcm")

uneven_series = generate_uid()
for k in range(nz):
    shift = 0.25 if k % 3 == 1 and k + 1 < nz else 0.0
    pixels = None
    if shift:
        pixels = np.rint((1 - shift) * hu[:, :, k].T + shift * hu[:, :, k + 1].T).astype(np.int32)
    ds = ct_slice(uneven_series, k, lps[:3, :3] @ np.array([0.0, 0.0, k + shift]) + lps[:3, 3], orientation, pixels=pixels)
    save(ds, f"ct_uneven/slice{k:03d}.dcm")

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"compressed": compressed, "slices": nz}, f)
