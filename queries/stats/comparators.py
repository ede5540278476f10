"""Comparator-group statistics: the peers' mean, pooled value, spread and the area's rank.

The published convention is the unweighted mean of the peers' values; the pooled value
(Σ numerators ÷ Σ denominators × multiplier) is the option. Missing or suppressed peers are
counted (``n_contributing`` of ``n_expected``), never dropped silently.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from queries.stats._arrays import as_float

METHODS = ("mean", "pooled")
SUMMARY_COLUMNS = (
    "comparator_value",
    "comparator_mean",
    "comparator_pooled",
    "peer_min",
    "peer_q1",
    "peer_median",
    "peer_q3",
    "peer_max",
    "n_contributing",
    "n_expected",
    "area_value",
    "area_rank",
    "n_ranked",
)


def rank_among(
    area_value: float | npt.ArrayLike,
    peer_values: npt.ArrayLike,
    *,
    polarity: str | None = None,
) -> float | np.ndarray:
    """Competition rank of the area among itself and its peers; 1 = highest value.

    With a ``polarity`` the rank is polarity-aware instead: 1 = best (lowest value for
    ``lower_is_better``), NaN for ``context``, which has no best. Ties share the better rank;
    missing peers are not ranked. A scalar area with 1-D peers gives a float; an array of areas
    (one per period) with a 2-D peer matrix gives an array.
    """
    scalar = np.ndim(area_value) == 0
    area = np.atleast_1d(as_float(area_value))
    peers = np.atleast_2d(as_float(peer_values))
    if polarity in (None, "higher_is_better"):
        rank = 1.0 + np.sum(peers > area[:, None], axis=1)
    elif polarity == "lower_is_better":
        rank = 1.0 + np.sum(peers < area[:, None], axis=1)
    elif polarity == "context":
        rank = np.full(len(area), np.nan)
    else:
        raise ValueError(f"unknown polarity {polarity!r}")
    rank = np.where(np.isnan(area), np.nan, rank)
    return float(rank[0]) if scalar else rank


def best_rank(
    area_value: float | npt.ArrayLike, peer_values: npt.ArrayLike, polarity: str
) -> float | np.ndarray:
    """Rank where 1 = best given the metric's polarity; NaN for context metrics."""
    return rank_among(area_value, peer_values, polarity=polarity)


def aggregate_peers(
    peers: pd.DataFrame,
    *,
    area_value: float = np.nan,
    expected: int | None = None,
    method: str = "mean",
    multiplier: float = 100.0,
    polarity: str | None = None,
) -> pd.Series:
    """Summarise one period's peers (columns ``value``, optionally ``numerator``,
    ``denominator``, ``suppressed``; one row per peer).

    ``expected`` is the size of the comparator group (e.g. 15); peers absent from ``peers`` are
    counted as missing. ``area_rank`` is 1 for the highest value; pass ``polarity`` to add
    ``area_best_rank`` (1 = best).
    """
    if "value" not in peers:
        raise ValueError("peers lacks a value column")
    size = len(peers) if expected is None else expected
    if size < len(peers):
        raise ValueError(f"{len(peers)} peer rows but only {size} peers expected")
    data = _mask_suppressed(peers)

    def padded(column: str) -> np.ndarray | None:
        if column not in data:
            return None
        column_values = as_float(data[column])
        return np.concatenate([column_values, np.full(size - len(data), np.nan)])[None, :]

    summary = _summarise(
        padded("value"),
        padded("numerator"),
        padded("denominator"),
        np.array([area_value], dtype=float),
        method=method,
        multiplier=multiplier,
        polarity=polarity,
    )
    return summary.iloc[0]


