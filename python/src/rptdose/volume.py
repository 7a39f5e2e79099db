"""A 3-D image with its geometry: the ``/volumes/<name>`` groups of RPTDose HDF5 files."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# NIfTI's world frame is RAS, RPTDose's (DICOM, ITK) LPS: x and y change sign.
_LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])


@dataclass
class Volume:
    """One volume of an RPTDose file.

    ``data`` is indexed ``[k, j, i]`` (shape ``(nz, ny, nx)``): the order of the HDF5 dataset, of h5py and of
    ``SimpleITK.GetArrayFromImage``; ``data.transpose(2, 1, 0)`` is indexed ``[i, j, k]`` (nibabel's order).
    Geometry is in DICOM patient coordinates **LPS** (+x left, +y posterior, +z superior), millimetres.
    """

    data: np.ndarray
    """Voxel values, shape (nz, ny, nx)."""
    spacing: np.ndarray
    """Voxel size along i, j, k (x, y, z), mm."""
    origin: np.ndarray
    """LPS position of the centre of voxel (0, 0, 0), mm."""
    direction: np.ndarray
    """3×3 direction cosines: column n is the unit vector of index axis n (i, j, k) in LPS."""
    unit: str = ""
    """Unit of the values ("Gy", "Bq/mL", "HU", "label", "1" …); empty when unknown."""
    name: str = ""
    """Path of the volume in its file, e.g. "/volumes/dose"."""

    @property
    def shape_xyz(self) -> tuple:
        """(nx, ny, nz)."""
        return tuple(int(n) for n in self.data.shape[::-1])

    @property
    def affine_lps(self) -> np.ndarray:
        """4×4 matrix mapping (i, j, k, 1) to LPS millimetres: ``origin + D · (spacing ⊙ [i, j, k])``."""
        a = np.eye(4)
        a[:3, :3] = self.direction @ np.diag(self.spacing)
        a[:3, 3] = self.origin
        return a

    @property
    def affine_ras(self) -> np.ndarray:
        """4×4 matrix mapping (i, j, k, 1) to RAS millimetres (the NIfTI/nibabel world frame)."""
        return _LPS_TO_RAS @ self.affine_lps

    def world(self, i, j, k) -> np.ndarray:
        """LPS position (mm) of the centre of voxel (i, j, k); accepts arrays of indices (result shape (..., 3))."""
        ijk = np.stack(np.broadcast_arrays(np.asarray(i, float), np.asarray(j, float), np.asarray(k, float)), axis=-1)
        return ijk @ (self.direction @ np.diag(self.spacing)).T + self.origin

    def value(self, i: int, j: int, k: int):
        """Value of voxel (i, j, k)."""
        return self.data[k, j, i]

    @property
    def voxel_volume_ml(self) -> float:
        """Volume of one voxel, mL (cm³)."""
        return float(np.prod(self.spacing)) / 1000.0

    def to_nibabel(self):
        """A ``nibabel.Nifti1Image`` (data indexed [i, j, k], RAS affine). Needs nibabel."""
        import nibabel as nib

        image = nib.Nifti1Image(np.ascontiguousarray(self.data.transpose(2, 1, 0)), self.affine_ras)
        image.header.set_xyzt_units("mm")
        return image

    def to_simpleitk(self):
        """A ``SimpleITK.Image`` with this spacing, origin and direction (ITK's frame is LPS). Needs SimpleITK."""
        import SimpleITK as sitk

        image = sitk.GetImageFromArray(np.ascontiguousarray(self.data))
        image.SetSpacing([float(s) for s in self.spacing])
        image.SetOrigin([float(o) for o in self.origin])
        image.SetDirection([float(d) for d in self.direction.reshape(-1)])
        return image

    def __repr__(self) -> str:
        nx, ny, nz = self.shape_xyz
        sx, sy, sz = (float(s) for s in self.spacing)
        finite = self.data[np.isfinite(self.data)] if self.data.dtype.kind == "f" else self.data
        span = f", values {finite.min():.4g}–{finite.max():.4g}" if finite.size else ""
        unit = f" {self.unit}" if self.unit else ""
        return (f"Volume({self.name or 'unnamed'}: {nx}×{ny}×{nz} voxels of {sx:g}×{sy:g}×{sz:g} mm, "
                f"{self.data.dtype}{unit}{span}, origin LPS {np.round(self.origin, 3).tolist()} mm)")
