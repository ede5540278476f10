"""The area profile's spine: where the area sits among all councils (or its comparator group)
on every judged metric, in the latest period it has, with England as the benchmark.

One query returns every council's value in those periods; the spread (min, quartiles, max)
and the verdict against England are computed here so the chart only draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries import judgements, periods, stats
from queries.catalogue import load_catalogue
from queries.store import DataStore

SCOPES = ("england", "comparators")
RANGE_COLUMNS = ("range_min", "range_q1", "range_q3", "range_max")
SPINE_COLUMNS = (
    "metric_id",
    "period_type",
    "period_start",
    "period_label",
    "area_value",
    "area_lower",
    "area_upper",
    "area_suppressed",
    "england_value",
    "comparator_mean",
    "range_min",
    "range_q1",
    "range_q3",
    "range_max",
    "range_n",
    "vs_england",
    "is_synthetic",
)


def spine(store: DataStore, area_code: str, method: str, *, scope: str = "england") -> pd.DataFrame:
    """One row per judged metric (polarity not ``context``), in catalogue order, for the
    metric's default period type; the range is over all councils or the comparator peers."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    return store.derived(
        "spine",
        {"area": area_code, "method": method, "scope": scope},
        lambda: _spine(store, area_code, method, scope),
    )


def _spine(store: DataStore, area_code: str, method: str, scope: str) -> pd.DataFrame:
    frame = store.query("profile_spine", area=area_code, method=method)
    for flag in ("is_area", "is_england", "is_peer", "suppressed", "is_synthetic"):
        frame[flag] = frame[flag].fillna(False).astype(bool)
    frame["value"] = frame["value"].astype(float)
    # every metric's spread, comparator mean and England in one grouped pass each
    keys = ["metric_id", "period_type"]
    shown = frame["value"].notna() & ~frame["suppressed"]
    councils = shown & ~frame["is_england"]
    peers = councils & frame["is_peer"]
    pool = frame[peers if scope == "comparators" else councils].groupby(keys)["value"]
    spread = pd.DataFrame(
        {
            "range_min": pool.min(),
            "range_q1": pool.quantile(0.25),
            "range_q3": pool.quantile(0.75),
            "range_max": pool.max(),
            "range_n": pool.size(),
            "comparator_mean": frame[peers].groupby(keys)["value"].mean(),
            "england_value": frame[frame["is_england"]].groupby(keys)["value"].first(),
            "is_synthetic": frame.groupby(keys)["is_synthetic"].any(),
        }
    )
    areas = frame[frame["is_area"]].drop_duplicates(keys).set_index(keys)
    rows = []
    for metric in load_catalogue().metrics.values():
        key = (metric.id, metric.default_period_type)
        if metric.polarity == "context" or key not in areas.index:
            continue
        rows.append(_summary(areas.loc[key], spread.loc[key], metric))
    return pd.DataFrame(rows, columns=list(SPINE_COLUMNS))


def _summary(area: pd.Series, spread: pd.Series, metric) -> dict:
    lower, upper = judgements.filled_interval(
        metric, area["lower_ci"], area["upper_ci"], area["numerator"], area["denominator"]
    )
    england_value = _float(spread["england_value"])
    suppressed = bool(area["suppressed"])
    verdict = stats.verdict([lower], [upper], [england_value], metric.polarity, [suppressed])[0]
    return {
        "metric_id": metric.id,
        "period_type": metric.default_period_type,
        "period_start": area["period_start"],
        "period_label": periods.label(area["period_start"], metric.default_period_type),
        "area_value": np.nan if suppressed else _float(area["value"]),
        "area_lower": lower,
        "area_upper": upper,
        "area_suppressed": suppressed,
        "england_value": england_value,
        "comparator_mean": _float(spread["comparator_mean"]),
        **{name: _float(spread[name]) for name in RANGE_COLUMNS},  # NaN without a pool
        "range_n": int(spread["range_n"]) if pd.notna(spread["range_n"]) else 0,
        "vs_england": str(verdict),
        "is_synthetic": bool(spread["is_synthetic"]),
    }


def _float(value: object) -> float:
    try:
        return float(value) if value is not None else np.nan
    except (TypeError, ValueError):
        return np.nan
