"""An XmR chart of one area's series as the SPC views draw it (the explorer's and the family
pages'): rebase positions from chosen periods, trial-limit warnings, each point's variation
category and rules in words, and the Making Data Count icons read with the metric."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from dashboard.charts import spc
from queries import stats
from queries.catalogue import Metric
from queries.recent_change import ASSURANCE_KEYS
from queries.stats.spc import MIN_LIMIT_POINTS

MIN_POINTS = 10  # an SPC chart needs at least this many periods with a value
# The columns an SPC chart's CSV holds, on the explorer and the family pages alike
EXPORT_COLUMNS = (
    "period_label",
    "period_start",
    "segment",
    "value",
    "mean",
    "lower_limit",
    "upper_limit",
    "lower_two_sigma",
    "upper_two_sigma",
    "limit_points",
    "trial_limits",
    "special_cause",
    "category",
    "rules",
    "is_synthetic",
)
RULE_WORDS = {
    "beyond_limits": "a point beyond a process limit",
    "shift": "a run of 7 or more on one side of the mean",
    "trend": "7 or more consecutive rises or falls",
    "two_in_three": "2 of 3 points beyond the same 2σ line, all 3 on one side of the mean",
}


def spc_chart(
    present: pd.DataFrame,
    polarity: str,
    *,
    baseline: int | None,
    rebase: Sequence[date],
    screen: bool,
    notes: list[str],
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The chart rows for ``present`` (period_label, period_start, area_value, is_synthetic; no
    gaps) and the labels where it is rebased; notes about left-out rebase points and trial
    limits are appended to ``notes``."""
    positions, labels = _rebase_positions(present, rebase, notes)
    chart = stats.xmr(
        present["area_value"].astype(float).to_numpy(),
        baseline,
        rebase_at=positions,
        screen_outliers=screen,
    )
    notes.extend(_trial_notes(chart, present))
    chart.index = present.index
    chart["period_label"] = present["period_label"]
    chart["period_start"] = present["period_start"]
    chart["is_synthetic"] = present["is_synthetic"]
    if "vintage" in present:
        chart["vintage"] = present["vintage"]
    chart["category"] = _categories(chart, polarity)
    chart["rules_text"] = [
        "; ".join(RULE_WORDS[r] for r in rules.split(",") if r) for rules in chart["rules"]
    ]
    return chart.reset_index(drop=True), labels


def variation_icon(chart: pd.DataFrame, metric: Metric) -> str | None:
    return None if chart.empty else stats.variation_icon_key(chart, metric.polarity)


def assurance_icon(chart: pd.DataFrame, metric: Metric) -> str | None:
    if chart.empty or metric.target is None:
        return None
    return ASSURANCE_KEYS.get(stats.assurance_icon(chart, metric.target.value, metric.polarity))


def _rebase_positions(
    present: pd.DataFrame, rebase: Sequence[date], notes: list[str]
) -> tuple[list[int], tuple[str, ...]]:
    """Where each chosen rebase period sits among the plotted points; a period outside them, or
    one that would leave a segment of fewer than 2 points, is left out with a note."""
    starts = [pd.Timestamp(s).date() for s in present["period_start"]]
    labels = present["period_label"].tolist()
    positions: list[int] = []
    for start in rebase:
        if start not in starts:
            notes.append(f"Rebase at {start:%b %Y} is outside the periods plotted; left out.")
            continue
        position = starts.index(start)
        edges = [0, *positions, position, len(starts)]
        if position == 0 or min(b - a for a, b in zip(edges, edges[1:], strict=False)) < 2:
            notes.append(
                f"Rebase at {labels[position]} would leave fewer than 2 points in a segment; "
                "left out."
            )
            continue
        positions.append(position)
    return positions, tuple(labels[p] for p in positions)


def _trial_notes(chart: pd.DataFrame, present: pd.DataFrame) -> list[str]:
    """A warning per segment whose limits rest on fewer than 12 points."""
    notes = []
    labels = present["period_label"].tolist()
    for _, segment in chart.reset_index(drop=True).groupby("segment", sort=True):
        first = segment.iloc[0]
        if first["trial_limits"]:
            notes.append(
                f"Trial limits: the limits from {labels[segment.index[0]]} rest on "
                f"{int(first['limit_points'])} points (fewer than {MIN_LIMIT_POINTS});"
                " they will move as points are added."
            )
    return notes


def _categories(chart: pd.DataFrame, polarity: str) -> np.ndarray:
    """Each point's variation category, read with the metric's polarity."""
    special = chart["special_cause"].to_numpy(dtype=bool)
    high = (chart["direction"] == "high").to_numpy()
    if polarity == "context":
        return np.where(special, spc.NEITHER, spc.COMMON)
    improving = high == (polarity == "higher_is_better")
    return np.select([~special, improving], [spc.COMMON, spc.IMPROVEMENT], default=spc.CONCERN)
