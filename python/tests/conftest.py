"""Fixtures: real RPTDose outputs made by the built rptdose executable (no stored files).

The executable is env RPTDOSE, else the project's .build/debug/rptdose, else .build/release/rptdose. Without
one the tests are skipped, except under CI=true, where that is a failure.
"""
import os
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def _executable():
    candidates = [os.environ.get("RPTDOSE"), PROJECT / ".build/debug/rptdose", PROJECT / ".build/release/rptdose"]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return str(c)
    message = f"no rptdose executable (set RPTDOSE or run `swift build`); looked at {candidates}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def rptdose_exe(tmp_path_factory):
    exe = _executable()
    os.environ["RPTDOSE"] = exe  # rptdose.run() finds it there
    return exe


def _run(exe, *args, cwd=None):
    subprocess.run([exe, *map(str, args)], check=True, cwd=cwd, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def simulation(rptdose_exe, tmp_path_factory):
    """A small synthetic patient and a 2000-decay Monte Carlo run of it: (case folder, dose.h5)."""
    d = tmp_path_factory.mktemp("simulation")
    case = d / "case"
    _run(rptdose_exe, "phantom", "--out", case, "--size", "46x31x32", "--voxel-mm", "8", "--format", ".nii")
    out = d / "dose.h5"
    _run(rptdose_exe, "simulate", "--ct", case / "ct.nii", "--activity", case / "tia_true.nii",
         "--regions", case / "labels.nii", "--region-names", case / "labels.csv",
         "--decays", "2000", "--seed", "3", "--threads", "2", "--quiet", "--out", out)
    return case, out


@pytest.fixture(scope="session")
def study(rptdose_exe, tmp_path_factory):
    """The demo's steps on a small study: cycle-1 dosimetry (3000 decays) and the plan. Returns the folder
    holding study/, cycle-1/ and plan.json."""
    d = tmp_path_factory.mktemp("study")
    _run(rptdose_exe, "phantom", "--out", d / "study", "--size", "48x36x36", "--voxel-mm", "8", "--format", ".nii",
         "--seed", "11")
    _run(rptdose_exe, "dosimetry", d / "study/manifest.yaml", "--cycle", "1", "--out", d / "cycle-1",
         "--decays", "3000", "--threads", "2", "--seed", "5", "--quiet")
    _run(rptdose_exe, "plan", d / "study/manifest.yaml", "--dosimetry", d / "cycle-1", "--out", d / "plan.json")
    return d
