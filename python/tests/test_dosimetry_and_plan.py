"""read_dosimetry and read_plan against h5py and json reads of a real `rptdose dosimetry` / `rptdose plan` run."""
import json

import h5py
import numpy as np

import rptdose


def test_dosimetry_folder(study):
    d = rptdose.read_dosimetry(study / "cycle-1")
    h5 = study / "cycle-1/dosimetry.h5"
    with h5py.File(h5, "r") as f:
        assert np.array_equal(d.dose.data, f["volumes/dose/data"][...])
        assert np.array_equal(d.tia.data, f["volumes/tia/data"][...]) and d.tia.unit == "Bq s"
        t = f["tables/regions"]
        names = list(t["region"].asstr()[...])
        assert list(d.regions["region"]) == names
        for column in ("mass_g", "mean_dose_gy", "combined_rel_uncertainty"):
            assert np.array_equal(d.regions[column], t[column][...], equal_nan=True)
        assert d.cycle["cycle"] == f["dosimetry"].attrs["cycle"] == 1
        assert d.red_marrow["total_dose_gy"] == f["dosimetry/red_marrow"].attrs["total_dose_gy"]
        assert set(d.fits) == set(f["fits"])
        assert np.array_equal(d.fits["liver"]["parameters"], f["fits/liver"].attrs["parameters"])
        labels = f["volumes/regions/data"][...]
        row = list(f["tables/region_labels/region"].asstr()[...]).index("liver") + 1
        assert np.array_equal(d.region_mask("liver"), labels == row)
    assert d.region_mask("liver").sum() > 0
    assert d.summary["cycle"] == 1
    with open(study / "cycle-1/regions.json") as j:
        rows = json.load(j)
    liver = next(r for r in rows if r["region"] == "liver")
    assert np.isclose(d.regions.row("liver")["mean_dose_gy"], liver["mean_dose_gy"], rtol=1e-12)
    # The acceptance line of issue 20: read_dose on a dosimetry.h5 prints a summary.
    text = repr(rptdose.read_dose(h5))
    assert "dosimetry" in text and "liver" in text


def test_plan_json_and_h5(study):
    plan = rptdose.read_plan(study / "plan.json")
    with open(study / "plan.json") as f:
        assert plan == json.load(f)
    assert rptdose.read_plan(study) == plan  # a folder means its plan.json
    h5 = rptdose.read_plan(study / "plan.h5")
    group = h5["after_cycle_1"]
    assert group["attrs"]["after_cycle"] == 1
    cycles = group["cycles"]
    assert [int(c) for c in cycles["cycle"]] == [c["cycle"] for c in plan["cycles"]]
    assert np.allclose(cycles["activity_gbq"], [c["activity_gbq"] for c in plan["cycles"]])
    assert cycles.units["activity_gbq"] == "GBq"


def test_run_plan_returns_the_plan_it_writes(study, tmp_path):
    printed = rptdose.run(["plan", study / "study/manifest.yaml", "--dosimetry", study / "cycle-1",
                           "--out", tmp_path / "plan.json"])
    assert printed == rptdose.read_plan(tmp_path / "plan.json")
    assert printed["cycles"][0]["cycle"] == 2
