"""Writes the series-assembly and codec test inputs for RPTDicomTests (issue 16) with independent writers:
pydicom for the slices, GDCM's gdcmconv for the compressed copies, highdicom for the Enhanced CT.

Usage: python make_assembly_fixtures.py OUT_DIR
Creates the folders below OUT_DIR and OUT_DIR/expected.json (values computed here with numpy from the arrays
written, not by the Swift code):
  jitter/      8 axial slices, positions jittered by up to 0.05 mm, plus a LOCALIZER (coronal) and a DERIVED
               axial image in the same series
  enhanced/    the 8 jittered slices as one Legacy Converted Enhanced CT (highdicom)
  compressed/  slice 0 in JPEG lossless, JPEG-LS lossless, JPEG 2000 lossless, RLE and deflate (gdcmconv)
  scout/       5 axial slices and one coronal image without a LOCALIZER Image Type
  mixed/       3 axial and 3 coronal images in one series
  gap/         6 jittered slices with the 4th missing
  tilt/        6 slices of a 20 degree gantry-tilted acquisition (tilted image plane, table moving along z)
  offstack/    6 slices, one 0.3 mm off the regular stack
  uneven/      7 slices with gaps of 2.0 to 3.0 mm (median 2.5) and per-slice Rescale Intercepts; expected: the HU
               interpolated linearly (numpy.interp) onto the regular stack at the smallest gap, rounded down to
               fit the span (15 mm / ceil(15 / 2.0) = 1.875 mm, 9 slices)
  uneven_extra/ 6 slices, one gap of 1.0 mm (under half the 2.5 mm median): refused
  jpeg_baseline/ an 8-bit 64×64 slice in lossy JPEG Baseline (1.2.840.10008.1.2.4.50), encoded twice: by Pillow
               (libjpeg-turbo) and encapsulated by pydicom, and by gdcmconv --jpeg --lossy (GDCM's IJG libjpeg);
               expected: pydicom's decoding of each file (Pillow backend)
  recon/       one series with two reconstructions of the same 4 positions (kernels B30f and B70f, 4 slices each)
"""
import json
import math
import os
import shutil
import subprocess
import sys

import numpy as np
import highdicom as hd
from pydicom.uid import generate_uid

from pydicom_ct import ct_slice, save as save_in

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
STUDY, FOR = generate_uid(), generate_uid()
expected = {}
rows, cols, dz = 16, 20, 2.5
origin = [-20.0, -10.0, 50.0]
ps = [0.8, 0.6]


def ct(series, position, stored, orientation=(1, 0, 0, 0, 1, 0), image_type=("ORIGINAL", "PRIMARY", "AXIAL"), number=1,
       **attributes):
    return ct_slice(STUDY, series, FOR, position, orientation, stored, ps, dz, image_type=image_type, number=number, **attributes)


def save(ds, rel):
    return save_in(ds, OUT, rel)


def volume(n, seed):
    k_, j_, i_ = np.meshgrid(np.arange(n), np.arange(rows), np.arange(cols), indexing="ij")
    return ((i_ * 7 + j_ * 13 + k_ * 31 + seed) % 400) * 9 - 200  # stored values, some negative


def z_of(k, jitter=0.0):
    return origin[2] + k * dz + jitter


# --- jitter: 8 slices ±0.05 mm, a coronal localizer and a DERIVED image in the series ---------------------------
JITTER = [0.05, -0.05, 0.03, -0.04, 0.05, -0.05, 0.0, 0.05]
series = generate_uid()
stored = volume(8, 0)
slices = []
for k in range(8):
    ds = ct(series, [origin[0], origin[1], z_of(k, JITTER[k])], stored[k], number=k + 1)
    slices.append(ds)
    save(ds, f"jitter/s{(k * 5) % 8}.dcm")
loc = ct(series, [origin[0], origin[1] + 2.0, origin[2] + 30.0], volume(1, 3)[0][:, :4].copy(), orientation=(1, 0, 0, 0, 0, -1),
         image_type=("ORIGINAL", "PRIMARY", "LOCALIZER"), number=100)
save(loc, "jitter/localizer.dcm")
mip = ct(series, [origin[0], origin[1], origin[2] - 40.0], volume(1, 5)[0], image_type=("DERIVED", "SECONDARY", "AXIAL", "MIP"), number=101)
save(mip, "jitter/mip.dcm")
# The regular stack the jittered positions are fitted to (least squares), and the HU on it.
ks = np.arange(8)
zs = np.array([z_of(k, JITTER[k]) for k in range(8)])
slope, intercept = np.polyfit(ks, zs, 1)
expected["jitter"] = {"seriesUID": series, "shape": [cols, rows, 8], "spacing": [ps[1], ps[0], slope],
                      "origin": [origin[0], origin[1], intercept], "hu": (stored - 1024).ravel().tolist()}

