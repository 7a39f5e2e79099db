"""read_dose against plain h5py reads of real rptdose outputs, and the geometry against nibabel and SimpleITK
reading rptdose's own NIfTI/MetaImage exports (independent readers, RAS vs LPS)."""
import subprocess

import h5py
import numpy as np
import pytest

import rptdose


def test_simulation_result_matches_h5py(simulation):
    _, path = simulation
    r = rptdose.read_dose(path)
    assert r.kind == "simulation"
    with h5py.File(path, "r") as f:
        for name in ("dose", "dose_rel_uncertainty", "energy_per_decay"):
            g = f["volumes/" + name]
            v = r.volumes[name]
            assert v.data.dtype == g["data"].dtype
            assert np.array_equal(v.data, g["data"][...])
            assert np.array_equal(v.spacing, g.attrs["spacing_mm"])
            assert np.array_equal(v.origin, g.attrs["origin_mm"])
            assert np.array_equal(v.direction.reshape(-1), g.attrs["direction"])
            assert v.unit == g.attrs["unit"]
        assert r.dose is r.volumes["dose"] and r.dose.unit == "Gy"
        assert r.uncertainty is r.volumes["dose_rel_uncertainty"]
        t = f["tables/mc_regions"]
        assert r.regions.names == list(t.attrs["columns"])
        assert list(r.regions["region"]) == list(t["region"].asstr()[...])
        assert np.array_equal(r.regions["mean_dose_gy"], t["mean_dose_gy"][...])
        assert r.regions.units["mean_dose_gy"] == t["mean_dose_gy"].attrs["unit"] == "Gy"
        assert r.simulation["decays"] == f["simulation"].attrs["decays"] == 2000
        assert r.simulation["settings"]["software_version"] == "0.1.0"
    # The value at one voxel, addressed (i, j, k) as the format defines.
    i, j, k = np.unravel_index(np.argmax(r.dose.data), r.dose.data.shape)[::-1]
    assert r.dose.value(i, j, k) == r.dose.data.max()


def test_provenance_is_the_binary_s_version(simulation, rptdose_exe):
    r = rptdose.read_dose(simulation[1])
    v = rptdose.version()
    assert r.attrs["git_commit"] == v["git_commit"] == r.simulation["settings"]["git_commit"]
    assert r.attrs["build_date"] == v["build_date"]
    assert r.attrs["hdf5_version"] == v["hdf5"]
    assert r.attrs["software_version"] == v["version"]
    assert "rptdose" in repr(r).lower() and "Gy" in repr(r)


def test_nibabel_image_matches_rptdose_nifti_export(simulation, rptdose_exe, tmp_path):
    nib = pytest.importorskip("nibabel")
    _, path = simulation
    dose = rptdose.read_dose(path).dose
    nii = tmp_path / "dose.nii"
    subprocess.run([rptdose_exe, "export", str(path), "--nifti", str(nii)], check=True, stdout=subprocess.DEVNULL)
    exported = nib.load(str(nii))
    ours = dose.to_nibabel()
    assert np.allclose(ours.affine, exported.affine, atol=1e-4)
    assert np.array_equal(np.asarray(ours.dataobj), np.asarray(exported.dataobj))
    # RAS: x and y of the LPS position change sign.
    ijk = np.array([3, 5, 7, 1.0])
    lps = dose.world(3, 5, 7)
    assert np.allclose(exported.affine @ ijk, [-lps[0], -lps[1], lps[2], 1], atol=1e-4)


def test_simpleitk_image_matches_rptdose_metaimage_export(simulation, rptdose_exe, tmp_path):
    sitk = pytest.importorskip("SimpleITK")
    _, path = simulation
    dose = rptdose.read_dose(path).dose
    mha = tmp_path / "dose.mha"
    subprocess.run([rptdose_exe, "export", str(path), "--mhd", str(mha)], check=True, stdout=subprocess.DEVNULL)
    exported = sitk.ReadImage(str(mha))
    ours = dose.to_simpleitk()
    assert np.allclose(ours.GetOrigin(), exported.GetOrigin(), atol=1e-4)
    assert np.allclose(ours.GetSpacing(), exported.GetSpacing(), atol=1e-6)
    assert np.allclose(ours.GetDirection(), exported.GetDirection(), atol=1e-9)
    assert np.array_equal(sitk.GetArrayFromImage(ours), sitk.GetArrayFromImage(exported))
    for ijk in [(0, 0, 0), (3, 5, 7), (10, 2, 30)]:
        assert np.allclose(exported.TransformIndexToPhysicalPoint(ijk), dose.world(*ijk), atol=1e-4)


