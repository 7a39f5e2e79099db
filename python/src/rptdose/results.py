"""Readers of RPTDose outputs: dose files (simulate, merge, --method, dosimetry.h5), dosimetry folders, plans.

The layout is specified in docs/formats/hdf5.md of the RPTDose project. Readers check what a wrong file would
make silently wrong (format major version, volume geometry, dtype) and raise ``ValueError`` naming the file and
the field.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Optional

import h5py
import numpy as np

from .table import Table
from .volume import Volume

#: The layout major version these readers understand (docs/formats/hdf5.md, "Version policy").
FORMAT_MAJOR = "1"

_VOXEL_TYPES = {"uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "float32": "f4", "float64": "f8"}


def _python(value):
    """An HDF5 attribute value as plain Python/numpy: str for strings, numpy arrays of str for string arrays."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.dtype.kind in ("O", "S"):
            return np.array([v.decode("utf-8") if isinstance(v, bytes) else v for v in value.reshape(-1)], dtype=object)
        return value
    if isinstance(value, np.generic):
        return value.item()
    return value


def _attrs(obj) -> dict:
    return {k: _python(v) for k, v in obj.attrs.items()}


def _fail(path, field_name, value, reason):
    raise ValueError(f"{path}: {field_name} = {value!r}: {reason}")


def _check_format(f: h5py.File, path: str):
    version = f.attrs.get("rptdose_format_version")
    if version is None:
        return  # files written by other tools following the layout are read as far as they conform
    version = _python(version)
    if str(version).split(".")[0] != FORMAT_MAJOR:
        _fail(path, "rptdose_format_version", version, f"this reader understands layout {FORMAT_MAJOR}.x only")


def _is_volume(obj) -> bool:
    return isinstance(obj, h5py.Group) and "data" in obj and "spacing_mm" in obj.attrs


def _is_table(obj) -> bool:
    return isinstance(obj, h5py.Group) and "columns" in obj.attrs


def read_volume(group: h5py.Group, path: str = "") -> Volume:
    """The volume stored in ``group`` (a group with dataset ``data`` and attribute ``spacing_mm``)."""
    where = f"{path or group.file.filename}:{group.name}"
    data = group["data"][...]
    if data.ndim != 3:
        _fail(where, "data shape", data.shape, "a volume is 3-D")
    a = group.attrs
    spacing = np.asarray(a["spacing_mm"], dtype=float).reshape(-1)
    if spacing.shape != (3,) or not np.all(np.isfinite(spacing)) or np.any(spacing <= 0):
        _fail(where, "spacing_mm", spacing.tolist(), "three finite values > 0 (mm) expected")
    origin = np.asarray(a.get("origin_mm", [0.0, 0.0, 0.0]), dtype=float).reshape(-1)
    if origin.shape != (3,) or not np.all(np.isfinite(origin)):
        _fail(where, "origin_mm", origin.tolist(), "three finite values (mm) expected")
    direction = np.asarray(a.get("direction", np.eye(3).reshape(-1)), dtype=float).reshape(-1)
    if direction.shape != (9,):
        _fail(where, "direction", direction.tolist(), "nine values (row-major 3×3) expected")
    direction = direction.reshape(3, 3)
    if not np.allclose(direction.T @ direction, np.eye(3), atol=1e-4):
        _fail(where, "direction", direction.reshape(-1).tolist(), "not orthonormal (tolerance 1e-4)")
    if "shape_xyz" in a and [int(n) for n in a["shape_xyz"]] != list(data.shape[::-1]):
        _fail(where, "shape_xyz", [int(n) for n in a["shape_xyz"]], f"data has shape (z, y, x) = {data.shape}")
    if "voxel_type" in a:
        vt = _python(a["voxel_type"])
        if vt not in _VOXEL_TYPES or np.dtype(_VOXEL_TYPES[vt]) != data.dtype.newbyteorder("<"):
            _fail(where, "voxel_type", vt, f"data is {data.dtype}")
    if "coordinate_system" in a and _python(a["coordinate_system"]) != "LPS":
        _fail(where, "coordinate_system", _python(a["coordinate_system"]), "only LPS is defined")
    return Volume(data=data, spacing=spacing, origin=origin, direction=direction,
                  unit=str(_python(a.get("unit", ""))), name=group.name)


