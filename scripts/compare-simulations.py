#!/usr/bin/env python3
"""Exits 0 when two RPTDose simulation results hold bitwise-identical tallies and doses, 1 otherwise.

Usage: compare-simulations.py A.h5 B.h5
Compares the raw tallies (/simulation/tallies/*), the dose, uncertainty and energy volumes, the
region table and the decay count, byte for byte (independent reader: h5py).
"""
import sys
import h5py
import numpy as np

PATHS = [
    "simulation/tallies/sum", "simulation/tallies/sum_squares",
    "simulation/tallies/ledger_lo", "simulation/tallies/ledger_hi",
    "volumes/dose/data", "volumes/dose_rel_uncertainty/data", "volumes/energy_per_decay/data",
    "tables/mc_regions/mean_dose_gy", "tables/mc_regions/mc_rel_uncertainty",
]


def main(a_path, b_path):
    bad = []
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        for p in PATHS:
            if (p in a) != (p in b):
                bad.append(f"{p}: present in only one file")
                continue
            if p not in a:
                continue
            x, y = a[p][...], b[p][...]
            if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
                n = int(np.count_nonzero(x != y)) if x.shape == y.shape else -1
                bad.append(f"{p}: differs ({n} elements)")
        for attr in ["decays", "first_decay", "partial", "fingerprint"]:
            if a["simulation"].attrs[attr] != b["simulation"].attrs[attr]:
                bad.append(f"/simulation@{attr}: {a['simulation'].attrs[attr]} vs {b['simulation'].attrs[attr]}")
        if "simulation/tallies/sum" not in a:
            bad.append("simulation/tallies/sum: missing (raw tallies of format <= 1.2?)")
            nonzero = 0
        else:
            nonzero = int(np.count_nonzero(a["simulation/tallies/sum"][...]))
    if bad:
        print(f"{a_path} and {b_path} differ:\n  " + "\n  ".join(bad))
        return 1
    print(f"{a_path} and {b_path}: bitwise identical ({nonzero} tally slots with energy)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
