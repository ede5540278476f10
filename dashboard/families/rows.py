"""A family chart's rows, picked from a frame that holds many councils' rows (the page's
look-up): positions are chosen with numpy and the rows taken once, because every pandas
filter or sort of that wide frame copies all of its columns."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd


def chart_rows(
    frame: pd.DataFrame,
    rows: np.ndarray,
    *,
    values: tuple[str, ...] = (),
    period_from: date | None = None,
    period_to: date | None = None,
) -> pd.DataFrame:
    """Of ``frame``'s rows at ``rows``, those within the period range and, when ``values``
    are given, of those breakdown values in that order, each value's oldest first (a stable
    sort, as pandas sorts on two columns); numbered from 0."""
    starts = at(frame, "period_start", rows)
    keep = np.ones(len(starts), dtype=bool)
    if period_from:
        keep &= starts >= period_from
    if period_to:
        keep &= starts <= period_to
    rows, starts = rows[keep], starts[keep]
    if values:
        order = {value: index for index, value in enumerate(values)}
        codes = at(frame, "breakdown_value", rows)
        rank = np.fromiter((order.get(code, -1) for code in codes), np.intp, len(codes))
        rows, starts, rank = rows[rank >= 0], starts[rank >= 0], rank[rank >= 0]
        days = np.fromiter((start.toordinal() for start in starts), np.int64, len(starts))
        rows = rows[np.lexsort((days, rank))]
    return frame.take(rows).reset_index(drop=True)


def at(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    """A column's values at ``rows``, converting only those (a look-up column holds every
    council's: converting it whole cost milliseconds per chart)."""
    return np.asarray(frame[column].array[rows])
