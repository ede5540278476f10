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
    metrics = [
        metric
        for metric in load_catalogue().metrics.values()
        if metric.polarity != "context" and (metric.id, metric.default_period_type) in areas.index
    ]
    if not metrics:
        return pd.DataFrame([], columns=list(SPINE_COLUMNS))
    return _summaries(areas, spread, metrics)


def _summaries(areas: pd.DataFrame, spread: pd.DataFrame, metrics: list) -> pd.DataFrame:
    """One row per metric (in the order given): the area's latest value, its interval and the
    verdict against England, judged for all metrics at once."""
    index = pd.MultiIndex.from_tuples([(m.id, m.default_period_type) for m in metrics])
    area = areas.loc[index]
    pool = spread.reindex(index)
    lower, upper = judgements.filled_intervals(
        metrics, area["lower_ci"], area["upper_ci"], area["numerator"], area["denominator"]
    )
    suppressed = area["suppressed"].astype(bool).to_numpy()
    england = _floats(pool["england_value"])
    verdicts = stats.verdict(lower, upper, england, [m.polarity for m in metrics], suppressed)
    starts = area["period_start"].tolist()
    return pd.DataFrame(
        {
            "metric_id": [m.id for m in metrics],
            "period_type": [m.default_period_type for m in metrics],
            "period_start": starts,
            "period_label": [
                periods.label(start, m.default_period_type)
                for start, m in zip(starts, metrics, strict=True)
            ],
            "area_value": np.where(suppressed, np.nan, _floats(area["value"])),
            "area_lower": lower,
            "area_upper": upper,
            "area_suppressed": suppressed,
            "england_value": england,
            "comparator_mean": _floats(pool["comparator_mean"]),
            **{name: _floats(pool[name]) for name in RANGE_COLUMNS},  # NaN without a pool
            "range_n": pool["range_n"].fillna(0).astype(int).to_numpy(),
            "vs_england": verdicts.astype(str),
            "is_synthetic": pool["is_synthetic"].astype(bool).to_numpy(),
        },
        columns=list(SPINE_COLUMNS),
    )


def _floats(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
