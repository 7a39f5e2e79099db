#!/usr/bin/env python3
"""Writes the clinical-size benchmark case (issue 18): a 512 x 512 x N int16 CT (0.98 x 0.98 x 2 mm, HU) of an
elliptical body with lungs, spine and kidneys, and a 128 x 128 x M float32 time-integrated activity map (Bq s per
voxel) over the same extent with uptake in the kidneys, liver and three lesions. Generated, never stored.

    python3 benchmarks/clinical/make-clinical-case.py OUTDIR [--slices 300]   (whole-body length: --slices 1000)
"""
import argparse
import pathlib

import nibabel as nib
import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--slices", type=int, default=300)
    a = ap.parse_args()
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    nx, ny, nz = 512, 512, a.slices
    sx, sy, sz = 0.98, 0.98, 2.0
    x = (np.arange(nx) - nx / 2 + 0.5) * sx
    y = (np.arange(ny) - ny / 2 + 0.5) * sy
    X, Y = np.meshgrid(x, y, indexing="ij")
    body = (X / 180) ** 2 + (Y / 120) ** 2 <= 1
    lungs = ((np.abs(X) - 80) / 55) ** 2 + (Y / 70) ** 2 <= 1
    spine = (X / 18) ** 2 + ((Y + 70) / 18) ** 2 <= 1
    kidneys = ((np.abs(X) - 70) / 30) ** 2 + ((Y + 40) / 35) ** 2 <= 1
    rng = np.random.default_rng(1)
    ct = np.full((nx, ny, nz), -1000, dtype=np.int16)
    for k in range(nz):
        z = k * sz
        sl = np.where(body, 40, -1000).astype(np.int16)
        if z > 0.55 * nz * sz:
            sl[lungs] = -800
        sl[spine] = 700
        if 0.3 * nz * sz < z < 0.45 * nz * sz:
            sl[kidneys] = 35
        sl += rng.integers(-15, 16, size=sl.shape, dtype=np.int16) * body
        ct[:, :, k] = sl
    aff = np.diag([-sx, -sy, sz, 1.0])  # RAS affine of an LPS-ordered grid
    aff[0, 3], aff[1, 3] = -x[0], -y[0]
    img = nib.Nifti1Image(ct, aff)
    img.header.set_xyzt_units("mm")
    nib.save(img, out / "ct.nii.gz")
    # Activity map: 4x coarser in-plane, 3x coarser along z, same extent.
    mx, my, mz = nx // 4, ny // 4, max(1, nz // 3)
    tx, ty, tz = sx * 4, sy * 4, nz * sz / mz
    xa = (np.arange(mx) - mx / 2 + 0.5) * tx
    ya = (np.arange(my) - my / 2 + 0.5) * ty
    XA, YA = np.meshgrid(xa, ya, indexing="ij")
    kid = ((np.abs(XA) - 70) / 30) ** 2 + ((YA + 40) / 35) ** 2 <= 1
    liver = ((XA + 60) / 70) ** 2 + ((YA - 10) / 60) ** 2 <= 1
    tia = np.zeros((mx, my, mz), dtype=np.float32)
    for k in range(mz):
        z = (k + 0.5) * tz
        if 0.3 * nz * sz < z < 0.45 * nz * sz:
            tia[:, :, k][kid] = 2e9
        if 0.45 * nz * sz < z < 0.55 * nz * sz:
            tia[:, :, k][liver] = 3e8
    for cx, cy, cz, r in [(30, 20, 0.5, 15), (-40, -20, 0.4, 10), (50, 40, 0.6, 20)]:
        d2 = ((XA - cx) / r) ** 2 + ((YA - cy) / r) ** 2
        for k in range(mz):
            z = (k + 0.5) * tz - cz * nz * sz
            m = d2 + (z / r) ** 2 <= 1
            tia[:, :, k][m] = 5e9
    aff2 = np.diag([-tx, -ty, tz, 1.0])
    aff2[0, 3], aff2[1, 3], aff2[2, 3] = -(x[0] - sx / 2 + tx / 2), -(y[0] - sy / 2 + ty / 2), -sz / 2 + tz / 2
    img2 = nib.Nifti1Image(tia, aff2)
    img2.header.set_xyzt_units("mm")
    nib.save(img2, out / "tia.nii.gz")
    print(f"wrote {out}/ct.nii.gz ({nx}x{ny}x{nz}) and {out}/tia.nii.gz ({mx}x{my}x{mz})")


if __name__ == "__main__":
    main()
