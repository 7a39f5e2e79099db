"""Lists the greyscale CT, MR, NM, PT and RT Dose images of pydicom's bundled test corpus (files real scanners and
other toolkits wrote, in many transfer syntaxes) with pydicom's own decoding, for RPTDicomTests (issue 16).

Usage: python pydicom_corpus.py
Prints JSON {"files": [{"path", "name", "transferSyntax", "lossy", "frames", "rows", "columns", "stored",
"ipp", "iop", "pixelSpacing"}], "undecodable": [{"name", "transferSyntax", "error"}]}: `stored` is pydicom's
pixel array (stored values, no rescale), flattened frame by frame, row by row. Only the files bundled with the
pydicom package are used (no download).
"""
import json
import os

import numpy as np
import pydicom

FOLDER = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91"}
out, undecodable = [], []
for name in sorted(os.listdir(FOLDER)):
    path = os.path.join(FOLDER, name)
    if not name.endswith(".dcm") or os.path.getsize(path) > 2_000_000:
        continue
    try:
        ds = pydicom.dcmread(path)
    except Exception:
        continue
    if ds.get("Modality") not in ("CT", "MR", "NM", "PT", "RTDOSE") or "PixelData" not in ds:
        continue
    if ds.get("SamplesPerPixel", 1) != 1 or ds.get("BitsAllocated") not in (8, 16, 32):
        continue
    ts = str(ds.file_meta.TransferSyntaxUID) if "TransferSyntaxUID" in ds.get("file_meta", {}) else ""
    try:
        arr = ds.pixel_array
    except Exception as e:  # no decoder plugin installed for this syntax
        undecodable.append({"name": name, "transferSyntax": ts, "error": str(e).splitlines()[0][:200]})
        continue
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    out.append({
        "path": path, "name": name, "transferSyntax": ts, "lossy": ts in LOSSY, "frames": frames,
        "rows": int(ds.Rows), "columns": int(ds.Columns),
        "stored": np.asarray(arr).reshape(-1).astype(np.float64).tolist(),
        "ipp": [float(v) for v in ds.get("ImagePositionPatient", [])],
        "iop": [float(v) for v in ds.get("ImageOrientationPatient", [])],
        "pixelSpacing": [float(v) for v in ds.get("PixelSpacing", [])],
    })
print(json.dumps({"files": out, "undecodable": undecodable}))