def _write_rotated(path):
    """A volume written with h5py by the specification alone: rotated axes, off-centre origin."""
    c, s = np.cos(0.3), np.sin(0.3)
    direction = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]]) @ np.array([[1, 0, 0], [0, 0, -1], [0, 1, 0.0]])
    data = np.arange(4 * 5 * 6, dtype=np.float32).reshape(6, 5, 4)  # (nz, ny, nx)
    with h5py.File(path, "w") as f:
        g = f.create_group("volumes/activity")
        g.create_dataset("data", data=data)
        g.attrs["spacing_mm"] = [2.0, 3.0, 4.0]
        g.attrs["origin_mm"] = [-10.0, 20.0, 35.0]
        g.attrs["direction"] = direction.reshape(-1)
        g.attrs["unit"] = "Bq/mL"
    return data, direction


def test_rotated_geometry_against_simpleitk_and_nibabel(rptdose_exe, tmp_path):
    sitk = pytest.importorskip("SimpleITK")
    nib = pytest.importorskip("nibabel")
    path = tmp_path / "rotated.h5"
    data, direction = _write_rotated(path)
    r = rptdose.read_dose(path, volume="activity")
    v = r.dose
    assert v.unit == "Bq/mL" and v.shape_xyz == (4, 5, 6)
    i, j, k = 3, 1, 4
    expected = np.array([-10.0, 20.0, 35.0]) + direction @ (np.array([2.0, 3.0, 4.0]) * [i, j, k])
    assert np.allclose(v.world(i, j, k), expected)
    assert v.value(i, j, k) == data[k, j, i]
    image = v.to_simpleitk()
    assert np.allclose(image.TransformIndexToPhysicalPoint((i, j, k)), expected)
    assert image.GetPixel(i, j, k) == data[k, j, i]
    # rptdose's own converters (independent code) agree on both frames.
    subprocess.run([rptdose_exe, "convert", str(path), str(tmp_path / "r.nii"), "--volume", "activity"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([rptdose_exe, "convert", str(path), str(tmp_path / "r.mha"), "--volume", "activity"], check=True,
                   stdout=subprocess.DEVNULL)
    assert np.allclose(nib.load(str(tmp_path / "r.nii")).affine, v.to_nibabel().affine, atol=1e-4)
    mha = sitk.ReadImage(str(tmp_path / "r.mha"))
    assert np.allclose(mha.TransformIndexToPhysicalPoint((i, j, k)), expected, atol=1e-4)


def test_wrong_files_are_refused(tmp_path):
    path = tmp_path / "bad.h5"
    _write_rotated(path)
    with h5py.File(path, "a") as f:
        f["volumes/activity"].attrs["direction"] = [1.0, 0, 0, 0, 2.0, 0, 0, 0, 1]
    with pytest.raises(ValueError, match="direction"):
        rptdose.read_dose(path, volume="activity")
    with h5py.File(path, "a") as f:
        f["volumes/activity"].attrs["direction"] = np.eye(3).reshape(-1)
        f["volumes/activity"].attrs["spacing_mm"] = [1.0, 0.0, 1.0]
    with pytest.raises(ValueError, match="spacing_mm"):
        rptdose.read_dose(path, volume="activity")
    with h5py.File(path, "a") as f:
        f["volumes/activity"].attrs["spacing_mm"] = [1.0, 1.0, 1.0]
        f.attrs["rptdose_format_version"] = "2.0"
    with pytest.raises(ValueError, match="rptdose_format_version"):
        rptdose.read_dose(path, volume="activity")
    with h5py.File(path, "a") as f:
        f.attrs["rptdose_format_version"] = "1.2"
    with pytest.raises(ValueError, match="no such volume"):
        rptdose.read_dose(path)