def read_table(group: h5py.Group) -> Table:
    """The table stored in ``group`` (attribute ``columns``, one 1-D dataset per column)."""
    columns, units = {}, {}
    for name in _python(group.attrs["columns"]):
        ds = group[name]
        if h5py.check_string_dtype(ds.dtype) is not None:
            columns[name] = np.array(ds.asstr()[...], dtype=object)
        else:
            columns[name] = ds[...]
        units[name] = str(_python(ds.attrs.get("unit", "")))
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        _fail(f"{group.file.filename}:{group.name}", "column lengths", sorted(lengths), "columns differ in length")
    return Table(columns=columns, units=units, name=group.name)


def _collect(f: h5py.File, test, read) -> dict:
    """Every object under the file satisfying ``test``, keyed by its name relative to /volumes or /tables
    ("dose", "regions") or by its full path elsewhere."""
    found = {}

    def visit(name, obj):
        if test(obj):
            key = name.split("/", 1)[1] if name.startswith(("volumes/", "tables/")) else "/" + name
            found[key] = read(obj)

    f.visititems(visit)
    return found


def _settings(group) -> dict:
    keys, values = group.attrs.get("settings_keys"), group.attrs.get("settings_values")
    if keys is None or values is None:
        return {}
    return dict(zip(_python(keys), _python(values)))


@dataclass
class DoseResult:
    """An RPTDose dose file: ``simulate`` / ``merge`` output, a kernel-method result or ``dosimetry.h5``."""

    path: str
    dose: Volume
    """Absorbed dose to medium (Gy)."""
    uncertainty: Optional[Volume]
    """Relative standard uncertainty per voxel (1σ; 0 where no energy), or None (ldm, vsv, vsv-density)."""
    regions: Optional[Table]
    """Region table: ``/tables/regions`` (dosimetry) or ``/tables/mc_regions`` (simulate), or None."""
    volumes: dict = field(default_factory=dict)
    """Every volume of the file by name ("dose", "tia", …)."""
    tables: dict = field(default_factory=dict)
    """Every table of the file by name ("regions", "dvh", …)."""
    attrs: dict = field(default_factory=dict)
    """Root attributes: software_version, git_commit, build_date, hdf5_version, command_line, created_utc …"""
    provenance: dict = field(default_factory=dict)
    """Attributes of ``/provenance`` (command line, seed, settings)."""
    simulation: dict = field(default_factory=dict)
    """Attributes of ``/simulation`` (Monte Carlo results: decays, seed, fingerprint …; settings as a dict)."""

    kind: str = "dose"
    """"dosimetry", "simulation" (Monte Carlo), "dose-method" (ldm, vsv, vsv-density, organ-s) or "dose"."""

    def __repr__(self) -> str:
        lines = [f"RPTDose {self.kind} result {self.path}",
                 f"  written by RPTDose {self.attrs.get('software_version', '?')} "
                 f"(commit {self.attrs.get('git_commit', '?')}, built {self.attrs.get('build_date', '?')}, "
                 f"HDF5 {self.attrs.get('hdf5_version', '?')})",
                 f"  dose: {self.dose!r}"]
        if self.uncertainty is not None:
            lines.append(f"  uncertainty: {self.uncertainty!r}")
        if self.regions is not None and "region" in self.regions and "mean_dose_gy" in self.regions:
            lines.append(f"  {len(self.regions)} regions, mean dose (Gy):")
            for name, d in zip(self.regions["region"], self.regions["mean_dose_gy"]):
                lines.append(f"    {name:<24} {d:.4g}")
        return "\n".join(lines)


def read_dose(path: str, volume: str = "dose") -> DoseResult:
    """Reads an RPTDose dose file (``simulate``/``merge`` output, ``--method`` result, ``dosimetry.h5``, or a
    ``compare`` or ``kernel`` file with ``volume=`` naming the volume to expose as ``dose``)."""
    path = os.fspath(path)
    with h5py.File(path, "r") as f:
        _check_format(f, path)
        volumes = _collect(f, _is_volume, read_volume)
        tables = _collect(f, _is_table, read_table)
        if volume not in volumes:
            _fail(path, "volume", volume, f"no such volume; the file has {sorted(volumes)}")
        dose = volumes[volume]
        simulation = {}
        if "simulation" in f:
            simulation = _attrs(f["simulation"])
            simulation["settings"] = _settings(f["simulation"])
        kind = "dosimetry" if "dosimetry" in f else "simulation" if "simulation" in f \
            else "dose-method" if "dose_method" in f else "dose"
        result = DoseResult(
            path=path, dose=dose,
            uncertainty=volumes.get(volume + "_rel_uncertainty"),
            regions=tables.get("regions", tables.get("mc_regions")),
            volumes=volumes, tables=tables, attrs=_attrs(f),
            provenance=_attrs(f["provenance"]) if "provenance" in f else {},
            simulation=simulation, kind=kind)
    return result


