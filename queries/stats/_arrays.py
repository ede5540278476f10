"""Input coercion shared by the statistics modules: anything array-like becomes float arrays."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd


def as_float(values: npt.ArrayLike) -> np.ndarray:
    """Return a float array; pandas nullable values (pd.NA) become NaN rather than raising."""
    if isinstance(values, pd.Series | pd.Index):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(values, dtype=float)


def as_bool(values: npt.ArrayLike | None, shape: tuple[int, ...]) -> np.ndarray:
    """Return a boolean mask of ``shape``; missing entries (None, NaN, pd.NA) count as False."""
    if values is None:
        return np.zeros(shape, dtype=bool)
    raw = np.asarray(values, dtype=object)
    mask = np.where(pd.isna(raw), False, raw).astype(bool)
    return np.broadcast_to(mask, shape)


def as_labels(values: str | npt.ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
    """Return a string array of ``shape`` from one label or one label per element."""
    return np.broadcast_to(np.asarray(values, dtype=str), shape)
