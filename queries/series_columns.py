"""A judged series read as numpy arrays, one per column, instead of pandas rows.

The written findings, the recent-change marker and the sparkline read a series value by value
(its latest row, runs, flags); through pandas each ``.iloc`` row and each column look-up is a
few microseconds, and the area profile reads ~47 series per page. Here a frame's column is
converted once (for the profile: once per area, not once per metric) and each series is a
view of those arrays (a slice when its rows are together).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

Rows = range | np.ndarray  # positions in the frame: a range where they are together


class FrameColumns:
    """A frame's columns as numpy arrays, each converted when first asked for."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.names = frozenset(frame.columns)
        self._converted: dict[tuple[str, str], np.ndarray] = {}

    def array(self, name: str, kind: str) -> np.ndarray:
        key = (name, kind)
        if key not in self._converted:
            self._converted[key] = _convert(self.frame[name], kind)
        return self._converted[key]


def _convert(column: pd.Series, kind: str) -> np.ndarray:
    if kind == "floats":  # missing (or not a number) is NaN, as pd.to_numeric(errors="coerce")
        if is_numeric_dtype(column.dtype) or is_bool_dtype(column.dtype):
            return column.to_numpy(dtype=float, na_value=np.nan)
        return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if kind == "flags":  # missing is False
        return column.to_numpy(dtype=bool, na_value=False)
    if kind == "known":
        return column.notna().to_numpy()
    if kind == "dates":
        return pd.to_datetime(column).to_numpy()
    return column.to_numpy()  # "values": as pandas holds them (str, Timestamp, …)


class SeriesColumns:
    """Some rows of a frame (one series), column by column as arrays; absent columns are
    reported by ``in`` and read as all-False flags."""

    def __init__(self, source: FrameColumns, rows: Rows) -> None:
        self.source = source
        self.rows = rows
        self._index = slice(rows.start, rows.stop) if isinstance(rows, range) else rows

    @classmethod
    def of(cls, frame: pd.DataFrame) -> SeriesColumns:
        """Every row of ``frame``, in its order."""
        return cls(FrameColumns(frame), range(len(frame)))

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, name: str) -> bool:
        return name in self.source.names

    @property
    def empty(self) -> bool:
        return len(self.rows) == 0

    def _read(self, name: str, kind: str) -> np.ndarray:
        return self.source.array(name, kind)[self._index]

    def floats(self, name: str) -> np.ndarray:
        return self._read(name, "floats")

    def flags(self, name: str) -> np.ndarray:
        if name not in self:
            return np.zeros(len(self), dtype=bool)
        return self._read(name, "flags")

    def known(self, name: str) -> np.ndarray:
        return self._read(name, "known")

    def values(self, name: str) -> np.ndarray:
        return self._read(name, "values")

    def dates(self, name: str) -> np.ndarray:
        return self._read(name, "dates")

    def take(self, positions: slice | np.ndarray) -> SeriesColumns:
        """These rows' ``positions`` (a slice or an array of positions) as a series."""
        rows = self.rows
        if isinstance(rows, range) and not isinstance(positions, slice):
            rows = np.arange(rows.start, rows.stop)
        return SeriesColumns(self.source, rows[positions])

    def head(self, count: int) -> SeriesColumns:
        return self.take(slice(0, max(count, 0)))

    def tail(self, count: int) -> SeriesColumns:
        return self.take(slice(max(len(self) - count, 0), len(self)))

    def oldest_first(self) -> SeriesColumns:
        """The rows by period (as ``findings.oldest_first`` sorts a frame)."""
        starts = self.dates("period_start")
        if len(starts) < 2 or not (starts[1:] < starts[:-1]).any():
            return self
        return self.take(np.argsort(starts, kind="stable"))

    def frame(self) -> pd.DataFrame:
        """These rows as a frame, numbered from 0."""
        return self.source.frame.iloc[self._index].reset_index(drop=True)


def as_columns(series: pd.DataFrame | SeriesColumns) -> SeriesColumns:
    """A frame's rows as a ``SeriesColumns`` (one already is left as it is)."""
    return series if isinstance(series, SeriesColumns) else SeriesColumns.of(series)
