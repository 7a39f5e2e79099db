"""rptdose.run: JSON commands return parsed JSON; failures raise with rptdose's message."""
import subprocess

import pytest

import rptdose


def test_json_commands(simulation):
    _, path = simulation
    info = rptdose.run(["info", path])   # --json added
    dose = rptdose.read_dose(path).dose
    volume = next(v for v in info["volumes"] if v["name"] == "/volumes/dose")
    assert tuple(volume["shape"]) == dose.shape_xyz
    assert volume["spacing_mm"] == pytest.approx(list(dose.spacing))
    lu = rptdose.run(["physics", "nuclide", "lu177", "--json"])
    assert lu["half_life_d"] == pytest.approx(6.647, abs=0.001)   # ICRP 107: Lu-177 T½ = 6.647 d


def test_other_commands_and_errors(simulation, tmp_path):
    case, _ = simulation
    done = rptdose.run(["convert", case / "ct.nii", tmp_path / "ct.h5"])
    assert isinstance(done, subprocess.CompletedProcess) and (tmp_path / "ct.h5").exists()
    assert rptdose.read_dose(tmp_path / "ct.h5", volume="image").dose.unit == "HU"
    with pytest.raises(rptdose.RPTDoseError, match="no-such-file"):
        rptdose.run(["info", tmp_path / "no-such-file.h5"])
    with pytest.raises(FileNotFoundError):
        rptdose.run(["info"], executable=str(tmp_path / "missing"))