# --- enhanced: the same slices as one Legacy Converted Enhanced CT (highdicom) --------------------------------
enh = hd.legacy.LegacyConvertedEnhancedCTImage(slices, series_instance_uid=generate_uid(), series_number=2,
                                               sop_instance_uid=generate_uid(), instance_number=1)
save(enh, "enhanced/enhanced_ct.dcm")
expected["enhanced"] = {"sopClassUID": str(enh.SOPClassUID), "frames": int(enh.NumberOfFrames)}

# --- compressed copies of slice 0 (gdcmconv) ------------------------------------------------------------------
gdcmconv = shutil.which("gdcmconv")
expected["compressed"] = {"available": gdcmconv is not None, "files": {}, "stored": stored[0].ravel().tolist()}
if gdcmconv:
    plain = save(slices[0], "compressed_src/plain.dcm")
    os.makedirs(os.path.join(OUT, "compressed"), exist_ok=True)
    for name, flags, uid in [("jpeg_lossless", ["--jpeg"], "1.2.840.10008.1.2.4.70"),
                             ("jpegls", ["--jpegls"], "1.2.840.10008.1.2.4.80"),
                             ("j2k", ["--j2k"], "1.2.840.10008.1.2.4.90"),
                             ("rle", ["--rle"], "1.2.840.10008.1.2.5"),
                             ("deflated", ["--deflated"], "1.2.840.10008.1.2.1.99")]:
        out = os.path.join(OUT, "compressed", name + ".dcm")
        subprocess.run([gdcmconv] + flags + [plain, out], check=True)
        expected["compressed"]["files"][name + ".dcm"] = uid

# --- scout: 5 axial slices and one coronal image without LOCALIZER --------------------------------------------
series = generate_uid()
s5 = volume(5, 11)
for k in range(5):
    save(ct(series, [origin[0], origin[1], z_of(k)], s5[k], number=k + 1), f"scout/a{k}.dcm")
save(ct(series, [origin[0], origin[1], origin[2]], volume(1, 2)[0], orientation=(1, 0, 0, 0, 0, -1), number=9), "scout/coronal.dcm")
expected["scout"] = {"shape": [cols, rows, 5], "hu": (s5 - 1024).ravel().tolist()}

# --- mixed orientations: 3 axial, 3 coronal ------------------------------------------------------------------
series = generate_uid()
for k in range(3):
    save(ct(series, [origin[0], origin[1], z_of(k)], s5[k], number=k + 1), f"mixed/ax{k}.dcm")
    save(ct(series, [origin[0], origin[1] + k * dz, origin[2]], s5[k], orientation=(1, 0, 0, 0, 0, -1), number=k + 10),
         f"mixed/cor{k}.dcm")

# --- gap: slice 3 of 6 missing ----------------------------------------------------------------------------------
series = generate_uid()
for k in [0, 1, 2, 4, 5]:
    save(ct(series, [origin[0], origin[1], z_of(k, JITTER[k])], s5[k % 5], number=k + 1), f"gap/g{k}.dcm")
expected["gap"] = {"after": "g2.dcm", "before": "g4.dcm"}

# --- gantry tilt: image plane tilted by 20 degrees about x, table moving along z --------------------------------
series = generate_uid()
tilt = math.radians(20.0)
for k in range(6):
    ds = ct(series, [origin[0], origin[1], z_of(k)], s5[k % 5], orientation=(1, 0, 0, 0, math.cos(tilt), -math.sin(tilt)),
            number=k + 1)
    ds.GantryDetectorTilt = 20.0
    save(ds, f"tilt/t{k}.dcm")
expected["tilt"] = {"degrees": 20.0}

# --- off the stack: slice 3 is 0.3 mm away from the regular stack -----------------------------------------------
series = generate_uid()
for k in range(6):
    save(ct(series, [origin[0], origin[1], z_of(k, 0.3 if k == 3 else 0.0)], s5[k % 5], number=k + 1), f"offstack/o{k}.dcm")
expected["offstack"] = {"file": "o3.dcm"}