def aggregate_peers_by_period(
    frame: pd.DataFrame,
    *,
    area_code: str | None = None,
    peer_codes: Sequence[str] | None = None,
    method: str = "mean",
    multiplier: float = 100.0,
    polarity: str | None = None,
    code_column: str = "area_code",
) -> pd.DataFrame:
    """``aggregate_peers`` for every period of a long frame, indexed by ``period_start``.

    ``frame`` has ``period_start``, ``code_column``, ``value`` and optionally ``numerator``,
    ``denominator``, ``suppressed``; it may include the area's own rows (``area_code``).
    ``peer_codes`` is the full comparator group, so a peer with no row in a period counts as
    missing there; by default it is every code in ``frame`` other than ``area_code``.
    """
    missing_columns = {"period_start", code_column, "value"} - set(frame.columns)
    if missing_columns:
        raise ValueError(f"frame lacks columns {sorted(missing_columns)}")
    keyed = _mask_suppressed(frame).set_index(["period_start", code_column])
    if not keyed.index.is_unique:
        raise ValueError(f"frame has more than one row per (period_start, {code_column})")
    codes = pd.unique(frame[code_column])
    peers = [code for code in codes if code != area_code] if peer_codes is None else peer_codes
    if area_code is not None and area_code in peers:
        raise ValueError(f"area {area_code} cannot be its own peer")
    periods = pd.Index(sorted(pd.unique(frame["period_start"])), name="period_start")

    def wide(column: str, columns: Sequence[str]) -> np.ndarray | None:
        if column not in keyed:
            return None
        table = keyed[column].unstack(code_column).reindex(index=periods, columns=list(columns))
        return table.to_numpy(dtype=float, na_value=np.nan)

    area_values = (
        wide("value", [area_code])[:, 0] if area_code is not None else np.full(len(periods), np.nan)
    )
    summary = _summarise(
        wide("value", peers),
        wide("numerator", peers),
        wide("denominator", peers),
        area_values,
        method=method,
        multiplier=multiplier,
        polarity=polarity,
    )
    summary.index = periods
    return summary


def _summarise(
    values: np.ndarray,
    numerators: np.ndarray | None,
    denominators: np.ndarray | None,
    area_values: np.ndarray,
    *,
    method: str,
    multiplier: float,
    polarity: str | None,
) -> pd.DataFrame:
    """Row-wise peer statistics over a (periods × peers) matrix; NaN marks a missing peer."""
    if method not in METHODS:
        raise ValueError(f"unknown comparator method {method!r}; expected one of {METHODS}")
    if method == "pooled" and (numerators is None or denominators is None):
        raise ValueError("the pooled comparator needs numerator and denominator columns")
    present = ~np.isnan(values)
    mean, quantiles = _spread(values)
    pooled = _pooled(numerators, denominators, present, multiplier)
    columns = {
        "comparator_value": mean if method == "mean" else pooled,
        "comparator_mean": mean,
        "comparator_pooled": pooled,
        "peer_min": quantiles[0],
        "peer_q1": quantiles[1],
        "peer_median": quantiles[2],
        "peer_q3": quantiles[3],
        "peer_max": quantiles[4],
        "n_contributing": present.sum(axis=1),
        "n_expected": np.full(len(values), values.shape[1]),
        "area_value": area_values,
        "area_rank": rank_among(area_values, values),
        "n_ranked": present.sum(axis=1) + ~np.isnan(area_values),
    }
    if polarity is not None:
        columns["area_best_rank"] = rank_among(area_values, values, polarity=polarity)
    return pd.DataFrame(columns)


def _spread(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row means and (min, q1, median, q3, max) by numpy's default linear quantiles (R type 7)."""
    if values.shape[1] == 0:
        return np.full(len(values), np.nan), np.full((5, len(values)), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing periods give NaN
        mean = np.nanmean(values, axis=1)
        quantiles = np.nanquantile(values, [0, 0.25, 0.5, 0.75, 1], axis=1)
    return mean, quantiles


def _pooled(
    numerators: np.ndarray | None,
    denominators: np.ndarray | None,
    present: np.ndarray,
    multiplier: float,
) -> np.ndarray:
    """Σ numerators ÷ Σ denominators × multiplier over peers reporting all three figures."""
    if numerators is None or denominators is None:
        return np.full(len(present), np.nan)
    usable = present & np.isfinite(numerators) & np.isfinite(denominators)
    total_numerator = np.where(usable, numerators, 0).sum(axis=1)
    total_denominator = np.where(usable, denominators, 0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = total_numerator / total_denominator * multiplier
    return np.where(total_denominator > 0, pooled, np.nan)


def _mask_suppressed(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank the figures of suppressed rows so they count as missing peers."""
    if "suppressed" not in frame:
        return frame
    hidden = frame["suppressed"].fillna(False).astype(bool).to_numpy()
    figures = [column for column in ("value", "numerator", "denominator") if column in frame]
    masked = frame.copy()
    masked[figures] = masked[figures].astype(float)
    masked.loc[hidden, figures] = np.nan
    return masked
