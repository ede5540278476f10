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
    for flag in ("is_area", "is_england", "is_peer"):
        frame[flag] = frame[flag].fillna(False).astype(bool)
    # one pass over every council's rows, not one filter of the whole frame per metric
    parts = dict(tuple(frame.groupby(["metric_id", "period_type"], sort=False)))
    rows = []
    for metric in load_catalogue().metrics.values():
        part = parts.get((metric.id, metric.default_period_type))
        if metric.polarity == "context" or part is None:
            continue
        area = part[part["is_area"]]
        if area.empty:
            continue
        rows.append(_summary(part, area.iloc[0], metric, scope=scope))
    return pd.DataFrame(rows, columns=list(SPINE_COLUMNS))


def _summary(part: pd.DataFrame, area: pd.Series, metric, *, scope: str) -> dict:
    councils = part[~part["is_england"]]
    peers = councils[councils["is_peer"]]
    pool = peers if scope == "comparators" else councils
    values = _shown(pool)
    england = part.loc[part["is_england"], "value"]
    judged = judgements.fill_intervals(
        pd.DataFrame(
            {
                "area_lower": [area["lower_ci"]],
                "area_upper": [area["upper_ci"]],
                "area_numerator": [area["numerator"]],
                "area_denominator": [area["denominator"]],
            }
        ),
        metric,
        "area",
    ).iloc[0]
    england_value = float(england.iloc[0]) if england.notna().any() else np.nan
    suppressed = bool(area["suppressed"]) if pd.notna(area["suppressed"]) else False
    verdict = stats.verdict(
        [judged["area_lower"]],
        [judged["area_upper"]],
        [england_value],
        metric.polarity,
        [suppressed],
    )[0]
    peer_values = _shown(peers)
    return {
        "metric_id": metric.id,
        "period_type": metric.default_period_type,
        "period_start": area["period_start"],
        "period_label": periods.label(area["period_start"], metric.default_period_type),
        "area_value": np.nan if suppressed else _float(area["value"]),
        "area_lower": _float(judged["area_lower"]),
        "area_upper": _float(judged["area_upper"]),
        "area_suppressed": suppressed,
        "england_value": england_value,
        "comparator_mean": float(peer_values.mean()) if len(peer_values) else np.nan,
        "range_min": float(values.min()) if len(values) else np.nan,
        "range_q1": float(np.percentile(values, 25)) if len(values) else np.nan,
        "range_q3": float(np.percentile(values, 75)) if len(values) else np.nan,
        "range_max": float(values.max()) if len(values) else np.nan,
        "range_n": len(values),
        "vs_england": str(verdict),
        "is_synthetic": bool(part["is_synthetic"].fillna(False).astype(bool).any()),
    }


def _shown(frame: pd.DataFrame) -> np.ndarray:
    """Values that are published and not suppressed."""
    keep = frame["value"].notna() & ~frame["suppressed"].fillna(False).astype(bool)
    return frame.loc[keep, "value"].astype(float).to_numpy()


def _float(value: object) -> float:
    try:
        return float(value) if value is not None else np.nan
    except (TypeError, ValueError):
        return np.nan