# --- uneven spacing: gaps 2.5 2.5 2.0 2.5 3.0 2.5 mm, per-slice intercepts -------------------------------------
series = generate_uid()
zs = origin[2] + np.array([0.0, 2.5, 5.0, 7.0, 9.5, 12.5, 15.0])
intercepts = [-1024, -1000, -1024, -1010, -1024, -1000, -1024]
s7 = volume(7, 17)
for k in range(7):
    save(ct(series, [origin[0], origin[1], zs[k]], s7[k], number=k + 1, RescaleIntercept=intercepts[k],
            SeriesDescription="Abdomen uneven"), f"uneven/u{(k * 3) % 7}.dcm")
hu7 = s7 + np.array(intercepts)[:, None, None]
gaps = np.diff(zs)
n_intervals = int(math.ceil((zs[-1] - zs[0]) / gaps.min() - 1e-9))
z_new = np.linspace(zs[0], zs[-1], n_intervals + 1)
resampled = np.empty((len(z_new), rows, cols))
for j in range(rows):
    for i in range(cols):
        resampled[:, j, i] = np.interp(z_new, zs, hu7[:, j, i])
expected["uneven"] = {"shape": [cols, rows, len(z_new)], "spacing": [ps[1], ps[0], float(z_new[1] - z_new[0])],
                      "origin": [origin[0], origin[1], float(zs[0])], "hu": resampled.ravel().tolist(),
                      "gaps": sorted(set(float(g) for g in gaps))}

# --- uneven with an extra slice: a 1.0 mm gap in a 2.5 mm series ---------------------------------------------
series = generate_uid()
for k, z in enumerate([0.0, 2.5, 5.0, 6.0, 7.5, 10.0]):
    save(ct(series, [origin[0], origin[1], origin[2] + z], s5[k % 5], number=k + 1), f"uneven_extra/e{k}.dcm")
expected["uneven_extra"] = {"before": "e2.dcm", "after": "e3.dcm"}

# --- two reconstructions (kernels) of the same positions in one series ------------------------------------------
series = generate_uid()
soft, bone = volume(4, 21), volume(4, 23)
for k in range(4):
    save(ct(series, [origin[0], origin[1], z_of(k)], soft[k], number=k + 1, ConvolutionKernel="B30f",
            SeriesDescription="Abdomen 2.5 mixed", SeriesNumber=3), f"recon/soft{k}.dcm")
    save(ct(series, [origin[0], origin[1], z_of(k)], bone[k], number=k + 11, ConvolutionKernel="B70f",
            SeriesDescription="Abdomen 2.5 mixed", SeriesNumber=3), f"recon/bone{k}.dcm")
expected["recon"] = {"shape": [cols, rows, 4], "bone_hu": (bone - 1024).ravel().tolist(), "soft_hu": (soft - 1024).ravel().tolist()}

# --- lossy JPEG baseline: 8-bit slices, one encoded by Pillow, one by gdcmconv -----------------------------------
import io
from PIL import Image
from pydicom import dcmread
from pydicom.encaps import encapsulate
from pydicom.uid import JPEGBaseline8Bit
series = generate_uid()
jj, ii = np.mgrid[0:64, 0:64]
plane8 = np.clip(128 + 90 * np.sin(ii / 5.0) * np.cos(jj / 7.0) + 40 * ((ii // 16 + jj // 16) % 2), 0, 255).astype(np.uint8)
def ct8(**attributes):
    ds = ct(series, [origin[0], origin[1], origin[2]], plane8.astype(np.int16), number=1, **attributes)
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = plane8.tobytes()
    return ds
buffer = io.BytesIO()
Image.fromarray(plane8, mode="L").save(buffer, format="JPEG", quality=75)
pil = ct8()
pil.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
pil.PixelData = encapsulate([buffer.getvalue()])
pil["PixelData"].VR = "OB"
pil.LossyImageCompression, pil.LossyImageCompressionMethod = "01", "ISO_10918_1"
pil_path = save(pil, "jpeg_baseline/pillow.dcm")
expected["jpeg_baseline"] = {"files": {}, "available": gdcmconv is not None}
expected["jpeg_baseline"]["files"]["pillow.dcm"] = dcmread(pil_path).pixel_array.astype(int).ravel().tolist()
if gdcmconv:
    plain8 = save(ct8(), "jpeg_baseline_src/plain8.dcm")
    out = os.path.join(OUT, "jpeg_baseline", "gdcmconv.dcm")
    subprocess.run([gdcmconv, "--jpeg", "--lossy", "-q", "75", plain8, out], check=True)
    expected["jpeg_baseline"]["files"]["gdcmconv.dcm"] = dcmread(out).pixel_array.astype(int).ravel().tolist()
expected["jpeg_baseline"]["original"] = plane8.astype(int).ravel().tolist()

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f)