@dataclass
class Dosimetry:
    """The output folder of ``rptdose dosimetry`` for one cycle (``dosimetry.h5`` and its JSON files)."""

    path: str
    result: DoseResult
    """``dosimetry.h5`` read by ``read_dose``: dose, uncertainty, regions table and every volume and table."""
    cycle: dict
    """Attributes of ``/dosimetry``: cycle, administered_activity_gbq, kidney dose per GBq, notes …"""
    red_marrow: dict
    """Attributes of ``/dosimetry/red_marrow`` (self, cross and total dose, Gy …)."""
    fits: dict
    """Time–activity fit of each region (attributes of ``/fits/<region>``)."""
    summary: Optional[dict]
    """``summary.json`` when present."""

    @property
    def dose(self) -> Volume:
        return self.result.dose

    @property
    def uncertainty(self) -> Optional[Volume]:
        return self.result.uncertainty

    @property
    def regions(self) -> Table:
        return self.result.regions

    @property
    def tia(self) -> Volume:
        """The transport source: time-integrated activity per voxel (Bq·s)."""
        return self.result.volumes["tia"]

    @property
    def label_map(self) -> Volume:
        """Region number per voxel: 0 = unlabelled, n = row n of ``region_labels`` (1-based)."""
        return self.result.volumes["regions"]

    @property
    def region_labels(self) -> Table:
        return self.result.tables["region_labels"]

    def region_mask(self, name: str) -> np.ndarray:
        """Boolean mask (nz, ny, nx) of the voxels of region ``name``."""
        names = list(self.region_labels["region"])
        if name not in names:
            raise KeyError(f"{self.path}: no region {name!r}; regions are {names}")
        return self.label_map.data == names.index(name) + 1

    def __repr__(self) -> str:
        c = self.cycle
        head = (f"RPTDose dosimetry, cycle {c.get('cycle', '?')}, {c.get('administered_activity_gbq', float('nan')):.3g} GBq "
                f"({self.path})")
        return head + "\n" + "\n".join(repr(self.result).split("\n")[1:])


def read_dosimetry(path: str) -> Dosimetry:
    """Reads the output folder of ``rptdose dosimetry`` (or its ``dosimetry.h5``)."""
    path = os.fspath(path)
    folder = path if os.path.isdir(path) else os.path.dirname(path) or "."
    h5 = os.path.join(path, "dosimetry.h5") if os.path.isdir(path) else path
    if not os.path.exists(h5):
        raise FileNotFoundError(f"{h5}: no dosimetry.h5 (the output folder of `rptdose dosimetry` holds one)")
    result = read_dose(h5)
    with h5py.File(h5, "r") as f:
        if "dosimetry" not in f:
            _fail(h5, "/dosimetry", None, "not a dosimetry result (written by `rptdose dosimetry`)")
        cycle = _attrs(f["dosimetry"])
        marrow = _attrs(f["dosimetry/red_marrow"]) if "dosimetry/red_marrow" in f else {}
        fits = {name: _attrs(g) for name, g in f["fits"].items()} if "fits" in f else {}
    summary_path = os.path.join(folder, "summary.json")
    summary = None
    if os.path.exists(summary_path):
        with open(summary_path, encoding="utf-8") as s:
            summary = json.load(s)
    return Dosimetry(path=folder, result=result, cycle=cycle, red_marrow=marrow, fits=fits, summary=summary)


def read_plan(path: str):
    """Reads a treatment plan: ``plan.json`` (a dict, as written by ``rptdose plan``; a folder means its
    ``plan.json``), or ``plan.h5`` (a dict ``{"after_cycle_K": {"attrs": …, "cycles": Table, "given": Table,
    "tumour_doses": Table}}``, one entry per planning time)."""
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, "plan.json")
    if path.endswith((".h5", ".hdf5")):
        plans = {}
        with h5py.File(path, "r") as f:
            _check_format(f, path)
            if "plans" not in f:
                _fail(path, "/plans", None, "not a plan file (written by `rptdose plan`)")
            for name, g in f["plans"].items():
                entry = {"attrs": _attrs(g)}
                for t in g:
                    if _is_table(g[t]):
                        entry[t] = read_table(g[t])
                plans[name] = entry
        return plans
    with open(path, encoding="utf-8") as f:
        plan = json.load(f)
    if not isinstance(plan, dict) or "cycles" not in plan:
        _fail(path, "cycles", None, "not a plan.json written by `rptdose plan` (no 'cycles')")
    return plan
