"""A table of an RPTDose file (``/tables/<name>``): named columns as numpy arrays, with units."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Table:
    """Columns in file order. ``table["mean_dose_gy"]`` is a numpy array (strings as ``str`` objects);
    ``table.units["mean_dose_gy"]`` its unit ("" when none)."""

    columns: dict
    units: dict = field(default_factory=dict)
    name: str = ""

    def __getitem__(self, column: str) -> np.ndarray:
        return self.columns[column]

    def __contains__(self, column: str) -> bool:
        return column in self.columns

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    @property
    def names(self) -> list:
        return list(self.columns)

    def row(self, key: str, column: str = None) -> dict:
        """The row whose first column (or ``column``) equals ``key``, as {column: value}."""
        c = self.columns[column or self.names[0]]
        hits = np.flatnonzero(c == key)
        if len(hits) != 1:
            raise KeyError(f"{self.name}: {len(hits)} rows have {column or self.names[0]} = {key!r}")
        return {n: v[hits[0]] for n, v in self.columns.items()}

    def to_pandas(self):
        """A ``pandas.DataFrame`` (needs pandas); units in ``df.attrs["units"]``."""
        import pandas as pd

        df = pd.DataFrame(self.columns)
        df.attrs["units"] = dict(self.units)
        return df

    def __repr__(self) -> str:
        cols = ", ".join(f"{n} [{self.units[n]}]" if self.units.get(n) else n for n in self.names)
        return f"Table({self.name or 'unnamed'}: {len(self)} rows; {cols})"
