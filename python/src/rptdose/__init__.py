"""Read RPTDose outputs into numpy arrays and run the ``rptdose`` command from Python.

>>> import rptdose
>>> d = rptdose.read_dose("demo-output/cycle-1/dosimetry.h5")
>>> d.dose.data.shape, d.dose.unit          # (nz, ny, nx), "Gy"
>>> d.regions["mean_dose_gy"]              # per-region table columns as numpy arrays
>>> rptdose.run(["physics", "nuclide", "lu177"])["half_life_d"]

The file layout is specified in docs/formats/hdf5.md of the RPTDose project.
"""
from .volume import Volume
from .table import Table
from .results import DoseResult, Dosimetry, read_dose, read_dosimetry, read_plan, read_volume, read_table
from .command import RPTDoseError, run, version, find_executable

__all__ = [
    "Volume", "Table", "DoseResult", "Dosimetry",
    "read_dose", "read_dosimetry", "read_plan", "read_volume", "read_table",
    "RPTDoseError", "run", "version", "find_executable",
]
__version__ = "0.1.0"
